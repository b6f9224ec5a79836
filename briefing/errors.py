"""Errors the user can act on, each with the exit code the CLI documents.

The CLI prints ``str(error)`` on one line and exits with ``error.exit_code``;
anything else that escapes is a bug and still gets one line (exit 1).
"""

from __future__ import annotations

# Exit codes, documented in the README's "Exit codes" table.
EXIT_OK = 0
EXIT_INTERNAL = 1
EXIT_USAGE = 2  # bad arguments or input: missing/empty folder, nothing readable
EXIT_LLM = 3  # the LLM endpoint could not be used (auth, unreachable, bad model)
EXIT_COST = 4  # --max-cost would be exceeded
EXIT_MISSING_EXTRA = 5  # an optional extra (pdf, slack, local) or a dependency is not installed
EXIT_OUTPUT = 6  # the output file could not be written
EXIT_INTERRUPTED = 130  # Ctrl-C; no partial output is left behind


class BriefingError(Exception):
    """Base class: a message for the user and an exit code."""

    exit_code = EXIT_INTERNAL


class InputError(BriefingError):
    exit_code = EXIT_USAGE


class LLMError(BriefingError):
    exit_code = EXIT_LLM


class CostLimitError(BriefingError):
    exit_code = EXIT_COST


class MissingExtraError(BriefingError):
    exit_code = EXIT_MISSING_EXTRA

    def __init__(self, extra: str, module: str) -> None:
        super().__init__(
            f"this needs the '{extra}' extra ({module} is not installed): pip install 'briefing[{extra}]'"
        )
        self.extra = extra
        self.module = module


class MissingDependencyError(BriefingError):
    """A required library is missing or broken: the install is incomplete, not the input."""

    exit_code = EXIT_MISSING_EXTRA

    def __init__(self, what: str, exc: ImportError) -> None:
        detail = " ".join(str(exc).split())[:300]
        missing = exc.name or "a dependency"
        super().__init__(
            f"cannot {what}: {missing} failed to import ({detail}); "
            "reinstall briefing with its dependencies (the README's setup command)"
        )
        self.module = missing


class OutputError(BriefingError):
    exit_code = EXIT_OUTPUT
