"""Writes through the API: ingesting a report, then bringing the events it touches up to date."""

from __future__ import annotations

import dataclasses
from typing import Any

from .. import settings
from ..check import check_document
from ..extract import ExtractOptions
from ..ingest import IngestOptions, IngestReport, ingest_document
from ..ledger import update_events
from ..model import Document, document_id
from ..sources import Failure, ReadOptions, read_target
from .context import Ledger
from .errors import WebError
from .models import DocumentIn
from .reading import event_ids_for_documents


def _read(ledger: Ledger, body: DocumentIn, who: str) -> tuple[list[Document | Failure], ExtractOptions]:
    """The documents ``body`` gives (its text, or what its URL holds) and how to extract them."""
    read = ReadOptions(
        max_bytes=int(settings.get("max_bytes")),
        published=body.published,
        outlet=body.outlet,
        language=body.language,
    )
    extract = ExtractOptions(
        language=body.language or "en", published=body.published, conflict=ledger.options.conflict
    )
    if body.text is not None:
        document = Document(
            text=body.text,
            source=f"api:{who}:{document_id(body.text)}",
            published=body.published,
            language=body.language,
            outlet=body.outlet,
            title=body.title,
        )
        return [document], extract
    if body.url is None:  # the model allows only text or url; said again for the type checker
        raise WebError(422, "give either text or url")
    items = list(read_target(body.url, read))
    if body.title:
        items = [
            dataclasses.replace(i, title=body.title) if isinstance(i, Document) and not i.title else i
            for i in items
        ]
    return items, extract


def _nothing_read(failed: list[dict[str, str]]) -> WebError:
    problems = "; ".join(f"{f['source']}: {f['problem']}" for f in failed) or "no document in it"
    return WebError(422, f"nothing could be read: {problems}", errors=failed)


def ingest_report(ledger: Ledger, body: DocumentIn, who: str) -> dict[str, Any]:
    """Store the report ``body`` gives and update the events its claims touch.

    Returns what was stored, what failed and the events that now hold the reports'
    claims; WebError 422 when nothing could be read.
    """
    items, extract = _read(ledger, body, who)
    options = IngestOptions(extract=extract, rebuild_events=False)
    report = IngestReport()
    stored: list[dict[str, Any]] = []
    failed: list[dict[str, str]] = []
    for item in items:
        if isinstance(item, Failure):
            failed.append({"source": item.source, "problem": item.problem})
            continue
        new_before, claims_before = report.new, report.claims
        ingest_document(ledger.store, item, options, report)
        stored.append(
            {
                "id": item.id,
                "source": item.source,
                "new": report.new > new_before,
                "claims": report.claims - claims_before,
            }
        )
    if not stored:
        raise _nothing_read(failed)
    ids = [doc["id"] for doc in stored if doc["new"]]
    if ids:
        update_events(ledger.store, ids, ledger.options.conflict)
        ledger.changed()
    return {
        "documents": stored,
        "failed": failed,
        "events": event_ids_for_documents(ledger.store, [doc["id"] for doc in stored]),
        "update": "incremental" if ids else "none",
    }


def check_report(ledger: Ledger, body: DocumentIn) -> dict[str, Any]:
    """Check the report ``body`` gives against the ledger, claim by claim, storing nothing."""
    items, extract = _read(ledger, body, "check")
    reports: list[dict[str, Any]] = []
    failed: list[dict[str, str]] = []
    for item in items:
        if isinstance(item, Failure):
            failed.append({"source": item.source, "problem": item.problem})
            continue
        reports.append(check_document(ledger.store, item, ledger.options.conflict, extract).record())
    if not reports:
        raise _nothing_read(failed)
    return {"reports": reports, "failed": failed}
