"""The user cache (audit.cache, audit.lexicon): it only saves time; stale, corrupt or unusable entries are ignored."""

from __future__ import annotations

import dataclasses
import sqlite3

import pytest

from audit import cache, lexicon
from audit.extract import examples
from audit.rules import load_rules

SMALL_TABLE = {"the": 0.05, "earthquake": 8.9e-6, "said": 0.002}


@pytest.fixture
def fresh_cache(tmp_path, monkeypatch):
    """An empty cache folder of this test's own, the lexicon's loaded tables forgotten before and after."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("AUDIT_CACHE", raising=False)
    lexicon.english_frequencies.cache_clear()
    lexicon._lemmatizer.cache_clear()
    lexicon._kept_lemmas.cache_clear()
    yield tmp_path / "cache" / "audit"
    lexicon.english_frequencies.cache_clear()
    lexicon._lemmatizer.cache_clear()
    lexicon._kept_lemmas.cache_clear()


@pytest.fixture
def small_wordfreq(monkeypatch):
    """wordfreq's table replaced by three words (building the real one takes a second)."""
    calls = []

    def table():
        calls.append(1)
        return dict(SMALL_TABLE)

    monkeypatch.setattr(lexicon, "_wordfreq_table", table)
    return calls


@pytest.mark.parametrize(
    ("setting", "cached"),
    [("", True), ("off", False), ("0", False), ("OFF", False), ("on", True)],
    ids=["unset", "off", "zero", "upper-case-off", "on"],
)
def test_audit_cache_off(monkeypatch, tmp_path, setting, cached):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setenv("AUDIT_CACHE", setting)
    assert (cache.cache_dir() == tmp_path / "audit") is cached
    assert (cache.entry_path("examples", "x") is not None) is cached


def test_entries_differ_by_parts_and_code(fresh_cache):
    with_code = cache.entry_path("wordfreq", "en", "3.1")
    without = cache.entry_path("wordfreq", "en", "3.1", code=False)
    other_version = cache.entry_path("wordfreq", "en", "3.2", code=False)
    assert len({with_code, without, other_version}) == 3
    assert without == cache.entry_path("wordfreq", "en", "3.1", code=False)


def test_examples_checked_once_for_the_same_files(fresh_cache, monkeypatch):
    rules = load_rules()
    assert rules.cache_key == rules.digest
    examples.check_examples(rules)
    assert cache.has_stamp("examples", rules.digest)
    ran = []
    monkeypatch.setattr(examples, "example_problem", lambda *args: ran.append(args) or "")
    examples.check_examples(rules)
    assert ran == []  # the stamp says these files passed with this code


def test_an_edited_rule_set_is_checked_again(fresh_cache, monkeypatch):
    rules = load_rules()
    examples.check_examples(rules)
    edited = dataclasses.replace(rules, settings=dict(rules.settings))
    assert edited.digest == rules.digest and edited.cache_key == ""
    monkeypatch.setattr(examples, "example_problem", lambda *args: "broken on purpose")
    with pytest.raises(Exception, match="broken on purpose"):
        examples.check_examples(edited)


def test_a_failing_check_writes_no_stamp(fresh_cache, monkeypatch):
    rules = load_rules()
    monkeypatch.setattr(examples, "example_problem", lambda *args: "broken on purpose")
    with pytest.raises(Exception, match="broken on purpose"):
        examples.check_examples(rules)
    assert not cache.has_stamp("examples", rules.digest)


def test_frequencies_built_once_then_read_word_by_word(fresh_cache, small_wordfreq):
    table = lexicon.english_frequencies()
    assert isinstance(table, lexicon.Frequencies)
    assert [table.get(w) for w in ("the", "earthquake", "qwzx")] == [0.05, 8.9e-6, None]
    assert table.get("qwzx", 0.0) == 0.0
    lexicon.english_frequencies.cache_clear()
    again = lexicon.english_frequencies()
    assert again.get("said") == 0.002 and small_wordfreq == [1]  # the second run reads the file


PREFETCHED = {
    # id: (words read at once, then asked for one by one)
    "known-and-unknown": (["the", "qwzx", "earthquake"], ["the", "earthquake", "qwzx", "said"]),
    "repeated-and-met-before": (["said", "said", "the"], ["said", "the"]),
    "nothing": ([], ["the"]),
    "more-than-one-query": ([f"w{n}" for n in range(1_200)] + ["said"], ["said", "w7", "the"]),
}


@pytest.mark.parametrize(("ahead", "asked"), list(PREFETCHED.values()), ids=list(PREFETCHED))
def test_prefetched_frequencies_are_the_ones_read_word_by_word(fresh_cache, small_wordfreq, ahead, asked):
    lexicon.english_frequencies().get("the")  # the file built, and one word met before the prefetch
    one = lexicon.english_frequencies()
    other = lexicon.Frequencies(one._path)
    other.get("the")
    other.prefetch(ahead)
    assert set(ahead) <= set(other._seen)  # read ahead: `get` asks the file for none of them
    assert [other.get(w) for w in asked] == [one.get(w) for w in asked]
    assert other.get("qwzx", 0.0) == 0.0


@pytest.mark.parametrize(
    "content",
    [b"not a database at all", b"", b"SQLite format 3\x00" + b"\x00" * 80],
    ids=["garbage", "empty", "truncated-header"],
)
def test_corrupt_frequency_file_is_rebuilt(fresh_cache, small_wordfreq, content):
    path = cache.entry_path("wordfreq", "en", cache.library_version("wordfreq"), code=False).with_suffix(".sqlite")
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    table = lexicon.english_frequencies()
    assert table.get("the") == 0.05 and small_wordfreq == [1]
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT count(*) FROM words").fetchone() == (3,)


def test_unwritable_cache_uses_the_library(tmp_path, monkeypatch, small_wordfreq):
    blocker = tmp_path / "a-file"
    blocker.write_text("the cache folder cannot be made under a file")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    lexicon.english_frequencies.cache_clear()
    try:
        assert lexicon.english_frequencies() == SMALL_TABLE
    finally:
        lexicon.english_frequencies.cache_clear()


def test_frequencies_match_wordfreq(fresh_cache):
    from wordfreq import get_frequency_dict

    direct = get_frequency_dict("en")
    cached = lexicon.english_frequencies()
    words = ["the", "said", "earthquake", "tsunami", "us", "magnitude", "Haiti", "qwzxy", "people's"]
    assert [cached.get(w) for w in words] == [direct.get(w) for w in words]


@pytest.mark.parametrize(
    "word",
    ["killed", "injuries", "bodies", "capsized", "quakes", "dying", "nabbed", "us-led", "people", "Haiti"],
)
def test_lemma_is_simplemmas(fresh_cache, word):
    import simplemma

    assert lexicon.english_lemma(word) == simplemma.lemmatize(word, lang="en")


LEMMA_WORDS = ["killed", "injuries", "bodies", "capsized", "quakes", "dying", "nabbed", "us-led", "people", "Haiti"]


def test_kept_lemmas_answer_without_simplemma(fresh_cache, monkeypatch):
    import simplemma

    want = [simplemma.lemmatize(word, lang="en") for word in LEMMA_WORDS]
    assert [lexicon.english_lemma(word) for word in LEMMA_WORDS] == want
    lexicon._kept_lemmas().save()  # what the process does when it ends
    lexicon._kept_lemmas.cache_clear()  # as a new process finds it
    monkeypatch.setattr(lexicon, "_lemmatized", lambda word: pytest.fail(f"simplemma asked for {word!r}"))
    assert [lexicon.english_lemma(word) for word in LEMMA_WORDS] == want


@pytest.mark.parametrize(
    "content", [b"garbage", b"", b"\xe3\x01\x02", b"\xfb\x00"], ids=["garbage", "empty", "bad", "not-a-dict"]
)
def test_corrupt_kept_lemmas_are_asked_again(fresh_cache, content):
    import simplemma

    path = lexicon._kept_lemmas().path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    lexicon._kept_lemmas.cache_clear()
    assert [lexicon.english_lemma(word) for word in LEMMA_WORDS] == [
        simplemma.lemmatize(word, lang="en") for word in LEMMA_WORDS
    ]


def test_kept_lemmas_stop_growing_at_their_limit(fresh_cache, monkeypatch):
    monkeypatch.setattr(lexicon, "KEPT_WORDS", 3)
    for word in LEMMA_WORDS:
        lexicon.english_lemma(word)
    assert len(lexicon._kept_lemmas().load()) == 3
    assert lexicon.english_lemma("bodies") == "body"  # past the limit, simplemma answers


@pytest.mark.parametrize("content", [b"garbage", b"", b"\xe3\x01\x02"], ids=["garbage", "empty", "bad-marshal"])
def test_corrupt_lemma_dictionary_is_rewritten(fresh_cache, content):
    import simplemma

    path = cache.entry_path("simplemma", "en", cache.library_version("simplemma"), code=False)
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    assert lexicon.english_lemma("injuries") == simplemma.lemmatize("injuries", lang="en")
    assert path.stat().st_size > 1_000_000  # the decoded dictionary, written whole


@pytest.mark.parametrize(
    "text",
    ['a = "x"\nb = [1, 2]\n', 'a = """one\r\ntwo"""\r\n', "[t]\nk = 1.5\n"],
    ids=["plain", "crlf-multiline", "table"],
)
def test_parsed_toml_is_tomllibs_twice(fresh_cache, tmp_path, text):
    import tomllib

    from audit.rules.parsed import parsed_toml

    file = tmp_path / "r.toml"
    file.write_bytes(text.encode())
    want = tomllib.loads(file.read_text(encoding="utf-8"))
    assert parsed_toml(file.read_bytes()) == want
    assert parsed_toml(file.read_bytes()) == want  # the second from the cache


def test_corrupt_parsed_toml_is_parsed_again(fresh_cache):
    import hashlib

    from audit.rules.parsed import parsed_toml

    data = b'a = "x"\n'
    path = cache.entry_path("toml", hashlib.sha256(data).hexdigest(), code=False)
    path.parent.mkdir(parents=True)
    path.write_bytes(b"\x00garbage")
    assert parsed_toml(data) == {"a": "x"}


def test_bad_toml_is_refused_every_time(fresh_cache):
    import tomllib

    from audit.rules.parsed import parsed_toml

    for _ in range(2):
        with pytest.raises(tomllib.TOMLDecodeError):
            parsed_toml(b"a = = 1\n")


def test_an_unsafe_regex_is_refused_every_time(fresh_cache):
    import re

    from audit.rules.parsed import KnownSafe

    unsafe, safe = re.compile(r"(a+)+$"), re.compile(r"\d+ km")
    for _ in range(2):
        known = KnownSafe()
        assert known.problem(unsafe) and not known.problem(safe)
        known.save()
    assert KnownSafe()._load() == {f"{safe.flags}\0{safe.pattern}"}


@pytest.mark.parametrize(
    "name",
    ["polars", "jinja2", "Jinja2", "polars-runtime-32", "polars_runtime_32", "simplemma", "wordfreq", "no-such-lib"],
    ids=["plain", "lower-case", "capitalised", "dashes", "underscores", "simplemma", "wordfreq", "not-installed"],
)
def test_library_versions_are_importlib_metadatas(name):
    from importlib import metadata

    try:
        want = metadata.version(name)
    except metadata.PackageNotFoundError:
        want = "none"
    assert cache.library_version(name) == want


def _page(seed_audit) -> str:
    from audit.report import html

    html._environment.cache_clear()  # as a new process: templates loaded (kept code, or compiled) again
    return html.html_text(seed_audit.claims, seed_audit.facts, seed_audit.corpus)


@pytest.mark.parametrize("content", [None, b"garbage", b"", b"j2\x00\x00"], ids=["whole", "garbage", "empty", "cut"])
def test_kept_templates_give_the_same_page(fresh_cache, seed_audit, monkeypatch, content):
    import jinja2

    first = _page(seed_audit)  # compiled and kept
    kept = sorted((fresh_cache / "templates").iterdir())
    assert len(kept) == 3  # report.html, _fact.html, _macros.html
    if content is not None:
        for path in kept:
            path.write_bytes(content)
    compiled = []
    original = jinja2.Environment.compile
    monkeypatch.setattr(jinja2.Environment, "compile", lambda *a, **k: compiled.append(1) or original(*a, **k))
    assert _page(seed_audit) == first
    assert len(compiled) == (0 if content is None else 3)  # kept code used, else compiled again
