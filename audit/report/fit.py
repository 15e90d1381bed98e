"""Fitting rich output to a width: tables that never break a word, lines cut rather than wrapped.

Rich shrinks a table that is too wide by cutting words and no-wrap cells. `fit_table` instead gives each
column its narrowest width (its longest word) and shares the room left out, or says that the table
cannot fit, so that the caller can choose another layout.
"""

from __future__ import annotations

from rich.console import Console, RenderableType
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text


def _column_ranges(console: Console, table: Table) -> list[tuple[int, int]]:
    """Each column's narrowest width (its longest word, or its widest no-wrap cell) and its widest."""
    unlimited = console.options.update_width(10_000)
    ranges = []
    for column in table.columns:
        sizes = [Measurement.get(console, unlimited, cell) for cell in (column.header, *column.cells)]
        widest = max(m.maximum for m in sizes)
        narrowest = widest if column.no_wrap else max(m.minimum for m in sizes)
        narrowest = min(max(narrowest, column.min_width or 0), max(widest, column.min_width or 0))
        ranges.append((narrowest, max(widest, narrowest)))
    return ranges


def _chrome(table: Table) -> int:
    """The columns a table spends on padding and rules."""
    count = len(table.columns)
    _, right, _, left = table.padding
    padding = (left + right) * count - (0 if table.pad_edge else left + right)
    rules = (count - 1 + (2 if table.show_edge else 0)) if table.box else 0
    return padding + rules


def fit_table(console: Console, table: Table, width: int) -> bool:
    """Give each column a width so the table fits `width` without breaking a word; False where it cannot.

    Rich's own shrinking cuts words and no-wrap cells when space is short; here every column first
    gets its narrowest, and the room left goes a character at a time to the column that lacks least,
    so that as many columns as can be are shown on one line each.
    """
    ranges = _column_ranges(console, table)
    room = width - _chrome(table) - sum(low for low, _ in ranges)
    if room < 0:
        return False
    widths = [low for low, _ in ranges]
    while room > 0:
        lacking = [(high - w, i) for i, (w, (_, high)) in enumerate(zip(widths, ranges, strict=True)) if high > w]
        if not lacking:
            break
        _, index = min(lacking)
        widths[index] += 1
        room -= 1
    for column, column_width in zip(table.columns, widths, strict=True):
        column.width = column_width
    return True


def emit(console: Console, renderable: RenderableType) -> None:
    """Print a renderable; a Text marked no-wrap is cut at the width with "…", never wrapped."""
    if isinstance(renderable, Text) and renderable.no_wrap:
        console.print(renderable, no_wrap=True, overflow="ellipsis", crop=True)
    else:
        console.print(renderable)


def one_line_text(text: Text) -> Text:
    """A Text that is never wrapped: cut with "…" at the width instead."""
    text.no_wrap = True
    text.overflow = "ellipsis"
    return text
