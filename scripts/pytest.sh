#!/usr/bin/env bash
# Runs the test suite. pytest exits 5 when it collects no test: that is a
# failure here (a suite that tests nothing must not pass), said plainly.
set -uo pipefail
cd "$(dirname "$0")/.."
.venv/bin/python -m pytest "$@"
status=$?
if [ "$status" -eq 5 ]; then
  echo "error: pytest collected no tests; the suite is broken" >&2
  exit 1
fi
exit "$status"
