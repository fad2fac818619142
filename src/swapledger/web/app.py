"""The ASGI app: the API, the dashboard pages, their assets, limits and the one error shape."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
from fastapi import FastAPI, Response
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from .. import __version__
from ..ingest import bring_up_to_date
from ..ledger import refresh_findings
from ..store import Store
from ..store.findings import findings_current
from . import api, errors, pages
from .context import Ledger, WebOptions
from .limits import BodyLimitMiddleware, HeadersMiddleware, ResponseCache

HERE = Path(__file__).resolve().parent

# Scripts only from this server; styles from it too (plotly sets inline styles on what it draws).
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


def plotly_js() -> Path:
    """plotly.min.js as the plotly package ships it."""
    import plotly

    return Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


def swagger_ui_dir() -> Path:
    """The swagger-ui 5 distribution files (OpenAPI 3.1) the swagger-ui-py package ships."""
    import swagger_ui

    return Path(swagger_ui.__file__).parent / "static"


def create_app(options: WebOptions | None = None, store: Store | None = None) -> FastAPI:
    """The web app over the ledger in ``options.db`` (or ``store``, if given)."""
    options = options or WebOptions()
    store = store or Store(options.db)
    if store.events_stale():
        bring_up_to_date(store, options.conflict)
    if not findings_current(store):
        refresh_findings(store, options.conflict)
    app = FastAPI(
        title="swapledger API",
        version=__version__,
        description=(
            "A checkable ledger of humanitarian exchanges (bodies, prisoners of war, civilians). "
            "Every figure points back to the sentence that claimed it. Reading is open; writing "
            "needs `Authorization: Bearer TOKEN`. Lists page with `?limit=` and `?cursor=`."
        ),
        openapi_url="/api/v1/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    app.state.ledger = Ledger(store, options)
    # Autoescape everything: report text must never become markup, let alone script.
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(HERE / "templates")), autoescape=True)
    env.globals["version"] = __version__
    app.state.templates = Jinja2Templates(env=env)
    errors.install(app)
    app.include_router(api.router)
    app.include_router(pages.router)

    # Before the /static mount, which would otherwise answer for this path.
    @app.get("/static/vendor/plotly.min.js", include_in_schema=False)
    def _plotly() -> Response:
        return FileResponse(
            plotly_js(), media_type="text/javascript", headers={"Cache-Control": "max-age=86400"}
        )

    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.mount("/api/v1/docs/assets", StaticFiles(directory=str(swagger_ui_dir())), name="swagger")

    # Added first, so innermost: it keeps the plain answer; gzip and the headers are added outside it.
    app.add_middleware(ResponseCache, kept=app.state.ledger.responses)
    app.add_middleware(GZipMiddleware, minimum_size=2000)
    app.add_middleware(BodyLimitMiddleware, limit=options.max_body_bytes)
    app.add_middleware(HeadersMiddleware, headers=SECURITY_HEADERS)
    return app


def app_from_environment() -> Any:
    """The app for `uvicorn --factory swapledger.web.app:app_from_environment` (SWAPLEDGER_DB)."""
    from .. import settings

    return create_app(WebOptions(db=settings.get("db"), conflict=settings.get("conflict")))
