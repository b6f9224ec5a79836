"""Evaluations shared by ``briefing eval`` and benchmarks/."""

from briefing.evaluation.injected import EvalReport, run_eval

__all__ = ["EvalReport", "run_eval"]
