"""Copies across sources: a hand-made corpus of reposts marked as it always was, and the share threshold."""

from __future__ import annotations

import pytest

from audit.ingest import read_corpus
from audit.link.copies import _needed


def wire(first: int, last: int) -> str:
    """Sentences first..last-1 of a wire story (each holds its own numbers: its own shingles)."""
    return " ".join(
        f"Officials in district {n} said {n + 3} people were hurt when the storm hit the coast on Monday night."
        for n in range(first, last)
    )


def council(first: int, last: int) -> str:
    """Sentences of an unrelated council story."""
    return " ".join(
        f"The council approved plan number {n} for {n * 7} new homes near the river." for n in range(first, last)
    )


CASES = {
    # id: ({file stem: (body, published)}, {file stem: copy_of of its article}, source copies)
    "three-reposts-undated": (
        {"a": (wire(0, 40), ""), "b": (wire(0, 40), ""), "c": (wire(0, 40), "")},
        {"b": "a#1", "c": "a#1"},  # undated: the source that sorts first is the original of both
        {"b": "a", "c": "a"},
    ),
    "earliest-is-original": (
        {"a": (wire(0, 40), "2020-01-05"), "b": (wire(0, 40), "2020-01-04"), "c": (wire(0, 40), "2020-01-01")},
        {"a": "c#1", "b": "c#1"},  # a copies b (first in the corpus of its equal originals), b copies c
        {"a": "c", "b": "c"},
    ),
    "copy-of-a-copy": (
        # b holds all of a and more; c holds b's second half, which a never printed: c reaches a through b.
        {"a": (wire(0, 20), "2020-01-01"), "b": (wire(0, 40), "2020-01-02"), "c": (wire(20, 40), "2020-01-03")},
        {"b": "a#1", "c": "a#1"},
        {"b": "a", "c": "a"},
    ),
    "most-of-it-copied": (
        {"a": (wire(0, 40), ""), "b": (wire(0, 25) + " " + council(0, 15), "")},
        {"b": "a#1"},
        {"b": "a"},
    ),
    "less-than-half-copied": (
        {"a": (wire(0, 40), ""), "b": (wire(0, 15) + " " + council(0, 25), "")},
        {},
        {},
    ),
    "too-short-to-tell": (  # one sentence: fewer than 20 shingles
        {"a": (wire(0, 1), ""), "b": (wire(0, 1), "")},
        {},
        {},
    ),
    "unrelated": (
        {"a": (wire(0, 40), ""), "b": (council(0, 40), "")},
        {},
        {},
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_copies_of_a_hand_made_corpus(rules, tmp_path, case):
    pages, marked, copies = CASES[case]
    for stem, (body, _) in pages.items():
        (tmp_path / f"{stem}.txt").write_text(f"Storm report from the coast, part {stem}\n\n{body}\n", encoding="utf-8")
    manifest = "".join(f'[[source]]\nfile = "{s}.txt"\npublished = "{d}"\n' for s, (_, d) in pages.items() if d)
    (tmp_path / "sources.toml").write_text(manifest, encoding="utf-8")
    corpus = read_corpus(tmp_path, rules)
    got = {d.source.source_id: a.copy_of for d in corpus.documents for a in d.articles if a.copy_of}
    assert got == marked
    assert corpus.copies == copies


@pytest.mark.parametrize(
    ("count", "threshold", "needed"),
    [(20, 0.5, 10), (21, 0.5, 11), (10, 0.3, 3), (3, 1 / 3, 1), (10, 0.0, 1), (10, 1.0, 10), (10, 1.5, 11)],
    ids=["half-of-20", "half-of-21", "float-30-percent", "a-third", "no-threshold", "all", "more-than-all"],
)
def test_fewest_shared_shingles(count, threshold, needed):
    assert _needed(count, threshold) == needed


@pytest.mark.parametrize(
    ("cap", "marked"),
    [(3, {"b": "a#1", "c": "a#1"}), (2, {})],
    ids=["three-holders-under-the-cap", "over-the-cap-is-boilerplate"],
)
def test_shingles_held_by_more_articles_than_the_cap_count_as_unshared(rules, tmp_path, monkeypatch, cap, marked):
    import audit.link.copies as copies

    monkeypatch.setattr(copies, "MAX_HOLDERS", cap)
    for stem in "abc":
        (tmp_path / f"{stem}.txt").write_text(f"Storm report, part {stem}\n\n{wire(0, 40)}\n", encoding="utf-8")
    corpus = read_corpus(tmp_path, rules)
    assert {d.source.source_id: a.copy_of for d in corpus.documents for a in d.articles if a.copy_of} == marked
