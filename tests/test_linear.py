"""The extraction of a page is linear in its length: per-claim work looks at a bounded window around the
claim, never at every date or claim of the article (a 5 MB line dense with figures, issue 15).

Counted, not timed, where the work can be counted: how many dates a sentence's event reading looks at.
Where it cannot (the overlap check of the date shapes' matches), the processor time of 4N against N with a
generous ratio: linear work grows 4x, the quadratic check it replaced 16x (10x and more at these sizes).
"""

from __future__ import annotations

import re
import time

import pytest

import audit.extract.carry as carry
from audit.dates import _candidates
from audit.dates.find import _Taken, _windows, loop_windows
from audit.dates.vocabulary import near_chain, vocabulary
from audit.extract import extract_text


def _dated_sentences(n: int) -> str:
    """n sentences, each with a date and a toll of its own."""
    months = ("Jan.", "Feb.", "March", "April", "May", "June")
    return " ".join(f"On {months[k % 6]} {1 + k % 28}, {100 + k} troops were killed." for k in range(n))


@pytest.mark.parametrize("sentences", [10, 40, 160], ids=["10-sentences", "40-sentences", "160-sentences"])
def test_a_sentence_reads_only_its_own_dates(rules, monkeypatch, sentences):
    looked_at = []
    real = carry.event_context

    def counting(mentions, span, number_span):
        looked_at.append(len(mentions))
        return real(mentions, span, number_span)

    monkeypatch.setattr(carry, "event_context", counting)
    claims = extract_text(_dated_sentences(sentences), rules, published="2020-07-01")
    assert len([c for c in claims if c.kind == "date"]) == sentences  # every date found
    assert len(looked_at) == sentences  # one event reading a sentence ...
    assert max(looked_at) == 1  # ... of its one date, not of the article's


@pytest.mark.parametrize(
    ("kept", "span", "overlaps"),
    [
        ([], (0, 5), False),
        ([(10, 20)], (0, 10), False),  # touching is no overlap
        ([(10, 20)], (20, 30), False),
        ([(10, 20)], (19, 30), True),
        ([(10, 20)], (0, 11), True),
        ([(10, 20)], (12, 15), True),  # inside
        ([(10, 20)], (5, 25), True),  # around
        ([(0, 5), (10, 20), (30, 40)], (21, 29), False),  # between two
        ([(30, 40), (0, 5), (10, 20)], (4, 11), True),  # kept in any order, overlapping two
    ],
    ids=["none-kept", "touching-before", "touching-after", "tail", "head", "inside", "around", "between",
         "two-unordered"],
)  # fmt: skip
def test_kept_spans_answer_overlap_by_bisection(kept, span, overlaps):
    taken = _Taken()
    for start, end in kept:
        taken.add(start, end)
    assert taken.overlaps(*span) is overlaps


def _date_dense(chars: int) -> str:
    """About `chars` characters of distinct dates and nothing else ("Jan. 8, 2001, Feb. 9, 2002, ...")."""
    months = ("Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec.")
    parts, k = [], 0
    while sum(map(len, parts)) < chars:
        parts.append(f"{months[k % 12]} {1 + k % 28}, {1950 + k % 70}; ")
        k += 1
    return "".join(parts)


def _cpu(run) -> float:
    """The least processor time of three runs (the machine is shared)."""
    times = []
    for _ in range(3):
        started = time.process_time()
        run()
        times.append(time.process_time() - started)
    return min(times)


def test_date_shapes_of_a_page_dense_with_dates_take_linear_time(rules):
    small, large = _date_dense(30_000), _date_dense(120_000)
    assert len(_candidates(large, [(0, len(large))], rules)) > 6000  # thousands kept: a quadratic check shows
    ratio = _cpu(lambda: _candidates(large, [(0, len(large))], rules)) / _cpu(
        lambda: _candidates(small, [(0, len(small))], rules)
    )
    assert ratio < 6.5, f"4x the text took {ratio:.1f}x the time"


PAD = "y" * 150  # 150 characters before and after: the windows are not cut at the text's ends
GAPS = {  # two near words with this many characters between them: one window or two (2 * NEAR = 200)
    "gap-0": ("7", "", "7", [(50, 252)]),
    "gap-200-one-window": ("7", "x" * 200, "7", [(50, 452)]),
    "gap-201-two-windows": ("7", "x" * 201, "7", [(50, 251), (252, 453)]),
    "words-gap-200": ("May", " " * 200, "may", [(50, 456)]),
    "words-gap-201": ("May", " " * 201, "may", [(50, 253), (254, 457)]),
}


@pytest.mark.parametrize("case", list(GAPS), ids=list(GAPS))
def test_a_near_chain_makes_the_windows_of_the_loop(rules, case):
    first, gap, second, windows = GAPS[case]
    near = re.compile(r"\d" if first == "7" else "may", re.IGNORECASE)
    text = PAD + first + gap + second + PAD
    assert near_chain(near) is not None
    assert _windows(text, 0, len(text), near, vocabulary(rules)) == windows  # the rules' chain of \d, may
    assert loop_windows(text, 0, len(text), near) == windows


def test_every_near_pattern_of_the_rules_chains_to_the_windows_of_the_loop(rules):
    vocab = vocabulary(rules)
    nears = {near.pattern: near for _, near in vocab.shapes.values() if near is not None}
    assert set(vocab.near_chains) == set(nears)
    text = _dated_sentences(30) + " the day before yesterday, 3 weeks ago, " + "x " * 150 + _date_dense(600)
    for near in nears.values():
        for start, end in [(0, len(text)), (7, len(text) - 9), (150, 700)]:
            assert _windows(text, start, end, near, vocab) == loop_windows(text, start, end, near), near.pattern


@pytest.mark.parametrize(
    "pattern", [r"(?P<w>day)", r"x*", r"(a)\1"], ids=["named-group", "may-match-nothing", "backreference"]
)
def test_a_near_pattern_that_cannot_chain_keeps_the_loop(pattern):
    assert near_chain(re.compile(pattern)) is None
