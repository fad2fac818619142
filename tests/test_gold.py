"""The gold set itself: every label well formed and every quote found in its document."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "check_gold.py"


def test_the_gold_set_is_consistent_with_the_corpus() -> None:
    result = subprocess.run([sys.executable, str(SCRIPT)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "gold set OK" in result.stdout
