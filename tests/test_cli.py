"""The command line, through click's runner, as a user types it."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from swapledger.cli import cli

from .conftest import write

REPORT = (
    "---\noutlet: Test Wire\npublished: 2025-12-20\n---\n"
    "On Friday Russia returned the bodies of 1,003 Ukrainian soldiers and received 26, "
    "Vladimir Medinsky said.\n"
)


@pytest.fixture
def ledger(runner: CliRunner, sample_dir: Path, db_path: str) -> str:
    result = runner.invoke(cli, ["ingest", str(sample_dir), "--db", db_path])
    assert result.exit_code == 0, result.output
    return db_path


def test_extract_jsonl_is_the_claim_record(runner: CliRunner, tmp_path: Path) -> None:
    path = write(tmp_path / "r.txt", REPORT)
    result = runner.invoke(cli, ["extract", str(path), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.output.splitlines()]
    assert [(r["to_side"], r["count"]) for r in records] == [("UA", 1003), ("RU", 26)]
    for key in (
        "doc",
        "kind",
        "category",
        "from_side",
        "to_side",
        "count",
        "qualifier",
        "event_date",
        "attributed_to",
        "agreement",
        "span",
        "quote",
    ):
        assert key in records[0]
    assert records[0]["doc"] == str(path)
    assert records[0]["attributed_to"] == "Vladimir Medinsky"


def test_extract_table_and_published_option(runner: CliRunner, tmp_path: Path) -> None:
    path = write(tmp_path / "r.txt", "Today Russia returned 1,000 bodies to Ukraine.\n")
    result = runner.invoke(cli, ["extract", str(path), "--format", "table", "--published", "2026-01-29"])
    assert result.exit_code == 0, result.output
    assert "2026-01-29" in result.output and "1000" in result.output


def test_extract_bad_date_option_says_what_to_write(runner: CliRunner, tmp_path: Path) -> None:
    path = write(tmp_path / "r.txt", REPORT)
    result = runner.invoke(cli, ["extract", str(path), "--published", "19/12/2025"])
    assert result.exit_code == 2
    assert "YYYY" in result.output


def test_ingest_summary_and_exit_codes(runner: CliRunner, tmp_path: Path, db_path: str) -> None:
    good = write(tmp_path / "good.txt", REPORT)
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF")
    result = runner.invoke(cli, ["ingest", str(good), str(bad), "--db", db_path])
    assert result.exit_code == 1
    assert "1 new, 0 duplicate, 1 failed" in result.output
    assert "bad.pdf" in result.output and "unsupported file type" in result.output
    again = runner.invoke(cli, ["ingest", str(good), "--db", db_path])
    assert again.exit_code == 0 and "0 new, 1 duplicate, 0 failed" in again.output
    all_bad = runner.invoke(cli, ["ingest", str(bad), "--db", db_path])
    assert all_bad.exit_code == 2


def test_events_formats(runner: CliRunner, ledger: str) -> None:
    result = runner.invoke(cli, ["events", "--db", ledger, "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    events = [json.loads(line) for line in result.output.splitlines()]
    assert len(events) >= 12
    for key in ("id", "category", "date", "flows", "agreement", "mediators", "n_documents", "disputed"):
        assert key in events[0]
    for key in ("from_side", "to_side", "best", "low", "high", "n_sources"):
        assert key in events[0]["flows"][0]
    table = runner.invoke(cli, ["events", "--db", ledger, "--category", "pows", "--since", "2025-08"])
    assert table.exit_code == 0 and "bodies" not in table.output and "2025-08-14-pows" in table.output
    rows = list(
        csv.DictReader(
            io.StringIO(
                runner.invoke(cli, ["events", "--db", ledger, "--format", "csv", "--until", "2024-12"]).output
            )
        )
    )
    assert rows and all(r["date"] <= "2024-12-31" for r in rows)


def test_show_event_with_its_evidence(runner: CliRunner, ledger: str) -> None:
    result = runner.invoke(cli, ["show", "2025-12-19-bodies", "--db", ledger])
    assert result.exit_code == 0, result.output
    assert "1003" in result.output and "DISPUTED" in result.output
    assert "receiver's own count" in result.output
    missing = runner.invoke(cli, ["show", "1999-01-01-bodies", "--db", ledger])
    assert missing.exit_code == 1 and "no event with id" in missing.output


def test_totals(runner: CliRunner, ledger: str) -> None:
    result = runner.invoke(cli, ["totals", "--db", ledger, "--format", "json", "--category", "bodies"])
    assert result.exit_code == 0, result.output
    rows = {r["to_side"]: r for r in json.loads(result.output)}
    assert rows["UA"]["low"] <= rows["UA"]["best"] <= rows["UA"]["high"]
    assert rows["UA"]["best"] > rows["RU"]["best"]


def test_database_from_environment(runner: CliRunner, tmp_path: Path) -> None:
    path = write(tmp_path / "r.txt", REPORT)
    db = tmp_path / "env.db"
    result = runner.invoke(cli, ["ingest", str(path)], env={"SWAPLEDGER_DB": str(db)})
    assert result.exit_code == 0, result.output
    assert db.exists()


def test_unopenable_database(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["events", "--db", "/no/such/dir/x.db"])
    assert result.exit_code == 1 and "does not exist" in result.output


def test_extract_reads_every_kind_of_input(runner: CliRunner, tmp_path: Path) -> None:
    export = Path(__file__).parent / "data" / "telegram" / "result.json"
    post = str(
        write(
            tmp_path / "post.txt",
            "---\npublished: 2025-12-20\n---\n"
            "Вчера Украине передали 1000 тел погибших, Россия получила 26.\n",
        )
    )
    result = runner.invoke(cli, ["extract", str(export), post, "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.output.splitlines()]
    assert {r["doc"].split("#")[0] for r in records} == {str(export), post}
    russian = {(r["to_side"], r["count"], r["event_date"]) for r in records if r["doc"] == post}
    assert russian == {("UA", 1000, "2025-12-19"), ("RU", 26, "2025-12-19")}
