"""Compiled regexes kept in the user cache (audit.rules.regexes): the same Patterns as `re` builds, or `re` itself."""

from __future__ import annotations

import re

import pytest

from audit.cache import KeptTable
from audit.rules import regexes
from audit.rules.compiled import compile_rules
from audit.rules.regexes import kept_regexes
from audit.text.guard import GUARDS, guarded
from audit.text.literals import LITERALS, required_literals

# (pattern, flags): named and numbered groups, a verbose comment, look-arounds, a conditional, a back-reference,
# case-blind letters with other-script case partners, a possessive repeat, an inline flag
PATTERNS = [
    pytest.param(r"(?P<year>\d{4})-(?P<month>\d\d)(?:-(\d\d))?", 0, "2020-01-17", id="groups"),
    pytest.param(r"colou?r  \s+ (?# a comment ) x  # and another", re.I | re.X, "COLOUR x", id="verbose"),
    pytest.param(r"(?<![\w-])(?:kill|die)s?(?=\s)", re.I, "it DIES now", id="look-arounds"),
    pytest.param(r"(<)?(?P<w>\w+)(?(1)>)\s(?P=w)", 0, "<ab> ab", id="conditional-backref"),
    pytest.param(r"[sk]ept", re.I, "\u017fept \u212aept", id="other-script-case"),
    pytest.param(r"(?:\d+,)*+\d", 0, "1,2,3", id="possessive"),
    pytest.param(r"(?s)a.b", 0, "a\nb", id="inline-flag"),
]


def _forget() -> None:
    """As in a new process: the kept tables read again from their files, re's own cache and the guards' empty."""
    for kept in (regexes._KEPT, GUARDS, LITERALS):
        kept.table, kept.new = None, False
    re.purge()  # re's own cache would answer before the kept patterns are asked
    guarded.cache_clear()
    required_literals.cache_clear()


@pytest.fixture
def fresh_kept(tmp_path, monkeypatch):
    """An empty cache folder and no patterns kept in this process yet."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("AUDIT_CACHE", raising=False)
    _forget()
    yield tmp_path / "audit" / "regexes"
    _forget()


def _same(kept: re.Pattern[str], fresh: re.Pattern[str], text: str) -> None:
    """Equal Patterns (flags, pattern, code), the same groups, the same matches."""
    assert kept == fresh
    assert (kept.groups, kept.groupindex, kept.flags) == (fresh.groups, fresh.groupindex, fresh.flags)
    assert [m.span() for m in kept.finditer(text)] == [m.span() for m in fresh.finditer(text)]
    assert kept.search(text) is not None


@pytest.mark.parametrize(("pattern", "flags", "text"), PATTERNS)
def test_kept_patterns_are_the_patterns_re_builds(fresh_kept, pattern, flags, text):
    with kept_regexes():  # compiled by re and kept
        first = re.compile(pattern, flags)
    assert len(list(fresh_kept.iterdir())) == 1
    _forget()  # another process: the table read from the file
    with kept_regexes():
        kept = re.compile(pattern, flags)
        assert not regexes._KEPT.new  # built from the kept entry, nothing compiled again
    re.purge()
    fresh = re.compile(pattern, flags)
    assert kept is not fresh
    _same(first, fresh, text)
    _same(kept, fresh, text)


def test_re_is_itself_again_after(fresh_kept):
    compile_before = re._compiler.compile
    with kept_regexes(), kept_regexes():  # nested: restored by the outermost
        assert re._compiler.compile is not compile_before
    assert re._compiler.compile is compile_before


def test_cache_off_leaves_re_alone(fresh_kept, monkeypatch):
    monkeypatch.setenv("AUDIT_CACHE", "off")
    compile_before = re._compiler.compile
    with kept_regexes():
        assert re._compiler.compile is compile_before
        re.compile(r"\d+ off")
    assert not fresh_kept.exists()


def test_a_bad_pattern_is_re_s_error(fresh_kept):
    with kept_regexes(), pytest.raises(re.error, match="missing"):
        re.compile(r"(unclosed")


@pytest.mark.parametrize("damage", [b"", b"not marshal", b"\xe9\x00\x00"], ids=["empty", "garbage", "truncated"])
def test_a_corrupt_entry_is_ignored(fresh_kept, damage):
    with kept_regexes():
        re.compile(r"(?P<n>\d+) corrupt")
    entry = next(fresh_kept.iterdir())
    entry.write_bytes(damage)
    _forget()
    with kept_regexes():
        assert re.compile(r"(?P<n>\d+) corrupt").match("12 corrupt").group("n") == "12"


def test_the_rules_compile_the_same_from_kept_patterns(fresh_kept, monkeypatch):
    cold = compile_rules()
    _forget()
    news = []
    monkeypatch.setattr(KeptTable, "save", lambda kept: news.append((kept.kind, kept.new)))
    warm = compile_rules()
    # every pattern, guard and literal found kept: the rules build the same patterns in every process
    assert news == [("regexes", False), ("guards", False), ("literals", False)]
    for name in ("verb", "verb_after", "known", "unit_after", "boundary", "noise", "cue_patterns", "vague"):
        assert getattr(warm.matchers, name) == getattr(cold.matchers, name)
    assert warm.dates.shapes.keys() == cold.dates.shapes.keys()
    for key, (pattern, near) in cold.dates.shapes.items():
        assert warm.dates.shapes[key] == (pattern, near)


@pytest.mark.parametrize(
    ("asker", "kept"),
    [
        ("tokenize", False),
        ("quantulum3.regex", False),
        ("quantulum3", False),
        ("audit.extract.matchers", True),
        ("rich.markup", True),
        ("re_helpers", True),
        ("quantulum3x", True),
    ],
    ids=[
        "tokenize-hash-ordered",
        "quantulum3-unit-names-hash-ordered",
        "quantulum3-itself",
        "ours",
        "a-library",
        "named-like-re",
        "a-package-only-named-like-it",
    ],
)
def test_patterns_that_differ_by_process_are_not_kept(fresh_kept, asker, kept):
    pattern = f"(?:{asker})+z"
    ask = eval("lambda: re.compile(pattern)", {"__name__": asker, "re": re, "pattern": pattern})  # noqa: S307
    with kept_regexes():
        assert ask().pattern == pattern
    assert ((pattern, 0) in regexes._KEPT.load()) is kept


@pytest.mark.parametrize(("words", "kept"), [(10, True), (40_000, False)], ids=["small", "opcodes-past-the-cap"])
def test_a_pattern_too_big_to_read_back_is_not_kept(fresh_kept, words, kept):
    pattern = "|".join(f"w{n}x" for n in range(words))  # some 8 opcode words an alternative
    with kept_regexes():
        assert re.compile(pattern).match(f"w{words - 1}x")
    assert ((pattern, 0) in regexes._KEPT.load()) is kept
