"""The command line: a thin layer over the library.

Every command parses its arguments, calls ``briefing`` library functions and
prints. Heavy modules (pydantic models, openai, WeasyPrint, Slack) are
imported inside the commands, so ``briefing --help`` starts fast.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn, ParamSpec, TypeVar

import typer

if TYPE_CHECKING:
    from rich.console import Console

    from briefing.models import Brief
    from briefing.options import BriefOptions
    from briefing.run import Event

P = ParamSpec("P")
T = TypeVar("T")

app = typer.Typer(
    help="Turn a folder of news articles into a cited one-page brief that says where the sources disagree.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Plain help text: rich markup rendering would import rich on every --help.
    rich_markup_mode=None,
)
cache_app = typer.Typer(help="The LLM response cache.", no_args_is_help=True, rich_markup_mode=None)
app.add_typer(cache_app, name="cache")


class Format(StrEnum):
    md = "md"
    json = "json"
    html = "html"
    pdf = "pdf"
    slack = "slack"


class EngineChoice(StrEnum):
    auto = "auto"
    llm = "llm"
    extractive = "extractive"
    local = "local"


class Paper(StrEnum):
    a4 = "a4"
    letter = "letter"


class ListFormat(StrEnum):
    table = "table"
    json = "json"


def _fail(message: str, code: int) -> NoReturn:
    typer.echo(f"briefing: error: {message}", err=True)
    raise typer.Exit(code)


def _note(message: str) -> None:
    typer.echo(f"briefing: {message}", err=True)


def _run(fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """Call into the library; user errors become one line and an exit code."""
    from briefing.errors import EXIT_INTERNAL, EXIT_INTERRUPTED, BriefingError

    try:
        return fn(*args, **kwargs)
    except BriefingError as exc:
        _fail(str(exc), exc.exit_code)
    except KeyboardInterrupt:
        _fail("interrupted; no output was written", EXIT_INTERRUPTED)
    except Exception as exc:  # a bug must still not print a traceback at the user
        _fail(f"unexpected {type(exc).__name__}: {exc} (please report this)", EXIT_INTERNAL)


@app.command()
def make(
    sources: Annotated[Path, typer.Option("--sources", "-s", help="Folder (or file) of articles to read.")],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here (atomically) instead of stdout.")
    ] = None,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.md,
    engine: Annotated[
        EngineChoice | None, typer.Option(help="Default: llm if configured, else extractive.")
    ] = None,
    model: Annotated[str | None, typer.Option(help="LLM model name.")] = None,
    base_url: Annotated[
        str | None, typer.Option(help="OpenAI-compatible endpoint, e.g. http://localhost:11434/v1")
    ] = None,
    model_path: Annotated[Path | None, typer.Option(help="GGUF file for --engine local.")] = None,
    config: Annotated[Path | None, typer.Option(help="TOML config file.")] = None,
    title: Annotated[str | None, typer.Option(help="Title of the brief.")] = None,
    max_words: Annotated[int | None, typer.Option(help="Word budget of the brief (default 500).")] = None,
    concurrency: Annotated[int | None, typer.Option(help="Concurrent LLM calls (default 8).")] = None,
    local: Annotated[
        bool | None,
        typer.Option(
            "--local",
            help="The --base-url server is a local model: one request at a time, long deadlines "
            "(found automatically for llama.cpp servers).",
        ),
    ] = None,
    context_tokens: Annotated[
        int | None, typer.Option(help="The local model's context window, if the server does not say.")
    ] = None,
    max_cost: Annotated[
        float | None, typer.Option(help="Refuse to start if the estimated cost (USD) is higher.")
    ] = None,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Do not read or write the response cache.")
    ] = False,
    paper: Annotated[Paper, typer.Option(help="Paper size for PDF/HTML.")] = Paper.a4,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Only errors on stderr.")] = False,
) -> None:
    """Write a one-page brief of the articles in --sources."""
    from briefing.config import load_settings
    from briefing.engines import resolve_engine_name
    from briefing.errors import EXIT_USAGE

    if fmt is Format.pdf and output is None:
        _fail("--format pdf needs --output FILE", EXIT_USAGE)
    settings = _run(load_settings, config)
    options = _run(
        settings.options,
        engine=engine.value if engine else None,
        model=model,
        base_url=base_url,
        model_path=model_path,
        title=title,
        max_words=max_words,
        concurrency=concurrency,
        local=local,
        context_tokens=context_tokens,
        max_cost=max_cost,
        cache=False if no_cache else None,
    )
    api_key = settings.secret()
    brief = _make_with_progress(sources, options, api_key, quiet)
    if not quiet:
        if brief.meta.engine == "extractive":
            _note(
                "engine: extractive (no LLM configured; set OPENAI_API_KEY, or --base-url for a local "
                "OpenAI-compatible server, to use the LLM engine)"
                if resolve_engine_name(options, api_key=api_key) == "extractive"
                else "engine: extractive"
            )
        else:
            _note(f"engine: {brief.meta.engine} (model {brief.meta.model})")
        for skipped in brief.meta.skipped:
            _note(f"skipped {skipped.path}: {skipped.reason}")
        for warning in brief.meta.warnings[:20]:
            _note(f"warning: {warning}")
        _note(_summary(brief))
    data = _run(_render, brief, fmt, paper)
    if output is None:
        sys.stdout.write(data if isinstance(data, str) else data.decode())
        return
    from briefing.atomic import write_atomic

    _run(write_atomic, output, data)
    if not quiet:
        _note(f"wrote {output}")


def _make_with_progress(sources: Path, options: BriefOptions, api_key: str | None, quiet: bool) -> Brief:
    from briefing.pipeline import make_brief

    if quiet or not sys.stderr.isatty():
        return _run(make_brief, sources, options, api_key=api_key)
    from rich.progress import Progress

    with Progress(transient=True, console=_stderr_console()) as progress:
        task = progress.add_task("reading", total=None)

        def on_event(event: Event) -> None:
            if event.kind == "stage":
                progress.update(
                    task, description=event.message, total=event.total or None, completed=event.done
                )
            elif event.kind == "chunk":
                progress.update(task, total=event.total, completed=event.done)

        return _run(make_brief, sources, options, api_key=api_key, on_event=on_event)


def _stderr_console() -> Console:
    from rich.console import Console

    return Console(stderr=True)


def _summary(brief: Brief) -> str:
    m = brief.meta
    parts = [
        f"{len(brief.sources)} sources",
        f"{m.chunks} chunks",
        f"{m.claims} claims",
        f"{len(brief.disagreements)} disagreements",
        f"{m.words} words",
    ]
    if m.engine != "extractive":
        u = m.usage
        cost = f"${u.cost_usd:.4f}" if u.cost_usd is not None else "cost unknown"
        parts.append(
            f"{u.calls} calls, {u.cache_hits} cache hits, "
            f"{u.prompt_tokens}+{u.completion_tokens} tokens, {cost}"
        )
        if m.claims_rejected:
            parts.append(f"{m.claims_rejected} claims rejected")
        if m.sentences_unsupported or m.sentences_replaced:
            parts.append(
                f"{m.sentences_unsupported} unsupported sentences caught ({m.sentences_replaced} replaced)"
            )
        if m.points_filled:
            parts.append(f"{m.points_filled} points filled from the extractive engine")
        if m.chunks_fallback:
            parts.append(f"{m.chunks_fallback} chunks fell back to extractive")
    return "made brief: " + ", ".join(parts)


def _render(brief: Brief, fmt: Format, paper: Paper) -> str | bytes:
    if fmt is Format.md:
        return brief.to_markdown()
    if fmt is Format.json:
        return brief.to_json() + "\n"
    if fmt is Format.html:
        from briefing.render.html import render_html

        return render_html(brief, paper=paper.value)
    if fmt is Format.pdf:
        from briefing.render.pdf import render_pdf

        return render_pdf(brief, paper=paper.value)
    import json

    return json.dumps(brief.to_slack(), indent=2, ensure_ascii=False) + "\n"


@app.command("sources")
def list_sources(
    folder: Annotated[Path, typer.Argument(help="Folder (or file) of articles.")],
    fmt: Annotated[ListFormat, typer.Option("--format", "-f")] = ListFormat.table,
    text: Annotated[bool, typer.Option("--text", help="Include the extracted text (JSON).")] = False,
) -> None:
    """List what `make` would read, and what it would skip and why."""
    from briefing.sources import load_sources

    source_set = _run(load_sources, folder)
    if fmt is ListFormat.json:
        exclude = None if text else {"sources": {"__all__": {"text"}}}
        sys.stdout.write(source_set.model_dump_json(indent=2, exclude=exclude) + "\n")
        return
    if not sys.stdout.isatty():
        # Pipes and scripts get one tab-separated line per file, never wrapped.
        for s in source_set.sources:
            note = f"near-duplicate of {s.duplicate_of}" if s.duplicate_of else ""
            row = [s.id, s.path, s.title or "", s.outlet or "", s.published or "", str(s.chars), note]
            sys.stdout.write("\t".join(row) + "\n")
        for k in source_set.skipped:
            sys.stdout.write("\t".join(["-", k.path, "", "", "", "", f"skipped: {k.reason}"]) + "\n")
        return
    from rich.console import Console
    from rich.table import Table

    table = Table("id", "path", "title", "outlet", "date", "chars", "note")
    for s in source_set.sources:
        note = f"near-duplicate of {s.duplicate_of}" if s.duplicate_of else ""
        table.add_row(s.id, s.path, s.title or "", s.outlet or "", s.published or "", str(s.chars), note)
    for k in source_set.skipped:
        table.add_row("-", k.path, "", "", "", "", f"skipped: {k.reason}")
    Console().print(table)


@cache_app.command("clear")
def cache_clear() -> None:
    """Delete every cached LLM response."""
    from briefing.config import load_settings
    from briefing.engines.llm.cache import ResponseCache

    settings = _run(load_settings)
    removed = _run(lambda: ResponseCache(settings.cache_dir).clear())
    typer.echo(f"removed {removed} cached responses")


@cache_app.command("info")
def cache_info() -> None:
    """Where the cache is and how big."""
    from briefing.config import load_settings
    from briefing.engines.llm.cache import ResponseCache

    settings = _run(load_settings)
    stats = _run(lambda: ResponseCache(settings.cache_dir).stats())
    typer.echo(f"{stats.path}: {stats.entries} responses, {stats.bytes} bytes")


@app.command()
def slack(
    config: Annotated[Path | None, typer.Option(help="TOML config file.")] = None,
) -> None:
    """Run the Slack bot (/brief <folder>): Socket Mode with SLACK_APP_TOKEN, else HTTP."""
    from briefing.slackbot import BotSettings, run

    settings = _run(BotSettings)
    _run(run, settings)


@app.command("eval")
def evaluate(
    corpus: Annotated[Path, typer.Option(help="Clusters folder, e.g. ../shared/corpora/allsides/clusters")],
    limit: Annotated[int, typer.Option(help="Clusters to use.")] = 40,
    seed: Annotated[int, typer.Option(help="Random seed for the injected conflicts.")] = 0,
    engine: Annotated[EngineChoice, typer.Option(help="Engine to evaluate.")] = EngineChoice.extractive,
) -> None:
    """Inject conflicts into real multi-outlet clusters and measure how many are flagged."""
    from briefing.evaluation import run_eval

    report = _run(run_eval, corpus, limit=limit, seed=seed, engine=engine.value)
    typer.echo(report.to_table())
    typer.echo(report.model_dump_json(exclude={"cases", "misses", "false_positive_examples"}))


def main() -> None:
    app()


if __name__ == "__main__":
    main()
