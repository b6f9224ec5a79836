"""Stage: find where the sources disagree.

Extractors turn text into typed fact records (:mod:`.records`): the rule-based
reader over every sentence (:mod:`.reader`), quotations with their speakers
(:mod:`.quotes`) and the adapter for structured claims (:mod:`.claims`). One
aligner (:mod:`.align`, with :mod:`.namesakes` pairing people of one surname) and
one comparer (:mod:`.compare`, which hands quotations, people, places and
statements to :mod:`.quotes`, :mod:`.namesakes`, :mod:`.places` and
:mod:`.statements`) work on records whatever made them; :mod:`.core` ranks and
:mod:`.topics` names what is in dispute. An engine's own disagreements pass
:mod:`.adjudicate` before they join.
"""

from briefing.reconcile.adjudicate import sides_align, sides_differ
from briefing.reconcile.core import MAX_DISAGREEMENTS, Reading, find_disagreements, read_for_reconcile
from briefing.reconcile.identifiers import first_identifier, identifiers, main_identifiers
from briefing.reconcile.people import bare_surnames
from briefing.reconcile.records import KINDS, FactRecord

__all__ = [
    "KINDS",
    "MAX_DISAGREEMENTS",
    "FactRecord",
    "Reading",
    "bare_surnames",
    "find_disagreements",
    "first_identifier",
    "identifiers",
    "main_identifiers",
    "read_for_reconcile",
    "sides_align",
    "sides_differ",
]
