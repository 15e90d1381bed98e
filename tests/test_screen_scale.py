"""The screen at scale: nothing on it grows with the number of sources (issue 14).

A generated folder of many short pages about one flood (written here, read from the text): every page
says floods hit Karvel on Tuesday, March 14; the odd pages say 12 were killed, the even ones 15, all
published on 15 March 2023, so the toll is one fact that the sources state in conflict. Each page is
too short to be taken for a copy of another (under 20 shingles), so every one is an independent source.
The screen of 40 such sources and of 120 is printed on a fixed-width console: within a bound set by the
screen's limits alone (facts shown, lines under a fact, sources listed), the rest counted, none wider
than the console; the files keep every source.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from rich.console import Console

from audit.pipeline import audit_folder
from audit.report.choices import DEFAULT_LIMIT
from audit.report.names import sources_of_corpus
from audit.report.screen import MAX_FACT_LINES, Desk, ScreenOptions, print_screen

WIDTH = 100


def _folder(root: Path, count: int) -> Path:
    """`count` pages on the Karvel flood, each its own outlet, the toll 12 on odd pages and 15 on even."""
    folder = root / f"flood{count}"
    folder.mkdir()
    manifest = []
    for number in range(count):
        name = f"page{number:03d}.txt"
        killed = 12 if number % 2 else 15
        text = f"Karvel floods kill {killed}\n\nFloods hit Karvel on Tuesday, March 14. They killed {killed} people.\n"
        (folder / name).write_text(text, encoding="utf-8")
        manifest.append(f'[[source]]\nfile = "{name}"\noutlet = "Outlet {number}"\npublished = "2023-03-15"\n')
    (folder / "sources.toml").write_text("\n".join(manifest), encoding="utf-8")
    return folder


def _screen(folder: Path, rules) -> tuple[list[str], int]:
    """The screen's lines on a console WIDTH wide without colours, and the sources in the claims."""
    audit = audit_folder(folder, rules, jobs=1)
    desk = Desk(audit.claims, audit.facts, sources_of_corpus(audit.corpus, audit.claims), "out/facts.csv")
    console = Console(width=WIDTH, record=True, color_system=None, file=io.StringIO())
    print_screen(console, desk, ScreenOptions())
    return console.export_text().splitlines(), audit.claims["source"].n_unique()


@pytest.fixture(scope="module")
def screens(tmp_path_factory, rules) -> dict[int, tuple[list[str], int]]:
    root = tmp_path_factory.mktemp("many")
    return {count: _screen(_folder(root, count), rules) for count in (40, 120)}


def _blocks(lines: list[str]) -> list[list[str]]:
    """The value lines under each fact heading (a heading starts with its verdict at the line's start)."""
    blocks: list[list[str]] = []
    for line in lines:
        if line.split(" ", 1)[0] in ("conflict", "evolving", "compatible", "agree", "single"):
            blocks.append([])
        elif blocks and line.startswith("  ") and not line.startswith("  why:"):
            blocks[-1].append(line)
    return blocks


#: Lines a screen may take whatever the folder: summary and title, 25 facts of a heading, their value
#: lines, the count of the rest and a why note of four lines at most, the legend, 25 sources and a count.
BOUND = 3 + DEFAULT_LIMIT * (1 + MAX_FACT_LINES + 1 + 4) + 2 + (3 + DEFAULT_LIMIT + 1)


@pytest.mark.parametrize("count", [40, 120], ids=["40-sources", "120-sources"])
def test_the_screen_does_not_grow_with_the_sources(screens, count):
    lines, sources = screens[count]
    assert sources == count  # every page's claims are in the table
    assert len(lines) <= BOUND
    assert max(len(line) for line in lines) <= WIDTH
    assert all(len(block) <= MAX_FACT_LINES + 2 for block in _blocks(lines))  # values, their count, a wrap


@pytest.mark.parametrize(
    ("count", "summary", "more_sources"),
    [(40, "40 pages, 40 outlets", "15 more sources"), (120, "120 pages, 120 outlets", "95 more sources")],
    ids=["40-sources", "120-sources"],
)
def test_the_rest_is_counted_not_shown(screens, count, summary, more_sources):
    lines = screens[count][0]
    assert lines[0].startswith(summary)
    counted = [line.strip() for line in lines if line.startswith("  and ") and "more value" in line]
    assert counted and all(re.fullmatch(r"and \d+ more values from \d+ sources", c) for c in counted)
    assert any(line.startswith(more_sources) for line in lines)
