"""The checker: a report's claims against the sample ledger, without storing the report."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from swapledger import conflicts
from swapledger.check import Candidate, check_claims, check_document
from swapledger.cli import cli
from swapledger.model import Claim, Document, Event, Flow
from swapledger.resolve import ClaimRef
from swapledger.store import Store

from .conftest import SAMPLE, write


def report(tmp_path: Path, name: str, published: str, body: str) -> str:
    text = f"---\noutlet: Test Wire\npublished: {published}\nlanguage: en\n---\n{body}\n"
    return str(write(tmp_path / name, text))


@pytest.fixture(scope="module")
def sample_ledger(tmp_path_factory: pytest.TempPathFactory) -> str:
    db = str(tmp_path_factory.mktemp("check") / "ledger.db")
    assert CliRunner().invoke(cli, ["ingest", str(SAMPLE), "--db", db, "-q"]).exit_code == 0
    return db


def check(runner: CliRunner, db: str, path: str, *extra: str) -> tuple[int, dict[str, Any]]:
    result = runner.invoke(cli, ["check", path, "--db", db, "--format", "json", *extra])
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.output)


def test_a_report_repeating_a_known_exchange_matches(
    sample_ledger: str, runner: CliRunner, tmp_path: Path
) -> None:
    path = report(
        tmp_path,
        "a.txt",
        "2025-12-19",
        "Ukraine received the bodies of 1,003 fallen soldiers today, the Coordination Headquarters said.",
    )
    code, data = check(runner, sample_ledger, path)
    assert code == 0
    [only] = data["checks"]
    assert only["verdict"] == "matches" and only["event_id"] == "2025-12-19-bodies"
    assert only["n_sources"] >= 5 and only["ledger"]["best"] == 1003
    assert data["counts"] == {"matches": 1} and data["exit_code"] == 0
    assert set(data["document"]) == {"id", "source", "url", "outlet", "published", "language", "title"}
    assert set(only) == {"verdict", "explanation", "event_id", "n_sources", "ledger", "claim"}
    assert only["claim"]["quote"].startswith("Ukraine received the bodies of 1,003")
    # nothing was stored
    events = runner.invoke(cli, ["show", "2025-12-19-bodies", "--db", sample_ledger, "--format", "json"])
    assert "Test Wire" not in events.output


def test_a_wrong_figure_disagrees(sample_ledger: str, runner: CliRunner, tmp_path: Path) -> None:
    path = report(
        tmp_path,
        "b.txt",
        "2025-12-19",
        "Ukraine received the bodies of 1,030 fallen soldiers today, the Coordination Headquarters said.",
    )
    code, data = check(runner, sample_ledger, path)
    assert code == 1
    [only] = data["checks"]
    assert only["verdict"] == "disagrees" and only["event_id"] == "2025-12-19-bodies"
    assert "says 1,030 bodies to UA; the ledger's best for 2025-12-19-bodies is 1,003" in only["explanation"]
    assert "Coordination Headquarters" in only["explanation"]  # who says otherwise
    text = runner.invoke(cli, ["check", path, "--db", sample_ledger])
    assert text.exit_code == 1 and "disagrees" in text.output and "1 claims: 1 disagrees" in text.output


def test_the_wrong_year_is_a_wrong_date(sample_ledger: str, runner: CliRunner, tmp_path: Path) -> None:
    path = report(
        tmp_path,
        "c.txt",
        "2026-01-30",
        "In November 2023, Ukraine took back 1,000 bodies and returned 30 to Russia.",
    )
    code, data = check(runner, sample_ledger, path)
    assert code == 1
    assert {c["verdict"] for c in data["checks"]} == {"wrong_date"}
    assert all(c["event_id"] == "2025-11-20-bodies" for c in data["checks"])
    assert "2023-11, the wrong year" in data["checks"][0]["explanation"]


def test_an_unseen_exchange_is_new(sample_ledger: str, runner: CliRunner, tmp_path: Path) -> None:
    path = report(
        tmp_path,
        "d.txt",
        "2026-03-20",
        "Ukraine received the bodies of 777 fallen soldiers today, the Coordination Headquarters said.",
    )
    code, data = check(runner, sample_ledger, path)
    assert code == 0
    [only] = data["checks"]
    assert only["verdict"] == "new" and only["event_id"] is None


def test_unreadable_input_exits_2(sample_ledger: str, runner: CliRunner, tmp_path: Path) -> None:
    missing = runner.invoke(cli, ["check", str(tmp_path / "nope.txt"), "--db", sample_ledger])
    assert missing.exit_code == 2 and "nope.txt" in missing.output
    bad_date = runner.invoke(cli, ["check", str(tmp_path / "x.txt"), "--published", "May"])
    assert bad_date.exit_code == 2


def test_check_document_from_the_library(sample_ledger: str) -> None:
    doc = Document(
        "Russia handed over 6,000 bodies to Ukraine under the Istanbul memorandum of 2 June, "
        "which provided for 6,000 bodies to be returned by each side.",
        "lib",
        published="2025-06-20",
        language="en",
    )
    with Store(sample_ledger) as store:
        result = check_document(store, doc)
    assert result.document is doc
    assert all(
        c.verdict in ("matches", "disagrees", "wrong_date", "adds", "new", "unverified")
        for c in result.checks
    )
    assert result.exit_code == (1 if result.flagged else 0)


def _ref(claim_id: int, doc: str, value: int, to_side: str, date: str) -> ClaimRef:
    return ClaimRef(
        claim_id, doc, "exchange", "bodies", "RU", to_side, value, "exact", date, None, None, "", date
    )


def test_pure_matching_reuses_grouping() -> None:
    conflict = conflicts.load("ru-ua")
    refs = (_ref(1, "a", 1245, "UA", "2025-06-16"), _ref(2, "b", 1248, "UA", "2025-06-16"))
    flow = Flow("RU", "UA", 1245, 1245, 1248, 2, "receiver's own count", ((1245, ("HQ",)), (1248, ("MoD",))))
    known = Event("2025-06-16-bodies", "bodies", "2025-06-16", (flow,), None, (), 2, True, (1, 2))
    doc = Document("x", "x.txt", published="2025-06-17")

    def claim(count: int, date: str | None, kind: str = "exchange") -> Claim:
        return Claim("x", kind, "bodies", "RU", "UA", count, "exact", date, None, None, (0, 1), "x")

    verdicts = check_claims(
        [claim(1245, "2025-06-16"), claim(1248, "2025-06-16"), claim(1245, None), claim(500, "2025-06-02")],
        doc,
        [Candidate(known, refs)],
        conflict,
    )
    assert [v.verdict for v in verdicts] == ["matches", "disagrees", "matches", "new"]
    assert "1,248 is also said by MoD" in verdicts[1].explanation  # a figure the ledger has, not its best
    assert verdicts[2].event_id == "2025-06-16-bodies"  # undated, placed by the week before publication
