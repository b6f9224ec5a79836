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
    from briefing.output import OutputTarget

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


# The endpoint options of `make` and `eval`, declared once: both put them into BriefOptions
# through the same settings (CLI > BRIEFING_* environment > config file > defaults).
ModelOption = Annotated[str | None, typer.Option(help="LLM model name.")]
BaseUrlOption = Annotated[
    str | None, typer.Option(help="OpenAI-compatible endpoint, e.g. http://localhost:11434/v1")
]
ConfigOption = Annotated[Path | None, typer.Option(help="TOML config file.")]
ConcurrencyOption = Annotated[int | None, typer.Option(help="Concurrent LLM calls (default 8).")]
LocalOption = Annotated[
    bool | None,
    typer.Option(
        "--local",
        help="The --base-url server is a local model: one request at a time, long deadlines "
        "(found automatically for llama.cpp servers).",
    ),
]
ContextTokensOption = Annotated[
    int | None, typer.Option(help="The local model's context window, if the server does not say.")
]
NoCacheOption = Annotated[bool, typer.Option("--no-cache", help="Do not read or write the response cache.")]


class ListFormat(StrEnum):
    table = "table"
    tsv = "tsv"
    json = "json"


# Messages carry file names, article text and LLM server errors: printable()
# makes their control characters visible instead of letting the terminal obey them.
def _fail(message: str, code: int) -> NoReturn:
    from briefing.text import printable

    typer.echo(f"briefing: error: {printable(message)}", err=True)
    raise typer.Exit(code)


def _note(message: str) -> None:
    from briefing.text import printable

    typer.echo(f"briefing: {printable(message)}", err=True)


def _version(value: bool) -> None:
    if value:
        from briefing import __version__

        typer.echo(f"briefing {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit."),
    ] = False,
) -> None:
    """Turn a folder of news articles into a cited one-page brief that says where the sources disagree."""


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
        str | None,
        typer.Option(
            "--output",
            "-o",
            help="Write here instead of stdout ('-' is stdout). A regular file is replaced atomically; "
            "a device, FIFO or link is written to, never replaced.",
        ),
    ] = None,
    fmt: Annotated[
        Format | None,
        typer.Option("--format", "-f", help="Output format (default: from the -o extension, else md)."),
    ] = None,
    engine: Annotated[
        EngineChoice | None, typer.Option(help="Default: llm if configured, else extractive.")
    ] = None,
    model: ModelOption = None,
    base_url: BaseUrlOption = None,
    model_path: Annotated[Path | None, typer.Option(help="GGUF file for --engine local.")] = None,
    config: ConfigOption = None,
    title: Annotated[str | None, typer.Option(help="Title of the brief.")] = None,
    max_words: Annotated[int | None, typer.Option(help="Word budget of the brief (default 500).")] = None,
    concurrency: ConcurrencyOption = None,
    local: LocalOption = None,
    context_tokens: ContextTokensOption = None,
    max_cost: Annotated[
        float | None, typer.Option(help="Refuse to start if the estimated cost (USD) is higher.")
    ] = None,
    no_cache: NoCacheOption = False,
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
    from briefing.output import OutputTarget, choose_format, resolve_output

    # The destination and the format are checked before any work (exit 6 / 2 at once).
    target = _run(resolve_output, output) if output is not None else OutputTarget("stdout")
    chosen = Format(_run(choose_format, fmt.value if fmt else None, output))
    if chosen is Format.pdf and target.kind == "stdout" and sys.stdout.isatty():
        _fail("a PDF cannot go to a terminal: use --output FILE.pdf (or -o - into a pipe)", EXIT_USAGE)
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
        local=local,
        context_tokens=context_tokens,
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
            output=str(Path(output).resolve()) if output not in (None, "-") else None,
            format=chosen.value,
            paper=paper.value,
            since=str(since.resolve()) if since else None,
        )
        batch_engine = _run(
            BatchEngine, options, api_key=api_key, wait=not no_wait, job=job, poll_seconds=poll
        )
    brief = _make_with_progress(folder, options, api_key, quiet, engine=batch_engine)
    if brief is None:
        return  # --batch --no-wait: the job id was printed
    _finish_make(brief, options, api_key, quiet, previous, target, chosen, paper)


def _finish_make(
    brief: Brief,
    options: BriefOptions,
    api_key: str | None,
    quiet: bool,
    previous: dict[str, object] | None,
    target: OutputTarget,
    chosen: Format,
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
    data = _run(_render, brief, chosen, paper, quiet)
    _run(target.write, data)
    if not quiet and target.kind != "stdout":
        _note(f"wrote {target.shown}")


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
        from briefing.output import OutputTarget, resolve_output

        target = _run(resolve_output, job.output) if job.output else OutputTarget("stdout")
        _finish_make(brief, options, api_key, quiet, previous, target, Format(job.format), Paper(job.paper))


def _summary(brief: Brief) -> str:
    from briefing.text import plural

    m = brief.meta
    parts = [
        plural(len(brief.sources), "source"),
        plural(m.chunks, "chunk"),
        plural(m.claims, "claim"),
        plural(len(brief.disagreements), "disagreement"),
        plural(m.words, "word"),
    ]
    if m.engine != "extractive":
        u = m.usage
        cost = f"${u.cost_usd:.4f}" if u.cost_usd is not None else "cost unknown"
        parts.append(
            f"{plural(u.calls, 'call')}, {plural(u.cache_hits, 'cache hit')}, "
            f"{u.prompt_tokens}+{plural(u.completion_tokens, 'token')}, {cost}"
        )
        if m.claims_rejected:
            parts.append(f"{plural(m.claims_rejected, 'claim')} rejected")
        if m.sentences_unsupported or m.sentences_replaced:
            parts.append(
                f"{plural(m.sentences_unsupported, 'unsupported sentence')} caught "
                f"({m.sentences_replaced} replaced)"
            )
        if m.points_filled:
            parts.append(f"{plural(m.points_filled, 'point')} filled from the extractive engine")
        if m.chunks_fallback:
            parts.append(f"{plural(m.chunks_fallback, 'chunk')} fell back to extractive")
        if m.engine == "llm-batch":
            parts.append("extraction billed at the Batch API's half price")
    return "made brief: " + ", ".join(parts)


def _render(brief: Brief, fmt: Format, paper: Paper, quiet: bool = False) -> str | bytes:
    if fmt is Format.md:
        return brief.to_markdown()
    if fmt is Format.json:
        return brief.to_json() + "\n"
    if fmt is Format.html:
        from briefing.render.html import render_html

        return render_html(brief, paper=paper.value)
    if fmt is Format.pdf:
        from briefing.render.pdf import render_pdf_fitted

        data, fitted = render_pdf_fitted(brief, paper=paper.value)
        # Fitting to one page can leave things out or fail: say so here, not only in the file.
        for warning in fitted.meta.warnings[len(brief.meta.warnings) :]:
            if not quiet:
                _note(f"warning: {warning}")
        return data
    import json

    from briefing.text import json_inert

    return json_inert(json.dumps(brief.to_slack(), indent=2, ensure_ascii=False)) + "\n"


_SOURCES_HEADER = ("id", "path", "title", "outlet", "date", "chars", "note")


@app.command("sources")
def list_sources(
    folder: Annotated[Path, typer.Argument(help="Folder (or file) of articles.")],
    fmt: Annotated[
        ListFormat | None,
        typer.Option("--format", "-f", help="table, tsv or json (default: table on a terminal, else tsv)."),
    ] = None,
    text: Annotated[bool, typer.Option("--text", help="Include the extracted text (JSON).")] = False,
) -> None:
    """List what `make` would read, and what it would skip and why."""
    from briefing.sources import load_sources
    from briefing.text import json_inert, printable

    source_set = _run(load_sources, folder)
    if fmt is ListFormat.json:
        exclude = None if text else {"sources": {"__all__": {"text"}}}
        sys.stdout.write(json_inert(source_set.model_dump_json(indent=2, exclude=exclude)) + "\n")
        return
    rows: list[tuple[str, ...]] = []
    for s in source_set.sources:
        note = f"near-duplicate of {s.duplicate_of}" if s.duplicate_of else ""
        rows.append((s.id, s.path, s.title or "", s.outlet or "", s.published or "", str(s.chars), note))
    for k in source_set.skipped:
        rows.append(("-", k.path, "", "", "", "", f"skipped: {k.reason}"))
    # Every cell is made printable: names and titles come from the files, and a
    # tab or newline in one must not split a row.
    rows = [tuple(printable(cell) for cell in row) for row in rows]
    if fmt is ListFormat.tsv or (fmt is None and not sys.stdout.isatty()):
        # Pipes and scripts get one tab-separated line per file, never wrapped.
        for row in [_SOURCES_HEADER, *rows]:
            sys.stdout.write("\t".join(row) + "\n")
        return
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(*_SOURCES_HEADER)
    for row in rows:
        table.add_row(*(Text(cell) for cell in row))  # Text: no rich markup in file-provided cells
    Console().print(table)


@cache_app.command("clear")
def cache_clear() -> None:
    """Delete every cached LLM response."""
    from briefing.config import load_settings
    from briefing.engines.llm.cache import ResponseCache, cache_path

    settings = _run(load_settings)
    path = cache_path(_run(settings.options).cache_dir)
    removed = _run(lambda: ResponseCache(path).clear())
    typer.echo(f"removed {removed} cached response{'s' if removed != 1 else ''}")


@cache_app.command("info")
def cache_info() -> None:
    """Where the cache is and how big."""
    from briefing.config import load_settings
    from briefing.engines.llm.cache import ResponseCache, cache_path

    settings = _run(load_settings)
    path = cache_path(_run(settings.options).cache_dir)
    stats = _run(lambda: ResponseCache(path).stats())
    typer.echo(
        f"{stats.path}: {stats.entries} response{'s' if stats.entries != 1 else ''}, "
        f"{stats.bytes} byte{'s' if stats.bytes != 1 else ''}"
    )


@app.command()
def slack(
    config: Annotated[Path | None, typer.Option(help="TOML config file.")] = None,
) -> None:
    """Run the Slack bot (/brief <folder>): Socket Mode with SLACK_APP_TOKEN, else HTTP."""
    from briefing.config import load_settings
    from briefing.slackbot import BotSettings, run

    # One configuration: the bot briefs with the same options as `briefing make` (CLI config
    # file, BRIEFING_* environment, briefing.toml), plus its own [slack] table and SLACK_* tokens.
    settings = _run(load_settings, config)
    bot = _run(BotSettings, **(settings.slack or {}))
    _run(run, bot.model_copy(update={"options": _run(settings.options)}))


class EvalSet(StrEnum):
    injected = "injected"
    natural = "natural"


@app.command("eval")
def evaluate(
    corpus: Annotated[
        Path | None,
        typer.Option(
            help="injected: a clusters folder, e.g. ../shared/corpora/allsides/clusters; "
            "natural: the folder holding basil/ and allsides/ (default ../shared/corpora)."
        ),
    ] = None,
    eval_set: Annotated[EvalSet, typer.Option("--set", help="Conflicts injected, or read by hand.")] = (
        EvalSet.injected
    ),
    limit: Annotated[int, typer.Option(help="Clusters to use (injected).")] = 40,
    seed: Annotated[int, typer.Option(help="Random seed for the injected conflicts.")] = 0,
    engine: Annotated[EngineChoice, typer.Option(help="Engine to evaluate.")] = EngineChoice.extractive,
    events: Annotated[
        str | None,
        typer.Option(help="natural: only these events, comma separated (e.g. those a recording holds)."),
    ] = None,
    model: ModelOption = None,
    base_url: BaseUrlOption = None,
    config: ConfigOption = None,
    concurrency: ConcurrencyOption = None,
    local: LocalOption = None,
    context_tokens: ContextTokensOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """Measure how many disagreements the brief flags: injected into real clusters, or read by hand."""
    from briefing.config import load_settings

    settings = _run(load_settings, config)
    options = _run(
        settings.options,
        engine=engine.value,
        model=model,
        base_url=base_url,
        concurrency=concurrency,
        local=local,
        context_tokens=context_tokens,
        cache=False if no_cache else None,
    )
    if eval_set is EvalSet.natural:
        from briefing.evaluation import run_natural

        chosen = [e.strip() for e in events.split(",") if e.strip()] if events is not None else None
        natural = _run(
            run_natural,
            corpus or Path("../shared/corpora"),
            options,
            api_key=settings.secret(),
            events=chosen,
        )
        typer.echo(natural.to_table())
        typer.echo(natural.model_dump_json(exclude={"flags", "misses", "fell_back"}))
        return
    from briefing.evaluation import run_eval

    if corpus is None:
        _fail("--corpus is required with --set injected (a folder of clusters)", 2)
    if events is not None:
        _fail("--events goes with --set natural", 2)
    report = _run(run_eval, corpus, limit=limit, seed=seed, options=options, api_key=settings.secret())
    typer.echo(report.to_table())
    typer.echo(report.model_dump_json(exclude={"cases", "misses", "false_positive_examples"}))


def main() -> None:
    app()


if __name__ == "__main__":
    main()
