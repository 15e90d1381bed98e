"""The Sources part of the screen: each page as the screen names it, its date, claims, file and copies."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich import box
from rich.console import Console
from rich.table import Table

from audit.report import wording
from audit.report.fit import emit, fit_table, one_line_text
from audit.report.lines import ShownText as Text  # page values made visible
from audit.report.names import SourceInfo


def plural(count: int, word: str, many: str = "") -> str:
    """ "1 story", "14 stories"."""
    return f"{count} {word if count == 1 else many or word + 's'}"


def sources_table(sources: Iterable[SourceInfo], details: bool = False) -> Table:
    """One row per page, in publication order: its name on the screen, date, copies, claims, file (and
    with `details`: the outlet in full, articles, where its date came from, its stories)."""
    sources = list(sources)
    table = Table(title="Sources", title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    columns = ["name", "published", "claims", "file", "copy of"]
    if details:
        columns += ["outlet", "articles", "date from", "stories"]
    for column in columns:
        table.add_column(
            column,
            justify="right" if column in ("claims", "articles") else "left",
            no_wrap=column in ("published", "claims", "articles"),
            overflow="fold" if column == "file" else "ellipsis",
        )
    names = {s.source: s.name for s in sources}
    for source in sources:
        published = wording.moment(source.published) if details else wording.day(source.published)
        row = [
            Text(source.name),
            Text(published if source.published else "unknown"),
            Text(str(source.claims)),
            Text(source.file),
            Text(names.get(source.copy_of, source.copy_of)),
        ]
        if details:
            row += [Text(source.outlet), Text(str(source.articles)), Text(source.date_from), Text(source.stories)]
        table.add_row(*row)
    return table


def source_lines(sources: Sequence[SourceInfo], details: bool = False) -> list[Text]:
    """The sources one a line, for a screen the table does not fit: name, date, claims, file, copy."""
    if not sources:
        return []
    names = {s.source: s.name for s in sources}
    width = max(len(s.name) for s in sources)
    lines = [Text("Sources", style="italic")]
    for source in sources:
        day = wording.moment(source.published) if details else wording.day(source.published)
        line = Text(f"  {source.name.ljust(width)}  {(day if source.published else 'unknown'):<11}")
        line.append(f"  {plural(source.claims, 'claim')}  {source.file}", style="dim")
        if source.copy_of:
            line.append(f"  copy of {names.get(source.copy_of, source.copy_of)}")
        if details:
            more = [source.outlet, plural(source.articles, "article"), source.date_from, source.stories]
            line.append("  " + "; ".join(m for m in more if m), style="dim")
        lines.append(one_line_text(line))
    return lines


def print_sources(console: Console, sources: Sequence[SourceInfo], details: bool = False, limit: int = 0) -> None:
    """The Sources table where it fits the screen, else one source a line; at most `limit` (0: all)."""
    shown = list(sources[:limit] if limit and not details else sources)
    table = sources_table(shown, details)
    if fit_table(console, table, console.width):
        console.print(table)
    else:
        for line in source_lines(shown, details):
            emit(console, line)
    if len(sources) > len(shown):
        console.print(Text(f"{plural(len(sources) - len(shown), 'more source')} (--sources shows all)"))
