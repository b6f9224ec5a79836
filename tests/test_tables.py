from __future__ import annotations

from briefing.tables import find_tables, row_sentence, split_cells

CATCH_TABLE = """Though Norland's part of the herring catch has lately shrunk, its fleet still lands the most.
Northern Herring Catch (NHC) by Fleet — Estimated 2024
| Fleet / Port | Catch (tonnes) | Share of All Fleets |
|---|---|---|
| Norland | 130,000 | ~60% |
| Tarnow Bay | 30,000 | ~14% |
| All Fleets | 217,000 | 100% |
Yet the tightest bottleneck lies on shore, in the smokehouses.
"""


def test_find_tables_reads_headers_rows_and_caption() -> None:
    tables = find_tables(CATCH_TABLE)
    assert len(tables) == 1
    table = tables[0]
    assert table.caption == "Northern Herring Catch (NHC) by Fleet — Estimated 2024"
    assert table.headers == ["Fleet / Port", "Catch (tonnes)", "Share of All Fleets"]
    assert [r.label for r in table.rows] == ["Norland", "Tarnow Bay", "All Fleets"]
    bay = table.rows[1]
    assert bay.cells == {"Catch (tonnes)": "30,000", "Share of All Fleets": "~14%"}
    assert CATCH_TABLE[bay.start : bay.end] == "| Tarnow Bay | 30,000 | ~14% |"
    assert CATCH_TABLE[table.start : table.end].startswith("| Fleet / Port")
    assert CATCH_TABLE[table.start : table.end].endswith("| 100% |")


def test_row_sentence_is_readable_with_caption() -> None:
    table = find_tables(CATCH_TABLE)[0]
    assert row_sentence(table, table.rows[1]) == (
        "Tarnow Bay — Catch (tonnes): 30,000; Share of All Fleets: ~14% "
        "(Northern Herring Catch (NHC) by Fleet — Estimated 2024)"
    )


def test_find_tables_without_separator_line() -> None:
    text = "Output by year\n| Year | Output |\n| 2023 | 10 |\n| 2024 | 12 |\n"
    (table,) = find_tables(text)
    assert table.caption == "Output by year"
    assert [r.cells["Output"] for r in table.rows] == ["10", "12"]


def test_find_tables_ignores_prose_with_pipes() -> None:
    assert find_tables("Sports | Reuters\nWorld | AP\n") == []
    assert find_tables("| a lone | line |\n\nText after.") == []


def test_find_tables_without_outer_pipes_needs_separator() -> None:
    text = "Team | Score\n--- | ---\nReds | 3\nBlues | 1\n"
    (table,) = find_tables(text)
    assert table.caption is None
    assert [(r.label, r.cells["Score"]) for r in table.rows] == [("Reds", "3"), ("Blues", "1")]


def test_find_tables_two_tables_and_empty_cells() -> None:
    text = "A\n| x | y | z |\n|---|---|---|\n| r1 | 1 | |\n\nB\n| p | q |\n| s | 2 |\n"
    first, second = find_tables(text)
    assert first.rows[0].cells == {"y": "1"}
    assert second.caption == "B"
    assert second.rows[0].cells == {"q": "2"}


def test_split_cells_strips_markup_and_handles_escaped_pipes() -> None:
    assert split_cells("| **Total** | 1 \\| 2 |") == ["Total", "1 | 2"]
