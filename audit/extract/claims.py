"""Claims: each article's clean sentences turned into claim rows (counts, amounts, dates, durations).

For every sentence: dates and durations come from `audit.dates`; numbers (digits, words, mixes) from
`audit.numbers`; vague quantities, ranges and hedges from `rules/hedges.toml`; units from
`rules/units.toml` (quantulum3 only for an unknown unit symbol right after digits); the counted
subject, its normalised key and the measure from `rules/counts.toml`; speakers and denials from
`rules/speakers.toml`. Numbers inside dates or inside `rules/noise.toml` spans are never claims.

`extract_text` runs the same extraction on a bare text (tests, benchmarks).
"""

from __future__ import annotations

import bisect
import itertools
import math
import re
from dataclasses import replace

from audit.dates import event_context, publication_day
from audit.extract.carry import carry_events
from audit.extract.context import Context, SentenceInfo, make_context
from audit.extract.events import _date_event, _duration_event, _sentence_events
from audit.extract.matchers import Matchers
from audit.extract.measures import head_after, word_measure
from audit.extract.quantities import NamedAge, Num, SpanSet, _duration_ranges, _numbers
from audit.extract.speakers import _cues, _denials, _nearest_speaker, _polarity
from audit.extract.subjects import Subject, _verb_measure, _what_it_counts
from audit.extract.units import Amount, _read_unit
from audit.hedges import Hedge, interval
from audit.ingest import layout_of, sentences
from audit.ingest.page import line_spans
from audit.model import Article, Claim, Corpus, DateMention, Document, HedgeKind, Kind, Polarity, Source
from audit.rules import Rule, RuleSet
from audit.text.escapes import blanked_escapes


def _claim_base(doc: Document, article: Article, short_id: str) -> dict:
    """The columns every claim of an article shares."""
    day = publication_day(article.published)
    shared = {
        "file": doc.source.file,
        "source": doc.source.source_id,
        "outlet": doc.source.outlet,
        "url": doc.source.url,
        "published": article.published,
        "article": article.index,
        "headline": article.headline,
        "story": article.story,
        "as_of": day.isoformat() if day else "",
    }
    return {**shared, "_short": short_id, "_row": shared}  # _row: the columns alone, built once an article


# The columns a claim leaves to these values unless it says otherwise.
_DEFAULTS = {
    "measure": "",
    "subject": "",
    "subject_key": "",
    "value": None,
    "low": None,
    "high": None,
    "hedge": HedgeKind.EXACT,
    "unit": "",
    "timex": "",
    "date": "",
    "date_end": "",
    "polarity": Polarity.ASSERTED,
    "speaker": "",
    "rule": "",
}


def _make_claim(base: dict, text: str, start: int, end: int, info: SentenceInfo, **fields) -> Claim:
    """A Claim from shared columns, the span, its sentence (whose words say who states it and whether it is
    asserted, unless `fields` say otherwise) and the claim's own fields."""
    # a claim's own fields win over the article's (as_of stated in the sentence)
    if "polarity" not in fields:
        fields["polarity"] = _polarity(info, start)
    row = {**base["_row"], **_DEFAULTS, "speaker": _nearest_speaker(info.cues, start, end), **fields}
    return Claim(
        claim_id=f"{base['_short']}:{start}",
        text=text[start:end],
        sentence=info.sentence,
        char_start=start,
        char_end=end,
        **row,
    )


def _sentence_claims(ctx: Context, base: dict, span: tuple[int, int], m: Matchers, bare: bool) -> list[Claim]:
    """Every claim of one sentence."""
    text, (s, e) = ctx.document.text, span
    raw = text[s:e]
    first = bisect.bisect_left(ctx.mention_starts, s)
    last = bisect.bisect_left(ctx.mention_starts, e)
    nums = _numbers(text, s, e, ctx.blocked_in(s, e), m)
    ages = ctx.ages or SpanSet()
    for num in nums:
        num.age = ages.overlaps((num.start, num.end))
    mentions, nums = _duration_ranges(text, s, ctx.mentions[first:last], nums, m)
    info = SentenceInfo(
        s,
        e,
        re.sub(r"\s+", " ", raw).strip(),
        _cues(raw, s, m),
        _denials(raw, s, m),
        mentions,
        *_sentence_events(text, s, e, mentions, m),
    )
    claims = [
        _date_claim(base, text, mention, info, m)
        if ages.overlaps((mention.start, mention.end))
        else _with_measure(text, _date_claim(base, text, mention, info, m), s, e, m)
        for mention in info.mentions
        if bare or not ages.overlaps((mention.start, mention.end))  # "a 65-year-old man": an age, no duration
        if mention.kind != Kind.DURATION or not ctx.noise_at((mention.start, mention.end))  # "17:06 hours": a time
    ]
    previous: Claim | None = None  # the last count with a subject: what an elliptic number counts
    last: Claim | None = None  # the last quantity: what ", or 0.6%" restates
    for num in nums:
        named = ctx.named_age(num.start, num.end) if num.age and not bare else None
        if named is not None:
            claims.append(_age_claim(base, text, num, named, info))
            continue
        claim = _number_claim(text, base, num, info, m, previous, last)
        if claim is None or not _finite(claim):
            continue  # a run of 310 digits is past what a float holds: no figure anyone states
        if bare or _worth_a_row(claim, num, m):
            claims.append(claim if num.age else _with_measure(text, claim, s, e, m))
        if claim.kind == Kind.COUNT and claim.subject_key:
            previous = claim
        last = claim
    return _without_swallowed(claims, m)


def _without_swallowed(claims: list[Claim], m: Matchers) -> list[Claim]:
    """The claims but a duration inside an amount's words ("120 miles an hour" is a speed, not an hour) and a
    rate's "a year" right after a figure ("grow 12 percent a year", "12 hours a day": how often, not how long)."""
    figures = [c for c in claims if c.kind != "date"]
    if len(figures) < 2:
        return claims
    amounts = [(c.char_start, c.char_end) for c in figures if c.kind == "amount"]
    ends = {c.char_end for c in figures}
    return [
        c
        for c in claims
        if c.kind != "duration"
        or not any(s <= c.char_start and c.char_end <= e for s, e in amounts)
        and not (m.rate.match(c.text) and any(c.char_start - end in (1, 2) for end in ends))
    ]


def _finite(claim: Claim) -> bool:
    """Whether a claim's figures are all finite numbers (or empty)."""
    return all(x is None or math.isfinite(x) for x in (claim.value, claim.low, claim.high))


def _with_measure(text: str, claim: Claim, s: int, e: int, m: Matchers) -> Claim:
    """The claim, with the measure its own words name where no rule did ("a $2.3 billion budget": budget)."""
    if claim.measure or claim.kind == Kind.DATE or claim.polarity == Polarity.NEGATED:
        return claim
    measure = word_measure(text, claim, s, e, m)
    return replace(claim, measure=measure) if measure else claim


def _worth_a_row(claim: Claim, num: Num, m: Matchers) -> bool:
    """Whether a quantity is a claim: it counts something named, has a unit or a measure, or is a "no"."""
    if num.age or num.part and not claim.measure and not claim.unit:
        return False  # an age; "one of the rocket attacks" that no verb makes a count of anything
    if num.negated or claim.measure or claim.unit:
        return True
    if not claim.subject_key:
        return False
    # a worded "one" before a guessed noun ("one step further", "one US official") counts nothing worth checking
    return num.digits or claim.value != 1 or claim.subject_key.split()[-1] in m.known_keys


def _age_claim(base: dict, text: str, num: Num, named: NamedAge, info: SentenceInfo) -> Claim:
    """The row of a named person's age ("Reid, 33,": 33 years, measure age, subject Reid)."""
    who = text[named.who_start : named.who_end]
    return _make_claim(
        base,
        text,
        num.start,
        num.end,
        info,
        kind=Kind.AMOUNT,
        measure=named.measure,
        subject=who,
        subject_key=who.lower().replace("’", "'"),
        value=num.value,
        low=num.value,
        high=num.value,
        unit=named.unit,
        rule=named.rule,
        as_of=base["as_of"],
    )


def _date_claim(base: dict, text: str, mention: DateMention, info: SentenceInfo, m: Matchers) -> Claim:
    """The claim row of a date or duration the dates stage found."""
    return _make_claim(
        base,
        text,
        mention.start,
        mention.end,
        info,
        timex=mention.timex,
        date=mention.date,
        date_end=mention.date_end,
        value=mention.value,
        low=mention.low,
        high=mention.high,
        unit=mention.unit,
        hedge=mention.hedge,
        rule=mention.rule,
        measure=_duration_event(text, mention.start, mention.end, info.start, info.end, m)
        if mention.kind == Kind.DURATION
        else _date_event(mention, info, m),
        kind=mention.kind,
    )


def _number_claim(
    text: str, base: dict, num: Num, info: SentenceInfo, m: Matchers, previous: Claim | None, last: Claim | None
) -> Claim | None:
    """The count, amount or duration claim of one quantity, or None when it is no quantity."""
    s, e = info.start, info.end
    amount = _read_unit(text, num, s, e, m)
    if amount is None:
        return None
    hedge, claim_start, claim_end, low, high = _read_hedge(text, num, amount, e, m, last)
    subject = Subject() if num.age else _what_it_counts(text, num, amount, claim_end, e, m, previous)
    if subject is None:
        return None
    measure = subject.measure
    if measure is not None and measure.get("unit") and not amount.unit:
        # "a 6.1 quake": the noun names a measure of its own unit, for a decimal figure ("two quakes" count)
        if float(amount.value).is_integer():
            measure = None
        else:
            amount = replace(amount, unit=measure.get("unit"))
    if measure is None and amount.unit:
        measure = m.measure_of_unit.get(amount.unit)  # "6.1-magnitude": the unit has a measure of its own
    if measure is None and not num.age and not (amount.unit and head_after(text, amount.end, e, m)):
        # an amount's own noun ("$281 million in cash", "a $2.3 billion budget") says more than a verb nearby
        measure = _verb_measure(text, s, claim_start, subject, m, amount.end, amount.unit)
        if measure is not None and not subject.key and measure.get("subject_key"):
            subject = replace(subject, key=measure.get("subject_key"))  # "the death toll rose to 21": people
    claim_end = max(claim_end, subject.end)
    kind = Kind.AMOUNT if amount.unit or (measure is not None and measure.get("kind") == Kind.AMOUNT) else Kind.COUNT
    if amount.timex:
        kind, measure = Kind.DURATION, None
    date, date_end, as_of = event_context(info.mentions, (s, e), (claim_start, claim_end))
    return _make_claim(
        base,
        text,
        claim_start,
        claim_end,
        info,
        kind=kind,
        measure=measure.id
        if measure
        else _duration_event(text, claim_start, claim_end, s, e, m)
        if amount.timex
        else "",
        subject=subject.written,
        subject_key=subject.key,
        value=amount.value,
        low=low,
        high=high,
        hedge=hedge.hedge,
        unit=amount.unit,
        timex=amount.timex,
        polarity=Polarity.NEGATED if num.negated else _polarity(info, claim_start),
        rule=_rule_id(measure, hedge, num, amount),
        date=date,
        date_end=date_end,
        as_of=as_of or base["as_of"],
        whole=num.whole,
        trend=m.hedges.trend(text, claim_start, s)
        or _trend_of_restatement(text, claim_start, last)
        or ("down" if amount.value < 0 and amount.unit == "percent" else ""),
    )


def _read_hedge(
    text: str, num: Num, amount: Amount, e: int, m: Matchers, last: Claim | None
) -> tuple[Hedge, int, int, float | None, float | None]:
    """The hedge of a quantity, where the claim's words start and end, and the interval it implies."""
    hedge = num.hedge
    after_hedge = m.hedges.find_after(text, amount.end, e)  # "50 or more", "some 20-odd": words after the number
    if hedge.rule is None:
        hedge = m.hedges.find_before(text, amount.start)
        if hedge.rule is None:
            hedge = after_hedge
    if hedge.rule is None and last is not None and _is_conversion(text, amount.start, last, amount.unit):
        hedge = Hedge(last.hedge, m.hedges.rule_of(last.hedge), -1)  # "about 10 km (6.2 miles)": also about
    claim_start = min(amount.start, hedge.start) if hedge.rule is not None and hedge.start >= 0 else amount.start
    claim_end = max(amount.end, after_hedge.end)
    if num.hedge.rule is not None:
        ranged = num.hedge.hedge == HedgeKind.RANGE
        low, high = (num.low, num.high) if ranged else interval(amount.value, num.hedge, True)
    else:
        low, high = interval(amount.value, hedge, integer=not amount.unit and float(amount.value).is_integer())
    return hedge, claim_start, claim_end, low, high


def _rule_id(measure: Rule | None, hedge: Hedge, num: Num, amount: Amount) -> str:
    """The rule column: the measure, else the vague or range rule, else what kind of number it was."""
    if measure is not None:
        return measure.id
    if hedge.rule is not None and hedge.rule.table != "hedge":
        return hedge.rule.id
    if num.negated:
        return "negated_count"
    return "unit" if amount.unit else "count"


def _in_brackets(text: str, start: int, last: Claim) -> bool:
    """Whether the number restates `last` in brackets: "100 km (60 miles)", "150 hp (110 kW / 152 PS)"."""
    gap = text[last.char_end : start]
    if re.fullmatch(r"[\s\u00a0]*\([\s\u00a0$€£]*", gap):
        return True
    unknown_unit = re.fullmatch(r"[\s\u00a0]+[^\W\d_]{1,10}[\s\u00a0]*\([\s\u00a0$€£]*", gap)
    if unknown_unit and not last.unit and not last.subject:
        return True  # "below 5.20 ksi (35.9 MPa)": a unit the rules do not know, then its conversion
    # the second figure of a bracket: "(224 kW / 300 PS)", "(1.8 to 2.7 F; 2 to 3 K)"
    opened = re.search(r"\([\s\u00a0$€£]*$", text[max(0, last.char_start - 4) : last.char_start]) is not None
    return opened and re.fullmatch(r"[\s\u00a0]*[/;][\s\u00a0$€£]*", gap) is not None


def _is_conversion(text: str, start: int, last: Claim | None, unit: str = "") -> bool:
    """Whether the number restates a hedged amount in brackets: "more than 100 km (60 miles)"."""
    plain = (HedgeKind.EXACT, HedgeKind.RANGE, HedgeKind.VAGUE)
    if last is None or last.hedge in plain or not (last.kind == Kind.AMOUNT or unit):
        return False
    return _in_brackets(text, start, last)


def _trend_of_restatement(text: str, start: int, previous: Claim | None) -> str:
    """ "lost 190 points, or 0.6%", "fell 1 C (1.8 F)": a figure restating the one before shares its trend."""
    if previous is None or not previous.trend:
        return ""
    restated = re.fullmatch(r",?[\s\u00a0]+or[\s\u00a0]+", text[previous.char_end : start]) is not None
    return previous.trend if restated or _in_brackets(text, start, previous) else ""


def short_ids(corpus: Corpus) -> dict[str, str]:
    """Short source ids for claim ids ("002" for "002_5dec68c94f85d850") where they stay unique."""
    prefixes = {doc.source.source_id: doc.source.source_id.split("_")[0] for doc in corpus.documents}
    if len(set(prefixes.values())) == len(prefixes):
        return prefixes
    return {key: key for key in prefixes}


def extract_document(
    document: Document,
    rules: RuleSet,
    short_id: str,
    matchers: Matchers | None = None,
    bare: bool = False,
    limit: int = 0,
) -> list[Claim]:
    """Every claim of one document, article by article, in text order. With a `limit` (a page's share of
    claims, rules/facts.toml page_claims), sentences are no longer read once more than `limit` claims are
    found: the first `limit` claims are those a whole reading gives first, and the page is known to be over."""
    view = blanked_escapes(document.text)
    if view is not document.text:  # read with its escape sequences as spaces; the claims keep the file's words
        claims = extract_document(replace(document, text=view), rules, short_id, matchers, bare, limit)
        return [replace(c, text=document.text[c.char_start : c.char_end]) for c in claims]
    m = matchers or Matchers.from_rules(rules)
    claims: list[Claim] = []
    previous_end = 0
    for article in document.articles:
        read = _with_stamps(document.text, _with_headline(document.text, article, m), previous_end, m)
        previous_end = article.end
        ctx = make_context(document, read, rules, m)
        base = _claim_base(document, article, short_id)
        spans = ctx.article.sentences
        found: list[list[Claim]] = []
        count = len(claims)
        for span in spans:
            # Sentences left unread stay in the list, empty: a headline still takes its lede's date.
            found.append([] if limit and count > limit else _sentence_claims(ctx, base, span, m, bare))
            count += len(found[-1])
        claims.extend(carry_events(document.text, spans, found, ctx.mentions, headline_span(document.text, article)))
    return _unique_ids(sorted(claims, key=lambda c: (c.char_start, c.char_end)))


def headline_span(text: str, article: Article) -> tuple[int, int] | None:
    """Where the article's headline line is (among its first lines: a date line may stand above it), or None."""
    if not article.headline:
        return None
    for start, end in itertools.islice(line_spans(text, article.start, article.end), 4):
        if " ".join(text[start:end].split()) == article.headline:
            return start, end
    return None


def _with_headline(text: str, article: Article, m: Matchers) -> Article:
    """The article with its headline line read as text too: "Strong Storm in Chile Kills 6; 45 Hurt" states
    figures like any sentence (ingest keeps the headline out of the body; its offsets are the page's)."""
    span = headline_span(text, article)
    if span is None or span in article.body:
        return article
    heads = sentences(text, (span,), m.layout)
    return replace(
        article, body=tuple(sorted((span, *article.body))), sentences=tuple(sorted((*heads, *article.sentences)))
    )


_BULLET = re.compile(r"[•·▪*-]?[\s\u00a0]*")


def _with_stamps(text: str, article: Article, start: int, m: Matchers) -> Article:
    """The article with the date stamps printed with it read as text too: "Updated 3/14/2011 5:12 PM" above or
    under the headline is page furniture for ingest (a dateline rule of boilerplate.toml), but the date it
    prints is a claim like "Published: March 14, 2011". Stamps between the previous article's end (`start`)
    and this one's end that are no body line count."""
    body = set(article.body)
    stamps = [
        (s + len(_BULLET.match(text, s, e).group()), e)  # "• Updated: ...": the bullet stays furniture
        for s, e in line_spans(text, start, article.end)
        if (s, e) not in body and any(rule.get("pattern").search(text[s:e]) for rule in m.layout.datelines)
    ]
    if not stamps:
        return article
    heads = sentences(text, tuple(stamps), m.layout)
    return replace(
        article,
        body=tuple(sorted((*stamps, *article.body))),
        sentences=tuple(sorted((*heads, *article.sentences))),
    )


def _unique_ids(claims: list[Claim]) -> list[Claim]:
    """Make claim ids unique within a document by suffixing repeats of the same start offset."""
    seen: dict[str, int] = {}
    out = []
    for claim in claims:
        n = seen.get(claim.claim_id, 0)
        seen[claim.claim_id] = n + 1
        out.append(claim if n == 0 else replace(claim, claim_id=f"{claim.claim_id}.{n + 1}"))
    return out


def extract_corpus(corpus: Corpus, rules: RuleSet) -> list[Claim]:
    """Every claim of a corpus, file by file (the rules' examples are checked once, by the pipeline)."""
    ids = short_ids(corpus)
    m = Matchers.from_rules(rules)
    claims: list[Claim] = []
    for document in corpus.documents:
        claims.extend(extract_document(document, rules, ids[document.source.source_id], m))
    return claims


def extract_text(
    text: str, rules: RuleSet, published: str = "", bare: bool = False, matchers: Matchers | None = None
) -> list[Claim]:
    """Every claim of a bare text (one article, no headline), dates resolved against `published`, split into
    sentences as `audit run` splits an article (`audit.ingest.sentences`).

    `bare=True` also keeps numbers that count nothing the text names ("37", "one of them"): what a general
    quantity extractor (NewsQuant) reports.
    """
    source = Source(file="<text>", source_id="text")
    body = tuple(line_spans(text))  # the lines `audit run` splits an article's sentences in
    article = Article(1, "", 0, len(text), body, sentences(text, body, layout_of(rules)), published)
    return extract_document(Document(source, text, (article,)), rules, "text", matchers, bare)
