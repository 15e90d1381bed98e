"""Report tables: rich tables for the terminal (sources, articles, facts, why), their legend, print_report.

Every cell that holds news text is rich Text, so it is never read as markup.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import polars as pl
from rich.console import Console
from rich.table import Table

from audit.model import Corpus, Kind, Verdict
from audit.reconcile import as_written
from audit.report.lines import ShownText as Text  # page values made visible

VERDICT_STYLES = {"conflict": "bold red", "evolving": "yellow", "compatible": "cyan", "agree": "green", "single": "dim"}


def sources_table(corpus: Corpus, claims: pl.DataFrame | None = None) -> Table:
    """One row per source: outlet, articles, first article's date and where it came from, copy of, claims."""
    table = Table(title="Sources", title_justify="left")
    columns = ["source", "outlet", "articles", "published", "date from", "copy of", "stories"]
    for column in [*columns, "claims"] if claims is not None else columns:
        table.add_column(column, overflow="fold")
    counts = {}
    if claims is not None and claims.height:
        counts = dict(claims.group_by("source").len().iter_rows())
    for doc in corpus.outlines():
        first = doc.articles[0] if doc.articles else None
        stories = ", ".join(dict.fromkeys(a.story for a in doc.articles if a.story))
        table.add_row(
            Text(doc.source.source_id),
            Text(doc.source.outlet),
            str(len(doc.articles)),
            Text(first.published if first else ""),
            Text(first.published_from if first else ""),
            Text(corpus.copies.get(doc.source.source_id, "")),
            Text(stories),
            *([str(counts.get(doc.source.source_id, 0))] if claims is not None else []),
        )
    return table


def articles_table(corpus: Corpus) -> Table:
    """One row per article: source, index, headline, date and where it came from, story, copy of, size."""
    table = Table(title="Articles", title_justify="left")
    for column in ("source", "#", "headline", "published", "date from", "story", "copy of", "sentences"):
        table.add_column(column, overflow="fold")
    for doc in corpus.outlines():
        for article in doc.articles:
            table.add_row(
                Text(doc.source.source_id),
                str(article.index),
                Text(article.headline),
                Text(article.published),
                Text(article.published_from),
                Text(article.story),
                Text(article.copy_of),
                str(len(article.sentences)),
            )
    return table


def facts_table(
    facts: pl.DataFrame, claims: pl.DataFrame, sources: Iterable[str], written: Mapping[str, str] | None = None
) -> Table:
    """One row per fact (conflicts first), one column per source with its value as written, the verdict coloured.

    Figures of an evolving fact carry the day they were stated ("11 @2020-01-16"). Every cell is rich Text,
    so news text is never read as markup.
    """
    sources = list(sources)
    table = Table(title="Facts", title_justify="left", caption=legend(), caption_justify="left")
    table.add_column("fact", no_wrap=True)
    table.add_column("verdict", no_wrap=True)  # beside the id, so a narrow terminal never crops it
    table.add_column("measure", overflow="fold", min_width=8)
    table.add_column("subject", overflow="fold", min_width=8)
    table.add_column("event", no_wrap=True)
    for source in sources:
        table.add_column(Text(source.split("_")[0]), overflow="fold", min_width=6)
    table.add_column("best", justify="right", overflow="fold")
    evolving = set(facts.filter(pl.col("verdict") == Verdict.EVOLVING)["fact_id"].to_list())
    by_fact: dict[str, dict[str, list[str]]] = {}
    for row in claims.filter(pl.col("fact_id") != "").iter_rows(named=True):
        cell = as_written(row, written)
        if row["fact_id"] in evolving and row["as_of"]:
            cell += f" @{row['as_of']}"
        by_fact.setdefault(row["fact_id"], {}).setdefault(row["source"], []).append(cell)
    for fact in facts.iter_rows(named=True):
        cells = by_fact.get(fact["fact_id"], {})
        table.add_row(
            Text(fact["fact_id"]),
            Text(fact["verdict"], style=VERDICT_STYLES.get(fact["verdict"], "")),
            Text(fact["measure"] or ""),
            Text(fact["subject_key"] or ""),
            Text(fact["event_date"] or ""),
            *[Text(", ".join(dict.fromkeys(cells.get(s, [])))) for s in sources],
            Text(_best(fact)),
        )
    return table


def notes_table(facts: pl.DataFrame, verdicts: Iterable[str] = ("conflict", "evolving", "compatible")) -> Table:
    """Why: the note of each fact whose verdict needs explaining (conflicts first), with its values."""
    wanted = list(verdicts)
    table = Table(title="Why", title_justify="left")
    table.add_column("fact", no_wrap=True)
    table.add_column("verdict", no_wrap=True)
    table.add_column("values", overflow="fold", ratio=1)
    table.add_column("note", overflow="fold", ratio=2)
    for fact in facts.filter(pl.col("verdict").is_in(wanted)).iter_rows(named=True):
        table.add_row(
            Text(fact["fact_id"]),
            Text(fact["verdict"], style=VERDICT_STYLES.get(fact["verdict"], "")),
            Text(fact["values"] or ""),
            Text(fact["note"] or ""),
        )
    return table


def _best(fact: dict) -> str:
    """A fact's best figure with its unit ("50", "10 days", "2,300,000,000 USD"); the day for date facts."""
    if fact["kind"] == Kind.DATE:
        return fact["event_date"] or ""
    value = fact["best"]
    if value is None:
        return ""
    number = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.4g}"
    unit = fact["unit"] or ""
    if unit == "percent":
        return number + "%"
    return f"{number} {unit}{'s' if unit == 'day' and value != 1 else ''}".strip()


def legend() -> Text:
    """What the verdict colours and the cell signs mean."""
    text = Text("verdicts: ")
    meanings = {
        "conflict": "cannot all hold",
        "evolving": "moved over time",
        "compatible": "intervals overlap",
        "agree": "same interval",
        "single": "one independent source",
    }
    for verdict, meaning in meanings.items():
        text.append(verdict, style=VERDICT_STYLES[verdict])
        text.append(f" {meaning}  ")
    text.append("\ncells: ~ about, @ the day a figure was stated, denied: a denial (shown, never counted)")
    return text


def print_report(console: Console, corpus: Corpus, claims: pl.DataFrame, facts: pl.DataFrame) -> None:
    """Print the sources and facts tables, then why each conflict, evolving or compatible verdict was given."""
    console.print(sources_table(corpus, claims))
    shown = shown_facts(facts)
    console.print(facts_table(shown, claims, [d.source.source_id for d in corpus.outlines()]))
    hidden = facts.height - shown.height
    if hidden:
        console.print(Text(f"{hidden} more facts stated by one source with no named measure: see facts.csv"))
    explained = notes_table(facts)
    if explained.row_count:
        console.print(explained)


def shown_facts(facts: pl.DataFrame) -> pl.DataFrame:
    """The facts worth a row in the terminal: every cross-source verdict, and single facts of a named measure."""
    return facts.filter((pl.col("verdict") != Verdict.SINGLE) | (pl.col("measure").fill_null("") != ""))
