"""The screen of `audit run` and `audit reconcile` at 80, 120 and 200 columns, on the seeds and on the
hand-written flood corpus (tests/data/flood: three outlets, one flood).

What the flood pages say, read from them: the Valley Herald (15 Mar 2023) has 12 killed, the National
Wire Service (15 Mar, evening) 19, and River Radio (17 Mar) 15: a toll that falls, so a conflict; each
figure has one source, and the tie goes to the one nearest their median: best 15.
About 2,000 displaced on the 15th (Herald, Wire), more than 5,000 on the 17th (Radio): evolving. All
three say 40 injured and that the flood came on Tuesday, March 14; Herald and Wire quote officials
"on Wednesday" (15 Mar): three facts that agree. Radio's "on Friday", one more date and the Herald's
"two days of heavy rain" (a duration) stand alone.
In the seeds, the New York Times (15 Jan 2020) gives the pause as 10 days, Asharq Al-Awsat and its
repost (30 Jan) as nearly three weeks: a conflict, best 10 days (README, "What you get").
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner
from rich.console import Console

from audit.cli import cli
from audit.pipeline import audit_folder
from audit.reconcile import claims_frame, reconcile
from audit.report.names import SourceInfo, name_sources, sources_of_corpus
from audit.report.screen import MAX_TABLE_SOURCES, Desk, ScreenOptions, print_claims, print_screen
from audit.report.select import FactFilter
from tests.conftest import SEEDS

FLOOD = Path(__file__).parent / "data" / "flood"
WIDTHS = (80, 120, 200)
FLOOD_SUMMARY = "3 pages, 3 outlets, 1 story; 1 conflict, 1 evolving, 3 agree; 3 facts from one source in out/facts.csv"


@pytest.fixture(scope="module")
def flood_audit(rules):
    return audit_folder(FLOOD, rules)


def _desk(audit) -> Desk:
    return Desk(audit.claims, audit.facts, sources_of_corpus(audit.corpus, audit.claims), "out/facts.csv")


def screen(desk: Desk, width: int, **options) -> str:
    """The screen as a fixed-width terminal without colours shows it."""
    console = Console(width=width, record=True, color_system=None, file=io.StringIO())
    print_screen(console, desk, ScreenOptions(**options))
    return console.export_text()


def _flat(text: str) -> str:
    """The text with its lines joined by spaces (a summary wrapped at 80 columns reads the same)."""
    return " ".join(line.strip() for line in text.splitlines())


def _facts_part(text: str) -> str:
    """The screen between the summary and the Sources table."""
    return text.split("Facts", 1)[1].split("Sources", 1)[0]


@pytest.mark.parametrize("width", WIDTHS)
def test_flood_screen_fits_and_shows_who_says_what(flood_audit, width):
    text = screen(_desk(flood_audit), width)
    assert max(len(line) for line in text.splitlines()) <= width
    assert _flat(text).startswith(FLOOD_SUMMARY)
    facts = _facts_part(text)
    assert facts.index("conflict") < facts.index("evolving") < facts.index("agree")
    assert "single" not in facts
    for name in ("Valley Herald", "National Wire Service", "River Radio"):
        assert all(word in facts for word in name.split())  # a long name may wrap in its column's header
    for value in ("12", "19", "15", "~2,000", "more than 5,000", "40", "14 Mar 2023"):
        assert value in facts
    assert text.index("Sources") > text.index("agree")


@pytest.mark.parametrize("width", WIDTHS)
def test_flood_best_figure_is_visible(flood_audit, width):
    facts = _facts_part(screen(_desk(flood_audit), width))
    conflict = next(line for line in facts.splitlines() if "conflict" in line)
    if "best 15" in conflict:  # one claim a line: the fact's heading carries its best figure
        assert "killed" in conflict
    else:  # the wide table: best is the last column
        header = next(line for line in facts.splitlines() if "verdict" in line)
        assert header.rstrip().endswith("best") and conflict.rstrip().endswith("15")


def test_flood_at_80_is_one_claim_a_line(flood_audit):
    lines = _facts_part(screen(_desk(flood_audit), 80)).splitlines()
    heading = next(n for n, line in enumerate(lines) if line.startswith("conflict"))
    assert "killed" in lines[heading] and "best 15" in lines[heading]
    herald, wire, radio = lines[heading + 1 : heading + 4]
    assert re.match(r"  Valley Herald +12 +15 Mar 2023", herald)
    assert re.match(r"  National Wire Service +19 +15 Mar 2023", wire)
    assert re.match(r"  River Radio +15 +17 Mar 2023", radio)


@pytest.mark.parametrize("width", [120, 200])
def test_flood_wide_table_names_outlets_in_publication_order(flood_audit, width):
    facts = _facts_part(screen(_desk(flood_audit), width))
    lines = facts.splitlines()
    rule = next(n for n, line in enumerate(lines) if line.startswith("─"))
    headers = [line for line in lines[:rule] if line.strip()]  # a long name may wrap in its column's header

    def column(word: str) -> int:
        return min(line.index(word) for line in headers if word in line)

    assert column("Valley") < column("National") < column("River")
    conflict = next(line for line in facts.splitlines() if "conflict" in line)
    cells = conflict.split()
    assert cells[-4:] == ["12", "19", "15", "15"]  # Herald, Wire, Radio, best
    evolving = _flat("\n".join(line for line in facts.splitlines() if "@" in line))
    assert "~2,000 @15 Mar" in evolving and "5,000" in evolving


@pytest.mark.parametrize("width", WIDTHS)
def test_seed_screen_fits_and_shows_the_pause_conflict(seed_audit, width):
    text = screen(_desk(seed_audit), width)
    assert max(len(line) for line in text.splitlines()) <= width
    assert text.startswith("5 pages, 4 outlets, ")
    assert "1 conflict" in text.splitlines()[0]
    facts = _facts_part(text)
    conflict = next(line for line in facts.splitlines() if "conflict" in line)
    assert "pause" in conflict and "10 days" in conflict
    assert "nearly 3 weeks" in facts
    assert _fact_id(seed_audit, "conflict") in conflict  # to find it in facts.csv


@pytest.mark.parametrize("width", WIDTHS)
def test_seed_dates_are_in_words(seed_audit, width):
    facts = _facts_part(screen(_desk(seed_audit), width, wanted=FactFilter(verdicts=("agree",))))
    assert "5 Jan 2020" in facts and "3 Jan 2020" in facts
    assert not re.search(r"\d{4}-\d{2}-\d{2}|XXXX", facts)


def test_seed_columns_in_publication_order(seed_audit):
    facts = _facts_part(screen(_desk(seed_audit), 200))
    header = next(line for line in facts.splitlines() if "verdict" in line)
    # The manifest: New York Times 15 Jan, Devdiscourse 17 Jan, Asharq Al-Awsat and its repost 30 Jan.
    order = [header.index(n) for n in ("New York Times", "Devdiscourse", "Asharq Al-Awsat", "Repost of Asharq")]
    assert order == sorted(order)


def test_all_adds_the_single_source_facts(flood_audit):
    text = screen(_desk(flood_audit), 120, show_all=True)
    assert "3 facts from one source shown below" in _flat(text)
    assert "single" in _facts_part(text)


def _fact_id(audit, verdict: str) -> str:
    return audit.facts.filter(pl.col("verdict") == verdict)["fact_id"][0]


@pytest.mark.parametrize(
    ("wanted", "kept", "left_out"),
    [
        (FactFilter(verdicts=("conflict",)), ["conflict"], ["evolving", "agree"]),
        (FactFilter(measures=("displaced",)), ["evolving"], ["conflict", "agree"]),
        (FactFilter(min_sources=3), ["conflict", "evolving", "agree"], []),
        (FactFilter(verdicts=("single",)), ["single"], ["conflict"]),
    ],
    ids=["verdict", "measure", "min-sources", "singles-asked-for"],
)
def test_filters_choose_the_facts_shown(flood_audit, wanted, kept, left_out):
    facts = _facts_part(screen(_desk(flood_audit), 120, wanted=wanted))
    for verdict in kept:
        assert verdict in facts
    for verdict in left_out:
        assert _fact_id(flood_audit, verdict) not in facts


def test_min_sources_three_leaves_out_the_two_source_date(flood_audit):
    two = flood_audit.facts.filter((pl.col("independent") == 2) & (pl.col("verdict") == "agree"))["fact_id"]
    assert len(two) == 1  # Herald and Wire: "on Wednesday"
    assert two[0] in screen(_desk(flood_audit), 120)
    assert two[0] not in screen(_desk(flood_audit), 120, wanted=FactFilter(min_sources=3))


def test_a_filter_that_matches_nothing_says_so(flood_audit):
    text = screen(_desk(flood_audit), 80, wanted=FactFilter(stories=("S9",)))
    assert "No fact matches." in text and "0 facts match --story S9" in text


# --------------------------------------------------------------------------------------- many sources, many facts


def _claim(source: str, subject: str, value: float, day: str = "2024-05-02") -> dict:
    """A count claim of `killed` as the extractor would give it."""
    return {
        **{c: "" for c in claims_frame([]).columns},
        "claim_id": f"{source}:{subject}",
        "file": f"{source}.txt",
        "source": source,
        "published": day,
        "article": 1,
        "story": "S1",
        "kind": "count",
        "measure": "killed",
        "subject_key": subject,
        "value": value,
        "low": value,
        "high": value,
        "hedge": "exact",
        "as_of": day,
        "polarity": "asserted",
        "text": f"{value:g}",
        "char_start": 0,
        "char_end": 1,
    }


def _synthetic_desk(rules, rows: list[dict]) -> Desk:
    frame = pl.DataFrame(rows, schema=claims_frame([]).schema, orient="row")
    claims, facts = reconcile(frame, rules, {})
    sources = name_sources([SourceInfo(s, "", file=f"{s}.txt") for s in sorted(set(frame["source"]))])
    return Desk(claims, facts, sources, "out/facts.csv")


def test_past_a_handful_of_sources_one_claim_a_line(rules):
    names = [f"outlet{n}" for n in range(MAX_TABLE_SOURCES + 2)]
    desk = _synthetic_desk(rules, [_claim(name, "people", 5) for name in names])
    text = screen(desk, 200)
    facts = _facts_part(text)
    assert not any(all(name in line for name in names) for line in facts.splitlines())  # no column per source
    for name in names:
        assert re.search(rf"^  {name} +5 ", facts, re.MULTILINE)


def test_rows_are_capped_and_the_rest_is_counted(rules):
    rows = [_claim(s, f"group{n:02d}", 10 + n) for n in range(30) for s in ("a", "b")]
    desk = _synthetic_desk(rules, rows)
    text = screen(desk, 120, limit=25)
    assert "5 more facts in out/facts.csv (--limit 0 shows all)" in text
    assert "group29" not in text and "group00" in text
    assert "more facts" not in screen(desk, 120, limit=0)


def test_claims_screen_fits(flood_audit):
    console = Console(width=80, record=True, color_system=None, file=io.StringIO())
    print_claims(console, _desk(flood_audit), ScreenOptions(wanted=FactFilter(measures=("killed",))))
    text = console.export_text()
    assert max(len(line) for line in text.splitlines()) <= 80
    rows = [line for line in text.splitlines() if line.split()[:1] and ":" in line.split()[0]]
    # the Herald and the Wire state their tolls in the headline too ("kill 12", "reaches 19"): 2 + 2 + 1
    assert len(rows) == 5 and all("killed" in row for row in rows)


# ------------------------------------------------------------------------------------------------- the CLI


@pytest.mark.parametrize("width", WIDTHS)
def test_run_prints_the_screen_at_the_width_asked(tmp_path, width):
    result = CliRunner().invoke(cli, ["run", str(FLOOD), "-o", str(tmp_path / "out"), "--width", str(width)])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stdout.splitlines() if not line.startswith("wrote ")]  # paths: one line each
    assert max(len(line) for line in lines) <= width
    assert _flat(result.stdout).startswith(FLOOD_SUMMARY.replace("out/", f"{tmp_path}/out/"))


def test_reconcile_prints_the_same_screen_as_run(tmp_path):
    first = CliRunner().invoke(cli, ["run", str(FLOOD), "-o", str(tmp_path / "a"), "--width", "120"])
    again = CliRunner().invoke(
        cli, ["reconcile", str(tmp_path / "a" / "claims.csv"), "-o", str(tmp_path / "b"), "--width", "120"]
    )
    assert first.exit_code == 0 and again.exit_code == 0, again.output
    assert _facts_part(first.stdout) == _facts_part(again.stdout)
    assert first.stdout.splitlines()[0] == again.stdout.splitlines()[0].replace(f"{tmp_path}/b", f"{tmp_path}/a")


def test_seed_run_at_80_columns_through_the_cli(tmp_path):
    result = CliRunner().invoke(cli, ["run", str(SEEDS), "-o", str(tmp_path), "--width", "80"])
    assert result.exit_code == 0, result.output
    assert max(len(line) for line in result.stdout.splitlines() if not line.startswith("wrote ")) <= 80
    assert result.stdout.startswith("5 pages, 4 outlets")
    assert "best 10 days" in result.stdout
