"""Ingest: cleaning, article splitting, sentences, publication dates, copies, stories and bad input.

Expected headlines, dates and stories are read by hand from the seed pages (seeds/*.txt).
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from audit.errors import AuditError
from audit.ingest import (
    MAX_BYTES,
    DateHit,
    layout_of,
    read_corpus,
    read_document,
    read_printed_date,
    sentences,
    split_articles,
)
from tests.conftest import S000, S001, S002, S003, S004, SEEDS

DATA = Path(__file__).resolve().parent / "data"

HEADLINES = {
    S000: [
        "Iraq's Joint Operations with Coalition Resume as US Seeks Nod for Air Defenses",
        "EU Condemns Israel's West Bank Control Measures",
        "Atrocities in Sudan's El-Fasher Were 'Preventable Human Rights Catastrophe'",
        "Arab League Condemns Israel's Decisions to Alter Legal, Administrative Status of West Bank",
    ],
    S001: ["Iraqs Joint Operations with Coalition Resume as US Seeks Nod for Air Defenses"],
    S002: ["Iraq denies resuming joint ops with US-led coalition"],
    S003: [
        "US, Iraq to Soon Begin Talks on Troops Pull Out",
        "US strikes three ‘Iranian-backed’ militia targets in Iraq",
        "Iraq Asserts Sovereignty, Aims to End US-Led Coalition’s Presence",
        "Iran Targets Alleged ‘Terrorist Havens’ in Syria and Iraqi Kurdistan",
        "Iraqi PM Responds to Strikes, Vows to Oust US-led Coalition",
        "Iraq donates 10 million liters of fuel to Gaza Strip",
        "Iraq Warns US Against Unilateral Action After Embassy Rocket Attack",
        "US Forces in Iraq, Syria Attacked 4 times in a Day",
        "46 Attacks on US, Coalition Forces in Iraq & Syria Since Oct 17",
        "Blinken Makes Unannounced Iraq Visit",
    ],
    S004: ["US military resume joint operations with Iraq"],
}

# How each article's body begins (its first kept line), read from the pages: captions, "TT", the
# reprinted headline, byline bullets and the "…reports Asian Lite News" summary line are not body.
FIRST_BODY_WORDS = {
    (S000, 1): "Joint military operations with the US-led coalition",
    (S000, 2): "The European Union on Monday condemned",
    (S000, 3): "The atrocities unleashed on El-Fasher",
    (S000, 4): "The General Secretariat of the Arab League",
    (S001, 1): "Joint military operations with the US-led coalition",
    (S002, 1): "An Iraqi government spokesman denied reports",
    (S003, 1): "The US and Iraq are expected to soon begin talks",
    (S003, 2): "The United States has carried out airstrikes",
    (S003, 6): "Iraq has donated 10 million litre of fuel",
    (S003, 10): "US Secretary of State Antony Blinken made an unannounced visit",
    (S004, 1): "BAGHDAD – The U.S. military resumed joint operations",
}

# How each article's body ends (its last kept line): sidebars, footers, "ALSO READ" and comment
# forms are not body.
LAST_BODY_WORDS = {
    (S000, 1): "\"I've had the chance to speak with the president",
    (S001, 1): "Joint military operations",  # the whole story is one line
    (S002, 1): "Iraqi lawmakers this month also urged the government",
    (S003, 1): "“The Biden administration is not considering a withdrawal",
    (S003, 10): "Ahead of his visit in Iraq, Blinken made stops",
    (S004, 1): "The US-led military coalition in Iraq suspended",
}

# Page furniture that must never be inside a body span (so never inside a claim's sentence).
NEVER_IN_BODY = {
    "caption": "FILE PHOTO: US soldiers surveil",
    "caption-ap": "seen from the West Bank city of Bethlehem",
    "share-bullet": "•",
    "phone": "+91-130-6444012",
    "trending": "Delete these 17 dangerous Android apps",
    "latest-news": "Three Turkish soldiers killed in car bomb",
    "opinion": "one pair of jeans",
    "syndication": "This story has not been edited",
    "app": "Download The Devdiscourse",
    "copyright": "© Copyright",
    "categories": "Categories",
    "category-list": "-Top News",
    "also-read": "ALSO READ",
    "summary-signoff": "reports Asian Lite News",
    "arabic-share": "مشاركة",
    "image-credit": "Image Credit",
    "photo-credit": "(photo:Twitter)",
    "comment-form": "Leave a Reply",
    "comment-email": "Your email address",
    "tt": "\nTT\n",
}


@pytest.fixture(scope="module")
def corpus(rules):
    """The seed corpus as ingest reads it (with sources.toml)."""
    return read_corpus(SEEDS, rules)


@pytest.fixture(scope="module")
def bare_corpus(rules, tmp_path_factory):
    """The seed pages without sources.toml."""
    folder = tmp_path_factory.mktemp("bare")
    for page in SEEDS.glob("*.txt"):
        shutil.copy(page, folder)
    return read_corpus(folder, rules)


def _doc(corpus, source):
    return next(d for d in corpus.documents if d.source.source_id == source)


def _body(doc, article):
    return "\n".join(doc.text[s:e] for s, e in article.body)


# --- article splitting --------------------------------------------------------------------------


@pytest.mark.parametrize("source", sorted(HEADLINES), ids=lambda s: s[:3])
def test_articles_and_headlines(corpus, source):
    assert [a.headline for a in _doc(corpus, source).articles] == HEADLINES[source]


@pytest.mark.parametrize("key", sorted(FIRST_BODY_WORDS), ids=lambda k: f"{k[0][:3]}#{k[1]}")
def test_first_body_line(corpus, key):
    doc = _doc(corpus, key[0])
    start, end = doc.articles[key[1] - 1].body[0]
    assert doc.text[start:end].startswith(FIRST_BODY_WORDS[key])


@pytest.mark.parametrize("key", sorted(LAST_BODY_WORDS), ids=lambda k: f"{k[0][:3]}#{k[1]}")
def test_last_body_line(corpus, key):
    doc = _doc(corpus, key[0])
    start, end = doc.articles[key[1] - 1].body[-1]
    assert doc.text[start:end].startswith(LAST_BODY_WORDS[key])


@pytest.mark.parametrize("name", sorted(NEVER_IN_BODY), ids=str)
def test_furniture_never_in_a_body_span(corpus, name):
    for doc in corpus.documents:
        for article in doc.articles:
            assert NEVER_IN_BODY[name] not in f"\n{_body(doc, article)}\n", (doc.source.source_id, article.index)


def test_headline_is_not_body(corpus):
    for doc in corpus.documents:
        for article in doc.articles:
            assert all(doc.text[s:e] != article.headline for s, e in article.body)


def test_spans_are_inside_their_article_and_sorted(corpus):
    for doc in corpus.documents:
        previous_end = 0
        for article in doc.articles:
            assert previous_end <= article.start <= article.end
            assert list(article.body) == sorted(article.body)
            assert all(article.start <= s < e <= article.end for s, e in article.body)
            for s, e in article.sentences:
                assert any(bs <= s < e <= be for bs, be in article.body)
                assert doc.text[s:e] == doc.text[s:e].strip()
            previous_end = article.end


# --- publication dates --------------------------------------------------------------------------

WITH_MANIFEST = {
    (S000, 1): ("2020-01-30", "manifest"),
    (S000, 2): ("", ""),  # the later stories on the page carry no date of their own
    (S000, 4): ("", ""),
    (S001, 1): ("2020-01-30", "manifest"),
    (S002, 1): ("2020-01-17T00:47+05:30", "manifest"),
    (S003, 1): ("", ""),
    (S003, 10): ("", ""),
    (S004, 1): ("2020-01-15", "manifest"),
}

WITHOUT_MANIFEST = {
    (S000, 1): ("", ""),
    (S001, 1): ("2020-01-30", "page: date line"),  # "• 1/30/2020": 30 cannot be a month
    (S002, 1): ("2020-01-17", "page: Created line"),  # "IST" without a timezone: the local date only
    (S003, 1): ("", ""),
    (S003, 5): ("", ""),
    (S004, 1): ("", ""),
}


@pytest.mark.parametrize("key", sorted(WITH_MANIFEST), ids=lambda k: f"{k[0][:3]}#{k[1]}")
def test_dates_with_manifest(corpus, key):
    article = _doc(corpus, key[0]).articles[key[1] - 1]
    assert (article.published, article.published_from) == WITH_MANIFEST[key]


@pytest.mark.parametrize("key", sorted(WITHOUT_MANIFEST), ids=lambda k: f"{k[0][:3]}#{k[1]}")
def test_dates_without_manifest(bare_corpus, key):
    article = _doc(bare_corpus, key[0]).articles[key[1] - 1]
    assert (article.published, article.published_from) == WITHOUT_MANIFEST[key]


def test_ambiguous_zone_is_reported(bare_corpus):
    warnings = _doc(bare_corpus, S002).warnings
    assert any("'IST'" in w and "Asia/Kolkata" in w for w in warnings)


def test_printed_ist_read_with_the_sources_zone(rules, tmp_path):
    shutil.copy(SEEDS / f"{S002}.txt", tmp_path)
    (tmp_path / "sources.toml").write_text(f'[[source]]\nfile = "{S002}.txt"\ntimezone = "Asia/Kolkata"\n')
    article = read_corpus(tmp_path, rules).documents[0].articles[0]
    assert (article.published, article.published_from) == ("2020-01-17T00:47+05:30", "page: Created line")


PRINTED_DATES = {
    # id: (dateline rule, groups, source timezone, expected date, expected warning part)
    "day-over-12": ("created", {"date": "28/01/2020"}, "", "2020-01-28", ""),
    "month-first-by-value": ("bare_date", {"date": "1/30/2020"}, "", "2020-01-30", ""),
    "dotted": ("bare_date", {"date": "19.08.2025"}, "", "2025-08-19", ""),
    "iso-header": ("header_date", {"date": "2020-01-17"}, "", "2020-01-17", ""),
    "ambiguous-no-zone": ("created", {"date": "03/04/2020"}, "", "", "day-first or month-first"),
    "ambiguous-london": ("created", {"date": "03/04/2020"}, "Europe/London", "2020-04-03", ""),
    "ambiguous-new-york": ("created", {"date": "03/04/2020"}, "America/New_York", "2020-03-04", ""),
    "not-a-day": ("created", {"date": "31/02/2020"}, "", "", "not a calendar date"),
    "ist-kolkata": (
        "created",
        {"date": "17-01-2020", "time": "00:47", "zone": "IST"},
        "Asia/Kolkata",
        "2020-01-17T00:47+05:30",
        "",
    ),
    "ist-no-zone": ("created", {"date": "17-01-2020", "time": "00:47", "zone": "IST"}, "", "2020-01-17", "IST"),
    "gmt": ("updated", {"date": "17-01-2020", "time": "23:30", "zone": "GMT"}, "", "2020-01-17T23:30+00:00", ""),
    "local-time-in-source-zone": (
        "created",
        {"date": "17-01-2020", "time": "09:00"},
        "Asia/Baghdad",
        "2020-01-17T09:00+03:00",
        "",
    ),
}


@pytest.mark.parametrize("case", sorted(PRINTED_DATES))
def test_printed_dates(rules, case):
    rule_id, groups, zone, expected, warning = PRINTED_DATES[case]
    layout = layout_of(rules)
    rule = next(r for r in layout.datelines if r.id == rule_id)
    value, message = read_printed_date(DateHit(0, rule, groups), zone, layout)
    assert value == expected
    assert (warning in message) if warning else message == ""


def test_dateline_rule_examples(rules):
    layout = layout_of(rules)
    checked = 0
    for rule in layout.datelines:
        for example in rule.examples:
            match = rule.get("pattern").search(example["text"])
            groups = {k: v for k, v in match.groupdict().items() if v}
            for key in ("time", "zone"):
                assert groups.get(key, "") == example.get(key, ""), (rule.id, example["text"])
            value, _ = read_printed_date(DateHit(0, rule, groups), "", layout)
            assert value == example["date"], (rule.id, example["text"])
            checked += 1
    assert checked >= 5


@pytest.mark.parametrize(
    "published", ["30/01/2020", "2020-13-01", "January 2020", "2020-01-17 25:00"], ids=lambda p: p.replace("/", "-")
)
def test_manifest_date_that_does_not_parse(rules, tmp_path, published):
    (tmp_path / "a.txt").write_text("Blast kills five\n\nAt least 11 missiles struck the base, officials said.\n")
    (tmp_path / "sources.toml").write_text(f'[[source]]\nfile = "a.txt"\npublished = "{published}"\n')
    doc = read_corpus(tmp_path, rules).documents[0]
    assert doc.articles[0].published == ""
    assert any("not an ISO 8601 date" in w and "a.txt" in w for w in doc.warnings)


@pytest.mark.parametrize("published", ["2020-01-30", "2024-01", "2020-01-17T00:47+05:30"])
def test_manifest_dates_that_parse(rules, tmp_path, published):
    (tmp_path / "a.txt").write_text("Blast kills five\n\nAt least 11 missiles struck the base, officials said.\n")
    (tmp_path / "sources.toml").write_text(f'[[source]]\nfile = "a.txt"\npublished = "{published}"\n')
    assert read_corpus(tmp_path, rules).documents[0].articles[0].published == published


# --- copies and stories -------------------------------------------------------------------------


def test_copies(corpus, bare_corpus):
    assert corpus.copies == {S001: S000}
    assert bare_corpus.copies == {S001: S000}  # undated: the source that sorts first is the original
    assert _doc(corpus, S001).articles[0].copy_of == f"{S000}#1"
    assert [a.copy_of for a in _doc(corpus, S000).articles] == ["", "", "", ""]
    assert all(not a.copy_of for s in (S002, S003, S004) for a in _doc(corpus, s).articles)


def test_stories(corpus):
    story = {(d.source.source_id, a.index): a.story for d in corpus.documents for a in d.articles}
    event = {story[(S000, 1)], story[(S001, 1)], story[(S002, 1)], story[(S004, 1)]}
    assert event == {"S1"}
    others = [s for key, s in story.items() if key not in {(S000, 1), (S001, 1), (S002, 1), (S004, 1)}]
    assert len(others) == len(set(others)) == 13  # 000's three later stories and 003's ten, all distinct
    assert "S1" not in others


def test_stories_are_numbered_by_first_appearance(corpus):
    seen = list(dict.fromkeys(a.story for d in corpus.documents for a in d.articles))
    assert seen == [f"S{n}" for n in range(1, len(seen) + 1)]


def test_claims_carry_article_headline_and_story(seed_audit):
    rows = seed_audit.claims.select("source", "article", "headline", "story").unique().iter_rows()
    for source, article, headline, story in rows:
        assert (headline, story) == (
            HEADLINES[source][article - 1],
            _doc(seed_audit.corpus, source).articles[article - 1].story,
        )


# --- sentences ----------------------------------------------------------------------------------

SENTENCES = {
    "abbreviations": (
        "Army Gen. Mark Milley spoke on Jan. 8 in the U.S. capital. Maj. Gen. Pat Ryder said 4 were hurt.",
        ["Army Gen. Mark Milley spoke on Jan. 8 in the U.S. capital.", "Maj. Gen. Pat Ryder said 4 were hurt."],
    ),
    "initials": ("Mr. J. Smith said 5 died. Others disagreed.", ["Mr. J. Smith said 5 died.", "Others disagreed."]),
    "closing-quote": (
        '"It is absolutely our call." The official said 3 more were sent.',
        ['"It is absolutely our call."', "The official said 3 more were sent."],
    ),
    "nbsp-gap": ("Five were killed.\xa0Then 3 more died.", ["Five were killed.", "Then 3 more died."]),
    "nbsp-inside": (
        "At least\xa011 missiles struck. It was late.",
        ["At least\xa011 missiles struck.", "It was late."],
    ),
    "decimal-and-time": (
        "At 11.30 p.m. on Monday 2.5 tonnes fell. Nobody was hurt.",
        ["At 11.30 p.m. on Monday 2.5 tonnes fell.", "Nobody was hurt."],
    ),
    "question-and-digit": ("Why now? 50 troops were wounded.", ["Why now?", "50 troops were wounded."]),
    "lower-case-after-stop": ("He left at 5 p.m. and came back.", ["He left at 5 p.m. and came back."]),
}


@pytest.mark.parametrize("case", sorted(SENTENCES))
def test_sentences(rules, case):
    text, expected = SENTENCES[case]
    spans = sentences(text, [(0, len(text))], layout_of(rules))
    assert [text[s:e] for s, e in spans] == expected


def test_long_line_without_punctuation_is_capped(rules):
    layout = layout_of(rules)
    text = "word " * 5000 + "end"
    spans = sentences(text, [(0, len(text))], layout)
    cap = layout.page.max_sentence_chars
    assert len(spans) > 1 and all(e - s <= cap for s, e in spans)
    assert "".join(text[s:e] for s, e in spans).replace(" ", "") == text.replace(" ", "")


# --- layout cues as data: small hand-made pages -------------------------------------------------

GOOD_PAGE = "Blast kills five\n\nAt least 11 missiles struck the base, officials said.\n"
PAGES = {
    # id: (page text, expected headlines, words that must stay out of every body)
    "one-story": (
        "Blast kills five\n\nAt least 11 missiles struck the base, officials said.\n",
        ["Blast kills five"],
        [],
    ),
    "no-headline": ("At least 11 missiles struck the base, officials said.\nNobody else was hurt.\n", [""], []),
    "listing": (
        "Categories\n-World News\n\nFirst story title\n\nA summary of it….reports Daily Example\n\n"
        "Body one says 5 died.\n\nALSO READ: Something else\n\nCategories\nSports\n\nSecond story title\n\n"
        "Body two says 3 won.\n",
        ["First story title", "Second story title"],
        ["Sports", "World News", "summary of it", "Something else"],
    ),
    "repeated-headline-blocks": (
        "Quake kills dozens in the north\n\nA photo caption printed twice here\nA photo caption printed twice here\n"
        "TT\n\nQuake kills dozens in the north\n\nBody one says 5 died.\n\n\nCup final ends in a draw\n\n"
        "Caption for the second story\nCaption for the second story\nTT\n\nCup final ends in a draw\n\n"
        "Body two says 3 won.\n",
        ["Quake kills dozens in the north", "Cup final ends in a draw"],
        ["caption", "Caption", "TT"],
    ),
    "sidebar": (
        "Quake hits town\n\nThe quake killed 12 people, officials said.\n\nTRENDING\n\nCelebrity news 99\n",
        ["Quake hits town"],
        ["Celebrity", "99"],
    ),
    "related-list": (
        "Quake hits town\n\nThe quake killed 12 people.\n\nRelated\n\nOld quake killed 40 people\n",
        ["Quake hits town"],
        ["Old quake"],
    ),
}


@pytest.mark.parametrize("case", sorted(PAGES))
def test_hand_made_pages(rules, case):
    text, headlines, absent = PAGES[case]
    articles = split_articles(text, rules)
    assert [a.headline for a in articles] == headlines
    bodies = " ".join(text[s:e] for a in articles for s, e in a.body)
    assert bodies.strip()
    for word in absent:
        assert word not in bodies


# --- HTML ---------------------------------------------------------------------------------------


def test_html_page_main_text_and_meta_date(rules):
    doc = read_document(DATA / "story.html", {}, rules)
    article = doc.articles[0]
    assert article.headline == "Blast kills five in Baghdad"
    body = _body(doc, article)
    assert "At least 11 missiles struck the base" in body
    for furniture in ("Great article", "Copyright", "+91", "Home"):
        assert furniture not in doc.text
    assert (article.published, article.published_from) == ("2020-01-17T00:47+05:30", "page: HTML meta tag")
    for s, e in article.sentences:  # offsets point into the extracted text
        assert doc.text[s:e].strip() == doc.text[s:e] and doc.text[s:e]


def test_broken_html_is_read(rules):
    doc = read_document(DATA / "broken.html", {}, rules)
    text = " ".join(doc.text[s:e] for a in doc.articles for s, e in a.body)
    assert "3 rockets hit the base" in text


# --- bad input ----------------------------------------------------------------------------------

GOOD = "Blast kills five\n\nAt least 11 missiles struck the base, officials said.\n"

BAD_FILES = {
    # id: (file name, bytes, expected in the warning, or None when the file is read)
    "empty": ("bad.txt", b"", "empty file"),
    "blank-lines-only": ("bad.txt", b"\n \n\t\n", "empty file"),
    "binary": ("bad.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    "utf32-bom-only": ("bad.txt", b"\xff\xfe\x00\x00", "empty file"),
    "utf16-bom-binary": ("bad.txt", "A\x00B\x00\x01".encode("utf-16"), "binary"),
    "utf16": ("ok.txt", "Blast\n\nAt least 11 missiles struck.\n".encode("utf-16"), None),
    "html-declared-charset": (
        "ok.html",
        '<html><head><meta charset="windows-1256"></head><body><p>قتل 5 أشخاص في الهجوم</p></body></html>'.encode(
            "cp1256"
        ),
        None,
    ),
    "furniture-only": ("bad.txt", b"TRENDING\nCelebrity news\n", "no article text"),
    "html-without-text": ("bad.html", b"<html><script>var a = 1;</script></html>", "no text found"),
    "html-broken-tags": ("ok.html", b"<p>Five people were killed <b>and 12 <i>wounded</p><div", None),
    "cp1252": ("ok.txt", "Blast\n\nThe caf\xe9 said 11 missiles struck.\n".encode("cp1252"), None),
    "bom": ("ok.txt", b"\xef\xbb\xbf" + GOOD.encode(), None),
    "nbsp": ("ok.txt", "Blast\n\nAt least\xa011 missiles\xa0struck.\xa0Then 2 more.\n".encode(), None),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_input_table(rules, tmp_path, case):
    name, data, expected = BAD_FILES[case]
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / name).write_bytes(data)
    corpus = read_corpus(tmp_path, rules)
    files = {d.source.file for d in corpus.documents}
    if expected is None:
        assert files == {"good.txt", name}
        doc = next(d for d in corpus.documents if d.source.file == name)
        for article in doc.articles:
            for s, e in article.sentences:
                assert doc.text[s:e] and doc.text[s:e] == doc.text[s:e].strip()
        assert not doc.text.startswith("\ufeff")
    else:
        assert files == {"good.txt"}  # nothing else lost
        [warning] = [w for w in corpus.warnings if name in w]
        assert expected in warning and "\n" not in warning


def test_cp1252_is_decoded_with_a_warning(rules, tmp_path):
    (tmp_path / "a.txt").write_bytes("Blast\n\nThe caf\xe9 said 11 missiles struck.\n".encode("cp1252"))
    doc = read_corpus(tmp_path, rules).documents[0]
    assert "café" in doc.text
    assert any("cp1252" in w for w in doc.warnings)


def test_nbsp_sentences_keep_offsets(rules, tmp_path):
    text = "Blast\n\nAt least\xa011 missiles\xa0struck.\xa0Then 2 more.\n"
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    doc = read_corpus(tmp_path, rules).documents[0]
    assert [doc.text[s:e] for s, e in doc.articles[0].sentences] == [
        "At least\xa011 missiles\xa0struck.",
        "Then 2 more.",
    ]


def test_file_over_the_limit_is_refused_quickly(rules, tmp_path):
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    with (tmp_path / "huge.txt").open("wb") as handle:  # 50 MB, sparse: nothing is written
        handle.truncate(50 * 1024 * 1024)
    started = time.perf_counter()
    corpus = read_corpus(tmp_path, rules)
    assert time.perf_counter() - started < 5
    assert [d.source.file for d in corpus.documents] == ["good.txt"]
    [warning] = corpus.warnings
    assert warning.startswith("huge.txt: 50 MB is over the") and "limit" in warning


def test_large_page_under_the_limit_is_read_in_seconds(rules, tmp_path):
    paragraph = "The strike wounded {n} troops near the base on Tuesday, officials said. Nobody died.\n\n"
    text = "Big page\n\n" + "".join(paragraph.format(n=n) for n in range(60_000))  # about 5 MB, all distinct
    assert len(text) < MAX_BYTES
    (tmp_path / "big.txt").write_text(text, encoding="utf-8")
    started = time.perf_counter()
    corpus = read_corpus(tmp_path, rules)
    assert time.perf_counter() - started < 20
    assert len(corpus.documents[0].articles[0].sentences) == 120_000


def test_missing_file_in_the_manifest_is_a_warning(rules, tmp_path):
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "sources.toml").write_text('[[source]]\nfile = "gone.txt"\n')
    assert read_corpus(tmp_path, rules).warnings == ("sources.toml: 'gone.txt' is not in the folder",)


def test_unknown_timezone_is_a_warning(rules, tmp_path):
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "sources.toml").write_text('[[source]]\nfile = "a.txt"\ntimezone = "Mars/Olympus"\n')
    doc = read_corpus(tmp_path, rules).documents[0]
    assert doc.source.timezone == "" and any("Mars/Olympus" in w for w in doc.warnings)


def test_folder_errors(rules, tmp_path):
    with pytest.raises(AuditError, match="folder not found"):
        read_corpus(tmp_path / "nope", rules)


def _line_examples():
    """Every example a [[line]] rule must match, as (rule id, text)."""
    from audit.rules import load_rules

    return [
        pytest.param(rule.id, example["text"], id=f"{rule.id}:{example['text'][:24]}")
        for rule in load_rules().rules("boilerplate", "line")
        for example in rule.examples
        if example.get("match", True)
    ]


@pytest.mark.parametrize(("rule_id", "line"), _line_examples())
def test_every_furniture_example_stays_out_of_the_body(rules, rule_id, line):
    top = "Quake kills dozens in the north\n\nThe quake killed 12 people, officials said.\n\n"
    page = f"{top}{line}\n\nIt hit at 3 am.\n"
    articles = split_articles(page, rules)
    bodies = [page[s:e] for a in articles for s, e in a.body]
    assert line not in bodies, rule_id
    assert "The quake killed 12 people, officials said." in bodies


def test_sources_command_shows_dates_stories_and_copies(tmp_path):
    from click.testing import CliRunner

    from audit.cli import cli

    for page in SEEDS.glob("*.txt"):
        shutil.copy(page, tmp_path)
    result = CliRunner().invoke(cli, ["sources", str(tmp_path), "--width", "250"])
    assert result.exit_code == 0, result.output
    for expected in ("page: date line", "page: Created line", f"{S000}#1", "S14", "Blinken Makes Unannounced"):
        assert expected in result.output
    assert "IST" in result.output  # the ambiguous zone is reported


QUAKE_A = (
    "Earthquake in Van kills 40\n\nA magnitude 6.1 earthquake struck the eastern province of Van on Monday, "
    "killing 40 people and injuring 200, the disaster agency AFAD said. Rescuers searched collapsed buildings "
    "in Ercis overnight.\n"
)
QUAKE_B = (
    "Van earthquake toll rises\n\nThe toll from Monday's magnitude 6.1 earthquake in Van province rose to 40, "
    "AFAD said, as rescuers in Ercis pulled survivors from collapsed buildings. About 200 were injured.\n"
)
BUDGET = (
    "Parliament passes budget\n\nLawmakers approved the 2024 budget on Tuesday by 301 votes to 210 after a "
    "long debate over pensions, fuel subsidies and teachers' pay, the speaker announced.\n"
)


@pytest.mark.parametrize(
    ("dates", "same_story"),
    [(("", ""), True), (("2023-05-01", "2023-05-03"), True), (("2023-05-01", "2023-09-01"), False)],
    ids=["undated", "two-days-apart", "four-months-apart"],
)
def test_stories_on_hand_made_pages(rules, tmp_path, dates, same_story):
    for name, text in (("a.txt", QUAKE_A), ("b.txt", QUAKE_B), ("c.txt", BUDGET)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    entries = zip(("a.txt", "b.txt"), dates, strict=True)
    manifest = "".join(f'[[source]]\nfile = "{name}"\npublished = "{date}"\n' for name, date in entries if date)
    (tmp_path / "sources.toml").write_text(manifest, encoding="utf-8")
    story = {d.source.file: d.articles[0].story for d in read_corpus(tmp_path, rules).documents}
    assert (story["a.txt"] == story["b.txt"]) is same_story
    assert story["c.txt"] not in (story["a.txt"], story["b.txt"])
    assert story["a.txt"] == "S1"


def test_html_declared_charset_is_used(rules, tmp_path):
    page = '<html><head><meta charset="windows-1256"></head><body><p>قتل 5 أشخاص في الهجوم</p></body></html>'
    (tmp_path / "a.html").write_bytes(page.encode("cp1256"))
    doc = read_corpus(tmp_path, rules).documents[0]
    assert "قتل 5 أشخاص" in doc.text and doc.warnings == ()


@pytest.mark.parametrize("name", sorted(set(NEVER_IN_BODY) - {"tt"}), ids=str)
def test_no_claim_comes_from_furniture(seed_audit, name):
    sentences = seed_audit.claims["sentence"].to_list()
    assert sentences and not [s for s in sentences if NEVER_IN_BODY[name] in s]


WIRE = " ".join(
    f"Officials in district {n} said {n + 3} people were hurt when the storm hit the coast on Monday night."
    for n in range(40)
)
OTHER = " ".join(f"The council approved plan number {n} for {n * 7} new homes near the river." for n in range(40))

COPY_CASES = {
    # id: (text of a.txt, text of b.txt, dates (a, b), expected copies)
    "full-repost": (WIRE, WIRE, ("", ""), {"b": "a"}),
    "truncated-repost": (WIRE, WIRE[: len(WIRE) // 2], ("", ""), {"b": "a"}),
    "repost-with-intro": (WIRE, "An agency report follows. " * 20 + WIRE, ("", ""), {"b": "a"}),
    "earlier-is-original": (WIRE, WIRE, ("2020-01-05", "2020-01-02"), {"a": "b"}),
    "unrelated": (WIRE, OTHER, ("", ""), {}),
}


@pytest.mark.parametrize("case", sorted(COPY_CASES))
def test_copies_on_hand_made_pages(rules, tmp_path, case):
    first, second, dates, expected = COPY_CASES[case]
    (tmp_path / "a.txt").write_text(f"Storm hits the coast today\n\n{first}\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text(f"Coast storm report for readers\n\n{second}\n", encoding="utf-8")
    entries = zip(("a.txt", "b.txt"), dates, strict=True)
    manifest = "".join(f'[[source]]\nfile = "{name}"\npublished = "{date}"\n' for name, date in entries if date)
    (tmp_path / "sources.toml").write_text(manifest, encoding="utf-8")
    assert read_corpus(tmp_path, rules).copies == expected


# --- the line filter: rules anchored at a line's start tried there alone ------------------------------------

ANCHORED = {
    # id: (pattern, whether every match starts at the text's start)
    "caret": (r"^Categories\s*:?$", True),
    "alternation-in-a-group": (r"^(?:Read\ More|Related)\b", True),
    "alternation-outside": (r"^Share|Tweet", False),
    "escaped-bar": (r"^\|\s*Home", True),
    "bar-in-a-class": (r"^[|•]\s*x", True),
    "bracket-first-in-a-class": (r"^[]|]x", True),
    "bracket-first-in-a-negated-class": (r"^[^]|]x|y", False),
    "bar-in-a-comment": ("^Email  # or | phone\n  :", True),
    "escaped-paren": (r"^(?:a\)|b)", True),
    "no-caret": (r"\bImage\ Credit\s*:", False),
    "caret-in-a-later-branch": (r"(?:\bImage\ Credit|^File\ photo)", False),
}


@pytest.mark.parametrize(("pattern", "anchored"), list(ANCHORED.values()), ids=list(ANCHORED))
def test_starts_anchored(pattern, anchored):
    from audit.ingest.page import starts_anchored

    assert starts_anchored(pattern) is anchored


def test_the_line_filter_lets_through_every_line_a_rule_finds(rules, corpus):
    """The two-part filter passes every line some line or dateline rule finds (its only job)."""
    from audit.ingest.page import layout_of, line_spans

    layout = layout_of(rules)
    patterns = [rule.get("pattern") for rule in (*layout.lines, *layout.datelines)]
    lines = [d.text[s:e] for d in corpus.documents for s, e in line_spans(d.text)]
    found = [line for line in lines if any(p.search(line) for p in patterns)]
    assert len(found) > 20 and all(layout.prefilter.may_match(line) for line in found)
    assert layout.prefilter.anchored is not None and layout.prefilter.anywhere is not None
