"""The whole read path (bytes -> decode -> page -> extract) under hostile pages, driven by hypothesis.

The pieces and the invariants are benchmarks/fuzz.py's (which runs a million of them): no exception but
an AuditError of one line naming the file; every claim's `text == page[char_start:char_end]`; `low <=
high`; no NaN or infinite figure; and each page read and extracted within a bound. Seeded (derandomized
unless AUDIT_FUZZ_RANDOM is set) and bounded (AUDIT_FUZZ_READ_EXAMPLES, default 250 a test), so that the
suite stays at well under a minute here and gives the same result on every run.
"""

from __future__ import annotations

import os
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.fuzz import GAPS, ODD, TAGS, WORDS, Checker, claim_problems

EXAMPLES = int(os.environ.get("AUDIT_FUZZ_READ_EXAMPLES", "250"))
SECONDS = 5.0  # one small page; the slowest seen is well under a second once the imports are done
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,  # timed by the test itself, against SECONDS, with the imports warmed up
    derandomize=not os.environ.get("AUDIT_FUZZ_RANDOM"),
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
)

digit_runs = st.tuples(st.sampled_from("123456789"), st.integers(16, 250), st.sampled_from(["", "sit", "GB", " km"]))
pieces = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from(WORDS),
    st.integers(0, 10**9).map(str),
    st.sampled_from(ODD),
    digit_runs.map(lambda d: d[0] * d[1] + d[2]),
    st.text(st.characters(exclude_categories=("Cs",)), max_size=6),
)
text = st.lists(st.tuples(pieces, st.sampled_from(GAPS)), min_size=1, max_size=60).map(
    lambda items: "Blast at the base\n\n" + "".join(p + g for p, g in items)
)
encodings = st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "cp1252"])


@pytest.fixture(scope="module")
def checker(tmp_path_factory):
    """The read path with the bundled rules, its imports done (quantulum3, trafilatura: not what is timed)."""
    checker = Checker.create(tmp_path_factory.mktemp("fuzz"))
    checker.problems(b"Blast\n\nA 40 kPa wave. At least 5 died on Jan. 8.", ".txt")
    checker.problems(b"<html><body><p>At least 5 died.</p></body></html>", ".html")
    return checker


def _holds(checker: Checker, data: bytes, suffix: str) -> None:
    started = time.perf_counter()
    problems = checker.problems(data, suffix)
    took = time.perf_counter() - started
    assert problems == [], (data[:300], problems)
    assert took < SECONDS, (data[:300], took)


@FUZZ
@given(page=text, encoding=encodings)
def test_any_text_page_in_any_encoding(checker, page, encoding):
    _holds(checker, page.encode(encoding, errors="replace" if encoding == "cp1252" else "surrogatepass"), ".txt")


@FUZZ
@given(page=text, tags=st.lists(st.sampled_from(TAGS), min_size=1, max_size=12), depth=st.sampled_from([0, 5, 260]))
def test_any_html_page(checker, page, tags, depth):
    lines = [t + line for t, line in zip(tags * 20, page.split("\n"), strict=False)]
    html = f"<html><head><title>{lines[0]}</title></head><body>{'<div>' * depth}{''.join(lines)}</body></html>"
    _holds(checker, html.encode(), ".html")


@FUZZ
@given(data=st.binary(max_size=600), suffix=st.sampled_from([".txt", ".html"]))
def test_any_bytes(checker, data, suffix):
    _holds(checker, data, suffix)


class _C:
    """A claim-like record: what claim_problems reads."""

    def __init__(self, cid, text, start, end, value=1.0, low=1.0, high=1.0):
        self.claim_id, self.text, self.char_start, self.char_end = cid, text, start, end
        self.value, self.low, self.high = value, low, high


BROKEN = {  # the checks themselves can fail: each broken invariant is caught
    "text-not-the-page": ([_C("a:1", "12", 0, 2)], "text '12' is not page[0:2]"),
    "offset-past-the-end": ([_C("a:1", "ab", 4, 99)], "is not page[4:99]"),
    "low-over-high": ([_C("a:1", "ab", 0, 2, low=5.0, high=3.0)], "low 5.0 > high 3.0"),
    "nan-value": ([_C("a:1", "ab", 0, 2, value=float("nan"))], "not finite"),
    "infinite-high": ([_C("a:1", "ab", 0, 2, high=float("inf"))], "not finite"),
    "same-id-twice": ([_C("a:1", "ab", 0, 2), _C("a:1", "ab", 0, 2)], "claim ids not unique"),
}


@pytest.mark.parametrize("case", list(BROKEN), ids=list(BROKEN))
def test_each_broken_invariant_is_caught(case):
    claims, wanted = BROKEN[case]
    assert any(wanted in problem for problem in claim_problems("abcdef", claims))


FOUND = {  # found by benchmarks/fuzz.py: a digit run past what a float holds read as an infinite figure
    "330-digits-then-km": "9" * 330 + " km of road",
    "305-digits-then-billion": "9" * 305 + " billion troops",
    "400-digits-killed": "9" * 400 + " troops were killed",
    "nearly-309-digits": "nearly " + "9" * 309 + " troops",
}


@pytest.mark.parametrize("case", list(FOUND), ids=list(FOUND))
def test_inputs_the_fuzzer_found(checker, case):
    _holds(checker, f"Blast\n\nAt least 5 died. {FOUND[case]}.\n".encode(), ".txt")
