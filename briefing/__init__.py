"""briefing: a cited one-page brief from a folder of news articles.

    >>> from briefing import make_brief, BriefOptions
    >>> brief = make_brief("examples/rare-earths", BriefOptions(engine="extractive"))
    >>> print(brief.to_markdown())

Public names are loaded lazily so ``import briefing`` (and ``briefing --help``)
never import openai, instructor, WeasyPrint or Slack.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "Brief",
    "BriefOptions",
    "BriefingError",
    "Source",
    "SourceSet",
    "load_sources",
    "make_brief",
    "render_pdf",
    "render_slack",
]

_LAZY = {
    "Brief": "briefing.models",
    "Source": "briefing.models",
    "SourceSet": "briefing.models",
    "BriefOptions": "briefing.options",
    "BriefingError": "briefing.errors",
    "load_sources": "briefing.sources",
    "make_brief": "briefing.pipeline",
    "render_pdf": "briefing.render.pdf",
    "render_slack": "briefing.render.slack",
}

if TYPE_CHECKING:
    from briefing.errors import BriefingError
    from briefing.models import Brief, Source, SourceSet
    from briefing.options import BriefOptions
    from briefing.pipeline import make_brief
    from briefing.render.pdf import render_pdf
    from briefing.render.slack import render_slack
    from briefing.sources import load_sources


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'briefing' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
