"""Dates: find date and duration spans with the rules of `rules/dates.toml`, resolve them against the
article's publication day (never today's), and express them as TIMEX3 values.

The shapes (regexes) find the words; small resolvers named by each shape turn the words into a TIMEX3
value and the first and last day it covers. Absolute calendar words the rules found ("Jan. 8", "8 January
2020", "1/30/2020", "December 2021") are read by dateparser, in the date order the rule's groups give;
what dateparser decides differently from a news reader (the year of a year-less date, weekdays, two-digit
years, early/mid/late) stays ours, against the publication day, never today's. Modifiers (early/mid/late),
anchors (since/until ...) and hedges (nearly, more than ...) are read from the words just before a mention.
The conventions are documented at the top of `rules/dates.toml`; its word tables ([[unit]], [[offset]]) are
written once and named in the shapes' patterns as placeholders ({unit:day week}), expanded here.

The package, from the bottom up: `periods` (calendar arithmetic), `vocabulary` (the compiled rules),
`words` (what the words of a match say), `resolvers` (a match -> a TIMEX3 value and its days) and `find`
(search over text, and the event date of a figure).
"""

from audit.dates.find import _candidates, event_context, find_dates, find_in_spans
from audit.dates.periods import Base, Period, publication_day
from audit.dates.resolvers import RESOLVERS, Reading, Resolved
from audit.dates.vocabulary import Vocabulary, _alternation, check_rules, vocabulary
from audit.dates.words import _written, parse_calendar

__all__ = [
    "RESOLVERS",
    "Base",
    "Period",
    "Reading",
    "Resolved",
    "Vocabulary",
    "_alternation",
    "_candidates",
    "_written",
    "check_rules",
    "event_context",
    "find_dates",
    "find_in_spans",
    "parse_calendar",
    "publication_day",
    "vocabulary",
]
