"""Entry point of the parse worker process: ``python -m briefing.sources._parse_child JOBS RESULTS``.

A module of its own, so the worker never runs the caller's ``__main__`` and
the classes it sends back are the ones the parent knows.
"""

from __future__ import annotations

import sys
from multiprocessing.connection import Connection

from briefing.sources.readers import serve


def main(argv: list[str]) -> None:
    jobs = Connection(int(argv[0]), writable=False)
    results = Connection(int(argv[1]), readable=False)
    serve(jobs, results)


if __name__ == "__main__":
    main(sys.argv[1:])
