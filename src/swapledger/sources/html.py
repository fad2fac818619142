"""Web pages: main text and metadata through trafilatura, with htmldate for the date."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import trafilatura

from ..errors import NoMainTextError


@dataclass(frozen=True)
class Page:
    text: str
    title: str | None
    published: str | None
    outlet: str | None
    url: str | None
    language: str | None


def read(markup: str, source: str, url: str | None = None) -> Page:
    """The article in an HTML page, or NoMainTextError when it has none."""
    result = trafilatura.bare_extraction(
        markup,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        favor_recall=True,
        # Menus and footers are never the article, and without this trafilatura
        # falls back to them on pages that have no article at all.
        prune_xpath=["//nav", "//footer", "//header", "//aside"],
    )
    data: dict[str, Any] = {}
    if result is not None:
        data = result.as_dict() if hasattr(result, "as_dict") else dict(result)
    text = data.get("text") or ""
    if not text.strip():
        raise NoMainTextError(source, "is an HTML page with no article text that could be found")
    return Page(
        text=text,
        title=data.get("title"),
        published=data.get("date"),
        outlet=data.get("sitename"),
        url=data.get("url") or url,
        language=data.get("language"),
    )
