"""The screen of `audit run` and `audit reconcile`: who says what, in a layout that fits the terminal.

First a one-line summary ("5 pages, 4 outlets, 14 stories; 1 conflict, 2 agree; 55 facts from one
source in reports/facts.csv"), then the facts stated by two or more independent sources (conflicts
first, then evolving, compatible, agree; `--all` adds the others), then why each conflict, evolving
or compatible verdict was given, and last the sources.

Two layouts. The wide one is a table with one column per source, named by outlet in publication
order; it is used only for a handful of sources (MAX_TABLE_SOURCES) and only when it fits the width
without breaking a word. Otherwise each fact is a heading line (verdict, what, best figure, id) with
one line per source and value below it, every line cut to the width: it fits 80 columns, and grows
with the facts, never with the sources. Either way at most `limit` facts are shown, and the screen
says how many more are in facts.csv. Every cell that holds news text is rich Text, never markup.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import polars as pl
from rich import box
from rich.console import Console, RenderableType
from rich.padding import Padding
from rich.table import Table

from audit.model import VERDICTS, Kind, Verdict
from audit.report import wording
from audit.report.choices import DEFAULT_LIMIT
from audit.report.fit import emit, fit_table, one_line_text
from audit.report.lines import ShownText as Text  # page values made visible
from audit.report.names import SourceInfo, cut
from audit.report.select import FactFilter, select_claims, select_facts
from audit.report.sources import plural, print_sources
from audit.report.tables import VERDICT_STYLES

#: Past this many sources the facts are one claim a line: a table never grows a column per source unbounded.
MAX_TABLE_SOURCES = 6
#: Lines of values shown under one fact at most (the rest are counted: facts.csv and report.html hold all),
#: and characters of its "why" note: a fact that a thousand sources state takes no more room than one of twenty.
MAX_FACT_LINES = 12
MAX_NOTE_CHARS = 320
#: Facts (or claims) shown at most, unless asked otherwise; the rest are in the CSV files.
EXPLAINED = ("conflict", "evolving", "compatible")
_VALUE_WIDTH = 28
_CELL_WIDTH = 16
_WHAT_WIDTH = 30


@dataclass(frozen=True)
class Desk:
    """What the screen is made of: the two tables, the named sources, and where the CSV files went."""

    claims: pl.DataFrame
    facts: pl.DataFrame
    sources: tuple[SourceInfo, ...]
    facts_file: str = "facts.csv"
    claims_file: str = "claims.csv"
    written: Mapping[str, str] | None = None  # the hedge words of the run's rules (None: the bundled ones)


@dataclass(frozen=True)
class ScreenOptions:
    """What the reader asked the screen for."""

    show_all: bool = False  # the facts from one source too
    wanted: FactFilter = field(default_factory=FactFilter)
    limit: int = DEFAULT_LIMIT  # 0: no cap
    source_details: bool = False  # the Sources table with files' articles, dates' origin and stories


def summary(desk: Desk, options: ScreenOptions = ScreenOptions()) -> Text:
    """The one-line summary: pages, outlets (copies counted once), stories; verdicts; facts from one source."""
    pages = len(desk.sources)
    outlets = {(s.outlet.strip().lower() or f"\0{s.source}") for s in desk.sources if not s.copy_of}
    stories = {s for s in desk.claims["story"].to_list() if s} if desk.claims.height else set()
    counts = dict(desk.facts.group_by("verdict").len().iter_rows()) if desk.facts.height else {}
    counted = [plural(pages, "page"), plural(len(outlets), "outlet"), plural(len(stories), "story", "stories")]
    text = Text(", ".join(counted) + "; ")
    verdicts = [(v, counts[v]) for v in VERDICTS if v != Verdict.SINGLE and counts.get(v)]
    if not verdicts:
        text.append("no fact stated by two independent sources")
    for number, (verdict, count) in enumerate(verdicts):
        text.append(", " if number else "")
        text.append(f"{count} {verdict}", style=VERDICT_STYLES[verdict])
    single = counts.get(Verdict.SINGLE, 0)
    if single:
        where = "shown below" if options.show_all else f"in {desk.facts_file}"
        text.append(f"; {plural(single, 'fact')} from one source {where}")
    return text


def screen_filter(options: ScreenOptions) -> FactFilter:
    """The filter the screen applies: the reader's, and two or more independent sources unless asked otherwise."""
    wanted = options.wanted
    if options.show_all or wanted.min_sources is not None or Verdict.SINGLE in wanted.verdicts:
        return wanted
    return FactFilter(wanted.verdicts, wanted.measures, wanted.stories, min_sources=2)


def claim_cells(
    claims: pl.DataFrame, facts: pl.DataFrame, written: Mapping[str, str] | None = None
) -> dict[str, dict[str, list[dict]]]:
    """Fact id -> source -> its distinct values in words, each {cell, as_of, speaker}, in page order (the
    same value stated on two days is two values)."""
    wanted = facts["fact_id"].to_list()
    out: dict[str, dict[str, list[dict]]] = {}
    rows = claims.filter(pl.col("fact_id").is_in(wanted)).sort("source", "char_start")
    for row in rows.iter_rows(named=True):
        cell, as_of = wording.cell(row, written), row["as_of"] or ""
        values = out.setdefault(row["fact_id"], {}).setdefault(row["source"], [])
        if all((v["cell"], v["as_of"]) != (cell, as_of) for v in values):
            values.append({"cell": cell, "as_of": as_of, "speaker": row["speaker"] or ""})
    return out


def _table_cell(value: dict, evolving: bool) -> str:
    """A value in the wide table; a figure of an evolving fact carries the day it was stated ("11 @16 Jan 2020")."""
    return f"{value['cell']} @{wording.day(value['as_of'])}" if evolving and value["as_of"] else value["cell"]


def _sources_used(sources: Sequence[SourceInfo], cells: dict[str, dict[str, list[dict]]]) -> list[SourceInfo]:
    """The sources that state at least one of the facts shown, in the screen's order."""
    used = {source for by_source in cells.values() for source in by_source}
    known = [s for s in sources if s.source in used]
    named = {s.source for s in known}
    return known + [SourceInfo(s, s) for s in sorted(used - named)]


def wide_table(facts: pl.DataFrame, cells: dict, sources: Sequence[SourceInfo]) -> Table:
    """One row per fact, one column per source (its values in words), the verdict coloured, best last."""
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    table.add_column("fact", no_wrap=True, style="dim")
    table.add_column("verdict", no_wrap=True)
    table.add_column("what")
    table.add_column("event", no_wrap=True)
    evolving = set(facts.filter(pl.col("verdict") == Verdict.EVOLVING)["fact_id"].to_list())
    texts = {
        fact: {source: ", ".join(_table_cell(v, fact in evolving) for v in values) for source, values in by.items()}
        for fact, by in cells.items()
    }
    for source in sources:
        # A value should not break over lines ("5 Jan / 2020"): the column is as wide as its longest, up to a cap.
        longest = max((len(by.get(source.source, "")) for by in texts.values()), default=0)
        table.add_column(Text(source.name), min_width=min(_CELL_WIDTH, longest))
    table.add_column("best", justify="right", no_wrap=True)
    for fact in facts.iter_rows(named=True):
        by_source = texts.get(fact["fact_id"], {})
        table.add_row(
            Text(fact["fact_id"]),
            Text(fact["verdict"], style=VERDICT_STYLES.get(fact["verdict"], "")),
            Text(wording.what(fact)),
            Text("" if fact["kind"] == Kind.DATE else wording.day(fact["event_date"] or "")),
            *[Text(by_source.get(s.source, "")) for s in sources],
            Text(wording.best(fact), style="bold"),
        )
    return table


def fact_heading(fact: dict) -> Text:
    """A fact's first line in the one-claim-a-line layout: verdict, what, best figure, event, id."""
    text = Text(f"{fact['verdict']:<10} ", style=VERDICT_STYLES.get(fact["verdict"], ""))
    text.append(cut(wording.what(fact), _WHAT_WIDTH), style="bold")
    best = wording.best(fact)
    if best:
        text.append("  best ")
        text.append(best, style="bold")
    if fact["event_date"] and fact["kind"] != Kind.DATE:
        text.append(f"  event {wording.day(fact['event_date'])}")
    text.append(f"  {fact['fact_id']}", style="dim")
    return one_line_text(text)


def fact_lines(fact: dict, by_source: dict[str, list[dict]], sources: Sequence[SourceInfo]) -> list[Text]:
    """One line per source and value of a fact: name, value in words, the day it was stated, who said it."""
    rows = [(s, v) for s in sources for v in by_source.get(s.source, [])]
    if not rows:
        return []
    hidden = rows[MAX_FACT_LINES:] if len(rows) > MAX_FACT_LINES + 1 else []
    rows = rows[: len(rows) - len(hidden)]
    names = {s.source: s.name for s in sources}
    name_width = max(len(s.name) for s, _ in rows)
    value_width = min(_VALUE_WIDTH, max(len(v["cell"]) for _, v in rows))
    lines = []
    for source, value in rows:
        line = Text("  " + source.name.ljust(name_width) + "  ")
        line.append(cut(value["cell"], value_width).ljust(value_width))
        line.append("  " + (wording.day(value["as_of"]) if value["as_of"] else "undated"), style="dim")
        extra = [f"copy of {names.get(source.copy_of, source.copy_of)}"] if source.copy_of else []
        extra += [f"said by {value['speaker']}"] if value["speaker"] else []
        if extra:
            line.append("  " + "; ".join(extra), style="dim")
        lines.append(one_line_text(line))
    if hidden:
        more = f"  and {plural(len(hidden), 'more value')} from {plural(len({s.source for s, _ in hidden}), 'source')}"
        lines.append(one_line_text(Text(more, style="dim")))
    return lines


def fact_blocks(facts: pl.DataFrame, cells: dict, sources: Sequence[SourceInfo]) -> list[RenderableType]:
    """The one-claim-a-line layout: per fact its heading, its lines, and why, where the verdict needs it."""
    out: list[RenderableType] = []
    for fact in facts.iter_rows(named=True):
        out.append(fact_heading(fact))
        out.extend(fact_lines(fact, cells.get(fact["fact_id"], {}), sources))
        if fact["verdict"] in EXPLAINED and fact["note"]:
            why = Text(f"why: {cut(fact['note'], MAX_NOTE_CHARS)}", style="italic")
            out.append(Padding(why, (0, 0, 0, 2), expand=False))
    return out


def why_table(facts: pl.DataFrame) -> Table:
    """Why: the note of each shown fact whose verdict needs explaining (conflicts first)."""
    table = Table(title="Why", title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    table.add_column("fact", no_wrap=True, style="dim")
    table.add_column("verdict", no_wrap=True)
    table.add_column("note", ratio=1)
    for fact in facts.filter(pl.col("verdict").is_in(EXPLAINED)).iter_rows(named=True):
        verdict = Text(fact["verdict"], style=VERDICT_STYLES.get(fact["verdict"], ""))
        table.add_row(Text(fact["fact_id"]), verdict, Text(fact["note"] or ""))
    return table


def legend(verdicts: Iterable[str] = VERDICTS, cells: str = "~@d") -> Text:
    """What the verdicts shown and the signs in their cells mean (`cells`: "~" about, "@" a day, "d" a denial)."""
    meanings = {
        "conflict": "cannot all hold",
        "evolving": "moved over time",
        "compatible": "intervals overlap",
        "agree": "same interval",
        "single": "one source",
    }
    signs = {"~": "~ about", "@": "@ the day stated", "d": "denied: shown, never counted"}
    text = Text()
    shown = set(verdicts)
    for verdict, meaning in meanings.items():
        if verdict in shown:
            text.append(" · " if text else "")
            text.append(verdict, style=VERDICT_STYLES[verdict])
            text.append(f" {meaning}")
    for sign, meaning in signs.items():
        if sign in cells:
            text.append(" · " if text else "")
            text.append(meaning, style="dim")
    return text


def _signs(cells: dict[str, dict[str, list[dict]]], wide: bool, evolving: bool) -> str:
    """Which signs the cells shown use: "~" (about), "@" (the day stated, wide table only), "d" (denied)."""
    texts = [v["cell"] for by in cells.values() for values in by.values() for v in values]
    found = "~" if any("~" in t for t in texts) else ""
    found += "@" if wide and evolving else ""
    return found + ("d" if any(t.startswith("denied: ") for t in texts) else "")


def print_screen(console: Console, desk: Desk, options: ScreenOptions = ScreenOptions()) -> None:
    """Print the screen: summary, facts (the wide table where it fits, else one claim a line), why, sources."""
    console.print(summary(desk, options))
    wanted = screen_filter(options)
    facts = select_facts(desk.facts, wanted)
    if options.wanted.active():
        console.print(Text(f"{plural(facts.height, 'fact')} match {options.wanted.describe()}", style="dim"))
    shown = facts.head(options.limit) if options.limit else facts
    if shown.is_empty():
        console.print(Text(_nothing(desk, wanted)))
    else:
        _print_facts(console, desk, shown, options.show_all or options.wanted.active())
    if facts.height > shown.height:
        more = facts.height - shown.height
        console.print(Text(f"{plural(more, 'more fact')} in {desk.facts_file} (--limit 0 shows all)"))
    print_sources(console, desk.sources, options.source_details, options.limit)


def _print_facts(console: Console, desk: Desk, shown: pl.DataFrame, any_facts: bool) -> None:
    """The facts in the layout that fits, then why, then the legend."""
    title = "Facts" if any_facts else "Facts stated by two or more independent sources"
    console.print(Text(title, style="bold"))
    cells = claim_cells(desk.claims, shown, desk.written)
    sources = _sources_used(desk.sources, cells)
    table = wide_table(shown, cells, sources) if len(sources) <= MAX_TABLE_SOURCES else None
    wide = table is not None and fit_table(console, table, console.width)
    if wide:
        console.print(table)
        why = why_table(shown)
        if why.row_count:
            console.print(why)
    else:
        for block in fact_blocks(shown, cells, sources):
            emit(console, block)
    verdicts = shown["verdict"].unique().to_list()
    console.print(legend(verdicts, _signs(cells, wide, Verdict.EVOLVING in verdicts)))


def _nothing(desk: Desk, wanted: FactFilter) -> str:
    """What the screen says when no fact is shown."""
    if desk.facts.is_empty():
        return "No facts: no claim was found."
    singles = desk.facts.filter(pl.col("verdict") == Verdict.SINGLE).height
    if wanted.min_sources == 2 and not wanted.verdicts and not wanted.measures and not wanted.stories and singles:
        return f"No fact is stated by two or more independent sources; --all shows the {singles} from one source."
    return "No fact matches."


def print_claims(console: Console, desk: Desk, options: ScreenOptions = ScreenOptions()) -> None:
    """Print the claims (`--claims`), one a line: source, value in words, what, its fact and verdict, words."""
    console.print(summary(desk, options))
    claims = select_claims(desk.claims, desk.facts, options.wanted)
    order = {s.source: n for n, s in enumerate(desk.sources)}
    claims = claims.with_columns(pl.col("source").replace_strict(order, default=len(order)).alias("_order"))
    claims = claims.sort("_order", "char_start").drop("_order")
    shown = claims.head(options.limit) if options.limit else claims
    verdicts = dict(desk.facts.select("fact_id", "verdict").iter_rows()) if desk.facts.height else {}
    names = {s.source: s.name for s in desk.sources}
    if shown.is_empty():
        console.print(Text("No claims." if desk.claims.is_empty() else "No claim matches."))
        return
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    for column in ("claim", "source", "value", "what", "fact", "verdict"):
        table.add_column(column, no_wrap=column in ("claim", "fact", "verdict"))
    table.add_column("words", no_wrap=True, overflow="ellipsis", ratio=1, min_width=10)
    for row in shown.iter_rows(named=True):
        verdict = verdicts.get(row["fact_id"], "")
        table.add_row(
            Text(row["claim_id"], style="dim"),
            Text(names.get(row["source"], row["source"])),
            Text(wording.cell(row, desk.written)),
            Text(wording.what(row)),
            Text(row["fact_id"], style="dim"),
            Text(verdict, style=VERDICT_STYLES.get(verdict, "")),
            Text(row["text"]),
        )
    console.print(table)
    if claims.height > shown.height:
        more = claims.height - shown.height
        console.print(Text(f"{plural(more, 'more claim')} in {desk.claims_file} (--limit 0 shows all)"))
