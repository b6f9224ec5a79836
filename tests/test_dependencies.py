"""Every module briefing needs at run time comes from a declared dependency.

deptry checks the package's own imports against pyproject.toml. It cannot see what
our libraries import at run time (jusText importing lxml.html.clean, which lxml moved
to a separate distribution that nobody declared any more). The second check exercises
every reader and renderer in a clean interpreter, maps each imported module to its
distribution, and requires that distribution to be reachable from briefing's declared
requirements (with the extras the README installs).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from briefing.errors import EXIT_MISSING_EXTRA, MissingDependencyError

ROOT = Path(__file__).resolve().parent.parent


def test_dependencies_deptry_finds_no_undeclared_or_unused_import() -> None:
    exe = Path(sys.executable).with_name("deptry")
    result = subprocess.run([str(exe), "."], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


_EXERCISE = textwrap.dedent(
    r"""
    import json, sys, tempfile, pathlib
    from briefing import make_brief, BriefOptions
    from briefing.engines.llm.engine import LLMEngine  # openai/instructor are imported lazily; load them
    import openai, instructor  # noqa: F401
    d = pathlib.Path(tempfile.mkdtemp())
    def body(topic):
        return (f"The council approved the new {topic} plan on Monday after a long debate. "
                f"Members said the {topic} plan would take effect next year. ") * 2
    (d / "a.txt").write_text(body("road"))
    (d / "b.md").write_text("---\ntitle: Parks\n---\n" + body("park"))
    (d / "c.html").write_text("<html><head><title>Schools</title></head><body><article><p>"
                              + body("school") + "</p><p>" + body("library") + "</p></article></body></html>")
    from fpdf import FPDF  # test tool only: builds a PDF input for pypdf to read
    pdf = FPDF(); pdf.add_page(); pdf.set_font("Helvetica", size=11); pdf.multi_cell(0, 6, body("harbour"))
    pdf.output(str(d / "d.pdf"))
    brief = make_brief(d, BriefOptions(engine="extractive"))
    assert len(brief.sources) == 4, brief.meta.skipped
    brief.to_markdown(); brief.to_html(); brief.to_pdf(); brief.to_slack()
    import briefing.cli, briefing.slackbot  # noqa: F401
    print(json.dumps(sorted({m.split(".")[0] for m in sys.modules})))
    """
)


def _requirement_closure(extras: set[str], root: str = "briefing") -> set[str]:
    from importlib.metadata import PackageNotFoundError, distribution

    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    seen: set[str] = set()
    todo: list[tuple[str, set[str]]] = [(root, extras)]
    while todo:
        name, wanted = todo.pop()
        key = canonicalize_name(name)
        try:
            dist = distribution(name)
        except PackageNotFoundError:
            continue  # an optional requirement that is not installed cannot be imported either
        seen.add(key)
        for raw in dist.requires or []:
            req = Requirement(raw)
            envs = [{"extra": e} for e in (wanted or {""})]
            if req.marker is not None and not any(req.marker.evaluate(env) for env in envs):
                continue
            if canonicalize_name(req.name) == key:
                todo.append((req.name, set(req.extras)))  # briefing[dev] -> briefing[pdf,slack,test]
                continue
            if canonicalize_name(req.name) not in seen:
                todo.append((req.name, set(req.extras)))
    return seen


def _undeclared(modules: list[str], allowed: set[str]) -> dict[str, list[str]]:
    from importlib.metadata import packages_distributions

    from packaging.utils import canonicalize_name

    owners = packages_distributions()
    bad: dict[str, list[str]] = {}
    for module in modules:
        if module in sys.stdlib_module_names or module in {"briefing", "__main__"} or module.startswith("_"):
            continue
        dists = {canonicalize_name(d) for d in owners.get(module, [])}
        if dists and not dists & allowed:
            bad[module] = sorted(dists)
    return bad


def test_dependencies_runtime_imports_come_from_declared_requirements() -> None:
    result = subprocess.run(
        [sys.executable, "-c", _EXERCISE],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    modules = json.loads(result.stdout.strip().splitlines()[-1])
    # fpdf2 (a test tool) only builds the PDF input here; its own requirements are allowed too.
    allowed = _requirement_closure({"pdf", "slack"}) | _requirement_closure(set(), "fpdf2")
    assert _undeclared(modules, allowed) == {}


def test_dependencies_closure_check_flags_an_undeclared_distribution() -> None:
    # The check above must be able to fail: pytest is installed but not required at run time.
    allowed = _requirement_closure({"pdf", "slack"})
    assert "pytest" not in allowed
    assert _undeclared(["pytest"], allowed) == {"pytest": ["pytest"]}
    assert "lxml-html-clean" in allowed


def test_dependencies_broken_reader_import_is_one_error_not_a_skip_per_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from briefing.sources import load_sources

    for n in range(3):
        (tmp_path / f"page{n}.html").write_text("<html><body><p>Some article text here.</p></body></html>")
    monkeypatch.setitem(sys.modules, "trafilatura", None)  # import trafilatura -> ImportError
    with pytest.raises(MissingDependencyError) as err:
        load_sources(tmp_path)
    assert err.value.exit_code == EXIT_MISSING_EXTRA
    assert "trafilatura" in str(err.value) and "\n" not in str(err.value)


def test_dependencies_cli_exits_5_naming_the_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from briefing.cli import app

    (tmp_path / "page.html").write_text("<html><body><p>Some article text here.</p></body></html>")
    monkeypatch.setitem(sys.modules, "trafilatura", None)
    result = CliRunner().invoke(app, ["make", "--sources", str(tmp_path), "-o", str(tmp_path / "b.md")])
    assert result.exit_code == EXIT_MISSING_EXTRA
    assert "trafilatura" in result.output
    assert not (tmp_path / "b.md").exists()
