"""Hostile file names and hostile characters in articles, from the folder to every output.

File names that are not UTF-8 (Linux hands them to Python as surrogate
escapes) or that hold tabs, newlines, backticks or terminal escapes are read
and shown printably; control characters never reach the terminal; unclosed
bidirectional overrides never reach a rendered brief, while JSON citations
stay verbatim. All text below is synthetic.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from briefing import BriefOptions, make_brief
from briefing.cli import app
from briefing.sources import load_sources
from briefing.text import balance_bidi, json_inert, printable, safe_text

runner = CliRunner()

ARTICLE_ONE = (
    "Lakeside council approves ferry budget\n\n"
    "The lakeside council approved a budget of 40 million dollars for a new ferry terminal on Monday.\n"
    "Construction of the terminal will start in March and take two years, the council said.\n"
)
ARTICLE_TWO = (
    "Ferry terminal plan passes\n\n"
    "The lakeside council approved a budget of 45 million dollars for a new ferry terminal on Monday.\n"
    "Residents asked for a larger car park next to the terminal during a long public meeting.\n"
)
ARTICLE_THREE = (
    "Ferry operators welcome decision\n\n"
    "Two ferry operators said the new terminal would let them add evening crossings from next year.\n"
)

# Raw (bytes) names: what a user can create on Linux, whatever the locale.
HOSTILE_NAMES = [
    b"caf\xe9.txt",  # Latin-1, not valid UTF-8
    b"\x1b[31mred.txt",  # a terminal escape sequence
    b"tab\there `tick`.txt",
]
# Any control character, a surrogate escape or a raw bidi control in printed text.
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069]")


def _write(folder: bytes, name: bytes, text: str) -> None:
    with open(os.path.join(folder, name), "w", encoding="utf-8") as fh:
        fh.write(text)


@pytest.fixture
def hostile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    news = tmp_path / "news"
    raw = os.fsencode(news)
    os.mkdir(raw)
    for name, text in zip(HOSTILE_NAMES, [ARTICLE_ONE, ARTICLE_TWO, ARTICLE_THREE], strict=True):
        _write(raw, name, text)
    # A folder whose own name is not UTF-8 and holds a newline, with an unsupported file in it.
    sub = os.path.join(raw, b"sub\n\xff")
    os.mkdir(sub)
    _write(sub, b"notes\x1b]0;pwned\x07.docx", "not an article")
    return news


def test_load_sources_reads_files_with_hostile_names(hostile: Path) -> None:
    source_set = load_sources(hostile)
    paths = sorted(s.path for s in source_set.sources)
    assert paths == sorted(["caf\ufffd.txt", "\\x1b[31mred.txt", "tab\\there `tick`.txt"])
    assert [k.path for k in source_set.skipped] == ["sub\\n\ufffd/notes\\x1b]0;pwned\\x07.docx"]
    assert all(not UNSAFE.search(p) for p in [*paths, source_set.skipped[0].path])


def test_load_sources_reads_a_single_file_with_a_latin1_name(tmp_path: Path) -> None:
    raw = os.fsencode(tmp_path)
    _write(raw, b"caf\xe9.txt", ARTICLE_ONE)
    source_set = load_sources(os.fsdecode(os.path.join(raw, b"caf\xe9.txt")))
    assert [s.path for s in source_set.sources] == ["caf\ufffd.txt"]
    assert not UNSAFE.search(source_set.root)
    json.loads(source_set.model_dump_json())  # would raise on a surrogate


@pytest.mark.parametrize("fmt", ["md", "json", "html", "slack"])
def test_make_shows_hostile_names_in_every_text_format(hostile: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"brief.{fmt}"
    result = runner.invoke(app, ["make", "--sources", str(hostile), "-f", fmt, "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert not UNSAFE.search(text)
    assert not UNSAFE.search(result.stderr)
    # The Latin-1 name is shown with a replacement character, the escape made visible.
    assert "caf\ufffd.txt" in text
    assert "x1b" in text and "31mred.txt" in text
    if fmt in ("json", "slack"):
        json.loads(text)
    if fmt == "json":
        paths = {s["path"] for s in json.loads(text)["sources"]}
        assert paths == {"caf\ufffd.txt", "\\x1b[31mred.txt", "tab\\there `tick`.txt"}


def test_make_renders_hostile_names_to_pdf(hostile: Path, tmp_path: Path) -> None:
    pytest.importorskip("weasyprint")
    out = tmp_path / "brief.pdf"
    result = runner.invoke(app, ["make", "--sources", str(hostile), "-f", "pdf", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF")
    assert not UNSAFE.search(result.stderr)


@pytest.mark.parametrize("fmt", ["table", "tsv", "json"])
def test_sources_lists_hostile_names_in_every_format(hostile: Path, fmt: str) -> None:
    result = runner.invoke(app, ["sources", str(hostile), "--format", fmt])
    assert result.exit_code == 0, result.output
    assert not UNSAFE.search(result.stdout)
    assert "caf\ufffd.txt" in result.stdout
    if fmt == "json":
        listing = json.loads(result.stdout)
        assert len(listing["sources"]) == 3 and len(listing["skipped"]) == 1
    if fmt == "tsv":
        lines = result.stdout.splitlines()
        assert len(lines) == 1 + 3 + 1  # header, three sources, one skipped file
        assert all(line.count("\t") == 6 for line in lines)
        assert "tab\\there `tick`.txt" in result.stdout


def test_make_stderr_shows_skip_reasons_printably(hostile: Path) -> None:
    result = runner.invoke(app, ["make", "--sources", str(hostile)])
    assert result.exit_code == 0, result.output
    assert "skipped sub\\n\ufffd/notes\\x1b]0;pwned\\x07.docx: unsupported file type .docx" in result.stderr
    assert not UNSAFE.search(result.stderr)
    assert not UNSAFE.search(result.stdout)  # the brief itself, printed to the terminal


def test_load_sources_shows_bidi_controls_in_names_as_escapes(tmp_path: Path) -> None:
    # "evil<RLO>txt.md" would display as "evildm.txt" on a terminal.
    _write(os.fsencode(tmp_path), "evil\u202etxt.md".encode(), ARTICLE_ONE)
    _write(os.fsencode(tmp_path), "line\u2028break.txt".encode(), ARTICLE_TWO)
    paths = sorted(s.path for s in load_sources(tmp_path).sources)
    assert paths == ["evil\\u202etxt.md", "line\\u2028break.txt"]


def test_make_error_for_a_missing_folder_with_an_escape_in_its_name(tmp_path: Path) -> None:
    result = runner.invoke(app, ["make", "--sources", str(tmp_path / "gone\x1b[2J")])
    assert result.exit_code == 2
    assert "gone\\x1b[2J" in result.stderr
    assert not UNSAFE.search(result.stderr)


def test_make_llm_server_error_message_reaches_stderr_printably(
    hostile: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from briefing.testing.fakeserver import FakeOpenAIServer, FakeReply

    body = {
        "error": {"message": "bad key \x1b[2J\x1b]0;owned\x07 \u202eyek", "type": "invalid_request_error"}
    }
    with FakeOpenAIServer() as server:
        server.inject(FakeReply(status=401, body=json.dumps(body).encode()), times=1000)
        monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
        result = runner.invoke(
            app,
            [
                "make",
                "--sources",
                str(hostile),
                "--engine",
                "llm",
                "--base-url",
                server.base_url,
                "--no-cache",
            ],
        )
    assert result.exit_code == 3, result.output
    assert "bad key \\x1b[2J\\x1b]0;owned\\x07 \\u202eyek" in result.stderr
    assert not UNSAFE.search(result.stderr)


# --- article text: controls and bidirectional overrides -----------------------------

SPOOF = (
    "Harbour levy vote\n\n"
    "The harbour board said the levy on visiting yachts would rise to 12 dollars a night \u202efrom May.\n"
    "Board members also voted \x1b[2Jto repaint the old lighthouse before the summer season begins.\n"
)


def test_bidi_override_in_an_article_is_neutralised_and_citations_stay_verbatim(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(SPOOF, encoding="utf-8")
    brief = make_brief(tmp_path, BriefOptions(engine="extractive"))
    source = load_sources(tmp_path).sources[0]
    assert "\u202e" in source.text  # the source text, which offsets index, is unchanged

    # JSON: the override is an escape, so the text is inert yet verbatim as data.
    raw_json = brief.to_json()
    assert "\u202e" not in raw_json and "\\u202e" in raw_json
    data = json.loads(raw_json)
    quotes = [c for s in data["bottom_line"] + data["key_points"] for c in s["citations"]]
    assert any("\u202e" in c["quote"] for c in quotes)
    for c in quotes:
        assert source.text[c["start"] : c["end"]] == c["quote"]

    # Rendered formats: the unclosed override and the escape are gone.
    for rendered in (brief.to_markdown(), brief.to_html(), json.dumps(brief.to_slack())):
        assert "\u202e" not in rendered and "\x1b" not in rendered
    assert "\x1b" not in raw_json  # JSON escapes C0 controls itself


def test_printable_makes_every_invisible_character_visible() -> None:
    assert printable("caf\udce9.txt") == "caf\ufffd.txt"
    assert printable("a\tb\nc\rd") == "a\\tb\\nc\\rd"
    assert printable("\x1b[31m\x07\x7f\x9b") == "\\x1b[31m\\x07\\x7f\\x9b"
    assert printable("x\u202ey\u2066z\u2028") == "x\\u202ey\\u2066z\\u2028"
    assert printable("plain café “quoted” 東京") == "plain café “quoted” 東京"


def test_balance_bidi_drops_only_unclosed_controls() -> None:
    assert balance_bidi("a\u202eb") == "ab"
    assert balance_bidi("a\u202eb\u202cc") == "a\u202eb\u202cc"  # closed: kept
    assert balance_bidi("a\u202cb\u2069c") == "abc"  # closers with nothing to close
    assert balance_bidi("\u2067x\u202ey\u2069") == "\u2067xy\u2069"  # closed only implicitly by PDI
    assert balance_bidi("\u202ex\ny\u202c") == "x\ny"  # a newline ends the paragraph
    assert balance_bidi("\u2068name\u2069 said") == "\u2068name\u2069 said"


def test_safe_text_replaces_controls_but_keeps_tabs_and_newlines() -> None:
    assert safe_text("a\x1b[2Jb\tc\nd\x9b\udce9") == "a\ufffd[2Jb\tc\nd\ufffd\ufffd"


_BIDI = st.sampled_from(list("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\n"))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(_BIDI, st.sampled_from(list("ab "))), max_size=30).map("".join))
def test_balance_bidi_output_is_always_balanced(text: str) -> None:
    out = balance_bidi(text)
    for paragraph in out.split("\n"):
        stack: list[str] = []
        for ch in paragraph:
            if ch in "\u202a\u202b\u202d\u202e\u2066\u2067\u2068":
                stack.append(ch)
            elif ch == "\u202c":
                assert stack and stack.pop() not in "\u2066\u2067\u2068"
            elif ch == "\u2069":
                assert stack and stack.pop() in "\u2066\u2067\u2068"
        assert not stack
    assert balance_bidi(out) == out


@settings(max_examples=200, deadline=None)
@given(st.recursive(st.text(), lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner)))
def test_json_inert_keeps_the_data_and_leaves_no_raw_controls(value: object) -> None:
    encoded = json_inert(json.dumps(value, ensure_ascii=False))
    assert json.loads(encoded) == value
    assert not re.search("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", encoded)
