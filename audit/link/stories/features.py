"""What story grouping reads in an article: its words, names, lede, figures and dates, weighed once.

Every weight here is the same whatever folder the article sits in: a word weighs its salience against
general English (`ceiling - zipf`, the Zipf frequency from wordfreq, so "the" ~0, "earthquake" ~2.9, a
name wordfreq never saw the full ceiling), never its frequency in the folder. An article becomes a
handful of unit-length sparse rows (one per signal) that `audit.link.stories.cluster` compares pair by pair.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import pickle
import re
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Protocol

from audit.lexicon import KEPT_WORDS
from audit.link.stories.rows import SMALL_ARTICLES, sorted_rows
from audit.model import Article, Document

# A word: letters, then letters, digits, apostrophes or hyphens, ending on a letter or digit.
_WORD = re.compile(r"[^\W\d_](?:[\w'’-]*[^\W_])?")
# A figure as printed: "40", "6.1", "22,000", "2:09" (a clock time tells an event apart as well as a toll).
_FIGURE = re.compile(r"(?<![\w.,:])\d+(?:[.,:]\d+)*(?!\w)")
_YEAR = re.compile(r"(?<![\w.,])(?:1[89]\d\d|20\d\d)(?![\w.,]\d)")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
_MONTH_DAY = re.compile(
    rf"\b{_MONTH}\s+{_DAY}\b(?:,?\s+((?:19|20)\d\d)\b)?|\b{_DAY}\s+{_MONTH}(?:,?\s+((?:19|20)\d\d)\b)?",
    re.IGNORECASE,
)
# Split on words, keeping them: the text before each word (from the end of the word before), then the
# word, in one linear C-level pass (a pattern of gap and word would rescan a long tail with no word).
_WORD_SPLIT = re.compile(f"({_WORD.pattern})")
# The end of a sentence: end punctuation, maybe closing quotes, white space, then a capital or a digit.
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")
# Marks between two words after which the second starts a sentence (capitalised whatever it is).
_STARTS = re.compile(r"[.!?\"“”'‘’:;…\n]")


@dataclass(frozen=True)
class Signals:
    """One article as story grouping sees it. Bags map a term to its weight (before normalising)."""

    words: dict[str, float]  # headline and lede, lemmatised: what the article is about
    names: dict[str, float]  # names in the body (capitalised inside sentences) and runs of them
    lede: dict[str, float]  # words of the headline and first sentence that are not names: what happened
    figures: dict[str, float]  # figures as printed, years and days of dates apart
    lede_figures: dict[str, float]  # the figures of the headline and first sentence (years apart)
    dates: dict[str, float]  # month-day mentions, with their year where it is known
    years: dict[str, float]  # years named in the lede
    lede_years: frozenset[str]  # years of the headline and first sentence, and of the publication date
    events: dict[str, float]  # kinds of event the headline and lede tell (flood, deaths): what happened
    places: dict[str, float]  # common nouns of places the headline and lede name (river, village, factory)
    day: float  # publication day (days since 1970), NaN when unknown
    looks_back: bool  # a follow-up of an older event: the lede names an earlier year, or tells a trial or verdict
    keys: tuple[str, ...]  # the most salient terms: where candidate pairs are looked for


# Each of Salience's tables keeps at most KEPT_WORDS words, as audit.lexicon's do: four unbounded tables
# held in every worker process were a quarter of a 100,000-page run's memory; a word past the bound is
# worked out again when met again.


class Salience:
    """How much a word says about which story an article tells, from its frequency in general English."""

    def __init__(
        self,
        ceiling: float,
        floor: float,
        skip: frozenset[str] = frozenset(),
        name_salience: float = 4.5,
        spellings: tuple[tuple[str, str], ...] = (),
    ) -> None:
        from audit.lexicon import english_frequencies  # wordfreq's table, read word by word

        self.ceiling = ceiling
        self.name_salience = name_salience  # a capitalised word this salient is a name even opening a sentence
        self.floor = floor  # words below this salience ("said", "people") never pick candidate pairs
        self.skip = skip  # stop words
        self.spellings = dict(spellings)  # a short form -> the word it stands for ("mt" -> "mount")
        self._freq = english_frequencies()
        self.weights: dict[str, float] = {}  # word -> salience, as worked out so far
        self._words: dict[str, tuple[str, str, float]] = {}
        self.tokens: dict[str, tuple[str, str, float, bool, bool]] = {}  # token_info's answers
        self.gaps: dict[str, tuple[bool, bool]] = {}  # the text between two words -> what it tells (features)

    def __call__(self, word: str) -> float:
        """`ceiling - zipf(word)`, at least 0; a hyphenated word weighs its rarest part ("us-led" ~ "led")."""
        weight = self.weights.get(word)
        if weight is None:
            weight = max(max(0.0, self.ceiling - self._zipf(p)) for p in _parts(word))
            if len(self.weights) < KEPT_WORDS:
                self.weights[word] = weight
        return weight

    def word_info(self, word: str) -> tuple[str, str, float]:
        """A word as written -> (lower case, lemma, salience of the lower case); salience -1 for a stop word."""
        found = self._words.get(word)
        if found is None:
            low = self._lowered(word)
            stop = low in self.skip or len(low) < 2
            weight = -1.0 if stop else self(low)
            # A word general English never uses (a name, mostly) has no inflections to undo.
            found = (low, low if weight < 0 or weight >= self.ceiling else lemma(low), weight)
            if len(self._words) < KEPT_WORDS:
                self._words[word] = found
        return found

    def prefetch(self, words: Iterable[str]) -> None:
        """Look up at once the frequencies the saliences of these words (as written) will ask for: fewer
        queries of the table, the same answers (a word missed is looked up when asked for)."""
        terms = []
        for word in words:
            if word in self._words:
                continue
            low = self._lowered(word)
            if low not in self.skip:
                terms.append(low)
        self.prefetch_terms(terms)

    def prefetch_terms(self, terms: Iterable[str]) -> None:
        """Look up at once the frequencies the saliences of these terms (lower case, as `__call__` takes them:
        the dictionary forms of an article's words) will ask for."""
        prefetch = getattr(self._freq, "prefetch", None)
        if prefetch is None:  # wordfreq's own table, a dict
            return
        wanted = []
        for term in terms:
            if term in self.weights:
                continue
            for part in _parts(term):
                wanted += _looked_up(part)
        prefetch(wanted)

    def _lowered(self, word: str) -> str:
        """A word as written in the lower case it is weighed in: no "'s", one spelling of a name ("Mt Cook" and
        "Mount Cook" are one name)."""
        low = word.lower().removesuffix("'s").removesuffix("’s")
        return self.spellings.get(low, low)

    def token_info(self, word: str) -> tuple[str, str, float, bool, bool]:
        """word_info, and whether the word is capitalised and salient enough to be a name opening a sentence."""
        found = self.tokens.get(word)
        if found is None:
            low, term, weight = self.word_info(word)
            found = (low, term, weight, word[0].isupper(), weight >= self.name_salience)
            if len(self.tokens) < KEPT_WORDS:
                self.tokens[word] = found
        return found

    def _zipf(self, word: str) -> float:
        freq = next((f for f in map(self._freq.get, _looked_up(word)) if f), 0.0)
        return math.log10(freq) + 9.0 if freq > 0 else 0.0


def _parts(word: str) -> list[str]:
    """The parts of a hyphenated word that are weighed ("us-led": "us", "led"), or the word itself."""
    return [p for p in word.replace("’", "'").split("-") if p] or [word]


def _looked_up(word: str) -> tuple[str, ...]:
    """The forms of a word the frequency table is asked for, in turn: as it is, then without "'s"."""
    return (word, word.removesuffix("'s")) if word.endswith("'s") else (word,)


@lru_cache(maxsize=KEPT_WORDS)
def lemma(word: str) -> str:
    """The dictionary form of a lower-case English word ("capsized" -> "capsize", "quakes" -> "quake")."""
    from audit.lexicon import english_lemma  # simplemma.lemmatize(word, lang="en")

    return english_lemma(word).lower()


def _day_number(published: str) -> float:
    """Days since 1970 of a publication date, NaN when unknown."""
    try:
        return float(dt.date.fromisoformat(published[:10]).toordinal() - 719163)
    except ValueError:
        return math.nan


def is_dateline(headline: str, words: frozenset[str]) -> bool:
    """A headline that is only a date or time ("12 May 2015 Last updated at 08:31 GMT") tells no story."""
    tokens = _WORD.findall(headline)
    if not re.search(r"\d", headline) and tokens:
        return False
    return all(t.lower().rstrip(".") in words or t.lower()[:3] in _MONTHS for t in tokens)


def _top(bag: Counter[str], weight) -> dict[str, float]:
    """Square root of the count times the term's weight: repetition counts, with diminishing returns."""
    out = {}
    known = weight.weights if isinstance(weight, Salience) else {}
    for term, count in bag.items():
        w = known.get(term)
        w = (weight(term) if w is None else w) * (math.sqrt(count) if count > 1 else 1.0)
        if w > 0:
            out[term] = w
    return out


def _figure_weight(figure: str) -> float:
    """A figure with more digits is rarer: "5" says little, "334" or "4.6" more (at most 4)."""
    return float(min(4, max(1, sum(ch.isdigit() for ch in figure.lstrip("0.,:")))))


def _outside(match: re.Match, spans: list[tuple[int, int]]) -> bool:
    """A figure not inside a month-day date (those are dates), or a year anywhere."""
    return bool(_YEAR.fullmatch(match.group().replace(",", ""))) or not any(a <= match.start() < b for a, b in spans)


def _add_run(names: dict[str, int], run: list[str]) -> None:
    """Count a run of names as one name too: "tara_reid", a full name, is rarer than its parts."""
    joined = "_".join(run)
    names[joined] = names.get(joined, 0) + 1


def _gap_kind(gap: str) -> tuple[bool, bool]:
    """What the text between two words tells: (it ends a run of names, the next word starts a sentence)."""
    return bool(gap.strip()) or "\n" in gap, bool(_STARTS.search(gap))


def _read_words(pairs: list[tuple[str, str]], head: int, salience: Salience):
    """Word and name counts of the lede's (gap, word) pairs, the first `head` of them the headline's.
    A name is a capitalised word of the body inside a sentence (or one salient enough anywhere); a run
    of names with only spaces between counts as one more name ("tara_reid")."""
    words: dict[str, int] = {}
    names: dict[str, int] = {}
    tokens, info, gaps = salience.tokens, salience.token_info, salience.gaps
    for _, word in pairs[:head]:  # the headline: words, never names
        found = tokens.get(word) or info(word)
        if found[2] >= 0:
            words[found[1]] = words.get(found[1], 0) + 1
    run: list[str] = []
    for gap, word in pairs[head:]:
        kind = gaps.get(gap)
        if kind is None:
            kind = _gap_kind(gap)
            if len(gaps) < KEPT_WORDS:
                gaps[gap] = kind
        if run and kind[0]:
            if len(run) > 1:
                _add_run(names, run)
            run = []
        low, term, weight, capital, strong = tokens.get(word) or info(word)
        if capital and weight >= 0 and (strong or not kind[1]):
            words[low] = words.get(low, 0) + 1
            names[low] = names.get(low, 0) + 1
            run.append(low)
            continue
        if weight >= 0:
            words[term] = words.get(term, 0) + 1
        if run:
            if len(run) > 1:
                _add_run(names, run)
            run = []
    if len(run) > 1:
        _add_run(names, run)
    return words, names


def article_signals(document: Document, article: Article, settings: Any, salience: Salience) -> Signals:
    """Read one article's signals (see Signals) from its headline and the first `lede_words` words."""
    stop = settings.stopwords
    # The lede is all that is read: a page of one 2 MB line costs no more than a short article.
    body = " ".join(document.text[s:e] for s, e in article.body)[: settings.lede_words * 30]
    headline = "" if is_dateline(article.headline, settings.dateline_words) else article.headline
    text = f"{headline}\n{body}"
    limit = settings.lede_words
    parts = _WORD_SPLIT.split(text, maxsplit=limit + 1)  # gap, word, gap, word ... rest
    pairs = list(zip(parts[0:-1:2], parts[1::2], strict=True))  # the rest after the last word is left
    salience.prefetch(word for _, word in pairs[:limit])
    words, names = _read_words(pairs[:limit], len(_WORD.findall(headline)), salience)
    end = len(text)
    if len(pairs) > limit:  # where the word after the last one read starts
        end = len("".join(parts[: 2 * limit])) + len(parts[2 * limit])
    lede_text = (
        f"{headline}\n{_first_sentence(document, article, body, settings.lede_words * 30, settings.dateline_words)}"
    )
    lede: Counter[str] = Counter()
    for word in _WORD.findall(lede_text):
        low = word.lower().removesuffix("'s").removesuffix("’s")
        if low in stop or len(low) < 3 or low in names:
            continue
        lede[lemma(low) if low in salience.skip else salience.word_info(word)[1]] += 1
    window = text[:end]
    day = _day_number(article.published)
    dates: Counter[str] = Counter()
    spans = []
    for match in _MONTH_DAY.finditer(window):
        if match.group(1):
            month, day_of, year = match.group(1, 2, 3)
        else:
            day_of, month, year = match.group(4, 5, 6)
        if not 1 <= int(day_of) <= 31:
            continue
        dates[_date_term(_MONTHS.index(month.lower()[:3]) + 1, int(day_of), year, day)] += 1
        spans.append(match.span())
    figures: Counter[str] = Counter()
    years: Counter[str] = Counter()
    found = _FIGURE.findall(window)
    if spans:
        found = [m.group() for m in _FIGURE.finditer(window) if _outside(m, spans)]
    for printed in found:
        value = printed.replace(",", "")
        if len(value) == 4 and _YEAR.fullmatch(value):
            years[value] += 1
        else:
            figures[value] += 1
    lede_years = set(_YEAR.findall(lede_text))
    lede_figures = Counter(
        f for f in (p.replace(",", "") for p in _FIGURE.findall(lede_text)) if not (len(f) == 4 and _YEAR.fullmatch(f))
    )
    # A trial, a plea or a verdict follows its crime by months or years: the page is a follow-up.
    court = any(lemma(w.lower()) in settings.follow_up_words for w in _WORD.findall(lede_text))
    looks_back = court
    if not math.isnan(day):
        year = dt.date.fromordinal(int(day) + 719163).year
        looks_back = court or any(int(y) < year for y in lede_years)
        lede_years.add(str(year))
    if court:  # a trial is dated by the court's calendar, not its crime's: its years tell no other event apart
        lede_years.clear()
    # The dictionary forms weighed below are mostly words not met as written: their frequencies in one query.
    salience.prefetch_terms((*words, *lede))
    word_bag = _top(words, salience)
    floor = salience.floor
    name_bag = _top(names, lambda t: settings.salience_ceiling if "_" in t else salience(t))
    keys = tuple(t for t, _ in sorted(word_bag.items(), key=lambda item: (-item[1], item[0])) if salience(t) >= floor)
    if settings.name_keys:  # full names first: two short pages naming "Matt Smith" share few other rare words
        runs = sorted((t for t in name_bag if "_" in t), key=lambda t: (-name_bag[t], t))
        keys = (*runs[: settings.name_keys], *keys)
    keys = keys[: settings.block_keys]
    event_bag, place_bag = _what_and_where(pairs[:limit], salience, settings.events, settings.place_words)
    events = _top(event_bag, lambda _: 1.0)
    if not name_bag:  # names tell events apart; a page that names none is found by what happened
        keys = (*keys, *(f"event:{kind}" for kind in sorted(events)))
    return Signals(
        words=word_bag,
        names=name_bag,
        lede=_top(lede, salience),
        figures=_top(figures, _figure_weight),
        lede_figures=_top(lede_figures, _figure_weight),
        dates={t: 1.0 for t in dates},
        years={t: 1.0 for t in years},
        lede_years=frozenset(lede_years),
        events=events,
        places={t: 1.0 for t in place_bag},
        day=day,
        looks_back=looks_back,
        keys=keys,
    )


def _first_sentence(document: Document, article: Article, body: str, limit: int, datelines: frozenset[str]) -> str:
    """The body's first sentence as the page's sentence splitter cut it (it keeps "Oct. 5" and "Dr. Gupta"
    whole), a dateline line ("POSTED: 11/06/09, 7:15 PM PDT") passed over; else up to the first sentence
    end. At most `limit` characters."""
    for start, end in article.sentences[:4]:
        text = document.text[start : min(end, start + limit)]
        if not is_dateline(text, datelines):
            return text
    return _SENTENCE_END.split(body.strip(), maxsplit=1)[0]


def _what_and_where(pairs: list[tuple[str, str]], salience: Salience, phrases, places) -> tuple[Counter, Counter]:
    """The kinds of event the words tell (each phrase of `phrases`, dictionary forms with stop words left
    out, found among the words, up to three words long) and the place nouns among them (`places`)."""
    found: Counter[str] = Counter()
    terms = [t for _, t, w in map(salience.word_info, (word for _, word in pairs)) if w >= 0]
    named = Counter(t for t in terms if t in places)
    if not phrases:
        return found, named
    for start in range(len(terms)):
        for end in range(start + 1, min(start + 3, len(terms)) + 1):
            kind = phrases.get(tuple(terms[start:end]))
            if kind is not None:
                found[kind] += 1
    return found, named


def _date_term(month: int, day_of: int, year: str | None, published: float) -> str:
    """A month-day mention as a term: with its year where the text or the publication date gives one
    (a day after the publication date is taken in the year before), else month and day alone."""
    if year:
        return f"{year}-{month:02d}-{day_of:02d}"
    if math.isnan(published):
        return f"{month:02d}-{day_of:02d}"
    when = dt.date.fromordinal(int(published) + 719163)
    try:
        guess = dt.date(when.year, month, day_of)
    except ValueError:
        return f"{month:02d}-{day_of:02d}"
    if (guess - when).days > 7:
        guess = guess.replace(year=when.year - 1) if not (month == 2 and day_of == 29) else guess
    return guess.isoformat()


@dataclass(frozen=True)
class Matrices:
    """The signals of every article as unit-length sparse rows (scipy CSR), one matrix per signal."""

    rows: dict[str, Any]  # signal -> matrix (articles x terms)
    present: dict[str, Any]  # signal -> boolean array: the article has anything in it
    lede_years: Any  # articles x years, 0/1
    days: Any  # float array, NaN when undated
    looks_back: Any  # boolean array: a follow-up of an older event (Signals.looks_back)


SIGNALS = ("words", "names", "lede", "figures", "lede_figures", "dates", "years", "events", "places")
#: What a packed article holds, bag after bag: the signals, then its lede years (0/1, never normalised).
_BAGS = len(SIGNALS) + 1


class Terms:
    """Every term the packed articles of one run name, numbered as met: each term's text held once."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.texts: list[str] = []

    def id(self, term: str) -> int:
        """The number of a term (a new one when first met)."""
        found = self.ids.get(term)
        if found is None:
            found = self.ids[term] = len(self.texts)
            self.texts.append(term)
        return found

    def text(self, term: str) -> str:
        """The run's one copy of a term's text."""
        return self.texts[self.id(term)]


@dataclass(frozen=True, slots=True)
class Packed:
    """An article's Signals as grouping reads them, in a quarter of the memory (what `audit.run.compact` keeps
    of a page read elsewhere when no stub is asked for; an audit's stubs hold Stored): each bag as its terms'
    numbers (Terms) and the values `matrices` gives its row (unit length), its day, follow-up mark and keys
    as they were."""

    day: float
    looks_back: bool
    keys: tuple[str, ...]
    bags: bytes  # _BAGS int32 sizes, then every bag's term numbers (int32), then their values (float64)
    terms: Terms

    @classmethod
    def of(cls, signals: Signals | Loose, terms: Terms) -> Packed:
        """An article's signals packed (or loosely packed where they were read), its terms numbered by `terms`."""
        loose = signals if isinstance(signals, Loose) else Loose.of(signals)
        ids = array("i", map(terms.id, loose.terms))
        keys = tuple(terms.text(key) for key in loose.keys)
        head = 4 * _BAGS
        return cls(loose.day, loose.looks_back, keys, loose.bags[:head] + ids.tobytes() + loose.bags[head:], terms)


@dataclass(frozen=True, slots=True)
class Loose:
    """An article's Signals packed where the page is read (a worker process), its terms still words: all the
    main process has left to do is number them (Packed.of) or write them to disk (Stored), and a third less
    to unpickle. Grouping reads it as it reads Signals (day, follow-up mark and keys; `matrices` packs it)."""

    day: float
    looks_back: bool
    keys: tuple[str, ...]
    terms: tuple[str, ...]  # every bag's terms, bag after bag
    bags: bytes  # _BAGS int32 sizes, then the terms' values (float64), each bag's row at unit length

    @classmethod
    def of(cls, signals: Signals) -> Loose:
        """An article's signals, loosely packed."""
        sizes, values, terms = array("i"), array("d"), []
        for bag, normalise in _bags(signals):
            sizes.append(len(bag))
            norm = math.sqrt(sum(v * v for v in bag.values())) if normalise else 1.0
            terms.extend(bag)
            values.extend(value / norm if norm else 0.0 for value in bag.values())
        return cls(signals.day, signals.looks_back, signals.keys, tuple(terms), sizes.tobytes() + values.tobytes())

    def record(self) -> bytes:
        """The bags and their terms as one record (what a Stored article's store holds): the bags' bytes, then
        the terms pickled (any text a term may be, no separator to escape)."""
        return self.bags + pickle.dumps(self.terms, protocol=5)


def _bags(signals: Signals):
    """An article's bags in the packed order, each with whether its row is scaled to unit length."""
    for name in SIGNALS:
        yield getattr(signals, name), True
    yield {year: 1.0 for year in signals.lede_years}, False


class Store(Protocol):
    """Where Stored articles' records wait (audit.run.spill.Spilled): read by slot (the first `length`
    bytes, or all), let go once grouping has read them."""

    def read(self, slot: int, length: int = -1) -> bytes: ...

    def clear(self) -> None: ...


@dataclass(frozen=True, slots=True)
class Stored:
    """An article's Signals as the main process holds them from reading to grouping: what blocking reads
    (day, follow-up mark, keys) and where its bags wait on disk (its record, Loose.record, in `store`).
    `matrices` reads the bags back a few articles at a time, then lets the store go."""

    day: float
    looks_back: bool
    keys: tuple[str, ...]
    slot: int  # the article's record in `store`
    store: Store

    @classmethod
    def of(cls, signals: Signals | Loose, store: Any, keys: dict[str, str] | None = None) -> Stored:
        """An article's signals written to `store` (an `append(bytes) -> slot`), its keys' texts taken from
        `keys` where it holds them (one copy of each text for every article of a run)."""
        loose = signals if isinstance(signals, Loose) else Loose.of(signals)
        kept = loose.keys if keys is None else tuple(keys.setdefault(key, key) for key in loose.keys)
        return cls(loose.day, loose.looks_back, kept, store.append(loose.record()), store)


#: Articles whose bags `matrices` reads and unpacks at once: its buffer stays a few MB whatever the folder.
CHUNK_ARTICLES = 512

_HEAD = 4 * _BAGS  # bytes of a packed article's bag sizes


def matrices(signals: Sequence[Signals | Loose | Packed | Stored]) -> Matrices:
    """Stack the articles' signals (as read, packed, or stored) into unit-length sparse rows, terms numbered
    in order of first appearance. Each signal's arrays are allocated once (the bags' sizes counted first)
    and filled CHUNK_ARTICLES articles at a time: the features are never held whole beside the matrices.
    The stores of Stored articles are read once, then let go (cleared)."""
    import numpy as np

    count = len(signals)
    sizes = np.frombuffer(b"".join(map(_head, signals)), np.int32).reshape(count, _BAGS)
    totals = sizes.sum(axis=0, dtype=np.int64).tolist()
    ids = [np.empty(total, np.int32) for total in totals]
    values = [np.empty(total, np.float64) for total in totals]
    # Terms numbered only so that equal terms get equal numbers (`_first_met` numbers each signal's again in
    # order of first appearance): by the packed articles' table when some are packed, else as first met here,
    # a lookup a term in C (a defaultdict counting), the numbering let go once every bag is read.
    terms = next((s.terms for s in signals if isinstance(s, Packed)), None)
    number = terms.id if terms is not None else defaultdict(itertools.count().__next__).__getitem__
    filled = [0] * _BAGS
    for start in range(0, count, CHUNK_ARTICLES):
        chunk = signals[start : start + CHUNK_ARTICLES]
        _unpack(chunk, sizes[start : start + CHUNK_ARTICLES], number, ids, values, filled)
    del terms, number
    for store in {id(s.store): s.store for s in signals if isinstance(s, Stored)}.values():
        store.clear()  # read: the records' file let go
    small = count <= SMALL_ARTICLES  # no scipy for a small folder (audit.link.stories.rows)
    rows = {}
    for bag, name in enumerate(SIGNALS):
        rows[name] = _rows(ids[bag], values[bag], sizes[:, bag], small)
        ids[bag] = values[bag] = None  # each signal's term numbers let go once its rows are made
    years = _rows(ids[-1], values[-1], sizes[:, len(SIGNALS)], small)
    del ids, values
    present = {name: np.diff(m.indptr) > 0 for name, m in rows.items()}
    days = np.array([s.day for s in signals], dtype=np.float64)
    looks_back = np.array([s.looks_back for s in signals], dtype=bool)
    return Matrices(rows, present, years, days, looks_back)


def _head(signals: Signals | Loose | Packed | Stored) -> bytes:
    """An article's bag sizes (_BAGS int32), read without its bags where they are packed or stored."""
    if isinstance(signals, Stored):
        return signals.store.read(signals.slot, _HEAD)
    if isinstance(signals, Signals):
        return array("i", (len(bag) for bag, _ in _bags(signals))).tobytes()
    return signals.bags[:_HEAD]


def _unpack(chunk: Sequence, sizes, number: Callable[[str], int], ids: list, values: list, filled: list[int]) -> None:
    """A few articles' term numbers and values, each bag's put in its signal's arrays after those already
    `filled` (the articles in order, each bag's terms as packed); words numbered by `number`."""
    import numpy as np

    parts = [_split(s, int(n)) for s, n in zip(chunk, sizes.sum(axis=1).tolist(), strict=True)]
    numbers = _numbers([p[0] for p in parts], number, int(sizes.sum()))
    weights = np.frombuffer(b"".join(p[1] for p in parts), np.float64)
    del parts
    bag_of = np.repeat(np.tile(np.arange(_BAGS, dtype=np.int8), len(chunk)), sizes.ravel())
    order = np.argsort(bag_of, kind="stable")  # bag by bag, the articles' order kept within each
    numbers, weights = numbers[order], weights[order]
    at = 0
    for bag, size in enumerate(sizes.sum(axis=0).tolist()):
        ids[bag][filled[bag] : filled[bag] + size] = numbers[at : at + size]
        values[bag][filled[bag] : filled[bag] + size] = weights[at : at + size]
        filled[bag] += size
        at += size


def _split(signals: Signals | Loose | Packed | Stored, size: int) -> tuple[bytes | Sequence[str], bytes]:
    """An article's terms (their numbers, int32, where packed; else the words) and values (float64), bag after
    bag; `size` terms in all."""
    if isinstance(signals, Packed):
        return signals.bags[_HEAD : _HEAD + 4 * size], signals.bags[_HEAD + 4 * size :]
    if isinstance(signals, Stored):
        record = signals.store.read(signals.slot)
        return pickle.loads(record[_HEAD + 8 * size :]), record[_HEAD : _HEAD + 8 * size]
    loose = signals if isinstance(signals, Loose) else Loose.of(signals)
    return loose.terms, loose.bags[_HEAD:]


def _numbers(found: list[bytes | Sequence[str]], number: Callable[[str], int], total: int):
    """The term numbers of a few articles, one after the other (int32, `total` of them): as packed, or
    their words numbered by `number`."""
    import numpy as np

    if not any(isinstance(terms, bytes) for terms in found):
        return np.fromiter(map(number, itertools.chain.from_iterable(found)), np.int32, count=total)
    out = [terms if isinstance(terms, bytes) else array("i", map(number, terms)).tobytes() for terms in found]
    return np.frombuffer(b"".join(out), np.int32)


def _rows(ids, values, sizes, small: bool = False):
    """CSR rows (articles x terms) of one bag of every article: its term numbers, values and sizes; terms
    numbered again in order of first appearance. scipy's matrix, or for a `small` folder the same arrays
    as `Rows`."""
    import numpy as np

    indptr = np.zeros(len(sizes) + 1, np.int64)
    np.cumsum(sizes, out=indptr[1:])
    indices, width = _first_met(ids)
    shape = (len(sizes), max(1, width))
    if small:
        return sorted_rows(np.asarray(values, np.float64), indices, indptr, shape)
    from scipy.sparse import csr_matrix

    matrix = csr_matrix((np.asarray(values, np.float64), indices, indptr), shape=shape)
    matrix.sort_indices()
    return matrix


def _first_met(ids):
    """Term numbers numbered again in order of first appearance (int32 while they fit), and how many terms:
    by a table over the numbers, not by np.unique's sorts, whose index arrays were the most of the matrices'
    working memory."""
    import numpy as np

    narrow = np.int32 if len(ids) < 2**31 else np.int64
    if not len(ids):
        return np.zeros(0, narrow), 0
    top = int(ids.max()) + 1
    first = np.full(top, len(ids), dtype=narrow)  # where each term number is first met (len(ids): never)
    np.minimum.at(first, ids, np.arange(len(ids), dtype=narrow))
    met = np.flatnonzero(first < len(ids))
    rank = np.zeros(top, dtype=narrow)
    rank[met[np.argsort(first[met])]] = np.arange(len(met), dtype=narrow)
    return rank[ids], len(met)
