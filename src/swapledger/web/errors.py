"""One error shape for every error the web layer answers.

The API (and every ``.json`` or ``.csv`` page) answers::

    {"error": {"status": 404, "title": "Not Found", "detail": "no event with id 'x'", "errors": []}}

and an HTML page answers the same fields rendered as a page. No answer ever
carries a stack trace: an unexpected error is logged on the server and the
client is told only that it happened.
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..errors import NotFoundError, OptionError, SourceError, StoreError, SwapledgerError

log = logging.getLogger("swapledger.web")


class WebError(Exception):
    """An error answered with a status and a message a client can act on."""

    def __init__(
        self,
        status: int,
        detail: str,
        headers: dict[str, str] | None = None,
        errors: list[dict[str, Any]] | None = None,
    ) -> None:
        self.status = status
        self.detail = detail
        self.headers = headers or {}
        self.errors = errors or []
        super().__init__(detail)


class BodyTooLargeError(HTTPException):
    """The request body is over the limit.

    An HTTPException, because FastAPI lets only those through while it reads a body
    (anything else raised there becomes a 400).
    """

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"the request body is larger than the limit of {limit:,} bytes")


def wants_html(request: Request) -> bool:
    """Pages answer HTML; the API and the .json/.csv forms of pages answer JSON."""
    path = request.url.path
    return not (path.startswith("/api/") or path.endswith(".json") or path.endswith(".csv"))


def error_body(status: int, detail: str, errors: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The one error shape."""
    return {
        "error": {
            "status": status,
            "title": HTTPStatus(status).phrase,
            "detail": detail,
            "errors": errors or [],
        }
    }


def error_response(request: Request, error: WebError) -> Response:
    """Answer ``error`` as JSON or as a page, as the request's path calls for."""
    body = error_body(error.status, error.detail, error.errors)
    if wants_html(request):
        templates: Jinja2Templates = request.app.state.templates
        return templates.TemplateResponse(
            request,
            "error.html",
            {"error": body["error"], "page_title": body["error"]["title"]},
            status_code=error.status,
            headers=error.headers,
        )
    return JSONResponse(body, status_code=error.status, headers=error.headers)


def _validation_errors(exc: RequestValidationError) -> tuple[int, str, list[dict[str, Any]]]:
    """400 for a bad query or path parameter (a bad filter), 422 for a bad JSON body."""
    errors = []
    in_body = False
    for item in exc.errors():
        location = [str(part) for part in item.get("loc", ())]
        in_body = in_body or (bool(location) and location[0] == "body")
        errors.append({"location": ".".join(location), "message": str(item.get("msg", "is not valid"))})
    if in_body:
        return (
            422,
            "the request body is not valid: " + "; ".join(f"{e['location']}: {e['message']}" for e in errors),
            errors,
        )
    return 400, "bad parameter: " + "; ".join(f"{e['location']}: {e['message']}" for e in errors), errors


def install(app: FastAPI) -> None:
    """Route every kind of failure through ``error_response``."""

    async def _web(request: Request, exc: WebError) -> Response:
        return error_response(request, exc)

    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        detail = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
        if exc.status_code == 404 and detail == "Not Found":
            detail = f"nothing here: {request.url.path}"
        elif exc.status_code == 405:
            detail = f"{request.method} is not allowed on {request.url.path}"
        return error_response(request, WebError(exc.status_code, detail, dict(exc.headers or {})))

    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        status, detail, errors = _validation_errors(exc)
        return error_response(request, WebError(status, detail, errors=errors))

    async def _not_found(request: Request, exc: NotFoundError) -> Response:
        return error_response(request, WebError(404, str(exc)))

    async def _option(request: Request, exc: OptionError) -> Response:
        return error_response(request, WebError(400, str(exc)))

    async def _source(request: Request, exc: SourceError) -> Response:
        return error_response(request, WebError(422, str(exc)))

    async def _store(request: Request, exc: StoreError) -> Response:
        log.error("database error on %s: %s", request.url.path, exc)
        return error_response(request, WebError(503, "the database is not available; try again shortly"))

    async def _swapledger(request: Request, exc: SwapledgerError) -> Response:
        return error_response(request, WebError(422, str(exc)))

    async def _unexpected(request: Request, exc: Exception) -> Response:
        # Logged here with its traceback; the client learns only that it happened.
        log.error("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
        return error_response(request, WebError(500, "something went wrong on our side; it has been logged"))

    app.add_exception_handler(WebError, _web)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, _http)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, _invalid)  # type: ignore[arg-type]
    app.add_exception_handler(NotFoundError, _not_found)  # type: ignore[arg-type]
    app.add_exception_handler(OptionError, _option)  # type: ignore[arg-type]
    app.add_exception_handler(SourceError, _source)  # type: ignore[arg-type]
    app.add_exception_handler(StoreError, _store)  # type: ignore[arg-type]
    app.add_exception_handler(SwapledgerError, _swapledger)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, _unexpected)
