"""Evaluations shared by ``briefing eval`` and benchmarks/."""

from briefing.evaluation.injected import EvalReport, run_eval
from briefing.evaluation.natural import NaturalReport, run_natural

__all__ = ["EvalReport", "NaturalReport", "run_eval", "run_natural"]
