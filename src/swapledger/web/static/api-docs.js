// Starts swagger-ui on the API docs page, from the files the app serves itself (no CDN).
(function () {
  "use strict";
  var node = document.getElementById("swagger-ui");
  if (!node || typeof SwaggerUIBundle === "undefined") { return; }
  SwaggerUIBundle({ url: node.getAttribute("data-url"), dom_id: "#swagger-ui", deepLinking: true });
})();
