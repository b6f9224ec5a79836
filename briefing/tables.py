"""Reading pipe tables (markdown style) out of extracted article text.

A table row is one fact per cell ("Varna" x "Buses in service"),
so the extractive engine makes one claim per row and the reconciler reads the
row label, column header and caption as the measure a number belongs to.
Spans index the original text so rows can be cited verbatim.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, Field

_SEPARATOR_CELL_RE = re.compile(r"^:?-{2,}:?$|^:?-+:?$")
_MARKUP_RE = re.compile(r"^[#>\s]+|\*\*|__|`")


class TableRow(BaseModel):
    """One body row; ``text[start:end]`` is the row's line without surrounding space."""

    start: int
    end: int
    label: str = Field(description="The first cell, e.g. 'United States'.")
    cells: dict[str, str] = Field(default_factory=dict, description="Header -> cell text, label excluded.")


class Table(BaseModel):
    start: int
    end: int
    caption: str | None = Field(default=None, description="The line just above the table, if any.")
    headers: list[str]
    rows: list[TableRow] = Field(default_factory=list)


def _clean(cell: str) -> str:
    return " ".join(_MARKUP_RE.sub("", cell).split())


def split_cells(line: str) -> list[str]:
    """Cells of a pipe-table line; outer pipes optional, ``\\|`` is a literal pipe."""
    body = line.strip()
    if body.startswith("|"):
        body = body[1:]
    if body.endswith("|") and not body.endswith("\\|"):
        body = body[:-1]
    parts = re.split(r"(?<!\\)\|", body)
    return [_clean(p.replace("\\|", "|")) for p in parts]


def _is_separator(cells: list[str]) -> bool:
    filled = [c.replace(" ", "") for c in cells if c.strip()]
    return bool(filled) and all(_SEPARATOR_CELL_RE.match(c) for c in filled)


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line, end excluding the newline."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _caption(text: str, lines: list[tuple[int, int]], first: int) -> str | None:
    """The nearest non-blank line above the table (at most one blank line between)."""
    for back in (1, 2):
        i = first - back
        if i < 0:
            return None
        s, e = lines[i]
        line = text[s:e].strip()
        if not line:
            continue
        if "|" in line or len(line) > 200:
            return None
        return _clean(line).rstrip(":").strip() or None
    return None


def _build(text: str, lines: list[tuple[int, int]], block: list[int]) -> Table | None:
    rows_cells = [split_cells(text[lines[i][0] : lines[i][1]]) for i in block]
    has_separator = any(_is_separator(c) for c in rows_cells[1:3])
    starts_with_pipe = all(text[lines[i][0] : lines[i][1]].lstrip().startswith("|") for i in block)
    # Without a separator line, only pipe-led blocks count: prose with a stray
    # "a | b" must not become a table.
    if not has_separator and not starts_with_pipe:
        return None
    headers = rows_cells[0]
    if len(headers) < 2:
        return None
    body = [(i, c) for i, c in zip(block[1:], rows_cells[1:], strict=True) if not _is_separator(c)]
    if not body:
        return None
    # Empty headers get a positional name so every cell stays addressable.
    names = [h or f"Column {n + 1}" for n, h in enumerate(headers)]
    rows: list[TableRow] = []
    for i, cells in body:
        s, e = _trimmed(text, *lines[i])
        label = cells[0] if cells else ""
        values: dict[str, str] = {}
        for n, cell in enumerate(cells[1:], start=1):
            if n < len(names) and cell:
                values[names[n]] = cell
        rows.append(TableRow(start=s, end=e, label=label, cells=values))
    start, _ = _trimmed(text, *lines[block[0]])
    _, end = _trimmed(text, *lines[block[-1]])
    return Table(start=start, end=end, caption=_caption(text, lines, block[0]), headers=names, rows=rows)


def find_tables(text: str) -> list[Table]:
    """Markdown pipe tables in ``text`` (with or without the ``|---|`` separator), in order."""
    if "|" not in text:
        return []
    lines = _lines(text)
    tables: list[Table] = []
    block: list[int] = []
    for n, (s, e) in enumerate([*lines, (len(text), len(text))]):
        line = text[s:e]
        if n < len(lines) and "|" in line and len(split_cells(line)) >= 2:
            block.append(n)
            continue
        if len(block) >= 2:
            table = _build(text, lines, block)
            if table is not None:
                tables.append(table)
        block = []
    return tables


def row_sentence(table: Table, row: TableRow) -> str:
    """A readable claim for one row: 'Label — Header: value; Header: value (Caption)'."""
    parts = [f"{header}: {value}" for header, value in row.cells.items()]
    sentence = row.label or table.headers[0]
    if parts:
        sentence += " — " + "; ".join(parts)
    if table.caption:
        sentence += f" ({table.caption})"
    return sentence
