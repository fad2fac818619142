"""Reading files: front matter, HTML, and every kind of bad input."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from swapledger.errors import (
    BinaryFileError,
    EmptyDocumentError,
    FrontMatterError,
    NoMainTextError,
    SourceError,
    TooLargeError,
    UnsupportedTypeError,
)
from swapledger.sources import ReadOptions, iter_paths, read_path
from swapledger.sources.html import read as read_html

from .conftest import write

HTML = """<html><head><title>Bodies returned</title>
<meta property="article:published_time" content="2025-12-19T10:00:00+00:00">
<meta property="og:site_name" content="Test Wire"></head><body><nav><a href="/">Home</a></nav>
<article><h1>Bodies returned</h1><p>On Friday Russia handed over 1,003 bodies to Ukraine, the
Coordination Headquarters said, and received 26 in return at the border.</p>
<p>The handover was observed by the International Committee of the Red Cross.</p></article>
<footer>Contact us</footer></body></html>"""


def test_front_matter_fills_metadata(tmp_path: Path) -> None:
    path = write(
        tmp_path / "a.txt",
        "---\nurl: https://x.example/a\noutlet: X\npublished: 2025-12-19\n"
        "language: en\ntitle: T\n---\n\nBody text here.\n",
    )
    doc = read_path(str(path))
    assert (doc.url, doc.outlet, doc.published, doc.language, doc.title) == (
        "https://x.example/a",
        "X",
        "2025-12-19",
        "en",
        "T",
    )
    assert doc.text.strip() == "Body text here."


def test_options_fill_gaps_but_do_not_override(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", "---\npublished: 2025-12-19\n---\nBody.\n")
    doc = read_path(str(path), ReadOptions(published="2020-01-01", outlet="Given"))
    assert (doc.published, doc.outlet) == ("2025-12-19", "Given")


def test_html_main_text_and_date(tmp_path: Path) -> None:
    doc = read_path(str(write(tmp_path / "a.html", HTML)))
    assert doc.published == "2025-12-19"
    assert doc.outlet == "Test Wire"
    assert "1,003 bodies" in doc.text
    assert "Contact us" not in doc.text


@pytest.mark.parametrize(
    ("name", "content", "error", "words"),
    [
        ("a.bin", b"\x00\x01", UnsupportedTypeError, "unsupported file type '.bin'"),
        ("a.txt", b"\x00\x01\x02abc", BinaryFileError, "binary"),
        ("a.txt", b"   \n", EmptyDocumentError, "no text"),
        ("a.txt", b"---\ntitle: x\nno end\n", FrontMatterError, "never closed"),
        ("a.txt", b"---\ntitle: [unclosed\n---\nbody\n", FrontMatterError, "not valid"),
        ("a.txt", b"---\npublished: someday\n---\nbody\n", FrontMatterError, "YYYY-MM-DD"),
        ("a.html", b"<html><body><nav>menu</nav></body></html>", NoMainTextError, "no article text"),
    ],
)
def test_bad_input_names_the_file_and_the_problem(
    tmp_path: Path, name: str, content: bytes, error: type[SourceError], words: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(error) as info:
        read_path(str(path))
    assert info.value.source == str(path)
    assert words in str(info.value)
    assert str(path) in str(info.value)


def test_size_limit(tmp_path: Path) -> None:
    path = write(tmp_path / "big.txt", "x" * 2000)
    with pytest.raises(TooLargeError, match="over the limit of 1,000"):
        read_path(str(path), ReadOptions(max_bytes=1000))


@pytest.mark.parametrize("encoding", ["cp1251", "latin-1"])
def test_legacy_encodings_are_detected(tmp_path: Path, encoding: str) -> None:
    text = {
        "cp1251": "Россия передала Украине тела погибших военнослужащих. " * 5,
        "latin-1": "Les négociateurs à Genève ont parlé de l'échange, déjà prévu. " * 5,
    }[encoding]
    path = tmp_path / "legacy.txt"
    path.write_bytes(text.encode(encoding))
    assert read_path(str(path)).text == text


def test_iter_paths_walks_folders_in_order(tmp_path: Path) -> None:
    write(tmp_path / "b" / "2.txt", "x")
    write(tmp_path / "a.txt", "x")
    write(tmp_path / "b" / ".hidden.txt", "x")
    assert [Path(p).name for p in iter_paths([str(tmp_path)])] == ["a.txt", "2.txt"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_html_reader_never_crashes(markup: str) -> None:
    try:
        page = read_html(markup, "gen.html")
    except NoMainTextError:
        return
    assert page.text.strip()
