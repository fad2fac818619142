"""The command line: each command parses options, calls the library, prints."""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

import click

from . import __version__, settings
from .errors import NotFoundError, OptionError, SourceError, StoreError, SwapledgerError
from .extract import ExtractOptions, extract
from .ingest import IngestOptions, ingest
from .ledger import rebuild, totals
from .model import CATEGORIES
from .resolve.findings import FINDING_KINDS
from .sources import Failure, ReadOptions, iter_paths, read_target
from .store import EventFilter, Store, get_event, list_events

F = TypeVar("F", bound=Callable[..., Any])


def _setting_help(name: str) -> str:
    setting = next(s for s in settings.SETTINGS if s.name == name)
    return f"{setting.help} [env: {setting.env}; default: {setting.default}]"


def db_option(func: F) -> F:
    return click.option("--db", "db", default=None, metavar="URL", help=_setting_help("db"))(func)


def date_filters(func: F) -> F:
    func = click.option(
        "--until",
        default=None,
        metavar="DATE",
        callback=_check_date,
        help="Only events on or before this date (YYYY, YYYY-MM or YYYY-MM-DD).",
    )(func)
    func = click.option(
        "--since",
        default=None,
        metavar="DATE",
        callback=_check_date,
        help="Only events on or after this date (YYYY, YYYY-MM or YYYY-MM-DD).",
    )(func)
    return click.option(
        "--category", type=click.Choice(CATEGORIES), default=None, help="Only events of this category."
    )(func)


def doc_options(func: F) -> F:
    func = click.option("--outlet", default=None, help="Outlet for documents that do not name one.")(func)
    func = click.option("--language", default=None, help="Language for documents that do not say (en).")(func)
    return click.option(
        "--published",
        default=None,
        metavar="DATE",
        callback=_check_date,
        help="Publication date (YYYY-MM-DD) for documents that do not give one.",
    )(func)


def _check_date(_ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    import re

    if value is None:
        return None
    if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value):
        raise click.BadParameter(f"{value!r} is not a date; write YYYY, YYYY-MM or YYYY-MM-DD", param=param)
    if param.name == "published" and len(value) != 10:
        raise click.BadParameter("a publication date is a day: YYYY-MM-DD", param=param)
    return value


def _open(db: str | None) -> Store:
    url = db or settings.get("db")
    try:
        return Store(url)
    except StoreError as exc:
        raise click.ClickException(f"cannot open the database {exc}") from None


def _fail(exc: SwapledgerError) -> click.ClickException:
    return click.ClickException(str(exc))


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="swapledger")
def cli() -> None:
    """swapledger: a checkable ledger of humanitarian exchanges, built from reports.

    Every figure points back to the sentence that claimed it; reports of one
    exchange are grouped into one event; where sources disagree, the ledger
    shows each figure and who gave it.
    """


def channel_option(func: F) -> F:
    return click.option(
        "--channel",
        default=None,
        metavar="USERNAME",
        help="Public username of the Telegram channel an export comes from, to link each post.",
    )(func)


@cli.command("extract")
@click.argument("files", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["jsonl", "table"]), default="jsonl", show_default=True)
@doc_options
@channel_option
def extract_cmd(
    files: Sequence[str],
    fmt: str,
    published: str | None,
    language: str | None,
    outlet: str | None,
    channel: str | None,
) -> None:
    """Print the claims each document makes (no database involved)."""
    read_options = ReadOptions(
        max_bytes=_max_bytes(), published=published, language=language, outlet=outlet, channel=channel
    )
    try:
        options = ExtractOptions(language=language or "en", published=published)
    except SwapledgerError as exc:
        raise _fail(exc) from None
    failed = attempted = 0
    rows: list[dict[str, Any]] = []
    for item in (item for path in iter_paths(list(files)) for item in read_target(path, read_options)):
        attempted += 1
        if isinstance(item, Failure):
            failed += 1
            click.echo(f"error: {item.source}: {item.problem}", err=True)
            continue
        path = item.source
        try:
            claims = extract(item, options)
        except SwapledgerError as exc:
            failed += 1
            click.echo(f"error: {exc}", err=True)
            continue
        for claim in claims:
            record = claim.record()
            if fmt == "jsonl":
                click.echo(json.dumps(record, ensure_ascii=False))
            else:
                rows.append(record)
        for claim in claims:
            if claim.date_note and fmt == "table":
                click.echo(f"note: {path}: {claim.date_note}", err=True)
    if fmt == "table":
        _table(
            rows,
            [
                "doc",
                "kind",
                "category",
                "from_side",
                "to_side",
                "count",
                "qualifier",
                "event_date",
                "attributed_to",
                "quote",
            ],
        )
    if failed:
        sys.exit(2 if failed == attempted else 1)


def _max_bytes() -> int:
    try:
        return int(settings.get("max_bytes"))
    except OptionError as exc:
        raise _fail(exc) from None


@cli.command("ingest")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@db_option
@doc_options
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
def ingest_cmd(
    paths: Sequence[str],
    db: str | None,
    published: str | None,
    language: str | None,
    outlet: str | None,
    quiet: bool,
) -> None:
    """Store documents (folders recursively), extract their claims, rebuild events."""
    store = _open(db)
    options = IngestOptions(
        read=ReadOptions(max_bytes=_max_bytes(), published=published, language=language, outlet=outlet),
        extract=ExtractOptions(language=language or "en", published=published),
    )
    files = list(iter_paths(list(paths)))
    show_bar = not quiet and len(files) > 1
    with click.progressbar(
        length=len(files), label="ingesting", file=sys.stderr, show_pos=True, hidden=not show_bar
    ) as bar:
        try:
            report = ingest(store, files, options, progress=lambda _path: bar.update(1))
        except StoreError as exc:
            raise _fail(exc) from None
    click.echo(
        f"{report.new} new, {report.duplicate} duplicate, {len(report.failed)} failed "
        f"documents; {report.claims} claims; {report.events} events in the ledger"
    )
    timing = ", ".join(f"{k} {v:.2f}s" for k, v in report.seconds.items())
    click.echo(f"time: {timing}", err=True)
    for path, reason in report.failed:
        click.echo(f"failed: {path}: {reason}", err=True)
    sys.exit(report.exit_code)


def _ensure_events(store: Store) -> None:
    if store.events_stale():
        from .ingest import bring_up_to_date

        bring_up_to_date(store, settings.get("conflict"))


@cli.command("events")
@db_option
@date_filters
@click.option(
    "--format", "fmt", type=click.Choice(["table", "jsonl", "csv"]), default="table", show_default=True
)
def events_cmd(db: str | None, category: str | None, since: str | None, until: str | None, fmt: str) -> None:
    """List events: one line per exchange, each direction reconciled."""
    store = _open(db)
    _ensure_events(store)
    records = list_events(store, EventFilter(category, since, until))
    if fmt == "jsonl":
        for record in records:
            click.echo(json.dumps(record, ensure_ascii=False))
        return
    rows = [_event_row(r) for r in records]
    columns = ["id", "date", "category", "to_UA", "to_RU", "total", "docs", "agreement", "status"]
    if fmt == "csv":
        _csv(rows, columns)
    else:
        _table(rows, columns)


def _flow_text(flow: dict[str, Any] | None) -> str:
    if flow is None or flow["best"] is None:
        return ""
    if flow["low"] == flow["high"]:
        return str(flow["best"])
    return f"{flow['best']} ({flow['low']}-{flow['high']})"


def _event_row(record: dict[str, Any]) -> dict[str, Any]:
    flows = {f["to_side"]: f for f in record["flows"]}
    return {
        "id": record["id"],
        "date": record["date"],
        "category": record["category"],
        "to_UA": _flow_text(flows.get("UA")),
        "to_RU": _flow_text(flows.get("RU")),
        "total": _flow_text(flows.get(None)),
        "docs": record["n_documents"],
        "agreement": record["agreement"] or "",
        "status": record.get("status", "completed"),
    }


@cli.command("show")
@click.argument("event_id")
@db_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def show_cmd(event_id: str, db: str | None, fmt: str) -> None:
    """Show one event with every claim behind it and the sentence that claims it."""
    store = _open(db)
    _ensure_events(store)
    try:
        record = get_event(store, event_id)
    except NotFoundError as exc:
        raise click.ClickException(f"{exc}; `swapledger events` lists the ids") from None
    if fmt == "json":
        click.echo(json.dumps(record, ensure_ascii=False, indent=2))
        return
    click.echo(f"{record['id']}: {record['category']} exchange on {record['date']}")
    if record["agreement"]:
        click.echo(f"  agreement: {record['agreement']}")
    if record["mediators"]:
        click.echo(f"  mediators: {', '.join(record['mediators'])}")
    documents = record.get("documents", [])
    copies = len(documents) - record["n_documents"]
    click.echo(
        f"  {record['n_documents']} independent sources"
        + (f" ({len(documents)} documents, {copies} of them copies)" if copies > 0 else "")
        + f", {record['n_claims']} claims, {record.get('status', 'completed').upper()}"
    )
    for part in record.get("parts", []):
        direction = f"{part['from_side'] or '?'} -> {part['to_side'] or 'both sides'}"
        counts = " + ".join(str(n) for n in part["counts"])
        click.echo(f"  in parts, {direction}: {counts} = {part['total']} (document {part['document']})")
    for related in record.get("related", []):
        click.echo(f"  same exchange, other category: {related}")
    for flow in record["flows"]:
        direction = f"{flow['from_side'] or '?'} -> {flow['to_side']}" if flow["to_side"] else "both sides"
        said = "; ".join(f"{f['count']}: {', '.join(f['said_by'])}" for f in flow["figures"])
        click.echo(
            f"  {direction}: best {flow['best']} (low {flow['low']}, high {flow['high']}; "
            f"{flow['rule']}; {flow['n_sources']} sources)  [{said}]"
        )
    for note in record["notes"]:
        click.echo(f"  note: {note}")
    click.echo("")
    for claim in record["claims"]:
        to = claim["to_side"] or "both"
        who = claim["attributed_to"] or "unattributed"
        copy = f", a copy of {claim['copy_of']}" if claim.get("copy_of") else ""
        click.echo(
            f"- [claim {claim['id']}] {claim['count']} to {to} ({claim['qualifier']}), "
            f"{claim['outlet'] or '?'}, published {claim['published'] or '?'}, {who}{copy}"
        )
        click.echo(f'    "{claim["quote"]}"')
        click.echo(f"    {claim['url'] or claim['doc']}")


@cli.command("totals")
@db_option
@date_filters
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True
)
def totals_cmd(db: str | None, category: str | None, since: str | None, until: str | None, fmt: str) -> None:
    """What each side received, summed over events, with low/best/high."""
    store = _open(db)
    _ensure_events(store)
    rows = [t.record() for t in totals(store, EventFilter(category, since, until), settings.get("conflict"))]
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2))
        return
    columns = ["category", "to_side", "best", "low", "high", "n_events", "n_events_without_figure"]
    (_csv if fmt == "csv" else _table)(rows, columns)


@cli.command("rebuild")
@db_option
def rebuild_cmd(db: str | None) -> None:
    """Rebuild every event from the stored claims and the analysts' decisions.

    Documents stored before copy detection existed are checked for copies
    first. Decisions that no longer apply (their event is gone) are listed.
    """
    store = _open(db)
    result = rebuild(store, settings.get("conflict"))
    click.echo(f"{len(result.events)} events; {len(result.unplaced)} exchange claims not placed")
    for problem in result.problems:
        click.echo(f"decision {problem.decision_id} no longer applies: {problem.reason}", err=True)


def _interval(_ctx: click.Context, param: click.Parameter, value: str) -> float:
    from .watch import parse_interval  # here: the fetching libraries load only for `watch`

    try:
        return parse_interval(value, f"--{param.name}")
    except OptionError as exc:
        raise click.BadParameter(exc.problem, param=param) from None


@cli.command("watch")
@click.argument("feeds", nargs=-1, required=True)
@click.option(
    "--every",
    default="15m",
    show_default=True,
    metavar="INTERVAL",
    callback=_interval,
    help="How often to poll: 30s, 15m, 1h. A feed that fails waits longer after each failure.",
)
@click.option(
    "--delay",
    default="1s",
    show_default=True,
    metavar="INTERVAL",
    callback=_interval,
    help="Least time between two requests to the same host.",
)
@click.option("--once", is_flag=True, help="Poll once and exit (for cron and tests).")
@db_option
def watch_cmd(feeds: Sequence[str], every: float, delay: float, once: bool, db: str | None) -> None:
    """Poll RSS/Atom feeds by URL and ingest each new item's page (Ctrl-C stops).

    ETags, Last-Modified dates, back-off after errors and the items already
    seen are kept in the database, so `--once` run by cron is as polite as a
    long-running watch. Exit code with --once: 0 all good, 1 some failed, 2 all failed.
    """
    from .watch import CycleReport, Watcher, WatchOptions

    try:
        options = WatchOptions(
            every=every,
            host_delay=delay,
            ingest=IngestOptions(
                read=ReadOptions(max_bytes=_max_bytes()),
                extract=ExtractOptions(conflict=settings.get("conflict")),
            ),
        )
        store = _open(db)
        watcher = Watcher(store, feeds, options)
    except OptionError as exc:
        raise click.UsageError(str(exc)) from None

    def show(report: CycleReport) -> None:
        click.echo(report.line())
        for source, reason in report.failed:
            click.echo(f"failed: {source}: {reason}", err=True)

    with watcher:
        try:
            if once:
                report = watcher.poll_once()
                show(report)
                sys.exit(report.exit_code)
            count = f"{len(watcher.feeds)} feed{'' if len(watcher.feeds) == 1 else 's'}"
            click.echo(f"watching {count} every {every:g}s; Ctrl-C stops", err=True)
            watcher.run(show)
        except StoreError as exc:
            raise _fail(exc) from None
        except KeyboardInterrupt:
            click.echo("stopped; everything read so far is stored", err=True)


def _table(rows: Iterable[dict[str, Any]], columns: list[str]) -> None:
    rows = list(rows)
    cells = [[_cell(r.get(c)) for c in columns] for r in rows]
    widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(columns)]
    widths = [min(w, 70) for w in widths]
    click.echo("  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip())
    click.echo("  ".join("-" * w for w in widths))
    for row in cells:
        click.echo("  ".join(v[:w].ljust(w) for v, w in zip(row, widths, strict=True)).rstrip())


def _cell(value: Any) -> str:
    if value is None:
        return ""
    return str(value).replace("\n", " ")


def _csv(rows: Iterable[dict[str, Any]], columns: list[str]) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    click.echo(buffer.getvalue(), nl=False)


# -- serving the dashboard and the API (issue 5) ----------------------------------


@cli.command("serve")
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on."
)
@click.option(
    "--workers", default=1, show_default=True, type=click.IntRange(1, 64), help="Server processes (uvicorn)."
)
def serve_cmd(db: str | None, host: str, port: int, workers: int) -> None:
    """Serve the dashboard and the HTTP API (uvicorn) over the ledger.

    Pages: /, /events, /events/ID, /agreements, /findings, /check; each also as
    .json, and its table as .csv. The API is under /api/v1 (docs at /api/v1/docs).
    """
    import os

    import uvicorn

    from .web import WebOptions, create_app

    url = db or settings.get("db")
    store = _open(url)  # fails here, with a readable message, before the server starts
    shown = "localhost" if host in ("127.0.0.1", "0.0.0.0") else host
    click.echo(f"serving {url} at http://{shown}:{port}/ (API docs at /api/v1/docs); Ctrl-C stops", err=True)
    if workers == 1:
        app = create_app(WebOptions(db=url, conflict=settings.get("conflict")), store=store)
        uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
        return
    store.close()
    # Several processes need an import string; each builds its app from the environment.
    os.environ[next(s.env for s in settings.SETTINGS if s.name == "db")] = url
    uvicorn.run(
        "swapledger.web.app:app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        access_log=False,
    )


@cli.group("token")
def token_group() -> None:
    """API tokens for writing through the HTTP API (only a hash of each is stored)."""


@token_group.command("create")
@click.option("--name", required=True, help="Who or what uses the token (shown in `token list`).")
@db_option
def token_create_cmd(name: str, db: str | None) -> None:
    """Make a token and print it once; it cannot be shown again."""
    from .store.tokens import create_token

    try:
        info, token = create_token(_open(db), name)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--name") from None
    click.echo(token)
    click.echo(f"token {info.id} ({info.name}) created; keep it now, it is not stored", err=True)


@token_group.command("list")
@db_option
def token_list_cmd(db: str | None) -> None:
    """List tokens: id, name, when made, last used and revoked (never the token)."""
    from .store.tokens import list_tokens

    rows = [t.record() for t in list_tokens(_open(db))]
    _table(rows, ["id", "name", "created_at", "last_used_at", "revoked_at"])


@token_group.command("revoke")
@click.argument("token_id", type=int)
@db_option
def token_revoke_cmd(token_id: int, db: str | None) -> None:
    """Revoke a token by id; requests with it are refused from now on."""
    from .store.tokens import revoke_token

    try:
        info = revoke_token(_open(db), token_id)
    except NotFoundError as exc:
        raise click.ClickException(f"{exc}; `swapledger token list` shows the ids") from None
    click.echo(f"token {info.id} ({info.name}) revoked at {info.revoked_at}")


# -- agreements, findings and the checker (issue 4) ------------------------------------------


def _progress_cell(delivery: Any) -> str:
    if delivery.target is not None:
        target = str(delivery.target)
    else:
        target = "all" if delivery.term == "all for all" else "-"
    remaining = "" if delivery.remaining is None else f" ({delivery.remaining} left)"
    return f"{delivery.best}/{target}{remaining}"


@cli.command("agreements")
@db_option
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True
)
def agreements_cmd(db: str | None, fmt: str) -> None:
    """List agreements with what each side received under each term: delivered/target (left)."""
    from .ledger import agreement_progress

    store = _open(db)
    try:
        progress = agreement_progress(store, settings.get("conflict"))
    except SwapledgerError as exc:
        raise _fail(exc) from None
    if fmt == "json":
        click.echo(json.dumps([p.record() for p in progress], ensure_ascii=False, indent=2))
        return
    rows: list[dict[str, Any]] = []
    for p in progress:
        for d in p.deliveries:
            rows.append(
                {
                    "id": p.agreement.id,
                    "date": p.agreement.date,
                    "category": d.category,
                    "term": d.term,
                    "to_side": d.to_side,
                    "delivered": d.best,
                    "target": d.target,
                    "remaining": d.remaining,
                    "events": d.n_events,
                    "progress": _progress_cell(d),
                }
            )
    if fmt == "csv":
        columns = ["id", "date", "category", "term", "to_side", "delivered", "target", "remaining", "events"]
        _csv(rows, columns)
        return
    table: list[dict[str, Any]] = []
    for p in progress:
        by_term: dict[tuple[str, str], dict[str, Any]] = {}
        for d in p.deliveries:
            row = by_term.setdefault(
                (d.category, d.term),
                {"id": p.agreement.id, "date": p.agreement.date, "category": d.category, "term": d.term},
            )
            row[f"to_{d.to_side}"] = _progress_cell(d)
        table.extend(by_term.values())
    sides = list(dict.fromkeys(d.to_side for p in progress for d in p.deliveries))
    _table(table, ["id", "date", "category", "term", *[f"to_{s}" for s in sides]])


@cli.command("agreement")
@click.argument("agreement_id")
@db_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def agreement_cmd(agreement_id: str, db: str | None, fmt: str) -> None:
    """Show one agreement: its terms, each event carried out under it, and progress per side."""
    from .conflicts import load
    from .ledger import agreement_detail

    store = _open(db)
    conflict_id = settings.get("conflict")
    try:
        detail = agreement_detail(store, agreement_id, conflict_id)
    except NotFoundError:
        known = ", ".join(a.id for a in load(conflict_id).agreements)
        raise click.ClickException(
            f"no agreement with id {agreement_id!r}; known agreements: {known}"
        ) from None
    if fmt == "json":
        click.echo(json.dumps(detail.record(), ensure_ascii=False, indent=2))
        return
    p = detail.progress
    a = p.agreement
    click.echo(f"{a.id}: {a.name}")
    mediators = ", ".join(a.mediators) or "-"
    click.echo(f"  {a.date}, {a.place}; parties {', '.join(a.parties)}; mediators {mediators}")
    if a.summary:
        click.echo(f"  {a.summary}")
    click.echo("terms:")
    for t in a.terms:
        counted = f" (counts {', '.join(t.counted)})" if t.counted != (t.category,) else ""
        click.echo(f"  {t.category}: {t.note or t.describe()}{counted}")
    click.echo(f"events ({len(detail.events)}):")
    for record in detail.events:
        flows = "; ".join(
            f"to {f['to_side'] or 'both'} {_flow_text(f)}" for f in record["flows"] if f["best"] is not None
        )
        click.echo(f"  {record['id']}: {flows or 'no figures'} ({record['n_documents']} documents)")
    click.echo("progress:")
    for d in p.deliveries:
        band = f" (low {d.low}, high {d.high})" if d.low != d.high else ""
        target = "no figure" if d.target is None else str(d.target)
        left = "" if d.remaining is None else f", {d.remaining} remaining"
        unknown = f", {d.n_unknown} events without a figure" if d.n_unknown else ""
        click.echo(
            f"  {d.category} to {d.to_side}: delivered {d.best}{band} of {target} [{d.term}]"
            f"{left}; {d.n_events} events{unknown}"
        )
    if p.announced:
        click.echo("announced running totals:")
        for total in p.announced:
            verdict = "agrees" if total.agrees else f"gap {total.gap:+}"
            click.echo(
                f"  {total.category} to {total.to_side}: {total.qualifier} {total.value} "
                f"as of {total.as_of or '?'} ({', '.join(total.said_by)}; {len(total.documents)} documents); "
                f"the ledger holds {total.ledger_best}: {verdict}"
            )


@cli.command("findings")
@db_option
@click.option("--kind", type=click.Choice(FINDING_KINDS), default=None, help="Only findings of this kind.")
@click.option("--event", "event_id", default=None, metavar="ID", help="Only findings about this event.")
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json", "text"]), default="table", show_default=True
)
def findings_cmd(db: str | None, kind: str | None, event_id: str | None, fmt: str) -> None:
    """List what a reader should know about the evidence: disagreements, totals that do not add
    up, running totals against the ledger, wrong dates, misattributed figures."""
    from .ledger import findings

    store = _open(db)
    try:
        found = findings(store, kind, event_id, settings.get("conflict"))
    except SwapledgerError as exc:
        raise _fail(exc) from None
    if fmt == "json":
        click.echo(json.dumps([f.record() for f in found], ensure_ascii=False, indent=2))
        return
    if fmt == "table":
        rows = [
            {"id": f.id, "kind": f.kind, "severity": f.severity, "event": f.event_id, "summary": f.summary}
            for f in found
        ]
        _table(rows, ["id", "kind", "severity", "event", "summary"])
        return
    for f in found:
        click.echo(f"{f.id} [{f.kind}, {f.severity}] {f.event_id or ''}".rstrip())
        click.echo(f"  {f.summary}")
        for c in f.claims:
            who = c.attributed_to or "unattributed"
            where = f"{c.outlet or '?'}, {c.published or '?'}"
            click.echo(f"  - {c.value} to {c.to_side or 'both'}, {where}, {who}")
            click.echo(f'      "{c.quote}"')
            click.echo(f"      {c.url or c.source}")
        click.echo("")


@cli.command("check")
@click.argument("target")
@db_option
@doc_options
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def check_cmd(
    target: str, db: str | None, published: str | None, language: str | None, outlet: str | None, fmt: str
) -> None:
    """Check a report (FILE or URL) claim by claim against the ledger, without storing it.

    Each claim matches an event, disagrees with the ledger (and says who says
    otherwise), gives a known exchange the wrong date, or is new. Exit code: 0
    when nothing disagrees, 1 when something does, 2 when the report cannot be read.
    """
    from .check import check_document

    read_options = ReadOptions(max_bytes=_max_bytes(), published=published, language=language, outlet=outlet)
    try:
        options = ExtractOptions(language=language or "en", published=published)
    except SwapledgerError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    store = _open(db)
    reports = []
    for item in read_target(target, read_options):
        if isinstance(item, Failure):
            click.echo(f"error: {item.source}: {item.problem}", err=True)
            sys.exit(2)
        try:
            reports.append(check_document(store, item, settings.get("conflict"), options))
        except SwapledgerError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(2)
    if not reports:
        click.echo(f"error: {target}: no document to check", err=True)
        sys.exit(2)
    if fmt == "json":
        records = [r.record() for r in reports]
        click.echo(json.dumps(records[0] if len(records) == 1 else records, ensure_ascii=False, indent=2))
    else:
        for report in reports:
            counts = ", ".join(f"{n} {v}" for v, n in report.counts().items()) or "no claims"
            click.echo(f"{report.document.source}: {len(report.checks)} claims: {counts}")
            for check in report.checks:
                sources = f" ({check.n_sources} sources)" if check.event_id else ""
                click.echo(f"  {check.verdict:<10} {check.explanation}{sources}")
                click.echo(f'             "{check.claim.quote}"')
    sys.exit(max(r.exit_code for r in reports))


# -- curate: analysts' decisions ------------------------------------------------------------


def who_why(func: F) -> F:
    func = click.option("--why", required=True, help="Why: the evidence or the reasoning.")(func)
    return click.option("--who", required=True, help="Who decides (a name or handle).")(func)


@cli.group("curate")
def curate_cmd() -> None:
    """Correct the machine: merge, split, reject, set figures; each decision logged with who and why.

    Decisions are kept in an append-only log and applied every time events are
    built, so they survive `swapledger rebuild`. Each command rebuilds the
    events it touches at once.
    """


def _decide(db: str | None, action: str, target: str, payload: dict[str, Any], who: str, why: str) -> None:
    from .ledger import apply_decision

    store = _open(db)
    try:
        decision_id, result = apply_decision(
            store, action, target, payload, who, why, settings.get("conflict")
        )
    except OptionError as exc:
        raise click.UsageError(str(exc)) from None
    except NotFoundError as exc:
        raise click.ClickException(f"{exc}; `swapledger events` and `curate log` list the ids") from None
    except StoreError as exc:
        raise _fail(exc) from None
    click.echo(f"decision {decision_id}: {action} {target} recorded; {len(result.events)} events rebuilt")
    for problem in result.problems:
        click.echo(f"warning: decision {problem.decision_id} does not apply: {problem.reason}", err=True)


@curate_cmd.command("merge")
@click.argument("events", nargs=-1, required=True)
@who_why
@db_option
def curate_merge(events: Sequence[str], who: str, why: str, db: str | None) -> None:
    """Merge events that are one exchange; the first event id is kept."""
    if len(events) < 2:
        raise click.UsageError("name at least two events to merge")
    _decide(db, "merge", events[0], {"events": list(events[1:])}, who, why)


@curate_cmd.command("split")
@click.argument("event_id")
@click.option("--claims", required=True, metavar="ID,ID...", help="The claims that form the new event.")
@who_why
@db_option
def curate_split(event_id: str, claims: str, who: str, why: str, db: str | None) -> None:
    """Split claims off an event into a new one (named EVENT-splitN)."""
    try:
        ids = [int(x) for x in claims.split(",") if x.strip()]
    except ValueError:
        raise click.BadParameter(
            f"{claims!r} is not a list of claim ids such as 12,13", param_hint="--claims"
        ) from None
    _decide(db, "split", event_id, {"claims": ids}, who, why)


@curate_cmd.command("reject")
@click.argument("claim_id", type=int)
@who_why
@db_option
def curate_reject(claim_id: int, who: str, why: str, db: str | None) -> None:
    """Leave a claim out of every event; the claim itself is kept.

    For a figure misread by the extractor, or a sentence that reports no exchange.
    """
    _decide(db, "reject", str(claim_id), {}, who, why)


@curate_cmd.command("set")
@click.argument("event_id")
@click.option("--to", "to_side", required=True, metavar="SIDE", help="The side that received (UA, RU).")
@click.option("--count", type=click.IntRange(min=0), required=True, help="The analyst's figure.")
@who_why
@db_option
def curate_set(event_id: str, to_side: str, count: int, who: str, why: str, db: str | None) -> None:
    """Set the best figure for one direction of an event.

    The analyst's figure becomes the best one, with a rule naming who set it
    and why; low and high still show what the reports say.
    """
    _decide(db, "set", event_id, {"to": to_side, "count": count}, who, why)


@curate_cmd.command("revoke")
@click.argument("decision_id", type=int)
@who_why
@db_option
def curate_revoke(decision_id: int, who: str, why: str, db: str | None) -> None:
    """Withdraw a decision (the log keeps both)."""
    _decide(db, "revoke", str(decision_id), {}, who, why)


@curate_cmd.command("log")
@db_option
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def curate_log(db: str | None, fmt: str) -> None:
    """List every decision, oldest first, with whether it still applies."""
    store = _open(db)
    _ensure_events(store)
    problems = {p.decision_id: p.reason for p in store.curation_problems()}
    rows = []
    for decision in store.decisions():
        record = decision.record()
        if decision.revoked_by is not None:
            state = f"revoked by {decision.revoked_by}"
        elif decision.action == "revoke":
            state = "-"
        else:
            state = f"does not apply: {problems[decision.id]}" if decision.id in problems else "applied"
        record["state"] = state
        record["detail"] = json.dumps(record["payload"], sort_keys=True) if record["payload"] else ""
        rows.append(record)
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    _table(rows, ["id", "action", "target", "detail", "who", "why", "created_at", "state"])


def main() -> None:
    """Entry point: run the CLI, turning library errors into one readable line."""
    try:
        cli(standalone_mode=True)
    except SourceError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    except SwapledgerError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
