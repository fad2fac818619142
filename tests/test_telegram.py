"""Reading Telegram Desktop exports (result.json): text, metadata, limits, broken files, size."""

from __future__ import annotations

import json
import re
import shutil
import tempfile
import time
import tracemalloc
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from swapledger.cli import cli
from swapledger.model import Document
from swapledger.sources import Failure, ReadOptions, read_target, telegram
from swapledger.sources.telegram import PEEK_BYTES, is_export, read_export
from swapledger.store import Store

from .conftest import ROOT, write

FIXTURE = ROOT / "tests" / "data" / "telegram" / "result.json"
CHANNEL = "Exchange Watch"

Item = Document | Failure


def header(**fields: Any) -> dict[str, Any]:
    """The top-level fields Telegram Desktop writes before "messages"."""
    return {"name": CHANNEL, "type": "public_channel", "id": 1987654321, **fields}


def post(message_id: int, text: Any, date: str = "2025-12-19T18:42:05", **fields: Any) -> dict[str, Any]:
    return {"id": message_id, "type": "message", "date": date, "from": CHANNEL, "text": text, **fields}


def write_export(path: Path, messages: list[Any], **fields: Any) -> Path:
    data = {**header(**fields), "messages": messages}
    return write(path, json.dumps(data, ensure_ascii=False, indent=1))


def read(path: Path, options: ReadOptions | None = None) -> list[Item]:
    return list(read_export(str(path), options or ReadOptions()))


def documents(items: list[Item]) -> list[Document]:
    assert all(isinstance(i, Document) for i in items), items
    return [i for i in items if isinstance(i, Document)]


# --- what a post becomes ---------------------------------------------------------------------------


def test_fixture_export_gives_one_document_per_post() -> None:
    items = list(read_target(str(FIXTURE)))
    docs = documents(items)
    assert [d.source for d in docs] == [f"{FIXTURE}#{n}" for n in (102, 104, 105, 107)]
    assert [d.published for d in docs] == ["2025-12-19", "2026-02-05", "2026-03-05", "2026-04-24"]
    assert {d.outlet for d in docs} == {"Exchange Watch (fixture)"}
    # Telegram Desktop does not write the channel's username, so there is no link to give.
    assert {d.url for d in docs} == {None}
    assert {d.title for d in docs} == {None}
    assert docs[0].text == (
        "⚡️ Repatriation today. The bodies of 1,003 fallen Ukrainian defenders were brought home today, "
        "the Coordination Headquarters said. Russia received 26 bodies in return. Statement"
    )
    assert docs[2].text.startswith("Двести на двести")


def test_string_text_and_metadata(tmp_path: Path) -> None:
    text = "Сегодня на Родину вернулись 157 наших защитников из плена."
    path = write_export(tmp_path / "result.json", [post(7, text, date="2026-02-05T12:07:41")])
    [doc] = documents(read(path, ReadOptions(language="ru", outlet="Given", published="2020-01-01")))
    assert doc == Document(
        text=text,
        source=f"{path}#7",
        url=None,
        outlet=CHANNEL,  # the export's own name wins over --outlet, as front matter does
        published="2026-02-05",
        language="ru",  # from the options: detection is done elsewhere
        title=None,
    )


def test_options_fill_what_the_export_lacks(tmp_path: Path) -> None:
    path = write(
        tmp_path / "result.json",
        json.dumps({"type": "saved_messages", "id": 1, "messages": [post(1, "Note.", date="someday")]}),
    )
    [doc] = documents(read(path, ReadOptions(outlet="Own notes", published="2025-12-20")))
    assert (doc.outlet, doc.published) == ("Own notes", "2025-12-20")


def test_text_list_with_entities_is_joined(tmp_path: Path) -> None:
    text = [
        "Обмен пленными: ",
        {"type": "bold", "text": "157 на 157"},
        ". Подробности у ",
        {"type": "mention", "text": "@coordination_hq"},
        " и по ",
        {"type": "text_link", "text": "ссылке", "href": "https://example.org/a"},
        {"type": "custom_emoji", "text": "🇺🇦", "document_id": 5},
        {"type": "broken"},  # an entity without text adds nothing
        7,  # and so does anything that is neither a string nor an entity
    ]
    path = write_export(tmp_path / "result.json", [post(1, text)])
    [doc] = documents(read(path))
    assert doc.text == "Обмен пленными: 157 на 157. Подробности у @coordination_hq и по ссылке🇺🇦"


_PART = st.one_of(
    st.text(max_size=20),
    st.builds(
        lambda kind, text: {"type": kind, "text": text},
        st.sampled_from(["bold", "italic", "link", "text_link", "mention", "hashtag", "plain"]),
        st.text(max_size=20),
    ),
)


@settings(max_examples=60, deadline=None)
@given(parts=st.lists(_PART, min_size=1, max_size=8))
def test_any_text_list_reads_as_its_parts_in_order(parts: list[Any]) -> None:
    expected = "".join(p if isinstance(p, str) else p["text"] for p in parts)
    with tempfile.TemporaryDirectory() as folder:
        path = write_export(Path(folder) / "result.json", [post(1, parts), post(2, "After.")])
        docs = documents(read(path))
    if expected.strip():
        assert [d.text for d in docs] == [expected, "After."]
    else:
        assert [d.text for d in docs] == ["After."]


def test_service_messages_and_posts_without_text_are_skipped(tmp_path: Path) -> None:
    messages = [
        {"id": 1, "type": "service", "date": "2025-12-01T09:00:00", "action": "create_channel", "text": ""},
        {"id": 2, "type": "service", "action": "pin_message", "text": "pinned a message"},
        post(3, "", photo="photos/photo_1.jpg", width=1280, height=853),
        post(4, [], file="video_files/v.mp4"),
        post(5, " \n\t"),
        {"id": 6, "type": "unsupported"},
        post(7, "Today 1,000 bodies were returned to Ukraine."),
        post(8, [{"type": "plain", "text": ""}]),
    ]
    path = write_export(tmp_path / "result.json", messages)
    assert [d.source for d in documents(read(path))] == [f"{path}#7"]


# --- links and dates -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "url"),
    [
        ({"username": "exchange_watch"}, "https://t.me/exchange_watch/42"),
        ({"username": "@exchange_watch"}, "https://t.me/exchange_watch/42"),
        ({"username": "exchange_watch", "type": "public_supergroup"}, "https://t.me/exchange_watch/42"),
        ({}, None),  # what Telegram Desktop writes
        ({"username": None}, None),
        ({"username": "ab"}, None),  # too short to be a username
        ({"username": "not a name/../x"}, None),
        ({"username": "some_person", "type": "personal_chat"}, None),  # t.me/user/42 is no message link
    ],
)
def test_url_is_built_from_the_username_when_known(tmp_path: Path, fields: dict[str, Any], url: str) -> None:
    path = write_export(tmp_path / "result.json", [post(42, "Text.")], **fields)
    [doc] = documents(read(path))
    assert doc.url == url


def test_username_after_the_messages_is_not_used(tmp_path: Path) -> None:
    data = {**header(), "messages": [post(1, "Text.")], "username": "late_name"}
    path = write(tmp_path / "result.json", json.dumps(data))
    [doc] = documents(read(path))
    assert doc.url is None


def test_channel_named_by_the_caller_links_each_post(tmp_path: Path) -> None:
    path = write_export(tmp_path / "result.json", [post(42, "Text.")])
    [doc] = documents(read(path, ReadOptions(channel="@exchange_watch")))
    assert doc.url == "https://t.me/exchange_watch/42"
    [bad] = documents(read(path, ReadOptions(channel="not a name")))
    assert bad.url is None


def test_extract_reads_an_export_with_the_channel_named(tmp_path: Path) -> None:
    text = "Сегодня Россия передала Украине тела 1000 погибших военнослужащих."
    path = write_export(tmp_path / "result.json", [post(7, text)])
    result = CliRunner().invoke(
        cli, ["extract", str(path), "--language", "ru", "--channel", "exchange_watch"]
    )
    assert result.exit_code == 0, result.output
    [record] = [json.loads(line) for line in result.output.splitlines()]
    assert (record["doc"], record["to_side"], record["count"]) == (f"{path}#7", "UA", 1000)


@settings(max_examples=50, deadline=None)
@given(when=st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2099, 12, 31)))
def test_the_message_date_is_the_published_date(when: datetime) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = write_export(
            Path(folder) / "result.json", [post(1, "Text.", date=when.isoformat("T", "seconds"))]
        )
        [doc] = documents(read(path, ReadOptions(published="2000-01-01")))
    assert doc.published == when.date().isoformat()


@pytest.mark.parametrize("bad", ["19.12.2025", "2025-13-45T00:00:00", "", None, 1766169725])
def test_a_message_date_that_is_not_a_date_is_left_to_the_options(tmp_path: Path, bad: Any) -> None:
    path = write_export(tmp_path / "result.json", [post(1, "Text.", date=bad)])
    assert documents(read(path))[0].published is None
    assert documents(read(path, ReadOptions(published="2025-12-20")))[0].published == "2025-12-20"


# --- limits ----------------------------------------------------------------------------------------


def test_size_limit_applies_to_each_message_not_to_the_file(tmp_path: Path) -> None:
    long_text = "обмен " * 50  # 300 characters, 550 bytes in UTF-8
    messages = [post(1, "Short one.")] + [post(2, long_text)] + [post(n, f"Post {n}.") for n in range(3, 60)]
    path = write_export(tmp_path / "result.json", messages)
    assert path.stat().st_size > 500  # the file is over the limit; no message but one is
    items = read(path, ReadOptions(max_bytes=500))
    assert len(items) == 59
    failure = items[1]
    assert isinstance(failure, Failure)
    assert failure.source == f"{path}#2"
    assert "550 bytes, over the limit of 500" in failure.problem
    assert all(isinstance(i, Document) for i in items[:1] + items[2:])


@settings(max_examples=60, deadline=None)
@given(text=st.text(min_size=1, max_size=40).filter(str.strip), limit=st.integers(1, 120))
def test_a_message_is_read_exactly_when_its_text_fits_the_limit(text: str, limit: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = write_export(Path(folder) / "result.json", [post(1, text)])
        [item] = read(path, ReadOptions(max_bytes=limit))
    fits = len(text.encode("utf-8")) <= limit
    assert isinstance(item, Document) == fits
    if not fits:
        assert isinstance(item, Failure) and "over the limit" in item.problem


# --- broken files ----------------------------------------------------------------------------------


def _export_bytes(n: int) -> tuple[bytes, list[int]]:
    """An export of ``n`` posts and the offset just past each post's closing brace."""
    head = json.dumps(header())[:-1].encode() + b', "messages": [\n'
    body, ends = bytearray(head), []
    for i in range(1, n + 1):
        if i > 1:
            body += b",\n"
        body += json.dumps(post(i, f"Сегодня вернулись {i} человек."), ensure_ascii=False).encode()
        ends.append(len(body))
    body += b"\n]}"  # no newline after: every shorter prefix is then an unfinished export
    return bytes(body), ends


def test_truncated_export_gives_the_good_messages_then_one_failure(tmp_path: Path) -> None:
    data, ends = _export_bytes(5)
    cut = ends[2] + 25  # in the middle of message 4
    path = tmp_path / "result.json"
    path.write_bytes(data[:cut])
    items = list(read_target(str(path)))  # still recognised: the head is intact
    assert [d.source for d in documents(items[:-1])] == [f"{path}#{n}" for n in (1, 2, 3)]
    failure = items[-1]
    assert isinstance(failure, Failure) and failure.source == str(path)
    assert "cut short" in failure.problem
    assert f"ends at byte {cut:,}" in failure.problem
    assert "after message 3" in failure.problem
    assert "the 3 messages before it were read" in failure.problem


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_cut_gives_every_whole_message_then_one_failure(data: st.DataObject) -> None:
    full, ends = _export_bytes(6)
    cut = data.draw(st.integers(0, len(full) - 1))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "result.json"
        path.write_bytes(full[:cut])
        items = read(path)
    whole = [n for n, end in enumerate(ends, 1) if end <= cut]
    assert [d.source for d in documents(items[:-1])] == [f"{path}#{n}" for n in whole]
    assert isinstance(items[-1], Failure) and items[-1].source == str(path)


def test_invalid_json_in_the_middle_says_where(tmp_path: Path) -> None:
    data, ends = _export_bytes(400)
    at = ends[299]  # just after message 300, some 20 KB in
    broken = data[:at] + b", {oops" + data[at:]
    path = tmp_path / "result.json"
    path.write_bytes(broken)
    items = list(read_target(str(path)))
    assert [d.source for d in documents(items[:-1])] == [f"{path}#{n}" for n in range(1, 301)]
    failure = items[-1]
    assert isinstance(failure, Failure) and failure.source == str(path)
    assert failure.problem.startswith("is not valid JSON after message 300")
    found = re.search(r"between bytes ([\d,]+) and ([\d,]+)\): (lexical|parse) error", failure.problem)
    assert found, failure.problem
    start, end = (int(found.group(n).replace(",", "")) for n in (1, 2))
    assert start <= at + 3 < end and end - start <= 4096  # the bad brace is inside the range given
    assert "\n" not in failure.problem  # the parser's arrow drawing is left out
    assert failure.problem.endswith("the 300 messages before it were read")


def test_trailing_garbage_after_a_complete_export_is_reported_last(tmp_path: Path) -> None:
    data, _ends = _export_bytes(3)
    path = tmp_path / "result.json"
    path.write_bytes(data + b"\n{ and more")
    items = read(path)
    assert len(documents(items[:-1])) == 3
    assert isinstance(items[-1], Failure) and "after message 3" in items[-1].problem


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_damaged_export_never_raises(data: st.DataObject) -> None:
    full = bytearray(_export_bytes(4)[0])
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(full) - 1))
        full[at : at + 1] = data.draw(st.binary(min_size=0, max_size=3))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "result.json"
        path.write_bytes(bytes(full))
        is_export(str(path))
        items = read(path) + list(read_target(str(path)))
    for item in items:
        assert isinstance(item, Document | Failure)
        assert item.source.startswith(str(path))


def test_items_that_are_not_messages_are_failures_and_reading_goes_on(tmp_path: Path) -> None:
    path = write_export(
        tmp_path / "result.json",
        [post(1, "First."), 42, [1, [2, {"id": 3}]], {"type": "message", "text": "No id."}, post(5, "Last.")],
    )
    items = read(path)
    assert [type(i).__name__ for i in items] == ["Document", "Failure", "Failure", "Failure", "Document"]
    problems = [i.problem for i in items if isinstance(i, Failure)]
    assert problems == [
        'item 2 of "messages" is a number, not a message object',
        'item 3 of "messages" is a list, not a message object',
        'item 4 of "messages" has no "id"',
    ]


def test_a_text_that_is_not_text_is_a_failure_for_that_message(tmp_path: Path) -> None:
    path = write_export(tmp_path / "result.json", [post(1, {"text": "x"}), post(2, "Fine.")])
    failure, doc = read(path)
    assert failure == Failure(f"{path}#1", 'its "text" is an object, not a string or a list of parts')
    assert isinstance(doc, Document)


# --- what is and is not an export ------------------------------------------------------------------


def test_garbage_named_like_an_export_gets_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "result.json"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00garbage" * 50)
    assert not is_export(str(path))
    [failure] = list(read_target(str(path)))
    assert isinstance(failure, Failure) and failure.source == str(path)
    assert "'.json'" in failure.problem
    [direct] = read(path)
    assert isinstance(direct, Failure) and direct.source == str(path)
    assert "not valid JSON before the first message" in direct.problem


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("", "not a Telegram Desktop chat export: it is empty"),
        ("[1, 2, 3]", "its top level is a list, not an object"),
        ('"text"', "its top level is a string, not an object"),
        ('{"feed_url": "https://example.org/feed.json", "items": []}', 'it has no "messages" list'),
        ('{"version": 1, "messages": []}', 'it has no chat "type" before "messages"'),
        ('{"type": "newsletter", "id": 1, "messages": []}', "'newsletter' is not a Telegram chat type"),
        ('{"type": "public_channel", "messages": []}', 'it has no chat "id" before "messages"'),
    ],
)
def test_a_json_file_that_is_not_an_export(tmp_path: Path, content: str, problem: str) -> None:
    path = write(tmp_path / "data.json", content)
    assert not is_export(str(path))
    [failure] = read(path)
    assert isinstance(failure, Failure) and failure.source == str(path)
    assert problem in failure.problem
    if content:
        assert failure.problem.startswith("is a .json file that is not a Telegram Desktop chat export")
    # Through read_target the file falls to the plain reader, which names what it reads.
    [via_target] = list(read_target(str(path)))
    assert isinstance(via_target, Failure) and via_target.source == str(path)
    assert "unsupported file type '.json'" in via_target.problem


def test_messages_that_are_not_a_list(tmp_path: Path) -> None:
    path = write(tmp_path / "result.json", json.dumps({**header(), "messages": {"1": "x"}}))
    assert is_export(str(path))  # the head is that of an export
    [failure] = list(read_target(str(path)))
    assert failure == Failure(str(path), 'its "messages" is an object, not a list')


def test_is_export_needs_the_suffix_and_a_file(tmp_path: Path) -> None:
    content = json.dumps({**header(), "messages": []})
    assert is_export(str(write(tmp_path / "result.json", content)))
    assert is_export(str(write(tmp_path / "RESULT.JSON", content)))
    assert not is_export(str(write(tmp_path / "result.txt", content)))
    (tmp_path / "folder.json").mkdir()
    assert not is_export(str(tmp_path / "folder.json"))
    assert not is_export(str(tmp_path / "missing.json"))
    # The whole-account export ("Export Telegram data") is a different shape.
    account = {"about": "Here is the data you requested.", "chats": {"about": "", "list": []}}
    assert not is_export(str(write(tmp_path / "account.json", json.dumps(account))))


def test_a_missing_file_is_a_failure_not_an_exception(tmp_path: Path) -> None:
    [failure] = read(tmp_path / "missing.json")
    assert isinstance(failure, Failure) and "cannot be read" in failure.problem


def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "result.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps({**header(), "messages": [post(1, "Text.")]}).encode())
    assert is_export(str(path))
    assert [d.text for d in documents(list(read_target(str(path))))] == ["Text."]


class _SpyFile:
    def __init__(self, path: str, log: list[int]) -> None:
        self._file = open(path, "rb")  # noqa: SIM115 - closed by __exit__
        self._log = log

    def read(self, size: int = -1) -> bytes:
        data = self._file.read(size)
        self._log.append(len(data))
        return data

    def __enter__(self) -> _SpyFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self._file.close()


def test_is_export_peeks_at_the_head_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    messages = [post(n, "Сегодня на Родину вернулись наши защитники. " * 10) for n in range(1, 2000)]
    path = write_export(tmp_path / "result.json", messages)
    assert path.stat().st_size > 1_000_000
    log: list[int] = []
    monkeypatch.setattr(telegram, "open", lambda p, _mode: _SpyFile(p, log), raising=False)
    assert is_export(str(path))
    assert sum(log) <= PEEK_BYTES


# --- size ------------------------------------------------------------------------------------------


def _write_large_export(path: Path, n: int) -> None:
    """A big export, written a message at a time so the test itself stays small in memory."""
    with path.open("w", encoding="utf-8") as out:
        out.write(json.dumps(header())[:-1] + ', "messages": [\n')
        for i in range(1, n + 1):
            if i > 1:
                out.write(",\n")
            if i % 50 == 0:
                message: dict[str, Any] = {"id": i, "type": "service", "action": "pin_message", "text": ""}
            else:
                text = [
                    "Сегодня на Родину вернулись ",
                    {"type": "bold", "text": f"{i % 1000} наших защитников"},
                    ". Обмен прошёл при посредничестве ОАЭ.",
                ]
                message = post(i, text, date_unixtime="1766169725", from_id="channel1987654321")
            out.write(json.dumps(message, ensure_ascii=False))
        out.write("\n]}\n")


def test_a_large_export_streams_in_small_memory(tmp_path: Path) -> None:
    path = tmp_path / "result.json"
    n = 200_000
    _write_large_export(path, n)
    size = path.stat().st_size
    assert size > 50_000_000 > ReadOptions().max_bytes  # larger than any one document may be

    started = time.perf_counter()
    tracemalloc.start()
    try:
        count = failures = 0
        last = None
        for item in read_export(str(path), ReadOptions()):
            if isinstance(item, Document):
                count += 1
                last = item
            else:
                failures += 1
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    elapsed = time.perf_counter() - started

    assert (count, failures) == (n - n // 50, 0)
    assert last is not None and last.source == f"{path}#{n - 1}"
    assert peak < 30_000_000, f"peak {peak:,} bytes while reading a {size:,}-byte export"
    assert elapsed < 60, f"{elapsed:.1f}s"


# --- through the command line ----------------------------------------------------------------------


@pytest.fixture
def export_folder(tmp_path: Path) -> Path:
    """A folder as Telegram Desktop leaves it (text only), holding the fixture export."""
    folder = tmp_path / "exports" / "ChatExport_2026-04-25"
    folder.mkdir(parents=True)
    shutil.copy(FIXTURE, folder / "result.json")
    return tmp_path / "exports"


def test_ingest_an_export_folder(runner: CliRunner, export_folder: Path, db_path: str) -> None:
    result = runner.invoke(cli, ["ingest", str(export_folder), "--db", db_path])
    assert result.exit_code == 0, result.output
    assert "4 new, 0 duplicate, 0 failed documents" in result.output

    export = export_folder / "ChatExport_2026-04-25" / "result.json"
    store = Store(db_path)
    try:
        rows = store.execute_sql(
            "SELECT source, outlet, published, url, title FROM documents ORDER BY source"
        )
    finally:
        store.close()
    assert rows == [
        (f"{export}#{n}", "Exchange Watch (fixture)", day, None, None)
        for n, day in [(102, "2025-12-19"), (104, "2026-02-05"), (105, "2026-03-05"), (107, "2026-04-24")]
    ]

    events = runner.invoke(cli, ["events", "--db", db_path, "--format", "jsonl"])
    assert events.exit_code == 0, events.output
    found = {json.loads(line)["id"]: json.loads(line) for line in events.output.splitlines()}
    assert {"2025-12-19-bodies", "2026-02-05-pows", "2026-04-24-pows"} <= set(found)
    flows = {f["to_side"]: f["best"] for f in found["2025-12-19-bodies"]["flows"]}
    assert (flows["UA"], flows["RU"]) == (1003, 26)

    show = runner.invoke(cli, ["show", "2025-12-19-bodies", "--db", db_path])
    assert show.exit_code == 0, show.output
    assert "Exchange Watch (fixture), published 2025-12-19" in show.output
    assert f"{export}#102" in show.output
    assert "The bodies of 1,003 fallen Ukrainian defenders were brought home today" in show.output

    again = runner.invoke(cli, ["ingest", str(export_folder), "--db", db_path])
    assert again.exit_code == 0 and "0 new, 4 duplicate, 0 failed" in again.output


def test_ingest_a_broken_export_keeps_what_came_before(
    runner: CliRunner, export_folder: Path, db_path: str
) -> None:
    export = export_folder / "ChatExport_2026-04-25" / "result.json"
    data = export.read_bytes()
    export.write_bytes(data[: data.index(b'"id": 105')])  # cut inside the Russian post
    write(export_folder / "note.txt", "On Friday Russia returned 1,000 bodies to Ukraine.\n")
    result = runner.invoke(cli, ["ingest", str(export_folder), "--db", db_path])
    assert result.exit_code == 1, result.output
    assert "3 new, 0 duplicate, 1 failed" in result.output
    assert f"failed: {export}: is cut short" in result.output
    assert "after message 104" in result.output


def test_bytes_that_are_not_utf8_are_not_an_export(tmp_path: Path) -> None:
    path = tmp_path / "result.json"
    path.write_bytes(b"\xc0" + b'{"name": "x"}')
    assert not is_export(str(path))
