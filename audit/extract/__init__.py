"""Extract: turn each article's clean sentences into claim rows (counts, amounts, dates, durations).

One module a finding: `matchers` (the rules compiled once), `quantities` (numbers, vague quantities,
ranges, partitives; noise and age spans), `units`, `subjects` (what a quantity counts and its measure),
`speakers` (attribution and denials), `events` (what a duration or a date measures), `context` (what an
article's and a sentence's claims share), `claims` (claim rows of documents, corpora and bare texts) and
`examples` (each rule's examples checked against the extractor).
"""

from audit.extract.claims import extract_corpus, extract_document, extract_text, short_ids
from audit.extract.context import Context, SentenceInfo, make_context
from audit.extract.examples import EXAMPLE_KEYS, EXAMPLE_TABLES, check_examples, example_problem
from audit.extract.matchers import Matchers
from audit.extract.quantities import Num, SpanSet, age_spans, noise_spans
from audit.extract.subjects import Subject
from audit.extract.units import Amount

__all__ = [
    "EXAMPLE_KEYS",
    "EXAMPLE_TABLES",
    "Amount",
    "Context",
    "Matchers",
    "Num",
    "SentenceInfo",
    "SpanSet",
    "Subject",
    "age_spans",
    "check_examples",
    "example_problem",
    "extract_corpus",
    "extract_document",
    "extract_text",
    "make_context",
    "noise_spans",
    "short_ids",
]
