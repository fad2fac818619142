"""Analysts' decisions: applied after grouping, kept in an audit log, surviving every rebuild."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from swapledger import conflicts
from swapledger.cli import cli
from swapledger.errors import NotFoundError, OptionError
from swapledger.ledger import apply_decision, rebuild
from swapledger.resolve import ClaimRef, Decision, build_events
from swapledger.store import Store, get_event, list_events

from .conftest import write

REPORTS = {
    "a.txt": "---\npublished: 2025-07-17\n---\nOn Thursday Russia returned 1,000 bodies to Ukraine.\n",
    "b.txt": "---\npublished: 2025-07-18\n---\nUkraine received 1,000 bodies on 18 July.\n",
    "c.txt": "---\npublished: 2025-07-18\n---\nOn July 18, Russia handed over 1,003 bodies to Ukraine.\n",
}
CONFLICT = conflicts.load("ru-ua")


@pytest.fixture
def ledger(tmp_path: Path, runner: CliRunner) -> str:
    db = str(tmp_path / "c.db")
    files = [str(write(tmp_path / name, text)) for name, text in REPORTS.items()]
    assert runner.invoke(cli, ["ingest", *files, "--db", db]).exit_code == 0
    return db


def _ids(db: str) -> list[str]:
    return [e["id"] for e in list_events(Store(db))]


def _run(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_merge_survives_a_rebuild_and_revoking_undoes_it(runner: CliRunner, ledger: str) -> None:
    assert _ids(ledger) == ["2025-07-17-bodies", "2025-07-18-bodies"]
    out = _run(
        runner, "curate", "merge", "2025-07-17-bodies", "2025-07-18-bodies",
        "--who", "ana", "--why", "one handover reported a day late", "--db", ledger,
    )  # fmt: skip
    assert "decision 1: merge" in out
    assert _ids(ledger) == ["2025-07-17-bodies"]
    _run(runner, "rebuild", "--db", ledger)
    merged = get_event(Store(ledger), "2025-07-17-bodies")
    assert merged["n_documents"] == 3
    assert any("merged with 2025-07-18-bodies (decision 1 by ana" in n for n in merged["notes"])
    _run(runner, "curate", "revoke", "1", "--who", "ana", "--why", "two handovers after all", "--db", ledger)
    assert _ids(ledger) == ["2025-07-17-bodies", "2025-07-18-bodies"]
    log = json.loads(_run(runner, "curate", "log", "--format", "json", "--db", ledger))
    assert [(d["id"], d["action"], d["revoked_by"], d["state"]) for d in log] == [
        (1, "merge", 2, "revoked by 2"),
        (2, "revoke", None, "-"),
    ]


def test_split_reject_and_set(runner: CliRunner, ledger: str) -> None:
    store = Store(ledger)
    claims = {c["count"]: c["id"] for c in get_event(store, "2025-07-18-bodies")["claims"]}
    _run(
        runner, "curate", "split", "2025-07-18-bodies", "--claims", str(claims[1003]),
        "--who", "bo", "--why", "a second handover that day", "--db", ledger,
    )  # fmt: skip
    split_id = "2025-07-18-bodies-split1"
    assert _ids(ledger) == ["2025-07-17-bodies", "2025-07-18-bodies", split_id]
    assert get_event(store, split_id)["flows"][0]["best"] == 1003
    assert get_event(store, "2025-07-18-bodies")["flows"][0]["low"] == 1000

    [first] = get_event(store, "2025-07-17-bodies")["claims"]
    _run(runner, "curate", "reject", str(first["id"]), "--who", "bo", "--why", "misread", "--db", ledger)
    assert _ids(ledger) == ["2025-07-18-bodies", split_id]
    assert store.execute_sql(f"select count(*) from claims where id = {first['id']}") == [(1,)]

    _run(
        runner, "curate", "set", split_id, "--to", "UA", "--count", "1002",
        "--who", "cy", "--why", "forensic count", "--db", ledger,
    )  # fmt: skip
    _run(runner, "rebuild", "--db", ledger)
    flow = get_event(store, split_id)["flows"][0]
    assert (flow["best"], flow["low"], flow["high"]) == (1002, 1003, 1003)
    assert flow["rule"] == "set by analyst cy: forensic count"
    assert "set by analyst cy" in _run(runner, "show", split_id, "--db", ledger)


def test_a_decision_whose_target_is_gone_is_reported(runner: CliRunner, ledger: str) -> None:
    store = Store(ledger)
    [only] = get_event(store, "2025-07-17-bodies")["claims"]
    _run(runner, "curate", "set", "2025-07-17-bodies", "--to", "UA", "--count", "999",
         "--who", "ana", "--why", "w", "--db", ledger)  # fmt: skip
    result = runner.invoke(
        cli, ["curate", "reject", str(only["id"]), "--who", "ana", "--why", "not an exchange", "--db", ledger]
    )
    assert result.exit_code == 0
    assert "decision 1 does not apply: event 2025-07-17-bodies no longer exists" in result.output
    rebuilt = runner.invoke(cli, ["rebuild", "--db", ledger])
    assert "decision 1 no longer applies: event 2025-07-17-bodies no longer exists" in rebuilt.output
    log = _run(runner, "curate", "log", "--db", ledger)
    assert "does not apply: event 2025-07-17-bodies no longer exists" in log


def test_bad_decisions_are_refused_before_they_are_logged(runner: CliRunner, ledger: str) -> None:
    store = Store(ledger)
    with pytest.raises(NotFoundError, match="2025-07-19-bodies"):
        apply_decision(store, "set", "2025-07-19-bodies", {"to": "UA", "count": 5}, "ana", "why")
    with pytest.raises(OptionError, match="'XX' is not a party of ru-ua"):
        apply_decision(store, "set", "2025-07-17-bodies", {"to": "XX", "count": 5}, "ana", "why")
    with pytest.raises(OptionError, match="why"):
        store.add_decision("set", "2025-07-17-bodies", {"to": "UA", "count": 5}, "ana", " ")
    with pytest.raises(OptionError, match="not in event"):
        store.add_decision("split", "2025-07-17-bodies", {"claims": [999]}, "ana", "why")
    with pytest.raises(NotFoundError):
        store.add_decision("revoke", "42", {}, "ana", "why")
    assert store.decisions() == []
    result = runner.invoke(
        cli, ["curate", "merge", "2025-07-17-bodies", "--who", "a", "--why", "b", "--db", ledger]
    )
    assert result.exit_code == 2 and "at least two events" in result.output
    result = runner.invoke(
        cli, ["curate", "merge", "2025-07-17-bodies", "nope", "--who", "a", "--why", "b", "--db", ledger]
    )
    assert result.exit_code == 2 and "'nope' is not an event id" in result.output


def test_decisions_are_stored_alike_on_both_databases(store: Store) -> None:
    assert store.decisions() == []
    with pytest.raises(NotFoundError):
        store.add_decision("reject", "7", {}, "ana", "no such claim")
    rebuild(store)
    assert store.curation_problems() == []


def _ref(cid: int, doc: str, day: str, to: str, n: int, published: str = "2025-07-17") -> ClaimRef:
    frm = "RU" if to == "UA" else "UA"
    return ClaimRef(cid, doc, "exchange", "bodies", frm, to, n, "exact", day, None, None, "", published)


def test_decisions_are_applied_by_a_pure_function_in_the_order_made() -> None:
    claims = [
        _ref(1, "a", "2025-07-17", "UA", 1000),
        _ref(2, "b", "2025-07-18", "UA", 1000),
        _ref(3, "b", "2025-07-18", "UA", 1003),
    ]
    decisions = [
        Decision(1, "merge", "2025-07-17-bodies", {"events": ["2025-07-18-bodies"]}, "ana", "same"),
        Decision(2, "set", "2025-07-18-bodies", {"to": "UA", "count": 1}, "ana", "too late: merged"),
        Decision(3, "reject", "3", {}, "ana", "misread"),
        Decision(4, "reject", "99", {}, "ana", "gone"),
        Decision(
            5, "merge", "2025-07-17-bodies", {"events": ["2025-07-20-bodies"]}, "ana", "x", revoked_by=6
        ),
    ]
    result = build_events(claims, CONFLICT, decisions)
    assert [(e.id, e.claim_ids) for e in result.events] == [("2025-07-17-bodies", (1, 2))]
    assert sorted((p.decision_id, p.reason) for p in result.problems) == [
        (2, "event 2025-07-18-bodies no longer exists"),
        (4, "claim 99 no longer exists"),
    ]
