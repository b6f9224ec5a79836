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
    from briefing.engines import Engine
    from briefing.engines.llm.batch import BatchPending
    from briefing.models import Brief
    from briefing.options import BriefOptions

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
batch_app = typer.Typer(
    help="OpenAI Batch API jobs (make --batch).", no_args_is_help=True, rich_markup_mode=None
)
app.add_typer(batch_app, name="batch")


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
    sources: Annotated[
        str,
        typer.Option(
            "--sources",
            "-s",
            help="Folder (or file) of articles; an .opml or .urls file, or an http(s) URL, is fetched first "
            "into a dated folder under the cache.",
        ),
    ],
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
    max_cost: Annotated[
        float | None, typer.Option(help="Refuse to start if the estimated cost (USD) is higher.")
    ] = None,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Do not read or write the response cache.")
    ] = False,
    paper: Annotated[Paper, typer.Option(help="Paper size for PDF/HTML.")] = Paper.a4,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Only errors on stderr.")] = False,
    since: Annotated[
        Path | None, typer.Option(help="An earlier brief (JSON): mark what is new or changed since.")
    ] = None,
    batch: Annotated[
        bool, typer.Option("--batch", help="Extract through the OpenAI Batch API (half price, slower).")
    ] = False,
    no_wait: Annotated[
        bool, typer.Option("--no-wait", help="With --batch: print the job id and exit; see `batch collect`.")
    ] = False,
    poll: Annotated[float, typer.Option(help="With --batch: seconds between status checks.")] = 15.0,
) -> None:
    """Write a one-page brief of the articles in --sources."""
    from briefing.config import load_settings
    from briefing.errors import EXIT_USAGE

    if fmt is Format.pdf and output is None:
        _fail("--format pdf needs --output FILE", EXIT_USAGE)
    if no_wait and not batch:
        _fail("--no-wait goes with --batch", EXIT_USAGE)
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
        max_cost=max_cost,
        cache=False if no_cache else None,
    )
    api_key = settings.secret()
    previous = None
    if since is not None:
        from briefing.since import load_previous

        previous = _run(load_previous, since)  # read first: a bad file fails before any work
    folder = _fetch_for_make(sources, options, quiet)
    batch_engine = None
    if batch:
        from briefing.engines.llm.batch import BatchEngine, BatchJobSpec

        if options.engine not in ("auto", "llm"):
            _fail("--batch works with the LLM engine only", EXIT_USAGE)

        job = BatchJobSpec(
            sources=str(folder.resolve()),
            output=str(output.resolve()) if output else None,
            format=fmt.value,
            paper=paper.value,
            since=str(since.resolve()) if since else None,
        )
        batch_engine = _run(
            BatchEngine, options, api_key=api_key, wait=not no_wait, job=job, poll_seconds=poll
        )
    brief = _make_with_progress(folder, options, api_key, quiet, engine=batch_engine)
    if brief is None:
        return  # --batch --no-wait: the job id was printed
    _finish_make(brief, options, api_key, quiet, previous, output, fmt, paper)


def _finish_make(
    brief: Brief,
    options: BriefOptions,
    api_key: str | None,
    quiet: bool,
    previous: dict[str, object] | None,
    output: Path | None,
    fmt: Format,
    paper: Paper,
) -> None:
    from briefing.engines import resolve_engine_name

    if previous is not None:
        from briefing.since import with_changes

        brief = _run(with_changes, previous, brief)
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


def _make_with_progress(
    sources: Path, options: BriefOptions, api_key: str | None, quiet: bool, *, engine: Engine | None = None
) -> Brief | None:
    """The brief, or None when a --batch --no-wait job was submitted (its id is printed)."""
    from briefing.models import Brief
    from briefing.pipeline import make_brief
    from briefing.progress import progress

    # Only a batch engine can end in a pending job; a plain run never imports the batch module.
    pending_job: tuple[type[BatchPending], ...] = ()
    if engine is not None:
        from briefing.engines.llm.batch import BatchPending

        pending_job = (BatchPending,)

    def make() -> Brief | BatchPending:
        try:
            return make_brief(sources, options, api_key=api_key, on_event=on_event, engine=engine)
        except pending_job as pending:
            return pending
        finally:
            if engine is not None:
                engine.close()

    with progress(quiet) as on_event:
        made = _run(make)
    if not isinstance(made, Brief):
        typer.echo(made.batch_id)  # stdout: the id alone, for scripts
        if not quiet:
            _note(str(made))
        return None
    return made


def _fetch_for_make(sources: str, options: BriefOptions, quiet: bool) -> Path:
    """``--sources`` as is, or fetched first (an .opml/.urls file or a URL) into a dated folder."""
    from briefing.sources.fetch import is_source_list

    if not is_source_list(sources):
        return Path(sources)
    from datetime import date

    folder = _cache_root(options) / "fetched" / date.today().isoformat()
    _fetch_and_report([sources], folder, quiet)
    return folder


def _cache_root(options: BriefOptions) -> Path:
    if options.cache_dir is not None:
        return options.cache_dir
    import platformdirs

    return platformdirs.user_cache_path("briefing")


def _fetch_and_report(sources: list[str], folder: Path, quiet: bool, **limits: object) -> None:
    from briefing.progress import progress
    from briefing.sources.fetch import FetchOptions, fetch_sources, summarize

    options = _run(FetchOptions.model_validate, {k: v for k, v in limits.items() if v is not None})
    from briefing.errors import EXIT_USAGE

    with progress(quiet) as on_event:
        report = _run(fetch_sources, sources, folder, options, on_event=on_event)
    for line in summarize(report):
        if not quiet or line.startswith("failed"):
            _note(line)
    if report.failed and not report.saved and not report.skipped:
        _fail("nothing could be fetched", EXIT_USAGE)


@app.command()
def fetch(
    sources: Annotated[
        list[str], typer.Argument(help="OPML files, text files of URLs (one a line), or feed/article URLs.")
    ],
    output: Annotated[Path, typer.Option("--output", "-o", help="Folder to save the articles in.")],
    timeout: Annotated[float | None, typer.Option(help="Seconds per request, in all (default 20).")] = None,
    max_bytes: Annotated[int | None, typer.Option(help="Largest page accepted (default 5 MB).")] = None,
    per_host: Annotated[int | None, typer.Option(help="Concurrent requests per host (default 2).")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Only failures on stderr.")] = False,
) -> None:
    """Fetch feeds and articles into a folder of .md files (already fetched URLs are skipped)."""
    _fetch_and_report(sources, output, quiet, timeout=timeout, max_bytes=max_bytes, per_host=per_host)


@app.command()
def post(
    brief_file: Annotated[
        Path, typer.Argument(metavar="BRIEF.json", help="A brief made with --format json.")
    ],
    channel: Annotated[str, typer.Option(help="Channel id (C0123...) or #name.")],
    api_url: Annotated[
        str | None, typer.Option(envvar="BRIEFING_SLACK_API_URL", help="Slack Web API base URL (tests).")
    ] = None,
) -> None:
    """Post a made brief to Slack with the bot token (SLACK_BOT_TOKEN), sources in a thread if long."""
    from briefing.errors import EXIT_USAGE
    from briefing.post import load_brief, make_client, post_brief
    from briefing.slackbot import BotSettings

    brief = _run(load_brief, brief_file)
    settings = _run(BotSettings)
    if settings.bot_token is None:
        _fail("set SLACK_BOT_TOKEN to the bot's xoxb- token", EXIT_USAGE)
    client = _run(make_client, settings.bot_token.get_secret_value(), api_url)
    posted = _run(post_brief, brief, channel, client)
    extra = f", sources in {len(posted.thread_replies)} thread repl" + (
        "y" if len(posted.thread_replies) == 1 else "ies"
    )
    _note(f"posted to {posted.channel} (ts {posted.ts}{extra if posted.thread_replies else ''})")


@batch_app.command("collect")
def batch_collect(
    batch_id: Annotated[str, typer.Argument(metavar="ID", help="The id `make --batch --no-wait` printed.")],
    config: Annotated[Path | None, typer.Option(help="TOML config file.")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Only errors on stderr.")] = False,
    poll: Annotated[float, typer.Option(help="Seconds between status checks.")] = 15.0,
) -> None:
    """Wait for a batch job, then finish the brief as `make --batch` would have."""
    from briefing.config import load_settings
    from briefing.engines.llm.batch import BatchEngine, load_job

    settings = _run(load_settings, config)
    job = _run(load_job, _cache_root(settings.options()), batch_id)
    options = _run(lambda: job.brief_options())
    api_key = settings.secret()
    engine = _run(BatchEngine, options, api_key=api_key, wait=True, job=job, poll_seconds=poll)
    previous = None
    if job.since:
        from briefing.since import load_previous

        previous = _run(load_previous, job.since)
    brief = _make_with_progress(Path(job.sources), options, api_key, quiet, engine=engine)
    if brief is not None:
        output = Path(job.output) if job.output else None
        _finish_make(brief, options, api_key, quiet, previous, output, Format(job.format), Paper(job.paper))


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
        if m.chunks_fallback:
            parts.append(f"{m.chunks_fallback} chunks fell back to extractive")
        if m.engine == "llm-batch":
            parts.append("extraction billed at the Batch API's half price")
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
