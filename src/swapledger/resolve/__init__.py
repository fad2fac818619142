"""Resolution: from all claims to events (pure functions over values)."""

from .grouping import BuildResult, ClaimRef, build_events

__all__ = ["BuildResult", "ClaimRef", "build_events"]
