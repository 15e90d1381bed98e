"""A page's lines sorted out by `rules/boilerplate.toml`: furniture, article starts, printed dates; articles.

Which lines are furniture, where articles begin and where the sidebar starts, and where a publication
date is printed, are all rules (Layout holds them, prepared once). Every span is a pair of offsets into
the page's text.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from types import MappingProxyType

from audit.model import Article
from audit.rules import Rule, RuleSet
from audit.text.guard import sre_parse
from audit.text.sentences import _trim, sentences


@dataclass(frozen=True)
class PageSettings:
    """The [settings] of boilerplate.toml, typed: what page reading, sentences, copies and page budgets read."""

    min_repeat_chars: int = 20  # a shorter line repeated is not furniture
    headline_repeat_window: int = 12  # lines after the headline where its repeat is a caption
    headline_max_words: int = 25
    max_preamble_lines: int = 5
    date_line_words: frozenset[str] = frozenset()  # lower-cased
    max_sentence_chars: int = 1200
    abbreviations: frozenset[str] | None = None  # None: the splitter's own list
    zones: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    month_first_zones: tuple[str, ...] = ()
    copy_shingle_words: int = 5
    copy_min_shingles: int = 20
    copy_threshold: float = 0.5
    page_seconds: float = 10.0  # the time budget of a page (audit.run.budget)
    page_seconds_per_100kb: float = 5.0

    @classmethod
    def from_rules(cls, rules: RuleSet) -> PageSettings:
        """The page settings of a rule set (boilerplate.toml's [settings])."""
        return cls.from_table(rules.settings.get("boilerplate", {}))

    @classmethod
    def from_table(cls, table: Mapping) -> PageSettings:
        """The settings a boilerplate.toml [settings] table names, the defaults for the rest."""
        given = {f.name: table[f.name] for f in fields(cls) if f.name in table}
        if "date_line_words" in given:
            given["date_line_words"] = frozenset(w.lower() for w in given["date_line_words"])
        if "abbreviations" in given:
            given["abbreviations"] = frozenset(given["abbreviations"])
        if "zones" in given:
            given["zones"] = MappingProxyType(dict(given["zones"]))
        if "month_first_zones" in given:
            given["month_first_zones"] = tuple(given["month_first_zones"])
        for name in ("copy_threshold", "page_seconds", "page_seconds_per_100kb"):
            if name in given:
                given[name] = float(given[name])
        return cls(**given)


@dataclass(frozen=True)
class LineFilter:
    """Every line and dateline rule in two patterns: a line none of them finds fails this one test. The rules
    anchored at the line's start are tried there alone (`match`; `search` would try each of its positions in
    vain, a tenth of the reading of a page of long paragraphs), the others anywhere in it."""

    anchored: re.Pattern[str] | None
    anywhere: re.Pattern[str] | None

    def may_match(self, line: str) -> bool:
        """Whether some rule may find the line (a line no rule finds gives False)."""
        return bool(
            (self.anchored is not None and self.anchored.match(line))
            or (self.anywhere is not None and self.anywhere.search(line))
        )


@dataclass(frozen=True)
class Layout:
    """The boilerplate rules of a RuleSet, prepared once: line rules, dateline rules and typed settings."""

    lines: tuple[Rule, ...]
    datelines: tuple[Rule, ...]
    prefilter: LineFilter | None  # any line or dateline rule: most lines fail this one test
    page: PageSettings = PageSettings()


def layout_of(rules: RuleSet | Layout) -> Layout:
    """The Layout of a RuleSet (a Layout is passed through)."""
    if isinstance(rules, Layout):
        return rules
    lines = rules.rules("boilerplate", "line")
    datelines = rules.rules("boilerplate", "dateline")
    # Named groups are made plain: two datelines may both name a `date` group.
    sources = [re.sub(r"\(\?P<\w+>", "(?:", r.get("pattern").pattern) for r in (*datelines, *lines)]
    try:
        anchored = [starts_anchored(p) for p in sources]
        prefilter = LineFilter(
            _either([p for p, at_start in zip(sources, anchored, strict=True) if at_start]),
            _either([p for p, at_start in zip(sources, anchored, strict=True) if not at_start]),
        )
    except re.error:  # a pattern that cannot be combined (inline global flags): test each rule on each line
        prefilter = None
    return Layout(lines, datelines, prefilter if sources else None, rules.part(PageSettings))


def _either(sources: Sequence[str]) -> re.Pattern[str] | None:
    """One pattern that finds what any of the rule patterns finds (None for none)."""
    # Each pattern is closed by a newline so that a trailing verbose comment cannot swallow the ")".
    return re.compile("|".join(f"(?:{p}\n)" for p in sources), re.IGNORECASE | re.VERBOSE) if sources else None


def starts_anchored(source: str) -> bool:
    """Whether a verbose line pattern's every match starts at the start of the text: its parse tree opens with
    `^`, or every branch of its alternation does (`^a|b` finds "b" anywhere). Without MULTILINE (a line rule's
    lines hold no line break) `^` is the text's start only."""
    return _opens_anchored(list(sre_parse.parse(source, re.IGNORECASE | re.VERBOSE)))


def _opens_anchored(items: list) -> bool:
    """Whether a parsed sequence's first node is `^` (or `\\A`), or a branch every alternative of which opens so."""
    if not items:
        return False
    op, av = items[0]
    if str(op) == "AT":
        return str(av) in ("AT_BEGINNING", "AT_BEGINNING_STRING")
    if str(op) == "BRANCH":
        return all(_opens_anchored(list(branch)) for branch in av[1])
    return False


_LINE = re.compile(r"[^\r\n\u2028\u2029]+")


def line_spans(text: str, start: int = 0, end: int | None = None) -> Iterable[tuple[int, int]]:
    """Spans of the non-blank lines of a text (or of text[start:end]), stripped of surrounding white space
    (NBSP included): how ingest, and extraction of a bare text or a headline, see lines."""
    # A lone carriage return ends a line too (old Mac files, some CMS exports).
    for match in _LINE.finditer(text, start, len(text) if end is None else end):
        start, end = _trim(text, match.start(), match.end())
        if start < end:
            yield start, end


@dataclass(frozen=True)
class DateHit:
    """A dateline rule's match on one line of a page."""

    line: int  # index among the page's non-blank lines
    rule: Rule
    groups: dict[str, str]


@dataclass(frozen=True)
class Page:
    """A page's lines sorted out: what each is, where articles start, which lines print a date."""

    spans: tuple[tuple[int, int], ...]
    furniture: tuple[str, ...]  # per line: "" for text, else why it is not (a rule id, "repeat" ...)
    starts: tuple[tuple[int, int], ...]  # (cue line, headline line) of each article, in order
    ends: frozenset[int]  # lines that close the article they are in (end_article)
    dates: tuple[DateHit, ...]
    limit: int  # number of lines before the sidebar (end_page)


def classify(text: str, layout: Layout) -> Page:
    """Sort out a page's lines: furniture by rule, repeated captions and headlines, article starts."""
    spans = tuple(line_spans(text))
    kinds = [""] * len(spans)
    cues: set[int] = set()  # start_article lines
    ends: set[int] = set()
    dates: list[DateHit] = []
    limit = len(spans)
    skip_until, skip_rule = -1, ""
    for index, (start, end) in enumerate(spans):
        if index <= skip_until:
            kinds[index] = f"{skip_rule} (list)"
            continue
        line = text[start:end]
        if layout.prefilter is not None and not layout.prefilter.may_match(line):
            continue
        rule = _first_match(layout.datelines, line)
        if rule is not None:
            kinds[index] = rule.id
            dates.append(DateHit(index, rule, _groups(rule, line)))
            continue
        rule = _first_match(layout.lines, line)
        if rule is None:
            continue
        kinds[index] = rule.id
        action = rule.get("action", "drop")
        if action == "end_page":
            limit = index
            break
        if action == "start_article":
            cues.add(index)
        elif action == "end_article":
            ends.add(index)
        if rule.get("then_drop", 0):
            skip_until, skip_rule = index + rule.get("then_drop"), rule.id
    titles = _mark_repeats(text, spans[:limit], kinds, layout)
    starts = _article_starts(kinds[:limit], cues, titles, layout)
    return Page(spans[:limit], tuple(kinds[:limit]), starts, frozenset(ends), tuple(dates), limit)


def _first_match(rules: Sequence[Rule], line: str) -> Rule | None:
    """The first rule (file order) whose pattern is found in the line."""
    for rule in rules:
        if rule.get("pattern").search(line):
            return rule
    return None


def _groups(rule: Rule, line: str) -> dict[str, str]:
    """The named groups of a dateline rule's match on a line."""
    match = rule.get("pattern").search(line)
    return {k: v for k, v in match.groupdict().items() if v} if match else {}


def _mark_repeats(text: str, spans: Sequence[tuple[int, int]], kinds: list[str], layout: Layout) -> set[int]:
    """Mark repeated lines: back-to-back repeats are captions (all copies go), later reprints go.

    Returns the lines that start an article: a title-like line printed again a few lines below (the
    page prints "headline, captions, headline, body").
    """
    min_chars = layout.page.min_repeat_chars
    window = layout.page.headline_repeat_window
    where: dict[str, list[int]] = defaultdict(list)
    for index, (start, end) in enumerate(spans):
        if not kinds[index] and end - start >= min_chars:
            where[text[start:end]].append(index)
    titles: set[int] = set()
    for line, places in where.items():
        if len(places) < 2:
            continue
        if any(b - a == 1 for a, b in zip(places, places[1:], strict=False)):
            for index in places:
                kinds[index] = "caption (repeated)"
            continue
        for index in places[1:]:
            kinds[index] = "repeat"
        if places[1] - places[0] <= window and _title_like(line, layout):
            titles.add(places[0])
    return titles


def _title_like(line: str, layout: Layout) -> bool:
    """Whether a line reads as a headline: short, and not ending with a full stop."""
    ending = line.rstrip("\"'”’)]")  # a quoted sentence ("... mission.”) is not a headline
    return len(line.split()) <= layout.page.headline_max_words and not ending.endswith((".", ":", ",", ";"))


def _article_starts(
    kinds: Sequence[str], cues: set[int], titles: set[int], layout: Layout
) -> tuple[tuple[int, int], ...]:
    """(cue line, headline line) for each article; the top of a page without cues starts the first."""
    text_lines = [i for i, kind in enumerate(kinds) if not kind]
    if not text_lines:
        return ()
    starts: dict[int, int] = {}
    for cue in sorted(cues):
        position = bisect.bisect_right(text_lines, cue)
        headline = text_lines[position] if position < len(text_lines) else None
        if headline is not None and headline not in starts.values():
            starts[cue] = headline
    for title in sorted(titles):
        if title not in starts.values():
            starts[title] = title
    first = min(starts, default=None)
    if first is None or text_lines[0] < first > layout.page.max_preamble_lines:
        starts[text_lines[0]] = text_lines[0]  # no cue near the top: the page's first line is its headline
    return tuple(sorted(starts.items()))


_DATE_TOKEN = re.compile(r"\d+(?:st|nd|rd|th)?|[A-Za-z]+")
# What makes a line of calendar words a date and not a headline in capitals ("UN SAYS 50 DEAD"): a year,
# a time of day or a numeric date.
_DATE_EVIDENCE = re.compile(
    r"""
    \b(?:1[89]|20)\d\d\b                     # a year: 2005
    | \d{1,2}[\s\u00a0]?:[\s\u00a0]?\d\d       # a time: 8:20, "3: 47pm" as a tokenizer left it
    | \d[\s\u00a0]?[ap]\.?m\b                 # 6pm, 6 a.m
    | \d{1,2}\s?[/.-]\s?\d{1,2}\s?[/.-]\s?\d{2,4}  # 4/9/2007, "11/28 / 05" as a tokenizer left it
    """,
    re.IGNORECASE | re.VERBOSE,
)


# A dateline's place in capitals, before the date and a comma or after it and a dash.
_DATELINE_PLACE = re.compile(
    r"""
    ^[\s\u00a0]*(?-i:[A-Z][A-Z.'’\s\u00a0-]{1,30}),(?=[\s\u00a0])
    | [\s\u00a0][-–—][\s\u00a0]*(?-i:[A-Z][A-Z.'’\s\u00a0]{1,30})[-–—]?[\s\u00a0]*$
    """,
    re.VERBOSE,
)


def _date_only(line: str, layout: Layout) -> bool:
    """Whether a line is only a date or a time ("Updated 3/14/2011 5:12 PM", "FRIDAY 18 SEPTEMBER 2015"): digits,
    and words that are calendar words of boilerplate.toml, AM/PM or a time-zone abbreviation."""
    if len(line) > 80:
        return False  # a date line is short; a page-long line is never one (and is not scanned)
    words = layout.page.date_line_words
    line = _DATELINE_PLACE.sub("", line)  # "PERU, May 9, 2015", "June 3, 2012 - NEW ZEALAND -"
    tokens = _DATE_TOKEN.findall(line)
    if len(tokens) > 20 or not _DATE_EVIDENCE.search(line):
        return False  # twenty: a Posted and an Updated stamp, each with its time and zone
    return all(t[0].isdigit() or t.lower() in words or re.fullmatch(r"[A-Z]{2,5}", t) for t in tokens)


def _past_date_lines(
    text: str, spans: Sequence[tuple[int, int]], headline: int, body: list[tuple[int, int]], layout: Layout
) -> tuple[int, list[tuple[int, int]]]:
    """A date line is never a headline: the next title-like line of the body is, the date line staying text."""
    if not body or not _date_only(text[spans[headline][0] : spans[headline][1]], layout):
        return headline, body
    for position, (start, end) in enumerate(body[:3]):
        line = " ".join(text[start:end].split())
        if _date_only(line, layout):
            continue
        if not _title_like(line, layout):
            break
        rest = [spans[headline], *body[:position], *body[position + 1 :]]
        return spans.index((start, end)), sorted(rest)
    return headline, body


def split_page(text: str, rules: RuleSet | Layout) -> tuple[tuple[Article, ...], Page, list[int]]:
    """Split a page into articles (headline, body spans, sentences); also the page and each article's cue line."""
    layout = layout_of(rules)
    page = classify(text, layout)
    spans, kinds = page.spans, page.furniture
    articles: list[Article] = []
    cues: list[int] = []
    bounds = [cue for cue, _ in page.starts] + [len(spans)]
    for (cue, headline), stop in zip(page.starts, bounds[1:], strict=False):
        body: list[tuple[int, int]] = []
        for index in range(headline + 1, stop):
            if index in page.ends:
                break
            if not kinds[index]:
                body.append(spans[index])
        if not body and len(page.starts) > 1:
            continue  # a cue with nothing under it is not an article
        headline, body = _past_date_lines(text, spans, headline, body, layout)
        headline_text = " ".join(text[spans[headline][0] : spans[headline][1]].split())
        if cue == headline and not _title_like(headline_text, layout) or _date_only(headline_text, layout):
            # a page that opens with a sentence has no headline line, nor one whose only title is its date
            body.insert(0, spans[headline])  # a page that opens with a sentence has no headline line
            headline_text = ""
        start = min(spans[headline][0], body[0][0]) if body else spans[headline][0]
        end = max(spans[headline][1], body[-1][1]) if body else spans[headline][1]
        articles.append(
            Article(len(articles) + 1, headline_text, start, end, tuple(body), sentences(text, body, layout))
        )
        cues.append(cue)
    return tuple(articles), page, cues


def split_articles(text: str, rules: RuleSet | Layout) -> tuple[Article, ...]:
    """The articles of a page, each with its headline, clean body spans and sentences."""
    return split_page(text, rules)[0]
