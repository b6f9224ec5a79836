"""Stage: find where the sources disagree."""

from briefing.reconcile.core import MAX_DISAGREEMENTS, find_disagreements

__all__ = ["MAX_DISAGREEMENTS", "find_disagreements"]
