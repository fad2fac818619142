"""Reading Telegram channel exports: the ``result.json`` Telegram Desktop writes.

Telegram Desktop's "Export chat history" in JSON format writes one object::

    {"name": "Channel", "type": "public_channel", "id": 1234567890,
     "messages": [{"id": 1, "type": "message", "date": "2025-12-19T14:03:11",
                   "text": "..." or ["...", {"type": "bold", "text": "..."}], ...}, ...]}

Each post with text becomes one Document:

- ``text``: the message text; a list of parts (plain strings and entities such
  as bold, links, mentions, each with a ``"text"``) is joined as it reads.
  Service messages and posts with no text (a photo alone) are skipped.
- ``published``: the date part of the message's ``"date"``. Telegram Desktop
  writes that in the local time of the computer that made the export, so a
  post made near midnight may carry the neighbouring day.
- ``source``: ``"{path}#{message id}"``, so each post can be traced back.
- ``url``: ``https://t.me/{username}/{id}``, only when the export's top level
  names the chat's public username (``"username"``, as tools that add it
  write it) and the chat is a channel or supergroup. Telegram Desktop itself
  writes only ``"name"``, ``"type"`` and ``"id"``, so for its exports the
  caller names the channel (``ReadOptions.channel``, ``--channel`` on the
  command line); otherwise ``url`` stays None: a username guessed from the
  name could link to someone else's channel, and ``t.me/c/{id}/{message}``
  links open only for members.
- ``outlet``: the chat's ``"name"``.
- ``title``: None. Posts have no headline; the first line is part of the
  text already, and calling it a title would claim one the channel never gave.
- ``language``: from the options (detection is done elsewhere).

The file is streamed with ijson, one message in memory at a time, so an
export of any size is read in small, constant memory. The size limit of the
options applies to each message's text, not to the file: exports are large by
nature. The chat's name, type and username are taken from the top-level
fields that come before ``"messages"``, which is where Telegram Desktop
writes them; fields after the messages are not looked at.

A broken export (cut short, invalid JSON in the middle, not an export at all)
gives every message read whole before the break, then one Failure naming the
file, the problem, the last message read whole before the break, and the
bytes where the parser stopped. Bad data never raises out of the iterator.

Exports of a whole account ("Export Telegram data", with ``"chats"`` at the
top level) and HTML exports are not read here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from io import BytesIO
from typing import Any, BinaryIO

import ijson  # type: ignore[import-untyped]  # ijson ships no type information

from ..errors import SourceError, TelegramExportError, TooLargeError
from ..model import Document
from .files import Failure, ReadOptions, fill

# Telegram Desktop writes the chat's name, type and id in the first few hundred
# bytes; 8 KB leaves room for a long name without reading into the messages.
PEEK_BYTES = 8192

# The parser reads this much at a time. A break can be placed only to within one read,
# and reads this small cost nothing measurable next to 64 KB ones (ijson's default).
_READ_BYTES = 4096

# The "type" values Telegram Desktop writes for one chat's export (JsonWriter::writeDialogStart).
CHAT_TYPES = frozenset(
    {
        "personal_chat",
        "bot_chat",
        "saved_messages",
        "replies",
        "private_group",
        "private_supergroup",
        "public_supergroup",
        "private_channel",
        "public_channel",
    }
)

# Message links of the form t.me/{username}/{id} work only for these.
_LINKABLE_TYPES = frozenset({"public_channel", "private_channel", "public_supergroup", "private_supergroup"})

_HEADER_KEYS = frozenset({"name", "type", "id", "username"})
_SCALARS = frozenset({"string", "number", "boolean", "null"})
_USERNAME = re.compile(r"@?([A-Za-z][A-Za-z0-9_]{3,31})")
_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[T ].*)?")
_PARSER_REASON = re.compile(r"((?:parse|lexical) error: [^\n\\]*)")
_NOT_EXPORT = "is a .json file that is not a Telegram Desktop chat export"


def is_export(path: str) -> bool:
    """Whether ``path`` is a ``.json`` file that looks like a Telegram Desktop chat export.

    Only the first few KB are read: the file must open with an object whose
    ``"type"`` is a Telegram chat type and which has an ``"id"``.
    """
    if not path.lower().endswith(".json"):
        return False
    try:
        with open(path, "rb") as handle:
            head = handle.read(PEEK_BYTES)
    except OSError:
        return False
    header = _peek_header(head)
    return header is not None and _is_chat(header)


def read_export(path: str, options: ReadOptions | None = None) -> Iterator[Document | Failure]:
    """Every post with text in a Telegram Desktop export, in order; unreadable ones as Failures.

    The file is streamed, so its size does not matter; ``options.max_bytes``
    limits each message's text. When the file breaks, the messages before the
    break come first, then one Failure saying where and why.
    """
    options = options or ReadOptions()
    try:
        raw = open(path, "rb")  # noqa: SIM115 - closed by the with below, after the error handling
    except OSError as exc:
        yield _failure(SourceError(path, f"cannot be read: {exc.strerror or exc}"))
        return
    with raw:
        reader = _CountingReader(raw)
        progress = _Progress()
        try:
            yield from _read(reader, path, options, progress)
        except SourceError as exc:
            yield _failure(exc)
        except (ijson.JSONError, UnicodeDecodeError) as exc:
            yield _failure(TelegramExportError(path, _broken(exc, reader, progress)))
        except OSError as exc:
            yield _failure(
                SourceError(path, f"could not be read to the end: {exc.strerror or exc}{progress.so_far()}")
            )


@dataclass
class _Progress:
    """How far the reading got, to say where a broken file breaks."""

    read: int = 0  # items of "messages" read whole, of any type
    last_id: int | None = None  # id of the last message read whole

    def where(self) -> str:
        if self.last_id is not None:
            return f"after message {self.last_id}"
        if self.read:
            return f'after item {self.read:,} of "messages"'
        return "before the first message"

    def so_far(self) -> str:
        if not self.read:
            return ""
        return f"; the {self.read:,} messages before it were read"


class _CountingReader:
    """A binary file that counts the bytes handed to the parser, to say where it broke."""

    def __init__(self, raw: BinaryIO) -> None:
        self._raw = raw
        self.rewind()

    def rewind(self) -> None:
        self._raw.seek(0)
        self.start = 0  # file offset of the last chunk read
        self.end = 0  # file offset just past it
        self._first = True

    def read(self, size: int = -1) -> bytes:
        data = self._raw.read(size)
        self.start, self.end = self.end, self.end + len(data)
        # ijson asks for 0 bytes first to learn the file's type; the BOM check waits for real data.
        if self._first and data:
            self._first = False
            if data.startswith(b"\xef\xbb\xbf"):  # written by some editors; JSON parsers reject it
                data = data[3:]
        return data


def _read(
    reader: _CountingReader, path: str, options: ReadOptions, progress: _Progress
) -> Iterator[Document | Failure]:
    # Two passes: the chat's fields come first in the file, so reading up to "messages"
    # is cheap; the messages are then built by ijson's own items(), which is several
    # times faster than handling each parser event here (seconds on a 1 GB export).
    header = _read_header(reader, path)
    reader.rewind()
    for message in ijson.items(reader, "messages.item", use_float=True, buf_size=_READ_BYTES):
        progress.read += 1
        if not isinstance(message, dict):
            yield _failure(
                TelegramExportError(
                    path, f'item {progress.read:,} of "messages" is {_kind(message)}, not a message object'
                )
            )
            continue
        message_id = message.get("id")
        if isinstance(message_id, int) and not isinstance(message_id, bool):
            progress.last_id = message_id
        item = _document(message, progress.read, path, header, options)
        if item is not None:
            yield item


def _read_header(reader: _CountingReader, path: str) -> dict[str, Any]:
    """The chat's top-level fields before "messages"; raises when the file is not a chat export."""
    events: Iterator[tuple[str, str, Any]] = iter(ijson.parse(reader, use_float=True, buf_size=_READ_BYTES))
    first = next(events, None)
    if first is None:
        raise TelegramExportError(path, f"{_NOT_EXPORT}: it is empty")
    if first[1] != "start_map":
        raise TelegramExportError(
            path, f"{_NOT_EXPORT}: its top level is {_EVENT_KINDS[first[1]]}, not an object"
        )
    header: dict[str, Any] = {}
    for prefix, event, value in events:
        if prefix == "messages":
            if not _is_chat(header):
                raise TelegramExportError(path, f"{_NOT_EXPORT}: {_missing_header(header)}")
            if event != "start_array":
                raise TelegramExportError(path, f'its "messages" is {_EVENT_KINDS[event]}, not a list')
            return header
        if prefix == "" and event == "end_map":
            break
        if prefix in _HEADER_KEYS and event in _SCALARS:
            header[prefix] = value
    raise TelegramExportError(path, f'{_NOT_EXPORT}: it has no "messages" list')


def _document(
    message: dict[str, Any], position: int, path: str, header: dict[str, Any], options: ReadOptions
) -> Document | Failure | None:
    """The Document one message gives, a Failure saying why it cannot, or None when it is skipped."""
    if message.get("type") != "message":
        return None  # service messages: joins, pins, title changes
    message_id = message.get("id")
    if not isinstance(message_id, int) or isinstance(message_id, bool):
        return _failure(TelegramExportError(path, f'item {position:,} of "messages" has no "id"'))
    source = f"{path}#{message_id}"
    text = _text(message.get("text", ""))
    if text is None:
        return _failure(
            TelegramExportError(
                source, f'its "text" is {_kind(message["text"])}, not a string or a list of parts'
            )
        )
    if not text.strip():
        return None  # a photo, video or sticker with no caption
    too_large = _over_limit(text, options.max_bytes)
    if too_large is not None:
        return _failure(
            TooLargeError(
                source,
                f"the message text is {too_large:,} bytes, over the limit of {options.max_bytes:,} "
                "for one message (set SWAPLEDGER_MAX_BYTES)",
            )
        )
    name = header.get("name")
    document = Document(
        text=text,
        source=source,
        url=_url(header, message_id, options.channel),
        outlet=name if isinstance(name, str) and name.strip() else None,
        published=_published(message.get("date")),
        title=None,
    )
    return fill(document, options)


def _text(value: Any) -> str | None:
    """A message's text: a string, or a list of strings and entities with a "text"; None if neither."""
    if isinstance(value, str):
        return value
    if not isinstance(value, list):
        return None
    parts: list[str] = []
    for part in value:
        if isinstance(part, str):
            parts.append(part)
        elif isinstance(part, dict) and isinstance(part.get("text"), str):
            parts.append(part["text"])
    return "".join(parts)


def _over_limit(text: str, max_bytes: int) -> int | None:
    """The UTF-8 size of ``text`` when it is over ``max_bytes``, else None."""
    # A character is one to four bytes, so most texts are decided without encoding them.
    if len(text) * 4 <= max_bytes:
        return None
    size = len(text.encode("utf-8", "surrogatepass"))
    return size if size > max_bytes else None


def _published(value: Any) -> str | None:
    """The date part (YYYY-MM-DD) of a message's "date", or None when it is not a date."""
    if not isinstance(value, str):
        return None
    match = _DATE.fullmatch(value.strip())
    if match is None:
        return None
    try:
        return date.fromisoformat(match.group(1)).isoformat()
    except ValueError:
        return None


def _url(header: dict[str, Any], message_id: int, channel: str | None = None) -> str | None:
    """The public link to a message, when the export (or the caller) names the chat's username."""
    username = header.get("username") or channel
    if not isinstance(username, str) or header.get("type") not in _LINKABLE_TYPES:
        return None
    match = _USERNAME.fullmatch(username.strip().removeprefix("https://t.me/"))
    if match is None:
        return None
    return f"https://t.me/{match.group(1)}/{message_id}"


def _peek_header(head: bytes) -> dict[str, Any] | None:
    """The top-level scalar fields before "messages" in the first bytes of a file, None if not an object."""
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    header: dict[str, Any] = {}
    try:
        for index, (prefix, event, value) in enumerate(ijson.parse(BytesIO(head), use_float=True)):
            if index == 0 and event != "start_map":
                return None
            if prefix == "messages" or (prefix == "" and event == "end_map"):
                break
            if prefix in _HEADER_KEYS and event in _SCALARS:
                header[prefix] = value
    except (ijson.JSONError, UnicodeDecodeError):
        pass  # the peek ends in the middle of the file, or the file is not JSON: decided below
    return header or None


def _is_chat(header: dict[str, Any]) -> bool:
    return header.get("type") in CHAT_TYPES and "id" in header


def _missing_header(header: dict[str, Any]) -> str:
    chat_type = header.get("type")
    if chat_type is None:
        return 'it has no chat "type" before "messages"'
    if chat_type not in CHAT_TYPES:
        return f'its "type" {chat_type!r} is not a Telegram chat type'
    return 'it has no chat "id" before "messages"'


_EVENT_KINDS = {
    "start_map": "an object",
    "start_array": "a list",
    "string": "a string",
    "number": "a number",
    "boolean": "true or false",
    "null": "null",
}


def _kind(value: Any) -> str:
    """What a JSON value is, in words."""
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool):
        return "true or false"
    if value is None:
        return "null"
    return "a number"


def _broken(exc: Exception, reader: _CountingReader, progress: _Progress) -> str:
    """What to say about an export the parser could not read to the end."""
    text = str(exc).strip()
    # yajl's message is a reason, then the text around the break with an arrow under it;
    # the arrow means nothing once the message is on one line, so only the reason is kept.
    match = _PARSER_REASON.search(text)
    first_line = text.splitlines()[0] if text else type(exc).__name__
    reason = (match.group(1) if match else first_line).strip().rstrip(".")
    # "premature EOF" is yajl's word for a file cut short, "Incomplete" the pure-Python backend's.
    if "premature EOF" in text or "Incomplete" in text:
        if reader.end == 0:
            return f"{_NOT_EXPORT}: it is empty"
        return (
            f"is cut short: the file ends at byte {reader.end:,}, {progress.where()}; "
            f"the export was not finished or not copied whole{progress.so_far()}"
        )
    return (
        f"is not valid JSON {progress.where()} (the parser stopped between bytes "
        f"{reader.start:,} and {reader.end:,}): {reason}{progress.so_far()}"
    )


def _failure(exc: SourceError) -> Failure:
    return Failure(exc.source, exc.problem)
