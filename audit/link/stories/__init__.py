"""Stories: articles about one event across sources, grouped as an editor would (see docs/stories.md).

    features.py  what an article says: salient words, names, lede, figures, dates (weights from general
                 English, never from the folder)
    blocking.py  which pairs are compared: those sharing a salient term (near-linear cost)
    cluster.py   the score of a pair and the average-link grouping

Settings (weights, threshold, word lists) are rules data: `rules/stories.toml`, [settings].
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from audit.errors import RuleError
from audit.link.stories.blocking import candidate_pairs
from audit.link.stories.cluster import first_stories, group, pair_scores
from audit.link.stories.features import SIGNALS, Salience, Signals, article_signals, lemma, matrices
from audit.model import Document
from audit.rules import RuleSet, load_rules

__all__ = ["StorySettings", "article_features", "assign_stories", "settings_of", "story_scores"]


@dataclass(frozen=True)
class StorySettings:
    """The [settings] of rules/stories.toml, read once (see that file for what each one does)."""

    threshold: float
    size_weight: float
    weights: Mapping[str, float]  # signal -> weight of its cosine (features.SIGNALS: words, names, lede ...)
    clash_weights: Mapping[str, float]  # signal -> weight when both articles give it and share none
    time_weight: float
    grace_days: int
    max_days: int
    lede_words: int
    salience_ceiling: float
    key_salience: float
    name_salience: float
    block_keys: int
    name_keys: int
    block_size: int
    stopwords: frozenset[str]
    dateline_words: frozenset[str]
    # what happened: a phrase's dictionary forms (stop words left out) -> the kind of event it tells
    events: Mapping[tuple[str, ...], str]
    place_words: frozenset[str]  # dictionary forms of common place nouns (river, village, hotel)
    follow_up_words: frozenset[str]  # dictionary forms of court stages (trial, verdict): a later follow-up
    spellings: tuple[tuple[str, str], ...]  # short forms of words in names -> the word ("mt" -> "mount")

    @classmethod
    def from_rules(cls, rules: RuleSet) -> StorySettings:
        """The story settings of a rule set, a part built once (RuleSet.part)."""
        return _from_rules(rules)


_CLASH_KEYS = ("figures", "lede_figures", "years", "lede_years", "places")


def _from_table(table: Mapping[str, Any], events: Mapping[tuple[str, ...], str]) -> StorySettings:
    return StorySettings(
        threshold=float(table["threshold"]),
        size_weight=float(table["size_weight"]),
        weights={k: float(table[f"{k}_weight"]) for k in SIGNALS},
        clash_weights={k: float(table[f"{k}_clash_weight"]) for k in _CLASH_KEYS},
        time_weight=float(table["time_weight"]),
        grace_days=int(table["grace_days"]),
        max_days=int(table["max_days"]),
        lede_words=int(table["lede_words"]),
        salience_ceiling=float(table["salience_ceiling"]),
        key_salience=float(table["key_salience"]),
        name_salience=float(table["name_salience"]),
        block_keys=int(table["block_keys"]),
        name_keys=int(table["name_keys"]),
        block_size=int(table["block_size"]),
        stopwords=frozenset(w.lower() for w in table["stopwords"]),
        dateline_words=frozenset(w.lower() for w in table["dateline_words"]),
        events=events,
        place_words=frozenset(lemma(w.lower()) for w in table["place_words"]),
        follow_up_words=frozenset(lemma(w.lower()) for w in table["follow_up_words"]),
        spellings=tuple(sorted((k.lower(), v.lower()) for k, v in table["name_spellings"].items())),
    )


def event_phrases(rules: RuleSet, stopwords: frozenset[str]) -> dict[tuple[str, ...], str]:
    """The [[event]] rules of stories.toml as phrase -> kind: each phrase its words' dictionary forms,
    stop words left out, as an article's words are read ("burst its banks" -> ("burst", "bank"))."""
    out: dict[tuple[str, ...], str] = {}
    for rule in rules.rules("stories", "event"):
        for phrase in rule.get("words", ()):
            words = tuple(lemma(w) for w in phrase.lower().split() if w not in stopwords)
            if words:
                out.setdefault(words, rule.id)
    return out


@lru_cache(maxsize=1)
def _bundled() -> RuleSet:
    """The bundled rule set, loaded once (for callers that pass no rules: tests, benchmarks)."""
    return load_rules()


def _from_rules(rules: RuleSet) -> StorySettings:
    """The story settings of a rule set's stories.toml; a key it lacks is named, never filled in silently."""
    table = rules.settings.get("stories", {})
    try:
        stop = frozenset(w.lower() for w in table["stopwords"])
        return _from_table(table, event_phrases(rules, stop))
    except KeyError as missing:
        raise RuleError(
            f"stories.toml: [settings] lacks the key {missing.args[0]} (copy it from the bundled file)"
        ) from None


def settings_of(rules: RuleSet | StorySettings | Any = None) -> StorySettings:
    """The story settings of a rule set (None: the bundled rules'). Anything else (ingest's Layout) is refused:
    it holds no stories.toml, and reading the bundled one instead would ignore the folder given with `--rules`."""
    if isinstance(rules, StorySettings):
        return rules
    if rules is not None and not isinstance(rules, RuleSet):
        raise TypeError(f"story settings come from a RuleSet or StorySettings, not a {type(rules).__name__}")
    return (rules if rules is not None else _bundled()).part(StorySettings)


@lru_cache(maxsize=4)
def _salience(
    ceiling: float, floor: float, skip: frozenset[str], name_salience: float, spellings: tuple[tuple[str, str], ...]
) -> Salience:
    return Salience(ceiling, floor, skip, name_salience, spellings)


def article_features(document: Document, layout: RuleSet | StorySettings | Any = None) -> tuple[Signals, ...]:
    """What grouping reads in each of a document's articles: per article, so it can be worked out where
    the page is read (a worker process); `assign_stories` uses a document's `features` when it has them."""
    settings = settings_of(layout)
    salience = _salience(
        settings.salience_ceiling,
        settings.key_salience,
        settings.stopwords | settings.dateline_words,
        settings.name_salience,
        settings.spellings,
    )
    return tuple(article_signals(document, article, settings, salience) for article in document.articles)


def _features(document: Document, settings: StorySettings) -> tuple[Signals, ...]:
    """A document's features: those it carries (worked out with the same settings), else worked out here."""
    if document.features and len(document.features) == len(document.articles):
        return document.features
    return article_features(document, settings)


def _prepare(documents: Sequence[Document], settings: StorySettings):
    """Signals of every article (corpus order), their matrices, and each article's page number."""
    items = [(d, a) for d in documents for a in d.articles]
    signals = [signal for d in documents for signal in _features(d, settings)]
    pages = [n for n, d in enumerate(documents) for _ in d.articles]
    return items, signals, matrices(signals), pages


def assign_stories(documents: Sequence[Document], layout: RuleSet | StorySettings | Any = None) -> list[Document]:
    """Give every article a story id, "S1", "S2" ... in order of first appearance (see cluster.py)."""
    import numpy as np

    settings = settings_of(layout)
    items, signals, m, pages = _prepare(documents, settings)
    rows, cols = candidate_pairs(signals, pages, settings.block_size)
    scores = pair_scores(m, rows, cols, settings)
    # A follow-up (its lede names an earlier year, or tells a trial or a verdict) is bounded by its names alone.
    span_days = np.where(m.looks_back, math.nan, m.days)
    del m, signals  # read: from here on grouping holds the pairs, then only the stories
    state = first_stories(len(items), rows, cols, scores, pages, span_days, _joined(items), settings)
    del rows, cols, scores  # what grouping reads of them is in the stories' edges
    story = group(state, settings)
    del state
    names: dict[int, str] = {}
    for root in story:
        names.setdefault(root, f"S{len(names) + 1}")
    out, position = [], 0
    for document in documents:
        articles = []
        for article in document.articles:
            articles.append(replace(article, story=names[story[position]]))
            position += 1
        out.append(replace(document, articles=tuple(articles), features=()))
    return out


def _joined(items: Sequence[tuple[Document, Any]]) -> list[tuple[int, int]]:
    """(article number, its original's number) of every copy whose original is among the articles."""
    wanted = {a.copy_of for _, a in items if a.copy_of}
    number = {key: n for n, (d, a) in enumerate(items) if (key := f"{d.source.source_id}#{a.index}") in wanted}
    return [(n, number[a.copy_of]) for n, (_, a) in enumerate(items) if a.copy_of in number]


def story_scores(documents: Sequence[Document], layout: RuleSet | StorySettings | Any = None) -> list[list[float]]:
    """The score of every two articles (corpus order) as grouping weighs a pair; the diagonal is each
    article with itself. For inspection and tests: all pairs, so only for small folders."""
    import numpy as np

    settings = settings_of(layout)
    _, _, m, _ = _prepare(documents, settings)
    count = len(m.days)
    rows, cols = np.divmod(np.arange(count * count, dtype=np.int64), max(count, 1))
    flat = pair_scores(m, rows, cols, settings).tolist()
    return [flat[i * count : (i + 1) * count] for i in range(count)]
