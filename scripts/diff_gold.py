"""Show, document by document, the claims extraction missed or added against the gold set.

.venv/bin/python scripts/diff_gold.py [STEM...]
"""

from __future__ import annotations

import sys
from pathlib import Path

from swapledger.evaluate import MATCH_KEYS, Score, gold_pairs, read_gold
from swapledger.extract import ExtractOptions, extract
from swapledger.sources import read_path

ROOT = Path(__file__).resolve().parent.parent

if __name__ == "__main__":
    wanted = set(sys.argv[1:])
    for doc_path, gold_path in gold_pairs(ROOT / "data" / "sample", ROOT / "tests" / "gold"):
        if wanted and not any(w in gold_path.stem for w in wanted):
            continue
        claims = extract(read_path(str(doc_path)), ExtractOptions(language=gold_path.parent.name))
        got = [c.record() for c in claims]
        gold = read_gold(gold_path)
        score = Score()
        score.add(gold_path.stem, got, gold)
        if not score.missed and not score.spurious:
            continue
        print(f"== {gold_path.stem}")
        for _, key in score.missed:
            quote = next(g["quote"] for g in gold if tuple(g.get(k) for k in MATCH_KEYS) == key)
            print(f"  MISSED   {key}\n           {quote[:150]}")
        for _, key in score.spurious:
            quote = next(g["quote"] for g in got if tuple(g.get(k) for k in MATCH_KEYS) == key)
            print(f"  SPURIOUS {key}\n           {quote[:150]}")
