"""Readers that turn inputs (files, folders, exports, feeds, pages) into Documents.

``read_target`` turns one input into the documents it holds: one for a report
file, many for a Telegram export or a feed. A document that cannot be read
comes out as a ``Failure`` naming it and the problem, so one bad item never
stops the others. ``read_path`` reads one report file and raises a
``SourceError`` instead; ``iter_paths`` walks folders.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..errors import SourceError
from ..model import Document
from . import telegram
from .files import SUFFIXES, Failure, ReadOptions, iter_paths, read_path


def read_target(target: str, options: ReadOptions | None = None) -> Iterator[Document | Failure]:
    """Every document one input holds, in order; unreadable items as Failures."""
    options = options or ReadOptions()
    # Readers for other kinds of input claim their targets here, before the plain file reader.
    if telegram.is_export(target):
        yield from telegram.read_export(target, options)
        return
    # Imported here: httpx and feedparser take about 0.14 s to load, which the commands that
    # only read the ledger should not pay.
    from . import feeds, web

    if web.is_url(target):
        yield from web.read_url(target, options)
        return
    if feeds.is_feed_file(target):
        yield from feeds.read_feed_file(target, options)
        return
    try:
        yield read_path(target, options)
    except SourceError as exc:
        yield Failure(exc.source, exc.problem)


__all__ = ["SUFFIXES", "Failure", "ReadOptions", "iter_paths", "read_path", "read_target"]
