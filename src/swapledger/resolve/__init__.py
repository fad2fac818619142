"""Resolution: from all claims to events (pure functions over values)."""

from .curation import Decision, Problem
from .draft import ClaimRef
from .grouping import BuildResult, build_events

__all__ = ["BuildResult", "ClaimRef", "Decision", "Problem", "build_events"]
