"""Stage: find where the sources disagree.

Extractors turn text into typed fact records (:mod:`.records`): the rule-based
reader over every sentence (:mod:`.reader`) and the adapter for structured
claims (:mod:`.claims`). One aligner (:mod:`.align`) and one comparer
(:mod:`.compare`) work on records whatever made them; :mod:`.core` ranks.
"""

from briefing.reconcile.core import MAX_DISAGREEMENTS, find_disagreements
from briefing.reconcile.records import KINDS, FactRecord

__all__ = ["KINDS", "MAX_DISAGREEMENTS", "FactRecord", "find_disagreements"]
