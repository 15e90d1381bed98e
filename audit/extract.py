"""Extract: turn each article's clean sentences into claim rows (counts, amounts, dates, durations).

Numbers are found by `audit.numbers.NUMBER` inside sentences the ingest stage kept; everything around
the number (hedge, counted subject, measure, speaker, polarity) comes from the rule files.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from audit.dates import find_dates, publication_day
from audit.hedges import find_hedge, hedge_pattern, interval
from audit.model import Article, Claim, Corpus, DateMention, Document
from audit.numbers import NUMBER, parse_number
from audit.rules import Rule, RuleSet

# Units that make a number an amount rather than a count.
_AMOUNT_UNIT = re.compile(
    r"""^\s*(?:
        (?P<percent>%|per\s?cent\b|percent\b)
      | (?P<litre>(?:million\s+|billion\s+)?(?:litres?|liters?)\b)
      | (?P<barrel>barrels?\b)
      | (?P<km>km\b|kilometres?\b|kilometers?\b)
      | (?P<mile>miles?\b)
    )""",
    re.IGNORECASE | re.VERBOSE,
)
_CURRENCY_BEFORE = re.compile(r"(?:(?P<USD>\$|US\$|USD\s?)|(?P<EUR>€|EUR\s?)|(?P<GBP>£|GBP\s?))$")
# Words that may stand between a number and the counted noun ("50 American troops", "25 Iraqi paramilitary fighters").
_SUBJECT_WORDS = re.compile(r"\s*(?:of\s+(?:the\s+)?|[A-Z][\w'’.-]*\s+|[a-z][\w-]*\s+){0,4}")
_NEGATED = re.compile(r"\bno\s+(?P<noun>fatalities|casualties|deaths|injuries|dead|wounded|injured)\b", re.I)
_DENIAL = re.compile(r"\b(?:denied|denies|deny|rejected\s+reports|dismissed\s+reports)\b", re.I)


@dataclass(frozen=True)
class Context:
    """Everything one article's extraction needs, computed once per article."""

    document: Document
    article: Article
    mentions: tuple[DateMention, ...]
    blocked: tuple[tuple[int, int], ...]  # noise spans and date spans: numbers inside are no claims


def noise_spans(text: str, spans: Iterable[tuple[int, int]], rules: RuleSet) -> list[tuple[int, int]]:
    """Spans of text the noise rules say are never claims."""
    out = []
    for start, end in spans:
        for rule in rules.rules("noise", "noise"):
            out.extend(m.span() for m in rule.get("pattern").finditer(text, start, end) if m.end() > m.start())
    return out


def _inside(span: tuple[int, int], blocked: Iterable[tuple[int, int]]) -> bool:
    """Whether a span overlaps any blocked span."""
    return any(s < span[1] and span[0] < e for s, e in blocked)


def _words_pattern(words: Iterable[str]) -> str:
    """An alternation of phrases, longest first, with flexible white space."""
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


class Matchers:
    """Regexes built once from the rules: subject nouns, measure nouns and verbs, hedges, speakers."""

    def __init__(self, rules: RuleSet):
        self.rules = rules
        self.hedges = hedge_pattern(rules)
        self.subjects = [
            (r, re.compile(rf"^(?:{_words_pattern(r.get('words'))})\b", re.I)) for r in rules.rules("counts", "subject")
        ]
        self.measure_nouns = [
            (r, re.compile(rf"^(?:{_words_pattern(r.get('nouns', ()))})\b", re.I))
            for r in rules.rules("counts", "measure")
            if r.get("nouns")
        ]
        self.measure_verbs = [
            (r, re.compile(rf"\b(?:{'|'.join(r.get('verbs'))})\b", re.I))
            for r in rules.rules("counts", "measure")
            if r.get("verbs")
        ]
        self.speakers = rules.rules("speakers", "cue")


def _subject(text: str, number_end: int, sentence_end: int, m: Matchers) -> tuple[str, str, Rule | None, int]:
    """The counted subject after a number: (as written, key, measure named by the noun, end offset)."""
    prefix = _SUBJECT_WORDS.match(text, number_end, sentence_end)
    candidates = range(number_end, (prefix.end() if prefix else number_end) + 1)
    for start in candidates:
        if start != number_end and not text[start - 1].isspace():
            continue
        rest = text[start:sentence_end]
        for rule, pattern in m.measure_nouns:
            found = pattern.match(rest)
            if found:
                end = start + found.end()
                key = rule.get("subject_key") or _subject_key(text[number_end:end], m)
                return text[number_end:end].strip(), key, rule, end
        for rule, pattern in m.subjects:
            found = pattern.match(rest)
            if found:
                end = start + found.end()
                return text[number_end:end].strip(), rule.id, None, end
    return "", "", None, number_end


def _subject_key(subject: str, m: Matchers) -> str:
    """The normalised key of a subject as written, by the subject rules (last word wins)."""
    for rule, pattern in m.subjects:
        for word in reversed(subject.split()):
            if pattern.match(word):
                return rule.id
    return ""


def _measure_by_verb(text: str, start: int, end: int, number: tuple[int, int], m: Matchers) -> Rule | None:
    """The measure whose verb stands nearest the number within its sentence."""
    best: tuple[int, Rule] | None = None
    for rule, pattern in m.measure_verbs:
        for found in pattern.finditer(text, start, end):
            distance = number[0] - found.end() if found.end() <= number[0] else found.start() - number[1]
            if distance < 0 or distance > 60:
                continue
            if best is None or distance < best[0]:
                best = (distance, rule)
    return best[1] if best else None


def _speaker(sentence: str, m: Matchers) -> str:
    """Who the sentence attributes its claim to, by the speaker cues (empty for the outlet's voice)."""
    for rule in m.speakers:
        found = rule.get("pattern").search(sentence)
        if found and found.groupdict().get("speaker"):
            return re.sub(r"\s+", " ", found.group("speaker")).strip(" ,.")
    return ""


def _claim_base(doc: Document, article: Article, short_id: str) -> dict:
    """The columns every claim of an article shares."""
    day = publication_day(article.published)
    return {
        "file": doc.source.file,
        "source": doc.source.source_id,
        "outlet": doc.source.outlet,
        "url": doc.source.url,
        "published": article.published,
        "article": article.index,
        "headline": article.headline,
        "story": article.story,
        "as_of": day.isoformat() if day else "",
        "_short": short_id,
    }


def _make_claim(base: dict, text: str, start: int, end: int, sentence: str, **fields) -> Claim:
    """A Claim from shared columns, the span and the claim's own fields."""
    row = {k: v for k, v in base.items() if not k.startswith("_")}
    defaults = {
        "measure": "",
        "subject": "",
        "subject_key": "",
        "value": None,
        "low": None,
        "high": None,
        "hedge": "exact",
        "unit": "",
        "timex": "",
        "date": "",
        "date_end": "",
        "polarity": "asserted",
        "speaker": "",
        "rule": "",
    }
    defaults.update(fields)
    return Claim(
        claim_id=f"{base['_short']}:{start}",
        text=text[start:end],
        sentence=sentence,
        char_start=start,
        char_end=end,
        **row,
        **defaults,
    )


def _event_date(mentions: Iterable[DateMention], s: int, e: int) -> tuple[str, str]:
    """The first resolved date in a sentence: the event a count in it is about."""
    for mention in mentions:
        if mention.kind == "date" and s <= mention.start < e and mention.date:
            return mention.date, mention.date_end
    return "", ""


def _sentence_claims(ctx: Context, base: dict, span: tuple[int, int], m: Matchers) -> list[Claim]:
    """Every claim of one sentence."""
    text, (s, e) = ctx.document.text, span
    sentence = re.sub(r"\s+", " ", text[s:e]).strip()
    speaker = _speaker(sentence, m)
    denied = bool(_DENIAL.search(sentence))
    polarity = "denied" if denied else "asserted"
    claims: list[Claim] = []
    for mention in ctx.mentions:
        if s <= mention.start < e:
            claims.append(
                _make_claim(
                    base,
                    text,
                    mention.start,
                    mention.end,
                    sentence,
                    timex=mention.timex,
                    date=mention.date,
                    date_end=mention.date_end,
                    value=mention.value,
                    low=mention.low,
                    high=mention.high,
                    unit=mention.unit,
                    hedge=mention.hedge,
                    rule=mention.rule,
                    polarity=polarity,
                    speaker=speaker,
                    measure="pause" if mention.kind == "duration" and "pause" in sentence.lower() else "",
                    kind=mention.kind,
                )
            )
    date, date_end = _event_date(ctx.mentions, s, e)
    for found in _NEGATED.finditer(text, s, e):
        rule = next((r for r, p in m.measure_nouns if p.match(found.group("noun"))), None)
        claims.append(
            _make_claim(
                base,
                text,
                found.start(),
                found.end(),
                sentence,
                kind="count",
                measure=rule.id if rule else "",
                subject=found.group("noun"),
                value=0.0,
                low=0.0,
                high=0.0,
                polarity="negated",
                speaker=speaker,
                rule="negated_count",
                date=date,
                date_end=date_end,
            )
        )
    for found in NUMBER.finditer(text, s, e):
        if _inside(found.span(), ctx.blocked):
            continue
        claim = _number_claim(ctx, base, found, (s, e), sentence, m, speaker, polarity, (date, date_end))
        if claim:
            claims.append(claim)
    return claims


def _number_claim(
    ctx: Context,
    base: dict,
    found: re.Match[str],
    span: tuple[int, int],
    sentence: str,
    m: Matchers,
    speaker: str,
    polarity: str,
    event: tuple[str, str],
) -> Claim | None:
    """The count or amount claim of one number, or None when nothing says what it counts."""
    text, (s, e) = ctx.document.text, span
    value = parse_number(found.group())
    if value is None:
        return None
    start, end = found.span()
    unit = ""
    currency = _CURRENCY_BEFORE.search(text, max(s, start - 4), start)
    after = _AMOUNT_UNIT.match(text, end, e)
    if currency:
        unit = next(k for k, v in currency.groupdict().items() if v)
        start = currency.start()
    elif after:
        unit = next(k for k, v in after.groupdict().items() if v)
        end = after.end()
        if "million" in after.group().lower():
            value *= 1_000_000
    subject, key, measure, subject_end = ("", "", None, end) if unit else _subject(text, end, e, m)
    if measure is None:
        measure = _measure_by_verb(text, s, e, (start, end), m)
    if not (unit or key or measure):
        return None
    hedge = find_hedge(text, start, m.rules, m.hedges)
    low, high = interval(value, hedge, integer=not unit and value.is_integer())
    claim_start = hedge.start if hedge.rule else start
    kind = "amount" if unit or (measure and measure.get("kind") == "amount") else "count"
    return _make_claim(
        base,
        text,
        claim_start,
        max(end, subject_end),
        sentence,
        kind=kind,
        measure=measure.id if measure else "",
        subject=subject,
        subject_key=key or (measure.get("subject_key", "") if measure else ""),
        value=value,
        low=low,
        high=high,
        hedge=hedge.hedge,
        unit=unit,
        polarity=polarity,
        speaker=speaker,
        rule=measure.id if measure else (key or unit),
        date=event[0],
        date_end=event[1],
    )


def short_ids(corpus: Corpus) -> dict[str, str]:
    """Short source ids for claim ids ("002" for "002_5dec68c94f85d850") where they stay unique."""
    prefixes = {doc.source.source_id: doc.source.source_id.split("_")[0] for doc in corpus.documents}
    if len(set(prefixes.values())) == len(prefixes):
        return prefixes
    return {key: key for key in prefixes}


def extract_document(
    document: Document, rules: RuleSet, short_id: str, matchers: Matchers | None = None
) -> list[Claim]:
    """Every claim of one document, article by article, in text order."""
    m = matchers or Matchers(rules)
    claims: list[Claim] = []
    for article in document.articles:
        mentions = tuple(find_dates(document, article, rules))
        blocked = tuple(noise_spans(document.text, article.body, rules)) + tuple((d.start, d.end) for d in mentions)
        ctx = Context(document, article, mentions, blocked)
        base = _claim_base(document, article, short_id)
        for span in article.sentences:
            claims.extend(_sentence_claims(ctx, base, span, m))
    return _unique_ids(sorted(claims, key=lambda c: (c.char_start, c.char_end)))


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
    """Every claim of a corpus, file by file."""
    ids = short_ids(corpus)
    m = Matchers(rules)
    claims: list[Claim] = []
    for document in corpus.documents:
        claims.extend(extract_document(document, rules, ids[document.source.source_id], m))
    return claims
