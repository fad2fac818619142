"""RSS and Atom feeds from files and URLs: items, item pages, and XML that must be refused."""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from html import escape
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from swapledger.cli import cli
from swapledger.errors import FeedError
from swapledger.sources import read_target
from swapledger.sources.feeds import is_feed_file, looks_like_feed, parse_feed, read_feed_file
from swapledger.sources.web import read_url

from .test_web import (
    BODIES_FEB,
    BODIES_JAN,
    FAST,
    POWS_FEB,
    LocalServer,
    Report,
    documents,
    serving,
)

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE rss [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>&lol9;</title>
<item><title>&lol9;</title><link>http://127.0.0.1/x</link></item></channel></rss>
"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>Wire</title>
<item><title>&secret;</title><link>http://127.0.0.1/x</link></item></channel></rss>
"""

NOT_XML = b"Sorry, the news feed is down for maintenance. Please come back later.\n"


def rss_item(
    link: str | None,
    title: str,
    date: str,
    guid: str | None = None,
    summary: str = "",
    content: str | None = None,
) -> str:
    parts = [f"<title>{escape(title)}</title>", f"<pubDate>{date}</pubDate>"]
    if link:
        parts.append(f"<link>{escape(link)}</link>")
    if guid:
        parts.append(f'<guid isPermaLink="false">{escape(guid)}</guid>')
    if summary:
        parts.append(f"<description>{escape(summary)}</description>")
    if content:
        parts.append(f"<content:encoded><![CDATA[{content}]]></content:encoded>")
    return "<item>" + "".join(parts) + "</item>"


def rss(title: str, items: Sequence[str]) -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        f"<channel><title>{escape(title)}</title><link>http://127.0.0.1/</link>"
        f"<description>News</description>{''.join(items)}</channel></rss>"
    )


def report_item(server: LocalServer, report: Report, date: str, **extra: str) -> str:
    """An RSS item for one of the reports the server serves."""
    return rss_item(server.url(report.path), report.title, date, **extra)


def atom(title: str, entries: Sequence[tuple[str, str, str, str | None]]) -> str:
    """An Atom feed; entries are (link, title, published, content)."""
    body = "".join(
        f"<entry><id>urn:test:{n}</id><title>{escape(t)}</title>"
        f'<link rel="alternate" href="{escape(link)}"/><published>{published}</published>'
        f"<updated>{published}</updated><summary>{escape(t)}</summary>"
        + (f'<content type="html">{escape(content)}</content>' if content else "")
        + "</entry>"
        for n, (link, t, published, content) in enumerate(entries)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>{escape(title)}</title><id>urn:test:feed</id><updated>2026-02-26T10:00:00Z</updated>"
        f"{body}</feed>"
    )


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with serving() as local:
        yield local


def test_rss_items() -> None:
    data = rss(
        "Kyiv Test Wire",
        [
            rss_item(
                "http://127.0.0.1/a",
                "Bodies returned",
                "Fri, 19 Dec 2025 01:00:00 +0200",  # still the 18th in UTC
                guid="wire-1",
                summary="Short summary.",
                content="<p>Full text of the report.</p>",
            ),
            rss_item("http://127.0.0.1/b", "Swap", "Thu, 05 Feb 2026 18:00:00 GMT"),
        ],
    ).encode()
    feed = parse_feed(data, "feed.rss")
    assert (feed.title, feed.version) == ("Kyiv Test Wire", "rss20")
    first, second = feed.items
    assert (first.key, first.link, first.title, first.published) == (
        "wire-1",
        "http://127.0.0.1/a",
        "Bodies returned",
        "2025-12-19",
    )
    assert first.summary == "Short summary." and first.content == "<p>Full text of the report.</p>"
    assert (second.key, second.published, second.content) == ("http://127.0.0.1/b", "2026-02-05", None)


def test_atom_items_with_relative_links() -> None:
    data = atom(
        "Atom Wire",
        [
            ("/news/1.html", "First", "2026-01-29T23:30:00+02:00", "<p>Full text.</p>"),
            ("https://elsewhere.example/2", "Second", "2026-02-05T08:00:00Z", None),
        ],
    ).encode()
    feed = parse_feed(data, "http://127.0.0.1:9/atom.xml", base_url="http://127.0.0.1:9/atom.xml")
    assert feed.version.startswith("atom")
    first, second = feed.items
    assert (first.key, first.link, first.published) == (
        "urn:test:0",
        "http://127.0.0.1:9/news/1.html",
        "2026-01-29",
    )
    assert first.content == "<p>Full text.</p>" and second.content is None
    assert second.link == "https://elsewhere.example/2" and second.published == "2026-02-05"


def test_is_feed_file(tmp_path: Path) -> None:
    sniffed = tmp_path / "feed"
    sniffed.write_bytes(b'<?xml version="1.0"?>\n<!-- comment -->\n<rss version="2.0"><channel/></rss>')
    page = tmp_path / "page"
    page.write_bytes(b"<html><body>not a feed</body></html>")
    for name in ("a.xml", "b.RSS", "c.atom"):
        assert is_feed_file(str(tmp_path / name))
    assert is_feed_file(str(sniffed))
    assert not is_feed_file(str(page))
    assert not is_feed_file(str(tmp_path / "report.txt")) and not is_feed_file(str(tmp_path))
    assert not is_feed_file(str(tmp_path / "missing"))


@pytest.mark.parametrize(
    "data",
    [b"<?x?>" * 1000, b" " * 4096, b"<!-- a -->" * 400, b"<!DOCTYPE x [" + b"x]" * 2000, b"<?" * 3000],
)
def test_sniffing_hostile_bytes_is_quick(data: bytes) -> None:
    started = time.monotonic()
    assert not looks_like_feed(data)
    assert time.monotonic() - started < 0.5  # a backtracking pattern took minutes here


def test_a_file_that_is_not_xml_names_itself(tmp_path: Path) -> None:
    path = tmp_path / "news.rss"
    path.write_bytes(NOT_XML)
    with pytest.raises(FeedError, match=r"is not XML \(syntax error at line 1, column 0\)") as caught:
        parse_feed(NOT_XML, str(path))
    assert caught.value.source == str(path) and "not an RSS or Atom feed" in caught.value.problem
    with pytest.raises(FeedError, match="is XML but not an RSS or Atom feed"):
        parse_feed(b"<?xml version='1.0'?><urlset><url>x</url></urlset>", "sitemap.xml")
    docs, failures = documents(read_target(str(path)))
    assert not docs and [f.source for f in failures] == [str(path)]


def test_billion_laughs_is_refused_at_once() -> None:
    started = time.monotonic()
    with pytest.raises(FeedError, match="declares the XML entity 'lol'"):
        parse_feed(BILLION_LAUGHS, "laughs.rss")
    assert time.monotonic() - started < 0.5


def test_external_entities_are_refused() -> None:
    with pytest.raises(FeedError, match="declares the XML entity 'secret'") as caught:
        parse_feed(EXTERNAL_ENTITY, "xxe.rss")
    assert "root:" not in str(caught.value)


def test_an_ill_formed_feed_is_read_leniently_unless_it_declares_entities() -> None:
    sloppy = rss("Wire", [rss_item("http://127.0.0.1/a", "A", "Thu, 29 Jan 2026 10:00:00 +0200")])
    sloppy = sloppy.replace("<description>News</description>", "<description>News&nbsp;today</description>")
    feed = parse_feed(sloppy.encode(), "sloppy.rss")
    assert [i.link for i in feed.items] == ["http://127.0.0.1/a"]
    hostile = b"\x01" + BILLION_LAUGHS  # ill-formed before the declarations
    with pytest.raises(FeedError, match="declares XML entities and is not well-formed"):
        parse_feed(hostile, "hostile.rss")


def test_read_feed_file_reads_each_item_page(server: LocalServer, tmp_path: Path) -> None:
    path = tmp_path / "wire.xml"
    path.write_text(
        rss(
            "Kyiv Test Wire feed",
            [
                report_item(server, BODIES_JAN, "Thu, 29 Jan 2026 09:30:00 +0200"),
                # The page is gone, but the feed carries the full text.
                rss_item(
                    server.url("/gone/1"),
                    BODIES_FEB.title,
                    "Thu, 26 Feb 2026 12:00:00 +0200",
                    content="".join(f"<p>{p}</p>" for p in BODIES_FEB.paragraphs),
                ),
                # The page is gone and the feed has only a summary: a failure naming the link.
                rss_item(server.url("/gone/2"), "Gone", "Fri, 27 Feb 2026 12:00:00 +0200", summary="Teaser"),
                report_item(server, POWS_FEB, "Thu, 05 Feb 2026 19:00:00 +0200"),
            ],
        ),
        encoding="utf-8",
    )
    items = list(read_feed_file(str(path), fetch_options=FAST))
    docs, failures = documents(iter(items))
    assert [d.url for d in docs] == [
        server.url(BODIES_JAN.path),
        server.url("/gone/1"),
        server.url(POWS_FEB.path),
    ]
    assert "1,000 soldiers" in docs[0].text and docs[0].outlet == "Kyiv Test Wire"
    assert "1,000 fallen defenders" in docs[1].text
    assert (docs[1].published, docs[1].title, docs[1].outlet) == (
        "2026-02-26",
        BODIES_FEB.title,
        "Kyiv Test Wire feed",
    )
    assert [(f.source, "404 Not Found" in f.problem) for f in failures] == [(server.url("/gone/2"), True)]


def test_read_url_on_a_feed_reads_its_items(server: LocalServer) -> None:
    url = server.add(
        "/atom.xml",
        atom(
            "Atom Wire",
            [
                (BODIES_JAN.path, BODIES_JAN.title, "2026-01-29T09:30:00+02:00", None),
                (POWS_FEB.path, POWS_FEB.title, "2026-02-05T19:00:00+02:00", None),
            ],
        ),
        "application/atom+xml",
    )
    docs, failures = documents(read_url(url, fetch_options=FAST))
    assert not failures
    assert [(d.source, d.published) for d in docs] == [
        (server.url(BODIES_JAN.path), "2026-01-29"),
        (server.url(POWS_FEB.path), "2026-02-05"),
    ]


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (BILLION_LAUGHS, "declares the XML entity"),
        (NOT_XML, "is not XML"),
    ],
)
def test_bad_feeds_by_url_are_failures(server: LocalServer, body: bytes, words: str) -> None:
    url = server.add("/bad.rss", body, "application/rss+xml")
    docs, failures = documents(read_url(url, fetch_options=FAST))
    assert not docs and len(failures) == 1
    assert failures[0].source == url and words in failures[0].problem


def test_cli_ingest_a_feed_file(runner: CliRunner, server: LocalServer, tmp_path: Path, db_path: str) -> None:
    path = tmp_path / "wire.rss"
    path.write_text(
        rss(
            "Wire",
            [
                report_item(server, BODIES_JAN, "Thu, 29 Jan 2026 09:30:00 +0200"),
                rss_item(server.url("/gone/3"), "Gone", "Fri, 30 Jan 2026 09:30:00 +0200"),
                report_item(server, POWS_FEB, "Thu, 05 Feb 2026 19:00:00 +0200"),
            ],
        ),
        encoding="utf-8",
    )
    bad = tmp_path / "broken.xml"
    bad.write_bytes(NOT_XML)
    result = runner.invoke(cli, ["ingest", str(path), str(bad), "--db", db_path])
    assert result.exit_code == 1, result.output
    assert "2 new, 0 duplicate, 2 failed documents" in result.output
    assert f"failed: {server.url('/gone/3')}: the server answered 404" in result.output
    assert f"failed: {bad}: is not XML" in result.output


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        st.binary(max_size=300),
        st.text(max_size=300).map(lambda t: f'<?xml version="1.0"?><rss version="2.0">{t}'.encode()),
        st.lists(st.sampled_from(["<item>", "</item>", "<title>", "&amp;", "<!ENTITY", "<![CDATA["])).map(
            lambda parts: ("<rss><channel>" + "".join(parts)).encode()
        ),
    )
)
def test_parse_feed_never_crashes(data: bytes) -> None:
    try:
        feed = parse_feed(data, "generated.rss")
    except FeedError as exc:
        assert exc.source == "generated.rss" and exc.problem
    else:
        assert all(item.key for item in feed.items)
