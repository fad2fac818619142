"""Reading documents from files: plain text, Markdown and HTML."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from charset_normalizer import from_bytes

from ..errors import (
    BinaryFileError,
    DecodingError,
    EmptyDocumentError,
    SourceError,
    TooLargeError,
    UnsupportedTypeError,
)
from ..model import Document
from . import frontmatter, html

TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".text")
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES


@dataclass(frozen=True)
class Failure:
    """An item that could not be read: where it came from and why."""

    source: str
    problem: str


@dataclass(frozen=True)
class ReadOptions:
    """Limits and the metadata to fill in where a document gives none."""

    max_bytes: int = 10_000_000
    published: str | None = None
    outlet: str | None = None
    language: str | None = None
    # A Telegram channel's public username, for exports that do not carry it: posts then
    # link to https://t.me/{channel}/{id}.
    channel: str | None = None


def iter_paths(paths: list[str] | tuple[str, ...]) -> Iterator[str]:
    """Every file named, folders walked recursively in name order (hidden files skipped)."""
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if not name.startswith(".") and name.lower() != "readme.md":
                        yield str(Path(root) / name)
        else:
            yield given


def decode(data: bytes, source: str) -> str:
    """Text from bytes: UTF-8 when it is, else the encoding charset-normalizer finds."""
    if b"\x00" in data[:8192]:
        raise BinaryFileError(source, "looks binary (it has NUL bytes), not a text document")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    best = from_bytes(data, cp_isolation=["cp1251", "latin_1", "cp1252", "koi8_r", "utf_16"]).best()
    if best is None:
        raise DecodingError(source, "is not UTF-8 and its encoding could not be told; save it as UTF-8")
    return str(best)


def read_path(path: str, options: ReadOptions | None = None) -> Document:
    """Read one file into a Document, or raise a SourceError saying why not."""
    options = options or ReadOptions()
    suffix = Path(path).suffix.lower()
    if suffix not in SUFFIXES:
        raise UnsupportedTypeError(
            path, f"unsupported file type {suffix or '(none)'!r}; swapledger reads {', '.join(SUFFIXES)}"
        )
    try:
        size = os.path.getsize(path)
        if size > options.max_bytes:
            raise TooLargeError(
                path, f"is {size:,} bytes, over the limit of {options.max_bytes:,} (set SWAPLEDGER_MAX_BYTES)"
            )
        with open(path, "rb") as handle:
            data = handle.read(options.max_bytes + 1)
    except OSError as exc:
        raise SourceError(path, f"cannot be read: {exc.strerror or exc}") from None
    text = decode(data, path)
    if suffix in HTML_SUFFIXES:
        page = html.read(text, path)
        document = Document(
            text=page.text,
            source=path,
            url=page.url,
            outlet=page.outlet,
            published=page.published,
            language=page.language,
            title=page.title,
        )
    else:
        fields, body = frontmatter.split(text, path)
        document = Document(text=body, source=path, **fields)
    if not document.text.strip():
        raise EmptyDocumentError(path, "has no text to read")
    return fill(document, options)


def fill(document: Document, options: ReadOptions) -> Document:
    """The document with gaps in its metadata filled from the options."""
    from dataclasses import replace

    return replace(
        document,
        published=document.published or options.published,
        outlet=document.outlet or options.outlet,
        language=document.language or options.language,
    )
