"""Settings, declared once: name, default, environment variable and help.

The CLI's help, validation and the docs are all drawn from ``SETTINGS``.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .errors import OptionError


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    env: str
    help: str
    parse: Callable[[str], Any] = str


def _positive_int(value: str) -> int:
    number = int(value)
    if number <= 0:
        raise ValueError("must be a positive whole number")
    return number


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "db",
        "swapledger.db",
        "SWAPLEDGER_DB",
        "Database: a file path or a URL such as sqlite:///ledger.db or postgresql://host/db.",
    ),
    Setting(
        "max_bytes",
        10_000_000,
        "SWAPLEDGER_MAX_BYTES",
        "Largest document read, in bytes; larger files are refused with an error.",
        _positive_int,
    ),
    Setting(
        "conflict",
        "ru-ua",
        "SWAPLEDGER_CONFLICT",
        "The conflict whose parties, officials and agreements are used.",
    ),
)

_BY_NAME = {s.name: s for s in SETTINGS}


def get(name: str) -> Any:
    """The value of a setting: its environment variable if set, else its default."""
    setting = _BY_NAME[name]
    raw = os.environ.get(setting.env)
    if raw is None or raw == "":
        return setting.default
    try:
        return setting.parse(raw)
    except ValueError as exc:
        raise OptionError(setting.env, f"{raw!r} is not valid: {exc}") from exc
