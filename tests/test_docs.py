"""Docs that tests keep honest: the CLI reference must match --help, and every setting is documented."""

from __future__ import annotations

import importlib.util

from swapledger.settings import SETTINGS

from .conftest import ROOT


def _reference() -> str:
    spec = importlib.util.spec_from_file_location("cli_reference", ROOT / "scripts" / "cli_reference.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return str(module.reference())


def test_cli_reference_is_current() -> None:
    current = (ROOT / "docs" / "cli.md").read_text("utf-8")
    assert current == _reference(), "docs/cli.md is stale: run `make docs`"


def test_every_setting_is_documented() -> None:
    current = (ROOT / "docs" / "cli.md").read_text("utf-8")
    for setting in SETTINGS:
        assert setting.env in current


def test_readme_names_both_commands() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    assert "make demo" in readme and "make test" in readme
