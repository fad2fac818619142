"""The dashboard: each page as HTML, as JSON (``.json``) and its table as CSV (``.csv``)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.templating import Jinja2Templates

from ..model import CATEGORIES
from . import views
from .context import Ledger
from .errors import WebError
from .paging import DEFAULT_LIMIT, MAX_LIMIT
from .reading import ListQuery

router = APIRouter(include_in_schema=False)

Table = Callable[[dict[str, Any]], tuple[list[str], list[dict[str, Any]]]]
FORMATS = ("html", "json", "csv")


def _ledger(request: Request) -> Ledger:
    ledger: Ledger = request.app.state.ledger
    return ledger


def render(
    request: Request, fmt: str, template: str, data: dict[str, Any], table: Table, name: str
) -> Response:
    """One page's data as HTML, JSON or a CSV of its table."""
    if fmt == "json":
        return JSONResponse(data)
    if fmt == "csv":
        columns, rows = table(data)
        return Response(
            to_csv(columns, rows),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'inline; filename="{name}.csv"'},
        )
    templates: Jinja2Templates = request.app.state.templates
    base = request.url.path
    return templates.TemplateResponse(
        request,
        template,
        {
            "data": data,
            "page_title": data.get("page_title", name),
            "json_url": _with_suffix(request, ".json"),
            "csv_url": _with_suffix(request, ".csv"),
            "path": base,
        },
        media_type="text/html",
    )


def _with_suffix(request: Request, suffix: str) -> str:
    path = "/index" if request.url.path == "/" else request.url.path
    query = f"?{request.url.query}" if request.url.query else ""
    return f"{path}{suffix}{query}"


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value: Any) -> Any:
    # A report's text that starts like a formula must not run as one in a spreadsheet.
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value)
    return value


def to_csv(columns: list[str], rows: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_csv_cell(row.get(c)) for c in columns])
    return buffer.getvalue()


def _arg(request: Request, name: str) -> str | None:
    value = request.query_params.get(name)
    return value if value else None


def _limit(request: Request) -> int:
    raw = _arg(request, "limit")
    if raw is None:
        return DEFAULT_LIMIT
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_LIMIT:
        raise WebError(400, f"limit: {raw!r} is not a whole number from 1 to {MAX_LIMIT}")
    return int(raw)


def _date(request: Request, name: str) -> str | None:
    import re

    value = _arg(request, name)
    if value is not None and not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value):
        raise WebError(400, f"{name}: {value!r} is not a date; write YYYY, YYYY-MM or YYYY-MM-DD")
    return value


def _bool(request: Request, name: str) -> bool | None:
    value = _arg(request, name)
    if value is None:
        return None
    if value.lower() in ("true", "1", "yes"):
        return True
    if value.lower() in ("false", "0", "no"):
        return False
    raise WebError(400, f"{name}: {value!r} is not true or false")


def _pages(path: str) -> list[tuple[str, str]]:
    """The routes of one page: the HTML path and its .json and .csv forms (these first, so they match)."""
    base = "/index" if path == "/" else path
    return [(base + ".json", "json"), (base + ".csv", "csv"), (path, "html")]


# -- overview -----------------------------------------------------------------


def _overview_table(data: dict[str, Any]) -> tuple[list[str], list[dict[str, Any]]]:
    chart = data["chart"]
    columns = ["month"] + [f"to_{s}" for s in data["sides"]] + [f"running_to_{s}" for s in data["sides"]]
    rows = []
    for i, month in enumerate(chart["months"]):
        row: dict[str, Any] = {"month": month}
        for series in chart["series"]:
            row[f"to_{series['side']}"] = series["monthly"][i]
            row[f"running_to_{series['side']}"] = series["running"][i]
        rows.append(row)
    return columns, rows


def _add_overview(path: str, fmt: str) -> None:
    @router.get(path, name=f"overview-{fmt}")
    def overview(request: Request) -> Response:
        category = _arg(request, "category")
        data = views.overview(_ledger(request), category)
        data["page_title"] = "Overview"
        return render(request, fmt, "overview.html", data, _overview_table, f"overview-{data['category']}")


# -- events -------------------------------------------------------------------


def _events_table(data: dict[str, Any]) -> tuple[list[str], list[dict[str, Any]]]:
    rows = [views.event_row(r, data["sides"]) for r in data["items"]]
    columns = list(rows[0]) if rows else ["id", "date", "category", "status"]
    return columns, rows


def _add_events(path: str, fmt: str) -> None:
    @router.get(path, name=f"events-{fmt}")
    def events(request: Request) -> Response:
        from .reading import EventQuery

        query = EventQuery(
            category=_arg(request, "category"),
            since=_date(request, "since"),
            until=_date(request, "until"),
            limit=_limit(request),
            cursor=_arg(request, "cursor"),
            agreement=_arg(request, "agreement"),
            disputed=_bool(request, "disputed"),
            sort=_arg(request, "sort") or "-date",
        )
        data = views.events_page(_ledger(request), query)
        data["page_title"] = "Events"
        return render(request, fmt, "events.html", data, _events_table, "events")


def _event_table(data: dict[str, Any]) -> tuple[list[str], list[dict[str, Any]]]:
    columns = [
        "id",
        "to_side",
        "from_side",
        "count",
        "qualifier",
        "attributed_to",
        "outlet",
        "published",
        "url",
        "quote",
    ]
    return columns, data["claims"]


def _add_event(path: str, fmt: str) -> None:
    @router.get(path, name=f"event-{fmt}")
    def event(request: Request, event_id: str) -> Response:
        data = views.event_page(_ledger(request), event_id)
        data["page_title"] = f"Event {data['id']}"
        return render(request, fmt, "event.html", data, _event_table, data["id"])


# -- findings -----------------------------------------------------------------


def _findings_table(data: dict[str, Any]) -> tuple[list[str], list[dict[str, Any]]]:
    return ["id", "kind", "event_id", "summary"], data["items"]


def _add_findings(path: str, fmt: str) -> None:
    @router.get(path, name=f"findings-{fmt}")
    def findings(request: Request) -> Response:
        from . import findings as findings_store

        query = ListQuery(
            category=_arg(request, "category"),
            since=_date(request, "since"),
            until=_date(request, "until"),
            limit=_limit(request),
            cursor=_arg(request, "cursor"),
        )
        page = findings_store.list_findings(_ledger(request).store, query, _arg(request, "kind"))
        data = {
            "page_title": "Findings",
            "filters": query.args(),
            "items": page.items,
            "next_cursor": page.next_cursor,
            "categories": list(CATEGORIES),
        }
        return render(request, fmt, "findings.html", data, _findings_table, "findings")


for _path, _fmt in _pages("/"):
    _add_overview(_path, _fmt)
for _path, _fmt in _pages("/events"):
    _add_events(_path, _fmt)
for _path, _fmt in _pages("/events/{event_id}"):
    _add_event(_path, _fmt)
for _path, _fmt in _pages("/findings"):
    _add_findings(_path, _fmt)


@router.get("/api/v1/docs", response_class=HTMLResponse)
def api_docs(request: Request) -> Response:
    """The API's docs page (swagger-ui, served from the installed package)."""
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(request, "api_docs.html", {"page_title": "API"})


# -- agreements ---------------------------------------------------------------


def _agreements_table(data: dict[str, Any]) -> tuple[list[str], list[dict[str, Any]]]:
    columns = [
        "agreement",
        "category",
        "to_side",
        "term",
        "target",
        "delivered",
        "low",
        "high",
        "remaining",
        "n_events",
    ]
    rows = [{**row, "agreement": a["id"]} for a in data["items"] for row in a["progress"]]
    return columns, rows


def _add_agreements(path: str, fmt: str) -> None:
    @router.get(path, name=f"agreements-{fmt}")
    def agreements(request: Request) -> Response:
        data = views.agreements_page(_ledger(request))
        data["page_title"] = "Agreements"
        return render(request, fmt, "agreements.html", data, _agreements_table, "agreements")


for _path, _fmt in _pages("/agreements"):
    _add_agreements(_path, _fmt)


# -- the checker --------------------------------------------------------------


def _check_table(data: dict[str, Any]) -> tuple[list[str], list[dict[str, Any]]]:
    columns = ["verdict", "event_id", "n_sources", "explanation", "count", "to_side", "quote"]
    rows = []
    for report in (data["result"] or {}).get("reports", []):
        for check in report["checks"]:
            claim = check["claim"]
            rows.append(
                {**check, "count": claim["count"], "to_side": claim["to_side"], "quote": claim["quote"]}
            )
    return columns, rows


async def _check(request: Request, fmt: str) -> Response:
    from pydantic import ValidationError

    from .models import DocumentIn
    from .writing import check_report

    ledger = _ledger(request)
    form: dict[str, str] = {}
    result = None
    if request.method == "POST":
        ledger.checks.hit(f"ip:{request.client.host if request.client else '?'}")
        raw = await request.form()
        form = {k: str(v) for k, v in raw.items() if isinstance(v, str)}
        given = {
            k: (form.get(k) or "").strip() or None for k in ("text", "url", "published", "language", "outlet")
        }
        if given["text"] and given["url"]:
            given["url"] = None  # the pasted text wins; the URL field is often left filled in
        try:
            body = DocumentIn(**given)
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in e['loc']) or 'form'}: {e['msg']}" for e in exc.errors()
            )
            raise WebError(400, f"the form is not complete: {problems}") from None
        from starlette.concurrency import run_in_threadpool

        result = await run_in_threadpool(check_report, ledger, body)
    data = views.check_page(ledger, result, form)
    data["page_title"] = "Check a report"
    return render(request, fmt, "check.html", data, _check_table, "check")


def _add_check(path: str, fmt: str) -> None:
    @router.api_route(path, methods=["GET", "POST"], name=f"check-{fmt}")
    async def check(request: Request) -> Response:
        return await _check(request, fmt)


for _path, _fmt in _pages("/check"):
    _add_check(_path, _fmt)
