"""swapledger: a checkable ledger of humanitarian exchanges, built from the reports."""

__version__ = "0.1.0"

from .errors import SwapledgerError
from .extract import ExtractOptions, extract
from .ingest import IngestOptions, IngestReport, ingest
from .ledger import rebuild, totals
from .model import Claim, Document, Event, Flow
from .sources import ReadOptions, read_path
from .store import EventFilter, Store

__all__ = [
    "Claim",
    "Document",
    "Event",
    "EventFilter",
    "ExtractOptions",
    "Flow",
    "IngestOptions",
    "IngestReport",
    "ReadOptions",
    "Store",
    "SwapledgerError",
    "__version__",
    "extract",
    "ingest",
    "read_path",
    "rebuild",
    "totals",
]
