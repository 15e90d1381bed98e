"""Property tests: any text a page may hold goes through ingest and extract without an unexpected error,
and every claim keeps its exact words and offsets.

The text is built from news-like words and numbers mixed with what real pages smuggle in: NBSP and
other odd spaces, every dash, right-to-left text and marks, emoji (with joiners and skin tones),
control characters, carriage returns. The stages are called directly (not through the per-file guard
of the pipeline), so a bug raises here. Bounded (AUDIT_FUZZ_EXAMPLES, default 100) and derandomized
(unless AUDIT_FUZZ_RANDOM is set), so the suite stays fast and gives the same result on every run.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audit.errors import AuditError
from audit.extract import extract_corpus
from audit.extract.claims import headline_span
from audit.ingest import decode, html_text, layout_of, read_document
from audit.model import Corpus

EXAMPLES = int(os.environ.get("AUDIT_FUZZ_EXAMPLES", "100"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=not os.environ.get("AUDIT_FUZZ_RANDOM"),
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

WORDS = [
    "At least", "more than", "nearly", "about", "up to", "dozens of", "some", "11", "50", "1,500", "2.3",
    "$2.3bn", "61%", "10 million litres", "missiles", "troops", "soldiers", "killed", "wounded", "injured",
    "hostages", "displaced", "no fatalities", "denied reports that", "the Pentagon said", "said",
    "on Tuesday", "January 8, 2020", "Jan. 8", "8/1/2020", "2020-01-08", "last week", "two days ago",
    "since October", "a 10-day pause", "three weeks", "U.S.", "Gen.", "Mr.", "F-16", "MQ-9",
    "+91-130-2222", "00:00", "TRENDING", "ALSO READ:", "Updated: 17-01-2020 00:59 IST", ".", ",", "!",
    "?", "…", "...", "\"", "“", "”", "'", "’", "(", ")", "—", ":", ";",
]  # fmt: skip
ODD = [
    "\xa0", "\u2007", "\u202f", "\u2009", "\u200b", "\u2060", "\ufeff", "\t", "\r", "\r\n", "\n", "\n\n",
    "\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2015", "\u2212", "\ufe58", "\uff0d",
    "قتل ٥٠ جندياً", "נפצעו 11", "\u200f", "\u200e", "\u202e", "\u2066", "\u2069", "١٢٣", "۱۲۳", "१२३",
    "😀", "👍🏽", "👨\u200d👩\u200d👧", "🇮🇶", "\x00", "\x01", "\x07", "\x1b", "\x7f", "\x85", "\u2028", "\u2029",
    "é", "e\u0301", "ﬁ", "Ⅻ", "½", "²", "𝟓𝟎", "５０",
]  # fmt: skip

pieces = st.one_of(
    st.sampled_from(WORDS),  # twice: news words and numbers are what the claims are made of
    st.sampled_from(WORDS),
    st.integers(0, 10**7).map(str),
    st.sampled_from(ODD),
    st.text(st.characters(exclude_categories=("Cs",)), max_size=8),
    st.integers(0, 10**7).map(str),
)
gaps = st.sampled_from([" ", " ", " ", "\xa0", "\n", "\n\n", "", "\r\n", "\t"])
page_text = st.lists(st.tuples(pieces, gaps), min_size=1, max_size=120).map(
    lambda items: "".join(p + g for p, g in items)
)
# A headline, then paragraphs: the shape of a saved page, so that articles and sentences come out.
page = st.tuples(page_text, st.lists(page_text, min_size=1, max_size=4)).map(
    lambda parts: parts[0] + "\n\n" + "\n\n".join(parts[1])
)


class Stages:
    """What the stages need, built once (with a short repr: hypothesis prints its arguments)."""

    def __init__(self, rules):
        self.layout, self.rules = layout_of(rules), rules

    def extract(self, document):
        """The claims of one document, through the pipeline's entry point (unguarded)."""
        return extract_corpus(Corpus("fuzz", (document,)), self.rules)

    def __repr__(self) -> str:
        return "Stages(bundled rules)"


@pytest.fixture(scope="module")
def stage(rules):
    """The stages with the bundled rules."""
    return Stages(rules)


def _read(text: str, suffix: str, layout) -> tuple[bytes, object]:
    """Write a page to a temporary file and read it back through ingest (AuditError allowed)."""
    data = text.encode("utf-8")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"page{suffix}"
        path.write_bytes(data)
        try:
            return data, read_document(path, {}, layout)
        except AuditError as exc:
            assert str(exc).startswith(path.name) and "\n" not in str(exc)  # one line naming the file
            return data, None


def _inside(start: int, end: int, spans) -> bool:
    return any(s <= start and end <= e for s, e in spans)


def _check_claims(document, claims) -> None:
    """Exact words, offsets inside the claim's article body or headline line (hedge included), unique ids."""
    text = document.text
    assert len({c.claim_id for c in claims}) == len(claims)
    articles = {a.index: a for a in document.articles}
    for claim in claims:
        assert 0 <= claim.char_start < claim.char_end <= len(text), claim
        assert claim.text == text[claim.char_start : claim.char_end], claim
        article = articles[claim.article]
        assert article.start <= claim.char_start and claim.char_end <= article.end, (claim, article)
        head = headline_span(text, article)  # headlines are text too
        assert _inside(claim.char_start, claim.char_end, (*article.body, *([head] if head else []))), claim


@FUZZ
@given(text=page)
def test_any_page_text_reads_and_extracts(stage, text):
    layout = stage.layout
    data, document = _read(text, ".txt", layout)
    if document is None:
        return
    assert document.text == data.decode("utf-8-sig")  # a .txt page's offsets are into its decoded bytes
    for article in document.articles:
        for s, e in (*article.body, *article.sentences):
            assert 0 <= s < e <= len(document.text)
            assert document.text[s:e] == document.text[s:e].strip()
    _check_claims(document, stage.extract(document))


@FUZZ
@given(
    body=page, tags=st.lists(st.sampled_from(["<p>", "</p>", "<b>", "</i>", "<div", "<br>", "<td>", "<!--", "<h1>"]))
)
def test_any_html_reads_and_extracts(stage, body, tags):
    layout = stage.layout
    html = "<html><body>" + "".join(t + line for t, line in zip(tags * 50, body.split("\n"), strict=False)) + "</body>"
    _, document = _read(html, ".html", layout)
    if document is not None:
        _check_claims(document, stage.extract(document))


@FUZZ
@given(data=st.binary(max_size=400), suffix=st.sampled_from([".txt", ".html"]))
def test_any_bytes_decode_or_give_one_line(data, suffix):
    path = Path(f"page{suffix}")
    try:
        text, warnings = decode(path, data)
    except AuditError as exc:
        assert str(exc).startswith("page") and "\n" not in str(exc)
        return
    assert isinstance(text, str) and text.strip()
    assert all(w.startswith(path.name) and "\n" not in w for w in warnings)


@FUZZ
@given(html=st.text(max_size=300))
def test_html_text_never_raises_anything_else(html):
    try:
        body, date, _ = html_text(Path("page.html"), html)
    except AuditError:
        return
    assert body.strip() and isinstance(date, str)


HEDGE_ACROSS = {  # found by the fuzz tests: the hedge is taken from the line or paragraph before
    "hedge-in-the-headline": (".html", "<html><body><p>At least <p><p>0 missiles </body>"),
    "hedge-ends-the-paragraph-before": (
        ".txt",
        "Blast\n\nThe toll rose to at least\n\n5 soldiers died in the attack.\n",
    ),
    "hedge-ends-the-line-before": (".txt", "Blast\n\nSoldiers: more than\n5 soldiers died.\n"),
}


@pytest.mark.parametrize(("suffix", "page"), list(HEDGE_ACROSS.values()), ids=list(HEDGE_ACROSS))
def test_hedge_stays_inside_the_sentence(stage, suffix, page):
    _, document = _read(page, suffix, stage.layout)
    claims = stage.extract(document)
    assert claims
    _check_claims(document, claims)


clean_text = st.text(st.characters(exclude_categories=("Cs", "Cc")), min_size=1, max_size=80).filter(str.strip)


@FUZZ
@given(parts=st.lists(clean_text, min_size=2, max_size=6))
def test_stray_cp1252_bytes_do_not_garble_the_utf8(parts):
    """UTF-8 text with a stray cp1252 quote (0x92) between its parts reads back exactly, quote included."""
    data = b"\x92".join(part.encode("utf-8") for part in parts)
    text, warnings = decode(Path("page.txt"), data)
    if any(not part.isascii() for part in parts):
        assert text == "\u2019".join(parts)
        assert warnings == (f"page.txt: {len(parts) - 1} byte(s) not UTF-8 (the first at {len(parts[0].encode())}); "
                            "those read as cp1252",)  # fmt: skip
    else:  # nothing says it is UTF-8: a cp1252 page, read as a whole
        assert text == data.decode("cp1252") and "read as cp1252" in warnings[0]
