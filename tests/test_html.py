"""The HTML report (report.html), read as HTML and opened in a real browser (Debian's chromium, headless).

On the seeds and on the hand-written ferry corpus (tests/data/ferry: three outlets, a toll that grows from
"at least 11" to 34 to 50, a passenger count that conflicts, a denial): every fact stated by two or more
independent sources is on the page, every claim of it marked with exactly its words; the filters hide and
show; the timeline has one point per stated figure; hostile text (tests/data/injection) stays text; nothing
is fetched. The browser tests skip with one line where no chromium is installed, and fail instead in CI.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import os
import re
import shutil
import struct
import subprocess
import time
from datetime import date, timedelta
from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner
from lxml import html as lxml_html

from audit import report
from audit.cli import cli
from audit.model import CLAIM_COLUMNS
from audit.pipeline import audit_folder
from audit.reconcile import reconcile
from audit.report import html as page_html
from audit.report import page_data, timeline
from audit.report.html import html_text

DATA = Path(__file__).resolve().parent / "data"
FERRY, INJECTION = DATA / "ferry", DATA / "injection"
MANIFEST_URLS = {
    "https://coastal-courier.example/2023/03/10/ferry-sinks-off-kalo",
    "https://island-daily.example/news/kalo-ferry-toll",
    "https://second.example/news\"><script>document.body.setAttribute('data-pwned', 'href')</script>",
}


# --- the pages ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pages(rules, seed_audit, tmp_path_factory) -> dict[str, dict]:
    """Each test page: its claims, facts, HTML text and file. `ferry-reconciled` has no corpus (audit
    reconcile): its sentences, copies and sources come from the claims table alone."""
    folder = tmp_path_factory.mktemp("pages")
    built = {}
    audits = {"seeds": seed_audit, "ferry": audit_folder(FERRY, rules), "injection": audit_folder(INJECTION, rules)}
    for name, result in audits.items():
        built[name] = {"claims": result.claims, "facts": result.facts, "html": None, "corpus": result.corpus}
    claims, facts = reconcile(audits["ferry"].claims, rules, None)
    built["ferry-reconciled"] = {"claims": claims, "facts": facts, "html": None, "corpus": None}
    for name, page in built.items():
        page["html"] = html_text(page["claims"], page["facts"], page["corpus"], rules)
        page["path"] = folder / f"{name}.html"
        page["path"].write_text(page["html"], encoding="utf-8")
    return built


def _tree(text: str):
    """An HTML text parsed into an element tree."""
    return lxml_html.document_fromstring(text)


def _multi(facts: pl.DataFrame) -> pl.DataFrame:
    """The facts stated by two or more independent sources."""
    return facts.filter(pl.col("verdict") != "single")


def _check_every_claim_marked(root, claims: pl.DataFrame, facts: pl.DataFrame) -> int:
    """Every multi-source fact has its card; every claim of it one row whose one <mark> is exactly its text."""
    cards = {card.get("id") for card in root.xpath("//article[@data-fact]")}
    wanted = set(_multi(facts)["fact_id"].to_list())
    assert cards == wanted
    checked = 0
    for claim in claims.filter(pl.col("fact_id").is_in(list(wanted))).iter_rows(named=True):
        card = root.get_element_by_id(claim["fact_id"])
        rows = card.xpath(".//tr[@data-claim=$id]", id=claim["claim_id"])
        assert len(rows) == 1, claim["claim_id"]
        marks = rows[0].xpath(".//mark")
        assert [mark.text_content() for mark in marks] == [claim["text"]], claim["claim_id"]
        title = marks[0].get("title")
        assert claim["file"] in title and f"{claim['char_start']}–{claim['char_end']}" in title
        checked += 1
    return checked


@pytest.mark.parametrize("name", ["seeds", "ferry", "ferry-reconciled", "injection"])
def test_every_claim_of_every_multi_source_fact_is_marked_with_its_words(pages, name):
    page = pages[name]
    assert _check_every_claim_marked(_tree(page["html"]), page["claims"], page["facts"]) > 0


@pytest.mark.parametrize("name", ["seeds", "ferry"])
def test_with_the_corpus_the_sentence_around_the_mark_is_the_claims_sentence(pages, name):
    page, root = pages[name], _tree(pages[name]["html"])
    sentences = dict(page["claims"].select("claim_id", "sentence").iter_rows())
    for row in root.xpath("//article[@data-fact]//tr[@data-claim]"):
        quoted = row.xpath(".//q[contains(@class, 'words')]")[0].text_content()
        assert " ".join(quoted.split()) == sentences[row.get("data-claim")]


def test_the_ferry_toll_lists_its_sources_in_publication_order_with_the_denial_shown_as_one(pages):
    root = _tree(pages["ferry"]["html"])
    (card,) = root.xpath("//article[@data-verdict='evolving']")
    assert card.get("data-measure") == "killed"
    rows = card.xpath(".//tbody/tr")
    outlets = [row.xpath("./td[@class='outlet']")[0].text.strip() for row in rows]
    # each headline states its toll again ("at least 11 dead", "rises to 34", "reaches 50"): a row of its own
    assert outlets == ["Coastal Courier"] * 2 + ["Harbour Wire"] * 3 + ["Island Daily"] * 2
    values = [row.xpath("./td[@class='value']")[0].text.strip() for row in rows]
    assert sorted(values) == sorted(["at least 11", "at least 11", "34", "34", "denied: 100", "50", "50"])
    denied = [row for row in rows if "denied" in row.get("class").split()]
    assert len(denied) == 1 and "denial: never counted" in denied[0].text_content()
    assert "100 people" in denied[0].xpath(".//mark")[0].text_content()


def test_a_copy_is_shown_as_a_copy(pages):
    root = _tree(pages["seeds"]["html"])
    (card,) = root.xpath("//article[@data-verdict='conflict']")
    copies = card.xpath(".//tr[contains(@class, 'copy')]")
    assert len(copies) == 1  # 001 reposts 000's text (seeds/sources.toml)
    assert "Repost of Asharq Al-Awsat" in copies[0].text_content()
    assert "copy of Asharq Al-Awsat (English)" in copies[0].xpath(".//span[contains(@class, 'badge')]")[0].text


def test_the_fact_says_what_it_is_why_and_its_figures(pages):
    root = _tree(pages["ferry"]["html"])
    (card,) = root.xpath("//article[@data-verdict='conflict']")
    assert card.xpath(".//span[@class='what']")[0].text == "passengers"
    assert "event 2023-03-09" in card.xpath(".//h4")[0].text_content()  # the ferry sank on Thursday, March 9
    assert "do not overlap" in card.xpath(".//p[@class='why']")[0].text_content()
    figures = {div.xpath("./dt")[0].text: div.xpath("./dd")[0].text for div in card.xpath(".//dl/div")}
    assert (figures["low"], figures["best"], figures["high"]) == ("240", "240", "310")  # 240 twice, 310 once


def test_the_summary_counts_pages_outlets_stories_and_verdicts(pages):
    root = _tree(pages["seeds"]["html"])
    counts = {div.xpath("./dt")[0].text: div.xpath("./dd")[0].text for div in root.xpath("//dl[@class='summary']/div")}
    assert (counts["pages"], counts["outlets"]) == ("5", "5")  # five seed files, five outlets in sources.toml
    facts = pages["seeds"]["facts"]
    for verdict in ("conflict", "evolving", "compatible", "agree", "single"):
        chip = root.xpath("//a[@href=$href]", href=f"#verdict={verdict}")[0]
        assert chip.xpath("./strong")[0].text == str(facts.filter(pl.col("verdict") == verdict).height)


def test_the_sources_panel_says_where_each_date_came_from(pages):
    root = _tree(pages["seeds"]["html"])
    rows = {
        row.xpath("./td[@data-label='source']")[0].text_content(): row
        for row in root.xpath("//table[@class='source-table']/tbody/tr")
    }
    assert len(rows) == 5
    repost = rows["001_d56f81f16242cc2d"]
    assert repost.xpath("./td[@data-label='copy of']")[0].text == "Asharq Al-Awsat (English)"
    assert repost.xpath("./td[@data-label='date from']")[0].text == "manifest"
    undated = rows["003_cd2895a254cb92bd"]  # Asian Lite News: no date in the manifest or the page
    assert undated.xpath("./td[@data-label='published']")[0].text == "unknown"
    assert undated.xpath("./td[@data-label='articles']")[0].text == "10"


def test_the_page_is_the_same_on_every_run(pages, rules):
    page = pages["ferry"]
    assert html_text(page["claims"], page["facts"], page["corpus"], rules) == page["html"]


def test_values_are_written_with_the_hedge_words_of_the_rules_given(pages, rules):
    """The page says a hedged value with the `written` words of the rules it is given (hedges.toml), as
    facts.csv does: a rules folder that writes "about" as "circa " shows "circa " where the bundled shows "~"."""
    page = pages["seeds"]
    hedges = {**rules.settings["hedges"], "written": {**rules.settings["hedges"]["written"], "about": "circa "}}
    edited = dataclasses.replace(rules, settings={**rules.settings, "hedges": hedges})
    assert "circa " not in page["html"]
    assert "circa " in html_text(page["claims"], page["facts"], page["corpus"], edited)


# --- self-contained and safe ----------------------------------------------------------------------------


def _csp(root) -> str:
    """The page's Content-Security-Policy."""
    return root.xpath("//meta[@http-equiv='Content-Security-Policy']")[0].get("content")


def _sha(text: str) -> str:
    """The CSP source of an inline block's text."""
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()


def test_the_policy_allows_exactly_the_pages_own_style_and_script(pages):
    root = _tree(pages["seeds"]["html"])
    csp = _csp(root)
    assert "default-src 'none'" in csp
    (style,) = root.xpath("//style")
    code = [s for s in root.xpath("//script") if s.get("type") is None]
    assert len(code) == 1
    assert f"style-src '{_sha(style.text)}'" in csp and f"script-src '{_sha(code[0].text)}'" in csp


def _external_references(root, allowed: set[str]) -> list[str]:
    """Every reference in a page that would reach beyond it: src, srcset, link, CSS url(), other hrefs."""
    found = [f"<{e.tag}>" for e in root.iter("link", "img", "iframe", "object", "embed", "video", "audio", "source")]
    found += [f"src={e.get('src')}" for e in root.xpath("//*[@src or @srcset]")]
    for element in root.xpath("//*[@href]"):
        href = element.get("href")
        if not href.startswith("#") and href not in allowed:
            found.append(f"href={href}")
    found += [f"css: {hit}" for style in root.xpath("//style") for hit in re.findall(r"url\(|@import", style.text)]
    return found


@pytest.mark.parametrize("name", ["seeds", "ferry", "ferry-reconciled", "injection"])
def test_nothing_is_fetched_only_manifest_links(pages, name):
    assert _external_references(_tree(pages[name]["html"]), MANIFEST_URLS) == []


def test_manifest_links_are_on_the_page_and_a_javascript_url_is_not_a_link(pages):
    ferry = _tree(pages["ferry"]["html"])
    hrefs = {a.get("href") for a in ferry.xpath("//a[@href]") if not a.get("href").startswith("#")}
    assert hrefs == MANIFEST_URLS - {u for u in MANIFEST_URLS if "second" in u}
    injection = pages["injection"]["html"]
    assert "javascript:" not in " ".join(a.get("href") for a in _tree(injection).xpath("//a[@href]"))


def _check_hostile_text_stays_text(root) -> None:
    """No markup from the pages or the manifest became an element, and each shows as the text it is."""
    assert root.xpath("//img | //b | //i | //svg[not(ancestor::figure)]") == []
    assert [a.attrib for a in root.iter() if any(k.lower().startswith("on") for k in a.attrib)] == []
    scripts = root.xpath("//script")
    assert [s.get("type") for s in scripts] == ["application/json", None]
    text = root.text_content()
    assert "<script>document.body.setAttribute('data-pwned', 'headline')</script> Ferry <b>sinks</b> off Dara" in text
    assert "Evil & Co <img src=x onerror=" in text
    assert "Second <b>Bold</b> News" in text
    assert "a ferry <img src=x onerror=\"document.body.setAttribute('data-pwned', 'sentence')\"> sank" in text
    assert "on Sunday <b>at night</b> <!-- a comment --> &amp; &lt;b&gt;." in text


def test_hostile_text_in_headlines_sentences_and_outlets_stays_text(pages):
    page = pages["injection"]
    root = _tree(page["html"])
    _check_hostile_text_stays_text(root)
    # the single-source facts travel as JSON: "</script><script>" in a sentence cannot end that block
    data = root.xpath("//script[@id='singles-data']")[0].text
    assert "</script>" not in data and "<" not in data
    assert "\\u003c/script\\u003e\\u003cscript\\u003e" in data


# --- helpers of the page, by example --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "text", "nth", "before"),
    [
        ("It lasted 10 days, not 100 days.", "10 days", 0, "It lasted "),
        ("Not 100 but 10 were hurt.", "10", 0, "Not 100 but "),  # whole numbers first: not inside "100"
        ("2 boats, then 2 more.", "2", 1, "2 boats, then "),  # the second claim with the same words
        ("2 boats, then 2 more.", "2", 5, "2 boats, then "),  # more claims than matches: the last
        ("nearly three\nweeks", "nearly three\nweeks", 0, ""),  # the sentence collapsed white space
    ],
    ids=["first-match", "whole-number", "second-occurrence", "clamped", "collapsed-space"],
)
def test_a_claim_is_found_in_its_sentence_column(sentence, text, nth, before):
    row = {"sentence": " ".join(sentence.split()), "text": text, "file": "a.txt", "char_start": 0, "char_end": 1}
    row["claim_id"] = "a:0"
    mark = page_data._mark_in_sentence(row, nth)
    assert (mark.before, mark.text, mark.found) == (before, text, True)


def test_words_missing_from_their_sentence_are_shown_and_said_to_be_missing():
    row = {
        "sentence": "Something else.",
        "text": "12",
        "file": "a.txt",
        "char_start": 5,
        "char_end": 7,
        "claim_id": "a",
    }
    mark = page_data._mark_in_sentence(row, 0)
    assert (mark.text, mark.after, mark.found) == ("12", "Something else.", False)


@pytest.mark.parametrize(
    ("url", "link"),
    [
        ("https://example.org/a?b=1", "https://example.org/a?b=1"),
        ("http://example.org", "http://example.org"),
        ("javascript:alert(1)", ""),
        (" JavaScript:alert(1)", ""),
        ("data:text/html,<script>alert(1)</script>", ""),
        ("file:///etc/passwd", ""),
        ("example.org/page", ""),
        ("", ""),
    ],
    ids=["https", "http", "javascript", "javascript-spaced", "data", "file", "no-scheme", "empty"],
)
def test_only_http_urls_become_links(url, link):
    assert page_data._safe_url(url) == link


@pytest.mark.parametrize(
    ("value", "top"),
    [(0.5, 1.0), (9, 10.0), (11, 12.0), (55, 60.0), (110, 120.0), (250, 250.0), (5720, 6000.0)],
    ids=["small", "nine", "eleven", "fifty-five", "hundred-ten", "exact", "thousands"],
)
def test_the_timeline_axis_top_is_a_round_number_above_the_figures(value, top):
    assert timeline._nice(value) == top


def test_sources_sort_by_publication_time_in_utc_undated_last():
    stamps = ["", "2020-01-17T00:47+05:30", "2020-01-16T20:00+00:00", "2020-01-16", "2024-01"]
    ordered = sorted(stamps, key=page_data._moment)
    # 00:47 in India on the 17th is 19:17 UTC on the 16th: before 20:00 UTC
    assert ordered == ["2020-01-16", "2020-01-17T00:47+05:30", "2020-01-16T20:00+00:00", "2024-01", ""]


# --- the command line ------------------------------------------------------------------------------------


def test_audit_run_writes_report_html_beside_the_tables_and_no_html_skips_it(tmp_path):
    runner = CliRunner()
    done = runner.invoke(cli, ["run", str(FERRY), "--out", str(tmp_path / "a"), "--width", "120"])
    assert done.exit_code == 0, done.output
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == ["claims.csv", "facts.csv", "report.html", "run.json"]
    assert "<mark" in (tmp_path / "a" / "report.html").read_text(encoding="utf-8")
    skipped = runner.invoke(cli, ["run", str(FERRY), "--out", str(tmp_path / "b"), "--no-html"])
    assert skipped.exit_code == 0, skipped.output
    assert sorted(p.name for p in (tmp_path / "b").iterdir()) == ["claims.csv", "facts.csv", "run.json"]


def test_audit_reconcile_writes_report_html_too(tmp_path):
    runner = CliRunner()
    assert runner.invoke(cli, ["run", str(FERRY), "--out", str(tmp_path / "a"), "--no-html"]).exit_code == 0
    done = runner.invoke(cli, ["reconcile", str(tmp_path / "a" / "claims.csv"), "--out", str(tmp_path / "b")])
    assert done.exit_code == 0, done.output
    root = _tree((tmp_path / "b" / "report.html").read_text(encoding="utf-8"))
    assert root.xpath("//h1")[0].text == "claims.csv"
    assert {a.get("data-measure") for a in root.xpath("//article[@data-fact]")} == {"passengers", "killed", ""}


def test_report_html_is_written_with_the_tables_or_not_at_all(tmp_path, monkeypatch):
    out = tmp_path / "out"
    out.mkdir()
    (out / "claims.csv").write_text("old", encoding="utf-8")
    stage = report.files._stage

    def failing(path, data, encoding):
        if path.name == "report.html":
            raise OSError(28, "No space left on device")
        return stage(path, data, encoding)

    monkeypatch.setattr(report.files, "_stage", failing)
    done = CliRunner().invoke(cli, ["run", str(FERRY), "--out", str(out)])
    assert done.exit_code == 1 and "report.html: cannot write: No space left on device" in done.output
    assert sorted(p.name for p in out.iterdir()) == ["claims.csv"]
    assert (out / "claims.csv").read_text(encoding="utf-8") == "old"


# --- in the browser ----------------------------------------------------------------------------------------

_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-default-apps",
    "--no-first-run",
    "--hide-scrollbars",
    "--host-resolver-rules=MAP * ~NOTFOUND",  # whatever the page asked for could not leave the machine
)


class Browser:
    """Debian's chromium, headless: the DOM after the page's script ran, and screenshots."""

    def __init__(self, binary: str, profile: Path):
        self.binary, self.profile, self._doms = binary, profile, {}

    def run(self, url: str, *args: str) -> subprocess.CompletedProcess:
        """Run chromium on a URL with the given arguments; its output as text."""
        command = [self.binary, *_FLAGS, f"--user-data-dir={self.profile}", *args, url]
        return subprocess.run(command, capture_output=True, text=True, timeout=180, check=True)

    def dom(self, path: Path, fragment: str = ""):
        """The page's DOM once loaded (its script has run), parsed; `fragment` is the URL's #part."""
        key = (path, fragment)
        if key not in self._doms:
            dumped = self.run(path.as_uri() + fragment, "--dump-dom").stdout
            root = _tree(dumped)
            assert root.get("data-ready-ms"), "the page's script did not run"
            self._doms[key] = root
        return self._doms[key]

    def screenshot(self, path: Path, width: int, height: int, out: Path) -> Path:
        """A picture of the page at a window size."""
        self.run(path.as_uri(), f"--window-size={width},{height}", f"--screenshot={out}")
        return out


def _chromium() -> str | None:
    """The chromium binary, if one is installed."""
    for candidate in (shutil.which("chromium"), "/usr/bin/chromium"):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


@pytest.fixture(scope="session")
def browser(tmp_path_factory) -> Browser:
    """The browser; its tests skip only where none is installed, and never when CI is set."""
    binary = _chromium()
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("CI is set but no chromium binary is installed (apt-get install chromium)")
        pytest.skip("no chromium binary (apt-get install chromium): browser tests skipped")
    return Browser(binary, tmp_path_factory.mktemp("chromium-profile"))


def _visible(root) -> set[tuple[str, str]]:
    """(verdict, measure) of each multi-source fact the filters leave visible."""
    shown = root.xpath("//article[@data-fact][not(@hidden)][not(ancestor::section[@hidden])]")
    return {(card.get("data-verdict"), card.get("data-measure")) for card in shown}


@pytest.mark.parametrize("name", ["seeds", "ferry"])
def test_browser_every_claim_of_every_multi_source_fact_is_marked(browser, pages, name):
    page = pages[name]
    assert _check_every_claim_marked(browser.dom(page["path"]), page["claims"], page["facts"]) > 0


EVERY_FERRY_FACT = {("conflict", "passengers"), ("evolving", "killed"), ("agree", "")}


@pytest.mark.parametrize(
    ("fragment", "visible", "singles"),
    [
        ("", EVERY_FERRY_FACT, 3),  # the single-source facts are listed, in their closed <details>
        ("#verdict=conflict", {("conflict", "passengers")}, 0),
        ("#verdict=evolving", {("evolving", "killed")}, 0),
        ("#measure=killed", {("evolving", "killed")}, 0),
        ("#q=310", {("conflict", "passengers"), ("agree", "")}, 0),  # Island Daily's "310 passengers" sentence
        ("#q=transport%20ministry", {("evolving", "killed"), ("agree", "")}, 0),  # the denial's sentence
        ("#story=S1", EVERY_FERRY_FACT, 3),  # the three outlets tell one story
        ("#q=no%20such%20words", set(), 0),
        ("#verdict=single", set(), 3),  # Harbour Wire's Friday and Saturday, Island Daily's Sunday
        ("#outlet=Island%20Daily&verdict=single", set(), 1),
        ("#outlet=Coastal%20Courier", EVERY_FERRY_FACT, 0),  # it states all three; it has no single fact
        ("#F20c47ef3", EVERY_FERRY_FACT, 3),  # a link to one fact (the passengers conflict) is not a filter
    ],
    ids=[
        "none",
        "conflict",
        "evolving",
        "measure",
        "search-figure",
        "search-words",
        "story",
        "no-match",
        "singles",
        "outlet-singles",
        "outlet-all",
        "fact-link",
    ],
)
def test_browser_filters_hide_and_show(browser, pages, fragment, visible, singles):
    root = browser.dom(pages["ferry"]["path"], fragment)
    assert _visible(root) == visible
    assert (root.get_element_by_id("multi-empty").get("hidden") is None) == (not visible)
    assert len(root.xpath("//ol[@id='single-list']/li")) == singles
    opened = root.get_element_by_id("singles").get("open") is not None
    assert opened == ("verdict=single" in fragment)


def _seed_cases():
    """Filters on the seeds, with what each should show worked out from the facts and claims tables."""
    return ["#verdict=conflict", "#verdict=agree", "#measure=pause_start", "#outlet=Devdiscourse%20(PTI)"]


@pytest.mark.parametrize("fragment", _seed_cases())
def test_browser_filters_on_the_seeds(browser, pages, fragment):
    page = pages["seeds"]
    facts, claims = _multi(page["facts"]), page["claims"]
    field, _, value = fragment[1:].partition("=")
    value = value.replace("%20", " ")
    if field == "outlet":
        stating = claims.filter(pl.col("outlet") == value)["fact_id"].unique().to_list()
        facts = facts.filter(pl.col("fact_id").is_in(stating))
    else:
        facts = facts.filter(pl.col(field) == value)
    expected = {(verdict, measure or "") for verdict, measure in facts.select("verdict", "measure").iter_rows()}
    assert expected  # each case shows something, and hides something
    assert expected != {(v, m or "") for v, m in _multi(page["facts"]).select("verdict", "measure").iter_rows()}
    assert _visible(browser.dom(page["path"], fragment)) == expected


def test_browser_timeline_has_one_point_per_stated_figure(browser, pages):
    page = pages["ferry"]
    root = browser.dom(page["path"])
    (card,) = root.xpath("//article[@data-verdict='evolving']")
    figures = page["claims"].filter((pl.col("fact_id") == card.get("id")) & pl.col("value").is_not_null())
    points = card.xpath(".//svg//circle[contains(@class, 'point')]")
    assert len(points) == figures.height == 7  # at least 11, 34, 50 (each in headline and body), denied 100
    assert len(card.xpath(".//circle[contains(@class, 'denied')]")) == 1
    assert len(card.xpath(".//svg//path[@class='arrow']")) == 2  # "at least 11" (twice) has no upper bound
    by_day = sorted((float(p.get("cx")), p.xpath("./title")[0].text) for p in points if "denied" not in p.get("class"))
    expected = ["Coastal Courier"] * 2 + ["Harbour Wire"] * 2 + ["Island Daily"] * 2
    assert [label.split(":")[0] for _, label in by_day] == expected
    assert root.xpath("//article[@data-verdict!='evolving']//svg") == []  # only an evolving fact has one


def test_browser_hostile_text_stays_text_and_runs_nothing(browser, pages):
    path = pages["injection"]["path"]
    for fragment in ("", "#verdict=single"):  # the single-source facts are built by the page's script
        root = browser.dom(path, fragment)
        assert root.xpath("//body/@data-pwned") == []
        _check_hostile_text_stays_text(root)
    listed = browser.dom(path, "#verdict=single").xpath("//ol[@id='single-list']")[0].text_content()
    assert "</script><script>document.body.setAttribute('data-pwned', 'json')</script> 7 people" in listed
    second = [a.get("href") for a in root.xpath("//a[@href]") if "second" in a.get("href")]
    assert second and set(second) == {u for u in MANIFEST_URLS if "second" in u}  # the quote stayed inside


@pytest.mark.parametrize("name", ["seeds", "ferry", "injection"])
def test_browser_nothing_is_fetched(browser, pages, name):
    root = browser.dom(pages[name]["path"], "#verdict=single")
    assert _external_references(root, MANIFEST_URLS) == []


def big_claims(stories: int, sources: int = 3) -> pl.DataFrame:
    """A generated claims table: per story, five measures; the first stated by `sources` outlets (one of
    them a different figure in odd stories), the other four by one: stories * 5 facts."""
    measures, rows = ("killed", "wounded", "missing", "arrested", "displaced"), []
    floats, ints = ("value", "low", "high"), ("article", "char_start", "char_end")
    for story in range(stories):
        day = (date(2020, 1, 1) + timedelta(days=7 * story)).isoformat()
        for number, measure in enumerate(measures):
            for source in [chr(ord("a") + s) for s in range(sources if number == 0 else 1)]:
                value = float(10 + story % 50 + (3 if story % 2 and source == "b" else 0))
                words = f"{value:.0f} people"
                rows.append(
                    {
                        **{c: "" for c in CLAIM_COLUMNS},
                        **{"claim_id": f"{source}:{story}:{number}", "file": f"{source}.txt", "source": source},
                        **{"outlet": f"Outlet {source.upper()}", "published": day, "article": story + 1},
                        **{"headline": f"Incident {story}", "story": f"S{story + 1}", "kind": "count"},
                        **{"measure": measure, "subject": "people", "subject_key": "people", "value": value},
                        **{"low": value, "high": value, "hedge": "exact", "date": day, "date_end": day},
                        **{"as_of": day, "polarity": "asserted", "text": words, "rule": "count"},
                        "sentence": f"Officials said {words} were {measure} in incident {story} on {day}.",
                        **{"char_start": 1000 * story + 15, "char_end": 1000 * story + 15 + len(words)},
                    }
                )
    schema = {c: pl.Float64 if c in floats else pl.Int64 if c in ints else pl.Utf8 for c in CLAIM_COLUMNS}
    return pl.DataFrame(rows, schema=schema)


def test_browser_single_source_facts_are_listed_a_page_at_a_time(browser, rules, tmp_path):
    claims, facts = reconcile(big_claims(50), rules, {})
    assert facts.filter(pl.col("verdict") == "single").height == 200
    path = tmp_path / "report.html"
    path.write_text(html_text(claims, facts, None, rules), encoding="utf-8")
    root = browser.dom(path, "#verdict=single")
    assert len(root.xpath("//ol[@id='single-list']/li")) == page_html.SINGLES_PAGE == 100
    more = root.get_element_by_id("more")
    assert more.get("hidden") is None and more.text == "Show 100 more (100 not shown)"
    assert len(browser.dom(path, "#verdict=single&measure=arrested").xpath("//ol[@id='single-list']/li")) == 50


def test_browser_ten_thousand_facts_open_in_a_few_seconds(browser, rules, tmp_path):
    claims, facts = reconcile(big_claims(2000), rules, {})
    assert facts.height == 10_000
    path = tmp_path / "report.html"
    path.write_text(html_text(claims, facts, None, rules), encoding="utf-8")
    started = time.perf_counter()
    root = browser.dom(path)
    wall = time.perf_counter() - started
    ready = int(root.get("data-ready-ms")) / 1000  # from navigation to the end of the page's script
    assert len(root.xpath("//article[@data-fact]")) == 2_000
    assert ready < 8 and wall < 20, (ready, wall)  # about 1.5 s and 3 s on a busy 2-core machine


def _png_size(path: Path) -> tuple[int, int]:
    """A PNG's width and height, from its header."""
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", header[16:24])


@pytest.mark.parametrize(("width", "height"), [(1280, 1600), (390, 1600)], ids=["desktop", "phone"])
def test_browser_screenshots_at_desktop_and_phone_width(browser, pages, tmp_path, width, height):
    shot = browser.screenshot(pages["ferry"]["path"], width, height, tmp_path / "ferry.png")
    assert _png_size(shot) == (width, height)
