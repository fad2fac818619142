"""Agreements as data, and progress against them: what each side received under each term."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from swapledger import conflicts
from swapledger.cli import cli
from swapledger.errors import NotFoundError
from swapledger.ledger import agreement_detail, agreement_progress
from swapledger.model import Claim, Document, Event, Flow
from swapledger.store import Store

from .conftest import SAMPLE


def test_agreement_terms_are_data() -> None:
    conflict = conflicts.load("ru-ua")
    may = conflict.agreement("istanbul-2025-05")
    june = conflict.agreement("istanbul-2025")
    abu = conflict.agreement("abu-dhabi-2026")
    assert (may.date, may.place, may.host) == ("2025-05-16", "Istanbul", "Türkiye")
    [swap] = may.terms
    assert swap.target("UA") == swap.target("RU") == 1000 and swap.counted == ("pows", "civilians")
    assert may.term("civilians") is swap  # civilians counted among the thousand
    bodies, pows, civilians = june.terms
    assert (bodies.category, bodies.per_side, bodies.describe()) == ("bodies", 6000, "6,000 per side")
    assert pows.all_for_all and pows.target("UA") is None and "aged 18 to 25" in pows.groups
    assert civilians.describe() == "no figure agreed"
    assert abu.mediators == ("United States", "UAE") and abu.terms[0].target("RU") is None
    # what the extractor reads of an agreement did not change: the terms' own categories
    assert may.categories == ("pows",) and june.categories == ("bodies", "pows", "civilians")


def _flow(to_side: str, best: int, low: int | None = None, high: int | None = None) -> Flow:
    from_side = "RU" if to_side == "UA" else "UA"
    return Flow(from_side, to_side, best, low or best, high or best, 1, "single figure")


def _event(event_id: str, category: str, agreement: str | None, flows: list[Flow]) -> Event:
    return Event(event_id, category, event_id[:10], tuple(flows), agreement, (), 1, False)


def _ledger(store: Store) -> None:
    text = "Medinsky said Russia had handed over 2,460 bodies and received 78."
    claims = [
        Claim(
            "m",
            "cumulative",
            "bodies",
            "RU",
            "UA",
            2460,
            "exact",
            "2025-06-16",
            "Vladimir Medinsky",
            "istanbul-2025",
            (0, len(text)),
            text,
        ),
        Claim(
            "m",
            "cumulative",
            "bodies",
            "UA",
            "RU",
            78,
            "exact",
            "2025-06-16",
            "Vladimir Medinsky",
            "istanbul-2025",
            (0, len(text)),
            text,
        ),
    ]
    store.add_document(Document(text, "m.txt", outlet="Wire", published="2025-06-17"), claims, "test")
    store.replace_events(
        [
            _event("2025-06-11-bodies", "bodies", "istanbul-2025", [_flow("UA", 1212), _flow("RU", 27)]),
            _event(
                "2025-06-16-bodies",
                "bodies",
                "istanbul-2025",
                [_flow("UA", 1245, 1245, 1248), _flow("RU", 51)],
            ),
            _event("2025-06-13-bodies", "bodies", "istanbul-2025", [_flow("UA", 1200)]),
            _event("2025-08-24-pows", "pows", "istanbul-2025", [_flow("UA", 146), _flow("RU", 146)]),
            _event(
                "2025-05-23-civilians", "civilians", "istanbul-2025-05", [_flow("UA", 120), _flow("RU", 120)]
            ),
            _event("2025-05-25-pows", "pows", "istanbul-2025-05", [_flow("UA", 303), _flow("RU", 303)]),
            _event("2025-09-18-bodies", "bodies", None, [_flow("UA", 1000)]),
        ]
    )


def test_progress_per_term_and_side(store: Store) -> None:
    _ledger(store)
    progress = {p.agreement.id: p for p in agreement_progress(store)}
    june = {(d.category, d.to_side): d for d in progress["istanbul-2025"].deliveries}
    ua = june[("bodies", "UA")]
    assert (ua.best, ua.low, ua.high, ua.target, ua.remaining, ua.n_events) == (
        3657,
        3657,
        3660,
        6000,
        2343,
        3,
    )
    ru = june[("bodies", "RU")]
    assert (ru.best, ru.remaining, ru.n_events, ru.n_unknown) == (78, 5922, 2, 1)
    assert june[("pows", "UA")].target is None and june[("pows", "UA")].term == "all for all"
    may = {(d.category, d.to_side): d for d in progress["istanbul-2025-05"].deliveries}
    assert may[("pows", "UA")].best == 423 and may[("pows", "UA")].remaining == 577  # 303 + 120 civilians
    assert progress["abu-dhabi-2026"].n_events == 0
    announced = {(t.to_side, t.value): t for t in progress["istanbul-2025"].announced}
    assert announced[("RU", 78)].agrees and announced[("RU", 78)].gap == 0
    # 2,460 is fewer than the 3,657 the ledger holds up to 16 June
    assert not announced[("UA", 2460)].agrees and announced[("UA", 2460)].gap == 2460 - 3657
    record = progress["istanbul-2025"].record()
    assert json.loads(json.dumps(record))["progress"][0]["remaining"] == 2343


def test_agreement_detail_and_unknown_id(store: Store) -> None:
    _ledger(store)
    detail = agreement_detail(store, "istanbul-2025")
    assert [e["id"] for e in detail.events] == [
        "2025-06-11-bodies",
        "2025-06-13-bodies",
        "2025-06-16-bodies",
        "2025-08-24-pows",
    ]
    assert detail.record()["terms"][0]["describe"] == "6,000 per side"
    with pytest.raises(NotFoundError) as caught:
        agreement_detail(store, "minsk-2015")
    assert caught.value.key == "minsk-2015"


@pytest.fixture(scope="module")
def sample_ledger(tmp_path_factory: pytest.TempPathFactory) -> str:
    db = str(tmp_path_factory.mktemp("agreements") / "ledger.db")
    assert CliRunner().invoke(cli, ["ingest", str(SAMPLE), "--db", db, "-q"]).exit_code == 0
    return db


def test_agreements_command(sample_ledger: str, runner: CliRunner) -> None:
    result = runner.invoke(cli, ["agreements", "--db", sample_ledger])
    assert result.exit_code == 0, result.output
    header = result.output.splitlines()[0].split()
    assert header == ["id", "date", "category", "term", "to_UA", "to_RU"]
    assert any(
        line.startswith("istanbul-2025 ") and "6,000 per side" in line for line in result.output.splitlines()
    )
    rows = json.loads(runner.invoke(cli, ["agreements", "--db", sample_ledger, "--format", "json"]).output)
    assert [r["id"] for r in rows] == ["istanbul-2025-05", "istanbul-2025", "abu-dhabi-2026"]
    bodies = next(p for p in rows[1]["progress"] if p["category"] == "bodies" and p["to_side"] == "UA")
    assert bodies["target"] == 6000 and bodies["delivered"] > 3000
    csv = runner.invoke(cli, ["agreements", "--db", sample_ledger, "--format", "csv"]).output
    assert csv.splitlines()[0] == "id,date,category,term,to_side,delivered,target,remaining,events"


def test_agreement_command(sample_ledger: str, runner: CliRunner) -> None:
    result = runner.invoke(cli, ["agreement", "istanbul-2025", "--db", sample_ledger])
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.index("terms:") < out.index("events (") < out.index("progress:")
    assert "2025-06-16-bodies: to UA 1245 (1245-1248)" in out
    assert "bodies to UA: delivered" in out and "of 6000 [6,000 per side]" in out
    assert "announced running totals:" in out and "6060" in out
    data = json.loads(
        runner.invoke(cli, ["agreement", "istanbul-2025", "--db", sample_ledger, "--format", "json"]).output
    )
    assert {"terms", "events", "progress", "announced"} <= set(data)
    unknown = runner.invoke(cli, ["agreement", "minsk-2015", "--db", sample_ledger])
    assert unknown.exit_code == 1
    assert (
        "no agreement with id 'minsk-2015'; known agreements: istanbul-2025-05, istanbul-2025, abu-dhabi-2026"
        in (unknown.output)
    )
