"""The vocabulary of dates: the word tables and shapes of `rules/dates.toml`, expanded, compiled and
checked once per rule set (with the hedge phrases of `rules/hedges.toml` a duration may stand behind).

A shape's pattern names word tables as placeholders ({unit:day week}); they are expanded here into
alternations of the table's words before the pattern is compiled.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from audit.dates.periods import SEASON_START
from audit.dates.settings import DateSettings
from audit.errors import RuleError
from audit.hedges import EXACT, Hedge, hedge_pattern, phrase_alternation
from audit.numbers import Numbers
from audit.rules import Rule, RuleSet, compile_pattern
from audit.text.guard import guarded
from audit.text.literals import required_literals

# Characters around a shape's `near` words that its matches may reach (audit.dates.find._windows).
NEAR = 100

# TIMEX3 codes of the parts of a day; dates.toml's `day_parts` maps the words to them.
DAY_PART_CODES = ("MO", "AF", "EV", "NI")


@dataclass(frozen=True)
class Vocabulary:
    """The word tables of rules/dates.toml, compiled once per rule set."""

    units: dict[str, Rule]
    unit_ids: dict[str, Rule]  # unit rule id -> its rule: "decade" -> the decade rule
    offsets: dict[str, int]
    modifiers: dict[str, Rule]
    anchors: dict[str, Rule]
    modifier_re: re.Pattern[str]
    anchor_re: re.Pattern[str]
    hedge_re: re.Pattern[str]
    hedge_rules: dict[str, Rule]  # hedge phrase (lower case, single spaces) -> the first [[hedge]] rule holding it
    future: re.Pattern[str] | None
    as_of: re.Pattern[str] | None
    speech: re.Pattern[str] | None
    few: int | None  # "a few days ago": that many, hedged "about"
    window: bool  # two-digit years read in a window around publication
    shapes: dict[str, tuple[re.Pattern[str], re.Pattern[str] | None]]  # shape id -> pattern, near (expanded)
    near_chains: dict[str, re.Pattern[str]]  # a near pattern -> the run of its matches one window holds (near_chain)
    near_literals: dict[str, tuple[str, ...]]  # a near pattern -> strings one of which its every match holds
    steps: re.Pattern[str]  # a number and a unit word: the further steps of "2 months and 10 days ago"
    anchor_after_re: re.Pattern[str]  # an anchor phrase right after a mention: "two days *after* January 3"
    lasting: re.Pattern[str]  # words before a stretch that make it last: "closed *for* two days after ..."
    vague_numbers: frozenset[str]  # "several days ago": no number
    day_words: dict[str, float]  # "tomorrow" = 1: where a shift counts from
    seasons: dict[str, str]  # season word -> TIMEX3 code: "autumn" -> FA
    day_parts: dict[str, str]  # part-of-day word -> TIMEX3 code: "overnight" -> NI
    numbers: Numbers  # number words: "twenty-first", "nineteen seventy-eight" (rules/numbers.toml)

    @classmethod
    def from_rules(cls, rules: RuleSet) -> Vocabulary:
        """Expand, compile and check the dates rules of a rule set (RuleError naming file, rule and key)."""
        units = {w.lower(): r for r in rules.rules("dates", "unit") for w in r.get("words")}
        offsets = {w.lower(): r.get("offset") for r in rules.rules("dates", "offset") for w in r.get("words")}
        modifiers = {_key(p): r for r in rules.rules("dates", "modifier") for p in r.get("phrases")}
        anchors = {p.lower(): r for r in rules.rules("dates", "anchor") for p in r.get("phrases")}
        hedge_rules: dict[str, Rule] = {}
        for rule in rules.rules("hedges", "hedge"):
            for phrase in rule.get("phrases", ()):
                hedge_rules.setdefault(_key(phrase), rule)
        settings = DateSettings.from_rules(rules)
        lasting = phrase_alternation(settings.lasting_words)
        tables: dict[str, str] = {}  # a placeholder's alternation, built once for all the shapes naming it
        shapes = {rule.id: _compile_shape(rules, rule, tables) for rule in rules.rules("dates", "shape")}
        return cls(
            units=units,
            unit_ids={r.id: r for r in units.values()},
            offsets=offsets,
            modifiers=modifiers,
            anchors=anchors,
            modifier_re=_phrase_regex(modifiers, r"(?:\s+|-)"),
            anchor_re=_phrase_regex(anchors, r"\s+(?:the\s+)?"),
            hedge_re=hedge_pattern(rules),
            hedge_rules=hedge_rules,
            future=settings.future_cue,
            as_of=settings.as_of_cue,
            speech=settings.speech_cue,
            few=settings.few,
            window=settings.two_digit_years == "window",
            shapes=shapes,
            near_chains=_near_chains(near for _, near in shapes.values() if near is not None),
            near_literals={near.pattern: required_literals(near) for _, near in shapes.values() if near is not None},
            steps=re.compile(r"([a-z]+|\d+(?:\.\d+)?)[\s-]*(" + _alternation(units) + r")\b", re.IGNORECASE),
            anchor_after_re=re.compile(r"\s+(?P<phrase>" + _alternation(anchors) + r")\b(?:\s+the)?\s+", re.IGNORECASE),
            lasting=re.compile(r"\b(?:" + lasting + r")\s+$", re.I),
            vague_numbers=frozenset(w.lower() for w in settings.vague_numbers),
            day_words={w.lower(): v for w, v in settings.day_words.items()},
            seasons=_codes(settings.seasons, "seasons", tuple(SEASON_START)),
            day_parts=_codes(settings.day_parts, "day_parts", DAY_PART_CODES),
            numbers=rules.part(Numbers),
        )

    def hedge_before(self, text: str, number_start: int) -> Hedge:
        """The [[hedge]] whose words end just before `number_start` in its line of `text`, or EXACT.

        audit.hedges.find_hedge with its phrase lookup built once: it rescans every hedge rule per call.
        """
        window_start = max(0, number_start - 40)
        # a hedge never reaches across a line break (as in find_hedge)
        window_start = text.rfind("\n", window_start, number_start) + 1 or window_start
        match = self.hedge_re.search(text, window_start, number_start)
        if match is None:
            return EXACT
        rule = self.hedge_rules.get(_key(match.group("phrase")))
        return EXACT if rule is None else Hedge(rule.get("hedge"), rule, match.start())


def _key(phrase: str) -> str:
    """A phrase as the tables look it up: lower case, single spaces."""
    return re.sub(r"\s+", " ", phrase.lower())


# id(rules) -> (rules, vocabulary); the rule set is kept so that its id cannot be reused while cached
_VOCABULARIES: dict[int, tuple[RuleSet, Vocabulary]] = {}


def _phrase_regex(phrases: Iterable[str], tail: str) -> re.Pattern[str]:
    """A regex matching any phrase (longest first) at the end of a text, followed by `tail`."""
    ordered = sorted(set(phrases), key=lambda p: (-len(p), p))  # ties alphabetical: one pattern in every process
    alternation = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in ordered) or r"(?!x)x"
    return re.compile(rf"(?<![\w-])(?P<phrase>{alternation}){tail}$", re.IGNORECASE)


# A word table named in a shape's pattern or near: {unit} (every unit word), {unit:day week} (the
# words of those units), {unit:-weekend -season} (all but those), {offset}, {offset:previous next}.
PLACEHOLDER = re.compile(r"\{(?P<table>[a-z_]+)(?::(?P<ids>[^{}]*))?\}")
WORD_TABLES = ("unit", "offset")


def _alternation(words: Iterable[str]) -> str:
    """A regex group matching any of the words, the longest first (a space matches any white space).

    Written as a trie ("day", "days", "decade" -> d(?:ay(?:s)?|ecade)): the regex engine then tries one
    branch per letter instead of every word at every position, which keeps the shapes fast.
    """
    trie: dict = {}
    for word in {" ".join(w.lower().split()) for w in words} - {""}:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict) -> str:
        branches = [
            (r"\s+" if char == " " else re.escape(char)) + emit(child) for char, child in sorted(node.items()) if char
        ]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return "(?:" + (emit(trie) or "(?!x)x") + ")"


def _expand(rules: RuleSet, rule: Rule, key: str, tables: dict[str, str] | None = None) -> str:
    """A shape's pattern or near with every word-table placeholder replaced by that table's words (`tables`:
    the alternations of the placeholders met before, by their text)."""
    where = f"{rule.file}, rule '{rule.id}', key '{key}'"
    tables = {} if tables is None else tables

    def words(found: re.Match[str]) -> str:
        if found.group() not in tables:
            tables[found.group()] = alternation(found)
        return tables[found.group()]

    def alternation(found: re.Match[str]) -> str:
        table, ids = found.group("table"), (found.group("ids") or "").split()
        if table not in WORD_TABLES:
            raise RuleError(f"{where}: unknown word table {{{table}}} (known: {', '.join(WORD_TABLES)})")
        rows = {r.id: r for r in rules.rules("dates", table)}
        wanted = [i for i in ids if not i.startswith("-")]
        unknown = [i.lstrip("-") for i in ids if i.lstrip("-") not in rows]
        if unknown:
            raise RuleError(f"{where}: no [[{table}]] rule '{unknown[0]}' (known: {', '.join(rows)})")
        picked = [r for i, r in rows.items() if (i in wanted or not wanted) and f"-{i}" not in ids]
        if not picked:
            raise RuleError(f"{where}: placeholder {found.group()} names no words")
        return _alternation(w for r in picked for w in r.get("words"))

    return PLACEHOLDER.sub(words, rule.get(key))


def _compile_shape(
    rules: RuleSet, rule: Rule, tables: dict[str, str] | None = None
) -> tuple[re.Pattern[str], re.Pattern[str] | None]:
    """A shape's pattern and near, expanded (`tables` as for `_expand`) and compiled; its examples checked
    against the pattern."""
    compiled = []
    for key in ("pattern", "near"):
        if rule.get(key) is None:
            compiled.append(None)
            continue
        try:
            compiled.append(compile_pattern(_expand(rules, rule, key, tables)))
        except re.error as exc:
            raise RuleError(f"{rule.file}, rule '{rule.id}', key '{key}': bad regex: {exc}") from None
    pattern, near = compiled
    # each with its guard (audit.text.guard): the same matches, found faster
    pattern, near = guarded(pattern), (guarded(near) if near is not None else None)
    for example in rule.examples:
        wanted = example.get("match", True)
        if (pattern.search(example["text"]) is not None) != wanted:
            verb = "does not match" if wanted else "matches"
            raise RuleError(
                f"{rule.file}, rule '{rule.id}', key 'examples': pattern {verb} its example {example['text']!r}"
            )
    return pattern, near


def _near_chains(nears: Iterable[re.Pattern[str]]) -> dict[str, re.Pattern[str]]:
    """Each distinct near pattern's chain (near_chain), where it has one."""
    chains = {near.pattern: near_chain(near) for near in nears}
    return {key: chain for key, chain in chains.items() if chain is not None}


def near_chain(near: re.Pattern[str]) -> re.Pattern[str] | None:
    """A near pattern's matches strung together while each starts at most 2 * NEAR characters after the one
    before ends: one match of this is one window of `_windows` (its NEAR margins aside), found by the regex
    engine instead of a Python loop over every match (a page dense with digits has one every few characters).

    The next link is the leftmost match after the last one's end, as `finditer` finds it; the repeat is
    possessive, so a link once taken is kept. None where the pattern cannot be repeated as it is (groups,
    inline flags) or may match nothing.
    """
    if near.groups or near.match("") is not None:
        return None
    link = f"(?:{near.pattern}\n)"  # the newline ends a comment of a verbose pattern
    try:
        return re.compile(rf"{link}(?:[\s\S]{{0,{2 * NEAR}}}?{link})*+", near.flags)
    except re.error:
        return None


def vocabulary(rules: RuleSet) -> Vocabulary:
    """The compiled word tables of a rule set (Vocabulary.from_rules, cached per rule set)."""
    key = id(rules)
    cached = _VOCABULARIES.get(key)
    if cached is not None and cached[0] is rules:
        return cached[1]
    vocab = Vocabulary.from_rules(rules)
    if len(_VOCABULARIES) >= 16:
        _VOCABULARIES.clear()
    _VOCABULARIES[key] = (rules, vocab)
    return vocab


def _codes(words: Mapping[str, str], key: str, allowed: tuple[str, ...]) -> dict[str, str]:
    """A dates.toml word -> TIMEX3 code table, each code checked (RuleError naming the file and the key)."""
    table = {w.lower(): code for w, code in words.items()}
    for word, code in table.items():
        if code not in allowed:
            raise RuleError(
                f"dates.toml, rule 'settings', key '{key}.{word}': '{code}' is not one of {', '.join(allowed)}"
            )
    return table


def check_rules(rules: RuleSet) -> None:
    """Expand, compile and check the shapes of rules/dates.toml now (RuleError naming file, rule and key).

    The generic loader cannot check a pattern that names a word table; call this right after load_rules
    so that a broken dates.toml stops the run before any text is read (find_in_spans checks it anyway).
    """
    vocabulary(rules)
