"""The schema of every rule file: file stem -> table name -> key -> Field (type, required, choices).

Each stage owns its family; extend a family here when its stage learns a new key. The loader
(`audit.rules.load`) checks every rule file against it.
"""

from __future__ import annotations

from dataclasses import dataclass

# Field types a schema can name. "regex" fields are compiled at load (case-insensitive, verbose).
TYPES = {
    "str": str,
    "int": int,
    "float": (int, float),
    "bool": bool,
    "regex": str,
    "list[str]": list,
    "list[regex]": list,
    "examples": list,
    "map[str]": dict,
    "map[number]": dict,  # word -> value tables (number words)
}


@dataclass(frozen=True)
class Field:
    """One key of a rule table: its type, whether it must be present, and its allowed values."""

    type: str
    required: bool = False
    choices: tuple[str, ...] = ()


def _f(type_: str, required: bool = False, choices: tuple[str, ...] = ()) -> Field:
    """Shorthand for a Field."""
    return Field(type_, required, choices)


_ID = _f("str", True)
_DESC = _f("str")
_EXAMPLES = _f("examples")

# Schemas: file stem -> table name -> key -> Field. "settings" is a single table, others are arrays.
# Each stage owns its family; extend a family here when its stage learns a new key.
SCHEMAS: dict[str, dict[str, dict[str, Field]]] = {
    "boilerplate": {
        "line": {  # a whole line (stripped) that is page furniture, never article text
            "id": _ID,
            "description": _DESC,
            "pattern": _f("regex", True),
            "examples": _EXAMPLES,
            # what the line does to the page's layout besides being dropped (see rules/boilerplate.toml)
            "action": _f("str", choices=("drop", "start_article", "end_article", "end_page")),
            "then_drop": _f("int"),  # the next N non-blank lines are furniture too
        },
        "dateline": {  # a publication date printed on the page: named groups date, time, zone
            "id": _ID,
            "description": _DESC,
            "label": _f("str", True),
            "pattern": _f("regex", True),
            "order": _f("str", True, choices=("ymd", "dmy", "mdy", "numeric")),
            "examples": _EXAMPLES,
        },
        "settings": {
            "min_repeat_chars": _f("int"),
            "headline_repeat_window": _f("int"),
            "headline_max_words": _f("int"),
            "max_preamble_lines": _f("int"),
            "date_line_words": _f("list[str]"),  # calendar words of a line that is only a date: never a headline
            "max_sentence_chars": _f("int"),
            "abbreviations": _f("list[str]"),
            "zones": _f("map[str]"),
            "month_first_zones": _f("list[str]"),
            "copy_shingle_words": _f("int"),
            "copy_min_shingles": _f("int"),
            "copy_threshold": _f("float"),
            "page_seconds": _f("float"),  # the time budget of a page (audit.run.budget)
            "page_seconds_per_100kb": _f("float"),
        },
    },
    "stories": {
        "settings": {  # story grouping (see rules/stories.toml and audit/link/stories)
            "threshold": _f("float"),
            "size_weight": _f("float"),
            "words_weight": _f("float"),
            "names_weight": _f("float"),
            "lede_weight": _f("float"),
            "figures_weight": _f("float"),
            "dates_weight": _f("float"),
            "years_weight": _f("float"),
            "events_weight": _f("float"),
            "places_weight": _f("float"),
            "places_clash_weight": _f("float"),
            "place_words": _f("list[str]"),
            "follow_up_words": _f("list[str]"),  # court stages: a page telling one follows up an older event
            "name_spellings": _f("map[str]"),  # short forms of words in names ("mt" -> "mount")
            "figures_clash_weight": _f("float"),
            "lede_figures_weight": _f("float"),
            "lede_figures_clash_weight": _f("float"),
            "years_clash_weight": _f("float"),
            "lede_years_clash_weight": _f("float"),
            "time_weight": _f("float"),
            "grace_days": _f("int"),
            "max_days": _f("int"),
            "lede_words": _f("int"),
            "salience_ceiling": _f("float"),
            "name_salience": _f("float"),
            "key_salience": _f("float"),
            "block_keys": _f("int"),
            "name_keys": _f("int"),
            "block_size": _f("int"),
            "stopwords": _f("list[str]"),
            "dateline_words": _f("list[str]"),
        },
        "event": {  # a kind of event and the words that tell it (flood, quake, deaths): what happened
            "id": _ID,
            "description": _DESC,
            "words": _f("list[str]", True),  # words or phrases, matched by dictionary form, stop words skipped
            "examples": _EXAMPLES,  # {text = "...", events = ["flood", ...]}: every kind the text tells
        },
    },
    "counts": {
        "measure": {  # what is counted: killed, wounded, missiles ...
            "id": _ID,
            "description": _DESC,
            "kind": _f("str", choices=("count", "amount")),
            "nouns": _f("list[str]"),  # words of the counted phrase that name the measure
            "verbs": _f("list[str]"),  # words near the number that name it
            "lemmas": _f("list[str]"),  # verbs by dictionary form: every inflection names it ("kill")
            "units": _f("list[str]"),  # amounts: the units it is for ("currency": any currency)
            "unit": _f("str"),  # the unit a bare figure its noun names gets ("a 6.1 quake": magnitude)
            "subjects": _f("list[str]"),  # subject keys the verbs apply to (all when absent)
            "cumulative": _f("bool"),
            "stock": _f("bool"),
            "subject_key": _f("str"),  # key when the counted word is the measure's own noun
            "examples": _EXAMPLES,
        },
        "subject": {  # normalisation of the counted thing: soldiers / service members -> troops
            "id": _ID,
            "description": _DESC,
            "words": _f("list[str]", True),
            "examples": _EXAMPLES,
        },
        "group": {  # who the counted things belong to: American / U.S. / US -> us
            "id": _ID,
            "description": _DESC,
            "words": _f("list[str]", True),
            "examples": _EXAMPLES,
        },
        "age": {  # a person's or thing's age: "Senard, 65, said", "a 65-year-old man" (no count of anything)
            "id": _ID,
            "description": _DESC,
            "pattern": _f("regex", True),  # the numbers inside group `age` (else the whole match) are ages
            # a row of this measure for the age of a name (group `who`, capitalised; group `unit`, else years)
            "measure": _f("str"),
            "examples": _EXAMPLES,
        },
        "settings": {
            "negation": _f("regex"),
            "stop_words": _f("list[str]"),
            "auxiliaries": _f("list[str]"),  # words between a counted phrase and its verb: "had been"
            "verb_after_places": _f("list[str]"),  # words that start a place between them: "in Mosul"
            "verbs_not_after": _f("list[str]"),  # measure verbs that are auxiliaries after the phrase
            "part_of_words": _f("list[str]"),  # "31 *of* the 50", "3 *out of* 5" (reconcile's part-whole check)
            "part_of_determiners": _f("list[str]"),  # "31 of *the* 50"
            "partitive_words": _f("list[str]"),  # "two *of* the three injured troops"
            "partitive_determiners": _f("list[str]"),  # "two of *the* three"
            "ellipsis_next": _f("list[str]"),  # "36 attacks in Iraq and 37 *in* Syria": the noun left unsaid
            "irregular_plurals": _f("list[str]"),  # plurals without -s: "people", "police"
            "past_forms": _f("map[str]"),  # irregular past forms -> their base: "shot" -> "shoot"
            "list_words": _f("list[str]"),  # "killed the commander, ... *and* eight others": a list goes on
            "list_paid_words": _f("list[str]"),  # "to acquire X, a maker of Y, *for* $334 million": paid for
            "rate_words": _f("list[str]"),  # "33 percent a year", "12 hours a day": the period of a rate
            "clause_words": _f("list[str]"),  # a verb beyond these counts nothing after them: "before"
            "strong_clause_words": _f("list[str]"),  # ditto, even across a list: "but"
            "not_measures": _f("list[str]"),  # lemmas that name no measure of their own: "say", "have"
        },
    },
    "numbers": {
        "settings": {  # number words (see rules/numbers.toml); audit.numbers checks they fit together
            "units": _f("map[number]"),
            "determiners": _f("map[number]"),
            "articles": _f("list[str]"),
            "tens": _f("map[number]"),
            "scales": _f("map[number]"),
            "scale_suffixes": _f("map[number]"),
            "collectives": _f("map[number]"),
            "phrase_collectives": _f("list[str]"),
            "fractions": _f("map[number]"),
            "ordinals": _f("map[number]"),
            "glued_before": _f("list[str]"),  # currency words written against the digits: "euro2 billion"
            "hyphen_before": _f("list[str]"),  # words before a hyphen and a number, not a code: "magnitude-6.1"
        },
    },
    "hedges": {
        "hedge": {  # "at least", "nearly" ... and the interval each implies (factors of the number)
            "id": _ID,
            "description": _DESC,
            "phrases": _f("list[str]"),  # just before the number
            "after": _f("list[str]"),  # just after it
            "hedge": _f(
                "str",
                True,
                choices=("exact", "at_least", "more_than", "at_most", "less_than", "about", "nearly", "range", "vague"),
            ),
            "low": _f("float"),
            "high": _f("float"),
            "value": _f("float"),
            "examples": _EXAMPLES,
        },
        "vague": {  # "dozens of", "hundreds of": a quantity by itself, absolute value and bounds
            "id": _ID,
            "description": _DESC,
            "phrases": _f("list[str]", True),
            "value": _f("float", True),
            "low": _f("float"),
            "high": _f("float"),
            "examples": _EXAMPLES,
        },
        "range": {  # two numbers read as one interval: "between 10 and 20", "10-20"
            "id": _ID,
            "description": _DESC,
            "before": _f("regex"),
            "joiner": _f("regex", True),
            "max_width": _f("float"),  # the most high - low may be
            "examples": _EXAMPLES,
        },
        "settings": {
            "written": _f("map[str]"),  # hedge kind -> words written before its number (reconcile)
            "trend_gap_words": _f("list[str]"),  # between a trend word and its number: "rose *by* 5%"
            "trend_by_words": _f("list[str]"),  # "Burlington *by* 2.6%": the change of an earlier trend word
        },
        "trend": {  # words that state a change: "rose 5%", "down 19 cents"
            "id": _ID,
            "description": _DESC,
            "phrases": _f("list[str]", True),
            "not_after": _f("list[str]"),  # a word before the phrase that makes it another verb: "gave up"
            "examples": _EXAMPLES,
        },
    },
    "units": {
        "unit": {  # units of amounts; the id is the normalised unit
            "id": _ID,
            "description": _DESC,
            "before": _f("list[str]"),
            "after": _f("list[str]"),
            "currency": _f("bool"),
            "glued": _f("list[str]"),  # symbols against the digits, before a scaled number only: "e75m"
            "after_scaled": _f("list[str]"),  # words after a scaled number only: "4.1 billion pound"
            "measure": _f("str"),  # what an amount in it measures when no word says: "distance"
            "timex": _f("str"),  # units of time: TIMEX3 template, "P{}D"
            "base": _f("str"),  # the unit the reconciler compares it in ("day" for a week)
            "factor": _f("float"),  # how many `base` units one of it is
            "factor_low": _f("float"),  # where the calendar allows a range: a month is 28 to 31 days
            "factor_high": _f("float"),
            "examples": _EXAMPLES,
        },
        "settings": {
            "metre_words": _f("list[str]"),  # words after "50m" that make it 50 metres
            "metre_feet": _f("list[str]"),  # the foot, in a bracket after it: "30m (98 ft)"
            "not_units": _f("list[str]"),  # letters after digits that are no unit symbol: "1440 x 900", "the 50s"
        },
    },
    "noise": {
        "noise": {  # what is never a claim: times, phone numbers, model names ...
            "id": _ID,
            "description": _DESC,
            "pattern": _f("regex", True),
            "examples": _EXAMPLES,
        },
    },
    "dates": {
        "shape": {  # a date or duration shape (see rules/dates.toml for the groups and resolvers)
            "id": _ID,
            "description": _DESC,
            # pattern and near may name word tables ({unit}, {offset:previous next}): audit.dates expands
            # them, compiles the regexes and checks the examples when it first reads a rule set
            "pattern": _f("str", True),
            "near": _f("str"),  # words every match holds: the shape runs only near them (speed)
            "kind": _f("str", choices=("date", "duration")),
            "resolve": _f(  # how the words become a value (default: duration for durations, else calendar)
                "str",
                choices=(
                    "calendar",
                    "month",
                    "year",
                    "weekday",
                    "nth_weekday",
                    "day_range",
                    "narrative",
                    "period",
                    "shift",
                    "reference",
                    "duration",
                ),
            ),
            "unit": _f("str"),  # a [[unit]] id, when the pattern has no unit group
            "offset": _f("int"),  # periods: units from the base; shifts: the direction (-1 ago, 1 from now)
            "timex": _f("str"),  # reference shapes: the constant TIMEX3 value
            "examples": _EXAMPLES,
        },
        "unit": {  # a unit of time: the words for it and its TIMEX3 designator
            "id": _ID,
            "description": _DESC,
            "words": _f("list[str]", True),
            "designator": _f("str", True),
            "time": _f("bool"),  # PT...H: hours, minutes, seconds
            "factor": _f("int"),  # a decade is 10 years: P10Y
            "counted_in": _f("str"),  # the unit its amounts are given in (a decade: 10 year; a fortnight: 2 week)
            "examples": _EXAMPLES,
        },
        "offset": {  # last / this / next: how many units from the publication date's period
            "id": _ID,
            "description": _DESC,
            "words": _f("list[str]", True),
            "offset": _f("int", True),
            "examples": _EXAMPLES,
        },
        "modifier": {  # early / mid / late: the part of the period meant (fractions of it)
            "id": _ID,
            "description": _DESC,
            "phrases": _f("list[str]", True),
            "mod": _f("str", True, choices=("START", "MID", "END")),
            "first": _f("float", True),
            "last": _f("float", True),
            "examples": _EXAMPLES,
        },
        "anchor": {  # since / until / as of / before / after, just before a date
            "id": _ID,
            "description": _DESC,
            "phrases": _f("list[str]", True),
            "anchor": _f("str", True, choices=("since", "until", "as_of", "before", "after")),
            "examples": _EXAMPLES,
        },
        "settings": {
            "future_cue": _f("regex"),  # words before a year-less date that make it a future one
            "as_of_cue": _f("regex"),  # words that make a sentence's date the as-of day of its figure
            "speech_cue": _f("regex"),  # words just before a date that make it the day of a statement
            "few": _f("int"),  # how many "a few" is in "a few days ago"
            "two_digit_years": _f("str", choices=("unresolved", "window")),
            "lasting_words": _f("list[str]"),  # words before a stretch that make it last, not point to a day
            "vague_numbers": _f("list[str]"),  # "several days ago": no number, a vague reference
            "day_words": _f("map[number]"),  # "tomorrow" = 1: days from publication a shift counts from
            "seasons": _f("map[str]"),  # season word -> TIMEX3 code (audit.dates checks the codes)
            "day_parts": _f("map[str]"),  # part-of-day word -> TIMEX3 code
        },
    },
    "events": {
        "event": {  # what a date or duration is about: "a 10-day pause", "resumed on Wednesday"
            "id": _ID,
            "description": _DESC,
            "nouns": _f("list[str]", True),
            "start_words": _f("list[str]"),
            "end_words": _f("list[str]"),
            "examples": _EXAMPLES,
        },
        "settings": {
            "window": _f("int"),
            "said_window": _f("int"),
            "link_stopwords": _f("list[str]"),  # words that never tie two dates into one fact (reconcile)
            "link_calendar_words": _f("list[str]"),  # month and weekday names (ditto)
        },
    },
    "facts": {  # how claims line up into facts (audit.reconcile): scope, running figures, value links
        "scope": {  # words that say what part of the whole a figure counts (see rules/facts.toml)
            "id": _ID,
            "description": _DESC,
            "role": _f("str", True, choices=("part", "whole", "increment", "earlier", "revised")),
            "side": _f("str", True, choices=("before", "after", "subject")),
            "pattern": _f("regex", True),  # group `name` names the part
            "gap": _f("int"),  # the most characters between the words and the figure's number
            "kinds": _f("list[str]"),  # the claim kinds it applies to (all but dates when absent)
            "examples": _EXAMPLES,
        },
        "settings": {
            "scope_window": _f("int"),
            "may_fall": _f("list[str]"),  # measures a later, smaller figure may revise (evolving, not conflict)
            "stated_exactly": _f("list[str]"),  # measures stated exactly in their own unit: not widened, not converted
            "value_reach": _f("float"),  # how far an open interval reaches when figures link by value alone
            "value_tolerance": _f("float"),  # how far a hedged value ("about 15") reaches for that purpose
            "page_claims": _f("int"),  # the most claims one page gives; the rest left out, with a warning
        },
    },
    "speakers": {
        "cue": {  # how attribution is signalled: "X said", "according to X"
            "id": _ID,
            "description": _DESC,
            "pattern": _f("regex", True),
            "examples": _EXAMPLES,
        },
        "denial": {  # words that deny what follows: "denied reports that"
            "id": _ID,
            "description": _DESC,
            "pattern": _f("regex", True),
            "examples": _EXAMPLES,
        },
        "settings": {"not_speaker": _f("regex"), "trim": _f("regex")},
    },
}
