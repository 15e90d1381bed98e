"""The HTML report: one self-contained page a fact-checker reads (report.html, written beside the CSVs).

It is built from the claims and facts frames, and from the corpus where there is one (`audit run`;
`audit reconcile` has only the claims table, so sentences, copies and sources come from its columns).
The page is rendered from the jinja2 templates in audit/report/templates/ with autoescape on, so every
value from a page or the manifest is text, never markup; only http(s) manifest URLs become links. The
CSS and JS are inlined from the same folder: the page fetches nothing and opens from a USB stick.

Sentences: with the corpus, each claim's sentence is cut from its page at the sentence span that holds
`char_start`..`char_end`, so the marked words are exactly the claim's `text`; without it, the `text` is
found in the `sentence` column (the n-th claim of a sentence with the same words takes the n-th match).
"""

from __future__ import annotations

import base64
import bisect
import functools
import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import urlsplit

import jinja2
import markupsafe
import polars as pl

from audit.link.claim_copies import detect_copies
from audit.model import VERDICTS, Corpus
from audit.numbers import Numbers
from audit.reconcile import as_written, unit_factors, unit_table
from audit.rules import RuleSet, load_rules

TEMPLATES = Path(__file__).parent / "templates"
#: Single-source facts shown at a time; the page's "show more" button adds as many again.
SINGLES_PAGE = 100
_SPACE = re.compile(r"\s+")
#: What a fact's figures are converted with: the unit table (reconcile.unit_table) and the scale words.
Units = tuple[Mapping, Mapping]
#: What each verdict means, as the page's summary says it (../shared/design.md).
MEANINGS = {
    "conflict": "the figures cannot all hold",
    "evolving": "moved over time, as a running figure may",
    "compatible": "different, but the intervals overlap",
    "agree": "every source states the same",
    "single": "one independent source",
}


@dataclass(frozen=True)
class Mark:
    """A claim's sentence cut around its exact words; `found` is False when the words are not in it."""

    before: str
    text: str
    after: str
    title: str
    found: bool = True


@dataclass(frozen=True)
class ClaimView:
    """One source's statement of a fact: who, when, the value as written and the marked sentence."""

    claim_id: str
    source: str
    short: str  # the source's short name, as the notes write it ("001 copies 000")
    outlet: str
    outlet_index: int
    published: str
    as_of: str
    written: str
    speaker: str
    denied: bool
    copy_of: str
    url: str
    mark: Mark
    unit: str
    value: float | None
    low: float | None
    high: float | None


@dataclass(frozen=True)
class Point:
    """One stated figure on a timeline: its place, the hedge's bar and what hovering says."""

    x: float
    y: float
    bar_top: float
    bar_bottom: float
    open_top: bool
    kind: str  # "stated", "copy" or "denied"
    label: str  # what hovering says: outlet, value as written, day
    value: str  # the value as written, beside the point ("" for a copy or a repeat, beside the first)


@dataclass(frozen=True)
class Timeline:
    """An evolving figure drawn as value against as_of: one point per stated figure."""

    width: int
    height: int
    left: int
    right: int
    bottom: int
    points: tuple[Point, ...]
    x_ticks: tuple[tuple[float, str], ...]
    y_ticks: tuple[tuple[float, str], ...]
    line: str  # SVG points of the stated (not copied, not denied) figures in date order
    year: str  # the year of the days, when they share one ("" otherwise), said under the axis


@dataclass(frozen=True)
class FactView:
    """A fact as the page shows it."""

    fact_id: str
    story: str
    kind: str
    measure: str
    subject: str
    event_date: str
    verdict: str
    note: str
    low: str
    best: str
    high: str
    how_best: str
    sources: int
    independent: int
    claims: tuple[ClaimView, ...]
    outlets: str  # " 0 3 " : indices of the outlets stating it, for the page's outlet filter
    timeline: Timeline | None


@dataclass(frozen=True)
class StoryView:
    """The facts of one story cluster stated by two or more independent sources, conflicts first."""

    story: str
    headline: str
    facts: tuple[FactView, ...]


@dataclass(frozen=True)
class SourceView:
    """One row of the sources panel."""

    source: str
    outlet: str
    url: str
    published: str
    published_from: str
    articles: int
    copy_of: str
    copied_by: str
    stories: str
    claims: int


def html_file(
    claims: pl.DataFrame,
    facts: pl.DataFrame,
    corpus: Corpus | None = None,
    rules: RuleSet | None = None,
    title: str = "",
    warnings: Iterable[str] = (),
) -> tuple[str, str]:
    """The report as (HTML text, encoding) for report.write_files."""
    return html_text(claims, facts, corpus, rules, title, warnings), "utf-8"


def html_text(
    claims: pl.DataFrame,
    facts: pl.DataFrame,
    corpus: Corpus | None = None,
    rules: RuleSet | None = None,
    title: str = "",
    warnings: Iterable[str] = (),
) -> str:
    """The whole report page: summary, multi-source facts story by story, single-source facts, sources."""
    outlets = _outlet_labels(claims, corpus)
    index = {label: number for number, label in enumerate(outlets)}
    views = _claim_views(claims, corpus, index)
    rules = rules if rules is not None else _bundled_rules()
    units = (unit_table(rules), rules.part(Numbers).scales)
    fact_views = [_fact_view(fact, views.get(fact["fact_id"], []), units) for fact in facts.iter_rows(named=True)]
    multi = [f for f in fact_views if f.verdict != "single"]
    singles = sorted(
        (f for f in fact_views if f.verdict == "single"),
        key=lambda f: (_story_key(f.story), f.measure == "", f.measure, f.kind, f.event_date, f.fact_id),
    )
    headlines = _headlines(claims, corpus)
    style, script = _asset("report.css"), _asset("report.js")
    template = _environment().get_template("report.html")
    return template.render(
        title=title or (Path(corpus.folder).name if corpus else "") or "audit report",
        style=style,
        script=script,
        style_hash=_csp_hash(style),
        script_hash=_csp_hash(script),
        meanings=MEANINGS,
        headlines=headlines,
        summary=_summary(claims, facts, corpus, outlets),
        stories=_stories(multi, headlines),
        singles=singles,
        singles_json=_singles_json(singles),
        singles_page=SINGLES_PAGE,
        sources=_sources(claims, corpus),
        outlets=outlets,
        verdicts=VERDICTS,
        measures=sorted({f.measure for f in fact_views if f.measure}),
        story_ids=sorted({f.story for f in fact_views if f.story}, key=_story_key),
        warnings=list(warnings),
    )


@functools.cache
def _asset(name: str) -> markupsafe.Markup:
    """Our own stylesheet or script from TEMPLATES, inlined as it is (it is code, not page data)."""
    text = (TEMPLATES / name).read_text(encoding="utf-8")
    if "</" in text:
        raise ValueError(f"{name}: '</' would end the inline element early")
    return markupsafe.Markup(text)


def _singles_json(singles: list[FactView]) -> markupsafe.Markup:
    """The single-source facts as JSON for the page's script, which lists them a page at a time.

    In a <script type="application/json"> block nothing is escaped by the HTML parser, so every "<", ">"
    and "&" is written as a JSON escape: no page text can end the block or open a tag.
    """
    data = [_single_data(fact) for fact in singles]
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for char in "<>&\u2028\u2029":
        text = text.replace(char, f"\\u{ord(char):04x}")
    return markupsafe.Markup(text)


def _single_data(fact: FactView) -> dict:
    """One single-source fact as the script needs it (the keys report.js reads)."""
    return {
        "id": fact.fact_id,
        "story": fact.story,
        "measure": fact.measure,
        "what": fact.measure or f"{fact.kind} (no named measure)",
        "subject": fact.subject,
        "event": fact.event_date,
        "best": fact.best,
        "note": "" if fact.note == "one independent source" else fact.note,
        "outlets": fact.outlets,
        "claims": [
            {
                "id": c.claim_id,
                "outlet": c.outlet,
                "sid": c.short,
                "source": c.source,
                "copy": c.copy_of,
                "denied": c.denied,
                "published": c.published,
                "value": c.written,
                "before": c.mark.before,
                "words": c.mark.text,
                "after": c.mark.after,
                "title": c.mark.title,
                "found": c.mark.found,
                "speaker": c.speaker,
                "url": c.url,
            }
            for c in fact.claims
        ],
    }


def _csp_hash(text: str) -> str:
    """The Content-Security-Policy source that allows exactly this inline style or script, nothing else."""
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


class _Loader(jinja2.FileSystemLoader):
    """Templates from TEMPLATES with each line's indentation dropped: the files stay readable, and a page
    of 10,000 facts carries no megabytes of spaces (HTML collapses them anyway)."""

    def get_source(self, environment: jinja2.Environment, template: str):
        """The template's text, lines unindented."""
        source, filename, uptodate = super().get_source(environment, template)
        return _INDENT.sub("", source), filename, uptodate


_INDENT = re.compile(r"^[ \t]+", re.MULTILINE)


@functools.cache
def _environment() -> jinja2.Environment:
    """The template environment: files from TEMPLATES, every value escaped, unknown names an error."""
    return jinja2.Environment(
        loader=_Loader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


# --- claims -------------------------------------------------------------------------------------------


def _outlet(row: Mapping) -> str:
    """A source's name on the page: its outlet, or its id when the manifest names none."""
    return row.get("outlet") or row.get("source") or ""


def _outlet_labels(claims: pl.DataFrame, corpus: Corpus | None) -> list[str]:
    """Every outlet name of the corpus (or of the claims), sorted."""
    if corpus is not None:
        names = {d.source.outlet or d.source.source_id for d in corpus.documents}
    else:
        names = {_outlet(row) for row in claims.select("outlet", "source").unique().iter_rows(named=True)}
    return sorted(names, key=str.casefold)


def _claim_views(claims: pl.DataFrame, corpus: Corpus | None, outlets: Mapping[str, int]) -> dict[str, list]:
    """Fact id -> its claims as the page shows them, in publication order."""
    copies = _copies(claims, corpus)
    names = {row["source"]: _outlet(row) for row in claims.select("source", "outlet").unique().iter_rows(named=True)}
    sentences = _sentence_spans(corpus)
    texts = {d.source.file: d.text for d in corpus.documents} if corpus else {}
    seen: dict[tuple, int] = {}
    views: dict[str, list[ClaimView]] = {}
    rows = claims.filter(pl.col("fact_id") != "").sort("file", "char_start").iter_rows(named=True)
    for row in rows:
        key = (row["file"], row["sentence"], row["text"])
        nth = seen[key] = seen.get(key, -1) + 1
        mark = _mark_in_page(row, texts.get(row["file"]), sentences.get(row["file"])) or _mark_in_sentence(row, nth)
        original = copies.get(f"{row['source']}#{row['article']}", "")
        views.setdefault(row["fact_id"], []).append(
            ClaimView(
                claim_id=row["claim_id"],
                source=row["source"],
                short=row["source"].split("_")[0],
                outlet=_outlet(row),
                outlet_index=outlets.get(_outlet(row), -1),
                published=row["published"] or "",
                as_of=row["as_of"] or "",
                written=as_written(row),
                speaker=row["speaker"] or "",
                denied=row["polarity"] == "denied",
                copy_of=names.get(original, original) if original else "",
                url=_safe_url(row["url"] or ""),
                mark=mark,
                unit=row["unit"] or "",
                value=row["value"],
                low=row["low"],
                high=row["high"],
            )
        )
    for fact_claims in views.values():
        fact_claims.sort(key=lambda c: (_moment(c.published), c.source, c.claim_id))
    return views


def _copies(claims: pl.DataFrame, corpus: Corpus | None) -> dict[str, str]:
    """Each copied article ("source#article") -> the source id it copies (from the corpus, else the claims)."""
    found = corpus.article_copies() if corpus is not None else detect_copies(claims)
    return {copy: original.split("#")[0] for copy, original in found.items()}


def _sentence_spans(corpus: Corpus | None) -> dict[str, tuple[list[int], list[tuple[int, int]]]]:
    """File -> the starts and spans of its sentences, sorted, to find the sentence that holds a claim."""
    if corpus is None:
        return {}
    spans = {}
    for doc in corpus.documents:
        found = sorted(span for article in doc.articles for span in article.sentences)
        spans[doc.source.file] = ([start for start, _ in found], found)
    return spans


def _title(row: Mapping) -> str:
    """What hovering a marked claim says: the file and the character offsets of its words."""
    return f"{row['file']}, characters {row['char_start']}–{row['char_end']} ({row['claim_id']})"


def _mark_in_page(row: Mapping, text: str | None, spans: tuple | None) -> Mark | None:
    """The claim's sentence cut from its page around char_start..char_end; None when there is no page."""
    start, end = row["char_start"], row["char_end"]
    if text is None or not spans or start is None or end is None or text[start:end] != row["text"]:
        return None
    starts, found = spans
    number = bisect.bisect_right(starts, start) - 1
    if number < 0 or found[number][1] < end:
        return None
    first, last = found[number]
    before = _SPACE.sub(" ", text[first:start]).lstrip()
    after = _SPACE.sub(" ", text[end:last]).rstrip()
    return Mark(before, row["text"], after, _title(row))


def _mark_in_sentence(row: Mapping, nth: int) -> Mark:
    """The claim's words found in its `sentence` column (the nth match, whole words first)."""
    sentence, words = row["sentence"] or "", row["text"] or ""
    wanted = _SPACE.sub(" ", words).strip()
    found = _occurrences(sentence, wanted)
    matches = [at for at in found if _whole(sentence, at, at + len(wanted))] or found
    if not matches:
        return Mark("", words, sentence, _title(row), found=False)
    at = matches[min(nth, len(matches) - 1)]
    return Mark(sentence[:at], words, sentence[at + len(wanted) :], _title(row))


def _occurrences(text: str, wanted: str) -> list[int]:
    """Every place `wanted` starts in `text` (none for empty words)."""
    places, at = [], text.find(wanted) if wanted else -1
    while at >= 0:
        places.append(at)
        at = text.find(wanted, at + 1)
    return places


def _whole(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is not part of a longer word or number ("10" in "100" is not)."""
    return not (start > 0 and text[start - 1].isalnum()) and not (end < len(text) and text[end].isalnum())


def _safe_url(url: str) -> str:
    """A manifest URL fit to be a link (http or https), else "" (a javascript: URL is never a link)."""
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return ""
    return url.strip() if scheme in ("http", "https") else ""


@functools.cache
def _moment(published: str) -> tuple[int, str]:
    """A sort key for publication order: UTC where a time and offset are given; undated sources last."""
    if not published:
        return 1, ""
    try:
        moment = datetime.fromisoformat(published)
    except ValueError:
        return 0, published  # a partial date ("2024-01") sorts by its text
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return 0, moment.isoformat()


# --- facts --------------------------------------------------------------------------------------------


def _fact_view(fact: Mapping, claims: list[ClaimView], units: Units) -> FactView:
    """A facts row with its claims, its figures written out, and a timeline when it evolved."""
    unit = fact["unit"] or ""
    dated = fact["kind"] == "date"
    return FactView(
        fact_id=fact["fact_id"],
        story=fact["story"] or "",
        kind=fact["kind"] or "",
        measure=fact["measure"] or "",
        subject=fact["subject_key"] or "",
        event_date=fact["event_date"] or "",
        verdict=fact["verdict"],
        note=fact["note"] or "",
        low="" if dated else _figure(fact["low"], unit, "open"),
        best=fact["event_date"] or "" if dated else _figure(fact["best"], unit, ""),
        high="" if dated else _figure(fact["high"], unit, "no upper bound"),
        how_best=_how_best(fact, claims),
        sources=fact["sources"] or 0,
        independent=fact["independent"] or 0,
        claims=tuple(claims),
        outlets=" " + " ".join(str(n) for n in sorted({c.outlet_index for c in claims})) + " ",
        timeline=_timeline(claims, unit, units) if fact["verdict"] == "evolving" else None,
    )


def _figure(value: float | None, unit: str, missing: str) -> str:
    """A figure with its unit ("50", "10 days", "2,300,000,000 USD", "61%"); `missing` when there is none."""
    if value is None:
        return missing
    number = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.4g}"
    if unit == "percent":
        return number + "%"
    return f"{number} {unit}{'s' if unit in ('day', 'week', 'month', 'year') and value != 1 else ''}".strip()


def _how_best(fact: Mapping, claims: list[ClaimView]) -> str:
    """How `best` was chosen, in plain words (README, "How best is chosen")."""
    if fact["kind"] == "date":
        return "the day the sources give"
    if fact["best"] is None:
        return "no figure to choose (only denials or open figures)"
    if fact["verdict"] == "evolving":
        latest = max((c.as_of for c in claims if c.as_of and not c.denied), default="")
        return f"the latest figure, as of {latest}" if latest else "the latest figure"
    if fact["verdict"] == "single":
        return "the one source's figure"
    return "the value most independent sources allow (copies counted once, denials never)"


@functools.cache
def _story_key(story: str) -> tuple:
    """Story ids in natural order: S2 before S10."""
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", story))


def _stories(facts: list[FactView], headlines: Mapping[str, str]) -> list[StoryView]:
    """Multi-source facts grouped by story: stories with the gravest verdict first, conflicts first within."""
    rank = {verdict: number for number, verdict in enumerate(VERDICTS)}
    grouped: dict[str, list[FactView]] = {}
    for fact in facts:
        grouped.setdefault(fact.story, []).append(fact)
    for members in grouped.values():
        members.sort(key=lambda f: (rank.get(f.verdict, len(rank)), f.measure == "", f.measure, f.fact_id))
    order = sorted(grouped, key=lambda s: (rank.get(grouped[s][0].verdict, len(rank)), _story_key(s)))
    return [StoryView(story, headlines.get(story, ""), tuple(grouped[story])) for story in order]


def _headlines(claims: pl.DataFrame, corpus: Corpus | None) -> dict[str, str]:
    """Story id -> the headline of its earliest article (publication order, then source id)."""
    found: list[tuple] = []
    if corpus is not None:
        for doc in corpus.documents:
            for article in doc.articles:
                found.append((article.story, _moment(article.published), doc.source.source_id, article.headline))
    else:
        for row in claims.select("story", "published", "source", "headline").unique().iter_rows(named=True):
            found.append((row["story"], _moment(row["published"] or ""), row["source"], row["headline"] or ""))
    headlines: dict[str, str] = {}
    for story, _, _, headline in sorted(found):
        if story and headline:
            headlines.setdefault(story, headline)
    return headlines


# --- timeline -----------------------------------------------------------------------------------------

_WIDTH, _HEIGHT, _LEFT, _RIGHT, _TOP, _BOTTOM = 480, 210, 58, 16, 14, 40


def _in_unit(claim: ClaimView, unit: str, units: Units) -> ClaimView:
    """A claim with its value, low and high in the fact's unit ("3 weeks" in a fact counted in days: 21)."""
    if not claim.unit or claim.unit == unit:
        return claim
    base, factor, low, high = unit_factors(claim.unit, *units)
    if base != unit:
        return claim
    scaled = {"value": claim.value, "low": claim.low, "high": claim.high}
    for name, times in (("value", factor), ("low", low), ("high", high)):
        if scaled[name] is not None:
            scaled[name] *= times
    return replace(claim, **scaled)


@functools.cache
def _bundled_rules() -> RuleSet:
    """The bundled rules, read once (for callers that pass none)."""
    return load_rules()


def _timeline(claims: list[ClaimView], unit: str, units: Units) -> Timeline | None:
    """Value against as_of, one point per stated figure, the hedge's low–high as a bar; undated at the right."""
    figures = [_in_unit(c, unit, units) for c in claims if c.value is not None]
    if not figures:
        return None
    days = sorted({_day(c.as_of) for c in figures} - {None})
    undated = any(_day(c.as_of) is None for c in figures)
    top = _nice(max(max(c.value, c.low or 0, c.high or 0) for c in figures) * 1.1)
    plot_w, plot_h = _WIDTH - _LEFT - _RIGHT, _HEIGHT - _TOP - _BOTTOM
    spread = (days[-1] - days[0]) if len(days) > 1 else 0
    dated_w = plot_w * (0.8 if undated and days else 1.0)  # undated figures get a slot of their own

    def x_of(day: int | None) -> float:
        """Where a day (None: undated) sits across the plot."""
        if day is None:
            return _LEFT + (plot_w * 0.9 if days else plot_w / 2)
        if not spread:
            return _LEFT + dated_w / 2
        return _LEFT + 24 + (dated_w - 48) * (day - days[0]) / spread

    def y_of(value: float) -> float:
        """Where a value sits up the plot (0 at the bottom)."""
        return _TOP + plot_h * (1 - min(value, top) / top)

    points, taken = [], {}
    for claim in figures:
        x = x_of(_day(claim.as_of))
        y = y_of(claim.value)
        shift = taken[(x, y)] = taken.get((x, y), -1) + 1  # copies state the same figure the same day
        x += 9 * shift
        low = claim.low if claim.low is not None else (0.0 if claim.high is not None else claim.value)
        high = claim.high if claim.high is not None else (top if claim.low is not None else claim.value)
        kind = "denied" if claim.denied else "copy" if claim.copy_of else "stated"
        label = f"{claim.outlet}: {claim.written}, as of {claim.as_of or 'no date'}"
        open_top = claim.high is None and claim.low is not None
        written = "" if kind == "copy" or shift else claim.written  # a figure said twice that day: one label
        points.append(Point(x, y, y_of(high), y_of(low), open_top, kind, label, written))
    stated = sorted((p.x, p.y) for p in points if p.kind == "stated")
    x_ticks = tuple((x_of(d), _tick_day(d, days)) for d in _thin(days))
    x_ticks += ((x_of(None), "no date"),) if undated else ()
    y_ticks = tuple((y_of(v), _figure(v, unit, "")) for v in (0, top / 2, top))
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in stated)
    years = {date.fromordinal(d).year for d in days}
    year = str(years.pop()) if len(years) == 1 else ""
    bottom = _HEIGHT - _BOTTOM
    return Timeline(_WIDTH, _HEIGHT, _LEFT, _WIDTH - _RIGHT, bottom, tuple(points), x_ticks, y_ticks, line, year)


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _tick_day(day: int, days: list[int]) -> str:
    """A day on the timeline's axis: "Mar 10", with the year when the days span more than one ("Mar 10 2023")."""
    moment = date.fromordinal(day)
    years = {date.fromordinal(d).year for d in days}
    return f"{_MONTHS[moment.month - 1]} {moment.day}" + (f" {moment.year}" if len(years) > 1 else "")


def _day(as_of: str) -> int | None:
    """An ISO day as a day number, None when there is none."""
    try:
        return date.fromisoformat(as_of[:10]).toordinal()
    except ValueError:
        return None


def _thin(days: list[int], most: int = 6) -> list[int]:
    """At most `most` tick days, first and last kept."""
    if len(days) <= most:
        return days
    step = (len(days) - 1) / (most - 1)
    return sorted({days[round(i * step)] for i in range(most)})


def _nice(value: float) -> float:
    """A round top for an axis (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 times a power of ten), at least value and 1."""
    if value <= 1:
        return 1.0
    power = 10 ** (len(str(int(value))) - 1)
    for step in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if step * power >= value:
            return float(step * power)
    return float(10 * power)


# --- summary and sources ------------------------------------------------------------------------------


def _summary(claims: pl.DataFrame, facts: pl.DataFrame, corpus: Corpus | None, outlets: list[str]) -> dict:
    """The counts the page opens with: pages, outlets, stories, claims, and facts by verdict."""
    counts = dict(facts.group_by("verdict").len().iter_rows()) if facts.height else {}
    if corpus is not None:
        pages = len(corpus.documents)
        stories = {a.story for d in corpus.documents for a in d.articles if a.story}
    else:
        pages = claims["file"].n_unique() if claims.height else 0
        stories = set(claims["story"].unique().to_list()) - {"", None} if claims.height else set()
    return {
        "pages": pages,
        "outlets": len(outlets),
        "stories": len(stories),
        "claims": claims.height,
        "facts": facts.height,
        "multi": facts.height - counts.get("single", 0),
        "verdicts": {verdict: counts.get(verdict, 0) for verdict in VERDICTS},
    }


def _sources(claims: pl.DataFrame, corpus: Corpus | None) -> list[SourceView]:
    """The sources panel: one row per source, from the corpus (or, without it, from the claims table)."""
    counts = dict(claims.group_by("source").len().iter_rows()) if claims.height else {}
    copies = _copies(claims, corpus)
    copy_of: dict[str, set[str]] = {}
    copied_by: dict[str, set[str]] = {}
    for copy, original in copies.items():
        copy_of.setdefault(copy.split("#")[0], set()).add(original)
        copied_by.setdefault(original, set()).add(copy.split("#")[0])
    rows = [_document_source(doc) for doc in corpus.documents] if corpus is not None else _claim_sources(claims)
    names = {row["source"]: row["outlet"] for row in rows}
    return [
        SourceView(
            **row,
            copy_of=", ".join(names.get(s, s) for s in sorted(copy_of.get(row["source"], ()))),
            copied_by=", ".join(names.get(s, s) for s in sorted(copied_by.get(row["source"], ()))),
            claims=counts.get(row["source"], 0),
        )
        for row in rows
    ]


def _document_source(doc) -> dict:
    """A document's row of the sources panel (its first dated article's date and where it came from)."""
    dated = next((a for a in doc.articles if a.published), doc.articles[0] if doc.articles else None)
    return {
        "source": doc.source.source_id,
        "outlet": doc.source.outlet or doc.source.source_id,
        "url": _safe_url(doc.source.url),
        "published": dated.published if dated else "",
        "published_from": dated.published_from if dated else "",
        "articles": len(doc.articles),
        "stories": ", ".join(sorted({a.story for a in doc.articles if a.story}, key=_story_key)),
    }


def _claim_sources(claims: pl.DataFrame) -> list[dict]:
    """Sources panel rows from a claims table alone (audit reconcile): what its columns say."""
    rows = []
    for source, group in sorted(claims.group_by("source"), key=lambda pair: pair[0][0]):
        first = group.sort("article", "char_start").row(0, named=True)
        published = sorted(p for p in group["published"].drop_nulls().unique().to_list() if p)
        rows.append(
            {
                "source": source[0],
                "outlet": _outlet(first),
                "url": _safe_url(first["url"] or ""),
                "published": published[0] if published else "",
                "published_from": "claims table" if published else "",
                "articles": group["article"].n_unique(),
                "stories": ", ".join(sorted(set(group["story"].drop_nulls().to_list()) - {""}, key=_story_key)),
            }
        )
    return rows
