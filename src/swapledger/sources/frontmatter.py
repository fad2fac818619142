"""Front matter: the ``---`` block of ``key: value`` lines that may open a text."""

from __future__ import annotations

import datetime as dt
from typing import Any

import yaml

from ..errors import FrontMatterError

FIELDS = ("url", "outlet", "published", "language", "title")


def split(text: str, source: str) -> tuple[dict[str, str], str]:
    """The front matter's fields and the body after it (no front matter: ``{}`` and the text)."""
    stripped = text.lstrip("\ufeff")
    if not stripped.startswith("---"):
        return {}, text
    first_line_end = stripped.find("\n")
    if first_line_end == -1 or stripped[:first_line_end].strip() != "---":
        return {}, text
    end = stripped.find("\n---", first_line_end)
    if end == -1:
        raise FrontMatterError(source, "front matter opened with '---' is never closed by a '---' line")
    block = stripped[first_line_end + 1 : end]
    after = stripped.find("\n", end + 1)
    body = "" if after == -1 else stripped[after + 1 :]
    try:
        data: Any = yaml.safe_load(block) if block.strip() else {}
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        line = f" (line {where.line + 2})" if where is not None else ""
        raise FrontMatterError(source, f"front matter is not valid 'key: value' lines{line}") from None
    if not isinstance(data, dict):
        raise FrontMatterError(source, "front matter must be 'key: value' lines")
    fields: dict[str, str] = {}
    for key in FIELDS:
        value = data.get(key)
        if value is None:
            continue
        if key == "published":
            value = _date(value, source)
        fields[key] = str(value).strip()
    return fields, body


def _date(value: Any, source: str) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        return dt.date.fromisoformat(str(value).strip()[:10]).isoformat()
    except ValueError:
        raise FrontMatterError(
            source, f"published: {value!r} is not a date; write it as YYYY-MM-DD"
        ) from None
