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
        rebuild(store, settings.get("conflict"))


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
    columns = ["id", "date", "category", "to_UA", "to_RU", "total", "docs", "agreement", "disputed"]
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
        "disputed": "yes" if record["disputed"] else "",
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
    click.echo(
        f"  {record['n_documents']} documents, {record['n_claims']} claims"
        + (", DISPUTED" if record["disputed"] else "")
    )
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
        click.echo(
            f"- {claim['count']} to {to} ({claim['qualifier']}), {claim['outlet'] or '?'}, "
            f"published {claim['published'] or '?'}, {who}"
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
    """Rebuild every event from the stored claims."""
    store = _open(db)
    result = rebuild(store, settings.get("conflict"))
    click.echo(f"{len(result.events)} events; {len(result.unplaced)} exchange claims not placed")


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
