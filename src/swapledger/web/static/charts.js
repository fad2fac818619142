// Draws the overview's charts from the JSON the page carries (script-src 'self': no inline code).
(function () {
  "use strict";
  var source = document.getElementById("chart-data");
  if (!source || typeof Plotly === "undefined") { return; }
  var chart = JSON.parse(source.textContent);
  // Colours told apart by people with the common colour-vision deficiencies (Okabe–Ito).
  var colours = ["#0072B2", "#D55E00", "#009E73", "#CC79A7"];
  var layout = function (title) {
    return {
      title: { text: title, font: { size: 15 } },
      margin: { l: 60, r: 10, t: 40, b: 50 },
      legend: { orientation: "h", y: -0.2 },
      font: { family: "system-ui, sans-serif", color: "#1a1a1a" },
      barmode: "group",
      xaxis: { type: "category" },
      yaxis: { rangemode: "tozero", separatethousands: true }
    };
  };
  var config = { responsive: true, displaylogo: false, modeBarButtonsToRemove: ["sendDataToCloud"] };
  var monthly = chart.series.map(function (s, i) {
    return { type: "bar", name: "to " + s.side, x: chart.months, y: s.monthly, marker: { color: colours[i % 4] } };
  });
  var running = chart.series.map(function (s, i) {
    return { type: "scatter", mode: "lines+markers", name: "to " + s.side + ", running", x: chart.months,
             y: s.running, line: { color: colours[i % 4], width: 2 } };
  });
  chart.targets.forEach(function (t) {
    var months = chart.months.filter(function (m) { return m >= t.from_month; });
    if (months.length === 0) { return; }
    chart.series.forEach(function (s, i) {
      running.push({ type: "scatter", mode: "lines", name: t.agreement + " target, to " + s.side,
                     x: months, y: months.map(function () { return t.levels[s.side]; }),
                     line: { color: colours[i % 4], dash: "dash", width: 1 } });
    });
  });
  var mark = function (id) { return function () { document.getElementById(id).setAttribute("data-drawn", "true"); }; };
  Plotly.newPlot("chart-monthly", monthly, layout("Per month"), config).then(mark("chart-monthly"));
  Plotly.newPlot("chart-running", running, layout("Running total"), config).then(mark("chart-running"));
})();
