"""Print extraction quality on the sample corpus, with what was missed and what was extra.

.venv/bin/python scripts/score.py [-v]
"""

from __future__ import annotations

import sys
from pathlib import Path

from swapledger.evaluate import score_extraction

ROOT = Path(__file__).resolve().parent.parent

if __name__ == "__main__":
    scores = score_extraction(ROOT / "data" / "sample", ROOT / "tests" / "gold")
    for name, score in scores.items():
        print(f"{name:4} {score.summary()}")
    if "-v" in sys.argv:
        for doc, key in scores["all"].missed:
            print("MISSED  ", doc, key)
        for doc, key in scores["all"].spurious:
            print("SPURIOUS", doc, key)
