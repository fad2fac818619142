"""The web layer: the dashboard pages and the HTTP API over one ledger (an ASGI app)."""

from .app import create_app
from .context import WebOptions

__all__ = ["WebOptions", "create_app"]
