"""Ingesting documents: read, extract, store (one transaction each), update events.

A batch never stops for one bad document: each failure is recorded with its
file and reason, and the batch goes on. Ctrl-C stops the batch between
documents; every document is then either fully stored or absent, and the
events are rebuilt by the next command that needs them.

After the batch, events are brought up to date: incrementally (only the
events the new documents touch, ``ledger.update_events``) when at most
``ledger.INCREMENTAL_LIMIT`` documents are waiting, else by a full rebuild.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from .errors import StoreError, SwapledgerError
from .extract import EXTRACTOR_VERSION, ExtractOptions, extract
from .ledger import INCREMENTAL_LIMIT, rebuild, update_events
from .model import Document
from .sources import Failure, ReadOptions, read_target
from .store import Store


@dataclass(frozen=True)
class IngestOptions:
    """How to read and extract a batch."""

    read: ReadOptions = field(default_factory=ReadOptions)
    extract: ExtractOptions = field(default_factory=ExtractOptions)
    rebuild_events: bool = True


@dataclass
class IngestReport:
    """What a batch did: new, duplicate and failed documents, and where the time went."""

    new: int = 0
    duplicate: int = 0
    claims: int = 0
    events: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    seconds: dict[str, float] = field(
        default_factory=lambda: dict.fromkeys(("read", "extract", "store", "resolve"), 0.0)
    )

    @property
    def attempted(self) -> int:
        return self.new + self.duplicate + len(self.failed)

    @property
    def exit_code(self) -> int:
        """0 all good, 1 some failed, 2 all failed."""
        if not self.failed:
            return 0
        return 2 if len(self.failed) == self.attempted else 1


def ingest_document(store: Store, document: Document, options: IngestOptions, report: IngestReport) -> None:
    """Extract and store one document already read, counting it in ``report``."""
    started = time.perf_counter()
    if store.has_document(document.id):
        report.duplicate += 1
        report.seconds["store"] += time.perf_counter() - started
        return
    claims = extract(document, options.extract)
    extracted = time.perf_counter()
    report.seconds["extract"] += extracted - started
    if store.add_document(document, claims, EXTRACTOR_VERSION):
        report.new += 1
        report.claims += len(claims)
    else:
        report.duplicate += 1
    report.seconds["store"] += time.perf_counter() - extracted


def ingest(
    store: Store,
    paths: Iterable[str],
    options: IngestOptions | None = None,
    progress: Callable[[str], None] | None = None,
) -> IngestReport:
    """Ingest every document the inputs in ``paths`` hold into ``store``, then rebuild the events."""
    options = options or IngestOptions()
    report = IngestReport()
    for target in paths:
        items = read_target(target, options.read)
        while True:
            started = time.perf_counter()
            try:
                item = next(items, None)
            except Exception as exc:  # a reader that breaks ends its input, not the batch
                report.failed.append((target, _reason(exc)))
                break
            report.seconds["read"] += time.perf_counter() - started
            if item is None:
                break
            if isinstance(item, Failure):
                report.failed.append((item.source, item.problem))
                continue
            try:
                ingest_document(store, item, options, report)
            except StoreError:
                raise
            except Exception as exc:  # one bad document never stops a batch
                report.failed.append((item.source, _reason(exc)))
        if progress is not None:
            progress(target)
    if options.rebuild_events and (report.new or store.events_stale()):
        started = time.perf_counter()
        bring_up_to_date(store, options.extract.conflict)
        report.seconds["resolve"] += time.perf_counter() - started
    report.events = store.count_events()
    return report


def bring_up_to_date(store: Store, conflict_id: str = "ru-ua") -> str:
    """Update events for the documents stored since they were last built; "incremental" or "rebuild"."""
    pending = store.pending_documents()
    if pending is not None and len(pending) <= INCREMENTAL_LIMIT:
        update_events(store, sorted(pending), conflict_id)
        if not store.events_stale():
            return "incremental"
    rebuild(store, conflict_id)
    return "rebuild"


def _reason(exc: Exception) -> str:
    if isinstance(exc, SwapledgerError):
        return str(getattr(exc, "problem", exc))
    return f"unexpected error while reading it: {type(exc).__name__}: {exc}"
