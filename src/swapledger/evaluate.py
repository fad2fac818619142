"""Scoring extraction and grouping against a hand-labelled gold set.

Gold claims live in ``tests/gold/<language>/<stem>.jsonl``, one file per
document of ``data/sample/<language>/``. A claim matches a gold claim when
kind, category, to_side, count and event_date are equal; each gold claim
matches at most one extracted claim.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .extract import ExtractOptions, extract
from .sources import read_path

MATCH_KEYS = ("kind", "category", "to_side", "count", "event_date")


def _key(claim: Mapping[str, Any]) -> tuple[Any, ...]:
    return tuple(claim.get(k) for k in MATCH_KEYS)


@dataclass
class Score:
    """Matched, extracted and gold counts, with what was missed and what was extra."""

    matched: int = 0
    extracted: int = 0
    gold: int = 0
    attributed: int = 0  # matched claims credited to the same person or body as the label
    missed: list[tuple[str, tuple[Any, ...]]] = field(default_factory=list)
    spurious: list[tuple[str, tuple[Any, ...]]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.matched / self.extracted if self.extracted else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 1.0

    @property
    def attribution(self) -> float:
        """Share of matched claims whose ``attributed_to`` is the labelled one."""
        return self.attributed / self.matched if self.matched else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(
        self, doc: str, extracted: Iterable[Mapping[str, Any]], gold: Iterable[Mapping[str, Any]]
    ) -> None:
        extracted, gold = list(extracted), list(gold)
        got, want = Counter(map(_key, extracted)), Counter(map(_key, gold))
        both = got & want
        self.matched += sum(both.values())
        said: dict[tuple[Any, ...], Counter[Any]] = defaultdict(Counter)
        labelled: dict[tuple[Any, ...], Counter[Any]] = defaultdict(Counter)
        for claim in extracted:
            said[_key(claim)][claim.get("attributed_to")] += 1
        for claim in gold:
            labelled[_key(claim)][claim.get("attributed_to")] += 1
        self.attributed += sum(sum((said[k] & labelled[k]).values()) for k in both)
        self.extracted += sum(got.values())
        self.gold += sum(want.values())
        self.missed += [(doc, k) for k in (want - got).elements()]
        self.spurious += [(doc, k) for k in (got - want).elements()]

    def summary(self) -> str:
        return (
            f"precision {self.precision:.3f} ({self.matched}/{self.extracted}), "
            f"recall {self.recall:.3f} ({self.matched}/{self.gold}), f1 {self.f1:.3f}, "
            f"attribution {self.attribution:.3f} ({self.attributed}/{self.matched})"
        )


def gold_pairs(sample_dir: Path, gold_dir: Path) -> list[tuple[Path, Path]]:
    """(document, gold file) pairs: every document of the sample with its labels."""
    pairs = []
    for gold in sorted(gold_dir.glob("*/*.jsonl")):
        language = gold.parent.name
        matches = sorted((sample_dir / language).glob(gold.stem + ".*"))
        if len(matches) != 1:
            raise FileNotFoundError(
                f"{gold}: expected one document named {gold.stem}.* in "
                f"{sample_dir / language}, found {len(matches)}"
            )
        pairs.append((matches[0], gold))
    return pairs


def read_gold(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def score_extraction(sample_dir: Path, gold_dir: Path) -> dict[str, Score]:
    """Scores per language, and over all languages under ``"all"``."""
    scores: dict[str, Score] = {"all": Score()}
    for doc_path, gold_path in gold_pairs(sample_dir, gold_dir):
        language = gold_path.parent.name
        document = read_path(str(doc_path))
        claims = [c.record() for c in extract(document, ExtractOptions(language=language))]
        gold = read_gold(gold_path)
        for name in ("all", language):
            scores.setdefault(name, Score()).add(gold_path.stem, claims, gold)
    return scores


def corpus_digest(sample_dir: Path, gold_dir: Path) -> str:
    """A digest of the sample corpus and its labels, to pin floors to one corpus."""
    digest = hashlib.sha256()
    for root in (sample_dir, gold_dir):
        for path in sorted(p for p in root.rglob("*") if p.is_file() and p.suffix != ".toml"):
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
