"""Quality gates: extraction and event grouping scored against the gold set.

The floors live in tests/gold/floors.toml with a digest of the corpus they
were measured on; changing the corpus or lowering a floor is a deliberate,
reviewed change to that file.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from swapledger.cli import cli
from swapledger.evaluate import corpus_digest, score_extraction

from .conftest import GOLD, SAMPLE

FLOORS = tomllib.loads((GOLD / "floors.toml").read_text("utf-8"))


def test_floors_belong_to_this_corpus() -> None:
    assert corpus_digest(SAMPLE, GOLD) == FLOORS["corpus_digest"], (
        "the sample corpus or its labels changed: re-measure, and update corpus_digest in "
        "tests/gold/floors.toml in the same reviewed change"
    )


@pytest.mark.parametrize(
    "language", sorted(k for k in FLOORS if isinstance(FLOORS[k], dict) and k not in ("events", "findings"))
)
def test_extraction_meets_floors(language: str) -> None:
    score = score_extraction(SAMPLE, GOLD)[language]
    print(f"{language}: {score.summary()}")
    floors = FLOORS[language]
    assert score.precision >= floors["precision"], score.spurious[:20]
    assert score.recall >= floors["recall"], score.missed[:20]
    assert score.attribution >= floors["attribution"]


def _ledger_events(tmp_path: Path) -> list[dict[str, object]]:
    runner = CliRunner()
    db = str(tmp_path / "l.db")
    assert runner.invoke(cli, ["ingest", str(SAMPLE), "--db", db]).exit_code == 0
    out = runner.invoke(cli, ["events", "--db", db, "--format", "jsonl"]).output
    return [json.loads(line) for line in out.splitlines()]


def test_event_grouping(tmp_path: Path) -> None:
    gold = [
        json.loads(line) for line in (GOLD / "events.jsonl").read_text("utf-8").splitlines() if line.strip()
    ]
    events = {(e["category"], e["date"]): e for e in _ledger_events(tmp_path)}
    wanted = {(g["category"], g["date"]): g for g in gold}
    found = sorted(set(events) & set(wanted))
    spurious = sorted(set(events) - set(wanted))
    right_figures = 0
    wrong: list[str] = []
    for key in found:
        event, g = events[key], wanted[key]
        flows = {f["to_side"]: f for f in event["flows"]}  # type: ignore[index]
        ok = True
        for side, fact, reported in (
            ("UA", g["to_ua"], g["to_ua_reported"]),
            ("RU", g["to_ru"], g["to_ru_reported"]),
        ):
            if not reported:
                continue
            best = flows.get(side, {}).get("best")
            if best not in reported or (len(reported) == 1 and best != reported[0]):
                ok = False
                wrong.append(f"{key} to {side}: best {best}, reported {reported}, fact {fact}")
        if event["n_documents"] != len(g["docs"]):
            ok = False
            wrong.append(f"{key}: {event['n_documents']} documents, labelled {len(g['docs'])}: {g['docs']}")
        right_figures += ok
    recall = len(found) / len(wanted)
    precision = len(found) / len(events) if events else 0.0
    figures = right_figures / len(wanted)
    print(f"events: recall {recall:.3f}, precision {precision:.3f}, right figures {figures:.3f}")
    floors = FLOORS["events"]
    assert recall >= floors["recall"], sorted(set(wanted) - set(events))
    assert precision >= floors["precision"], spurious
    assert figures >= floors["figures"], wrong


def test_every_sample_event_has_a_status_that_fits_its_figures(tmp_path: Path) -> None:
    """The sample's reports all came after the fact: completed, or disputed where figures differ."""
    listed = _ledger_events(tmp_path)
    events = {e["id"]: e for e in listed}
    assert len(events) == len(listed), "two events share an id"
    for event in listed:
        disagree = any(f["low"] != f["high"] for f in event["flows"])
        assert event["status"] == ("disputed" if disagree else "completed"), event["id"]
    # 1,245 by Kyiv's count against 1,248 by Moscow's; 1,003 against 1,000.
    assert events["2025-06-16-bodies"]["status"] == "disputed"
    assert events["2025-12-19-bodies"]["status"] == "disputed"
