"""The data of each dashboard page: one function per page, rendered as HTML, JSON or CSV.

Each function returns plain, JSON-ready data; the template, the ``.json`` form
and the ``.csv`` table all render that one value, so they cannot disagree.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from ..ledger import agreement_progress, totals
from ..model import CATEGORIES
from ..store import EventFilter, get_event
from ..store.findings import events_under
from . import findings as findings_store
from .context import Ledger
from .reading import (
    EventQuery,
    ListQuery,
    count_events_without_month,
    document_texts,
    latest_events,
    list_events,
    monthly_flows,
)

# How much of a long paragraph to show on each side of a quote.
CONTEXT_CHARS = 700


def overview(ledger: Ledger, category: str | None) -> dict[str, Any]:
    """Totals per side and category, the monthly chart of one category, the latest exchanges, findings."""
    category = category or CATEGORIES[0]
    ListQuery(category=category)  # validates the category
    return {
        "category": category,
        "categories": list(CATEGORIES),
        "sides": ledger.sides,
        "totals": ledger.cached(("totals",), lambda: _totals(ledger)),
        "chart": ledger.cached(("chart", category), lambda: _chart(ledger, category)),
        "latest": ledger.cached(("latest",), lambda: latest_events(ledger.store, 10)),
        "findings": ledger.cached(
            ("findings-head",), lambda: findings_store.list_findings(ledger.store, ListQuery(limit=10)).items
        ),
    }


def _totals(ledger: Ledger) -> list[dict[str, Any]]:
    return [t.record() for t in totals(ledger.store, EventFilter(), ledger.options.conflict)]


def _chart(ledger: Ledger, category: str) -> dict[str, Any]:
    """Exchanges per month per receiving side, the running total per side, and agreement targets."""
    rows = monthly_flows(ledger.store, category)
    months = sorted({r["month"] for r in rows})
    per_side: dict[str, dict[str, int]] = defaultdict(dict)
    for r in rows:
        per_side[r["to_side"]][r["month"]] = r["best"]
    series: list[dict[str, Any]] = []
    for side in ledger.sides:
        monthly = [per_side[side].get(m, 0) for m in months]
        running, acc = [], 0
        for value in monthly:
            acc += value
            running.append(acc)
        series.append({"side": side, "monthly": monthly, "running": running})
    targets = []
    for agreement in ledger.conflict.agreements:
        for term in agreement.terms:
            if category not in term.counted:
                continue
            start = agreement.date[:7]
            levels: dict[str, int] = {}
            for s in series:
                target = term.target(s["side"])
                if target is not None:
                    before: list[int] = [v for m, v in zip(months, s["monthly"], strict=True) if m < start]
                    levels[s["side"]] = sum(before) + target
            if levels:
                targets.append(
                    {
                        "agreement": agreement.id,
                        "name": agreement.name,
                        "from_month": start,
                        "term": term.describe(),
                        "note": term.note,
                        "levels": levels,
                    }
                )
    return {
        "months": months,
        "series": series,
        "targets": targets,
        "n_events_without_month": count_events_without_month(ledger.store, category),
    }


def events_page(ledger: Ledger, query: EventQuery) -> dict[str, Any]:
    """One page of the events table, with the filters that made it."""
    page = list_events(ledger.store, query)
    return {
        "filters": query.args(),
        "sort": query.sort,
        "limit": query.limit,
        "sides": ledger.sides,
        "categories": list(CATEGORIES),
        "agreements": [{"id": a.id, "name": a.name} for a in ledger.conflict.agreements],
        "items": page.items,
        "next_cursor": page.next_cursor,
    }


def event_page(ledger: Ledger, event_id: str) -> dict[str, Any]:
    """One event: each direction's figures, every claim with its quote inside its paragraph, findings."""
    record = get_event(ledger.store, event_id)
    texts = document_texts(ledger.store, [claim["document_id"] for claim in record["claims"]])
    for claim in record["claims"]:
        start, end = claim["span"]
        claim["paragraph"] = in_paragraph(texts.get(claim["document_id"], ""), start, end, claim["quote"])
    record["findings"] = findings_store.findings_for_event(ledger.store, event_id)
    record["sides"] = ledger.sides
    return record


def in_paragraph(text: str, start: int, end: int, quote: str) -> dict[str, str]:
    """The paragraph that holds ``text[start:end]``, cut into before, the quote, and after."""
    if not (0 <= start <= end <= len(text)) or text[start:end] != quote:
        return {"before": "", "quote": quote, "after": ""}
    para_start = text.rfind("\n", 0, start) + 1
    para_end = text.find("\n", end)
    para_end = len(text) if para_end < 0 else para_end
    before, after = text[para_start:start], text[end:para_end]
    if len(before) > CONTEXT_CHARS:
        before = "…" + before[-CONTEXT_CHARS:]
    if len(after) > CONTEXT_CHARS:
        after = after[:CONTEXT_CHARS] + "…"
    return {"before": before, "quote": quote, "after": after}


def event_row(record: dict[str, Any], sides: list[str]) -> dict[str, Any]:
    """An event as one flat table row (CSV and the events table)."""
    flows = {flow["to_side"]: flow for flow in record["flows"]}
    row: dict[str, Any] = {
        "id": record["id"],
        "date": record["date"],
        "category": record["category"],
        "status": record.get("status", ""),
    }
    for side in [*sides, None]:
        name = f"to_{side}" if side else "total"
        flow = flows.get(side) or {}
        row[f"{name}_best"] = flow.get("best")
        row[f"{name}_low"] = flow.get("low")
        row[f"{name}_high"] = flow.get("high")
    row.update(
        {
            "n_documents": record["n_documents"],
            "n_claims": record["n_claims"],
            "agreement": record["agreement"] or "",
            "disputed": bool(record["disputed"]),
        }
    )
    return row


def agreement_records(ledger: Ledger) -> list[dict[str, Any]]:
    """Every agreement's progress record."""
    return [p.record() for p in agreement_progress(ledger.store, ledger.options.conflict)]


def agreements_page(ledger: Ledger) -> dict[str, Any]:
    """Each agreement with delivered against target per side and category, and its events."""
    records = ledger.cached(("agreements",), lambda: agreement_records(ledger))
    events = ledger.cached(("agreement-events",), lambda: _events_by_agreement(ledger))
    items = []
    for record in records:
        progress = []
        for row in record["progress"]:
            share = None
            if row["target"]:
                share = min(row["delivered"] / row["target"], 1.0)
            progress.append({**row, "share": share})
        items.append({**record, "progress": progress, "events": events.get(record["id"], [])})
    return {"items": items, "sides": ledger.sides}


def _events_by_agreement(ledger: Ledger) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for agreement in ledger.conflict.agreements:
        out[agreement.id] = events_under(ledger.store, agreement.id)
    return out


def check_page(ledger: Ledger, result: dict[str, Any] | None, form: dict[str, str]) -> dict[str, Any]:
    """The checker's form, and its verdicts once a report was sent."""
    return {"form": form, "result": result}
