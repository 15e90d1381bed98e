"""One sentence cannot take the run's time: a long run of digits glued to letters (a scraping accident,
a hash, a spam line) is extracted in well under a second, as its neighbours are.

quantulum3 (which reads unit symbols no rule names) takes time growing with the cube of a digit run
(120 digits: ~20 s, 240: ~200 s); such a run is never a figure with a unit, so it is not asked.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from audit.extract import extract_corpus
from audit.ingest import read_document
from audit.model import Corpus

LONG_DIGITS = {
    "120-digits-glued-to-letters": "x " + "9" * 120 + "sit amet",
    "240-digits-glued-to-letters": "x " + "9" * 240 + "sit amet",
    "120-digits-then-a-word": "x " + "9" * 120 + " sit amet",
    "60-digits-glued-to-a-symbol": "x " + "7" * 60 + "GB drive",
    "digit-runs-one-after-another": " ".join("1" * n + "abc" for n in range(40, 100, 3)),
}


def _extract(tmp_path: Path, rules, text: str):
    path = tmp_path / "page.txt"
    path.write_text(f"Blast\n\nAt least 12 missiles struck. {text} were killed.\n", encoding="utf-8")
    return extract_corpus(Corpus("t", (read_document(path, {}, rules),)), rules)


@pytest.fixture(scope="module")
def warm(rules, tmp_path_factory):
    """The extractor with quantulum3 loaded (its import takes a second or two; not what is measured)."""
    _extract(tmp_path_factory.mktemp("warm"), rules, "The 87 mph wind and a 256GB drive.")
    return rules


@pytest.mark.parametrize("case", list(LONG_DIGITS), ids=list(LONG_DIGITS))
def test_a_long_digit_run_is_extracted_fast(tmp_path, warm, case):
    started = time.perf_counter()
    claims = _extract(tmp_path, warm, LONG_DIGITS[case])
    assert time.perf_counter() - started < 2.0
    assert "12 missiles" in {c.text.removeprefix("At least ") for c in claims}  # the page was read


@pytest.mark.parametrize(
    ("text", "unit"),
    [("A 40 kPa blast wave.", "kilopascal"), ("A 256GB drive was seized.", "GB")],
    ids=["kPa", "glued-GB"],
)
def test_short_figures_still_get_their_unit_symbols(tmp_path, warm, text, unit):
    claims = _extract(tmp_path, warm, text)
    assert unit in {c.unit for c in claims}, [(c.text, c.unit) for c in claims]
