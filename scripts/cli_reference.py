"""Print docs/cli.md: the CLI reference, from each command's --help, and the settings table.

.venv/bin/python scripts/cli_reference.py > docs/cli.md
"""

from __future__ import annotations

from click.testing import CliRunner

from swapledger.cli import cli
from swapledger.settings import SETTINGS


def reference() -> str:
    runner = CliRunner()
    parts = ["# Command-line reference", "", "Generated from `--help` by `scripts/cli_reference.py`.", ""]
    parts += ["```", runner.invoke(cli, ["--help"], terminal_width=100).output.rstrip(), "```", ""]
    for name in sorted(cli.commands):  # type: ignore[attr-defined]
        help_text = runner.invoke(cli, [name, "--help"], terminal_width=100).output.rstrip()
        parts += [f"## swapledger {name}", "", "```", help_text, "```", ""]
    parts += [
        "## Settings",
        "",
        "| setting | environment variable | default | meaning |",
        "|---|---|---|---|",
    ]
    parts += [f"| {s.name} | `{s.env}` | `{s.default}` | {s.help} |" for s in SETTINGS]
    return "\n".join(parts) + "\n"


if __name__ == "__main__":
    print(reference(), end="")
