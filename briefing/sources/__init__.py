"""Stage 1: find the articles in a folder and read each one into a :class:`Source`."""

from briefing.sources.walk import SUPPORTED, load_sources, mark_near_duplicates

__all__ = ["SUPPORTED", "load_sources", "mark_near_duplicates"]
