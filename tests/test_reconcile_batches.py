"""Reconciling a batch of whole stories at a time gives the tables of one pass over every claim (the
sources' weights learnt from all batches at once), and a batch holds whole stories within its bound."""

from __future__ import annotations

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from audit.reconcile import batches, reconcile
from audit.reconcile.batches import story_batches


@pytest.fixture(scope="module")
def whole(seed_audit, rules):
    """The seeds' claims reconciled in one batch."""
    return reconcile(seed_audit.claims, rules, seed_audit.corpus.article_copies())


@pytest.mark.parametrize("bound", [1, 7, 40], ids=["a-story-a-batch", "a-few-stories", "many-stories"])
def test_batches_of_stories_give_the_tables_of_one_pass(seed_audit, rules, whole, monkeypatch, bound):
    assert len(story_batches(seed_audit.claims, bound)) > 1  # the bound really cuts the seeds' claims
    monkeypatch.setattr(batches, "BATCH_CLAIMS", bound)
    claims, facts = reconcile(seed_audit.claims, rules, seed_audit.corpus.article_copies())
    assert_frame_equal(claims, whole[0])
    assert_frame_equal(facts, whole[1])


@pytest.mark.parametrize("bound", [1, 7, 40], ids=["a-story-a-batch", "a-few-stories", "many-stories"])
def test_a_batch_holds_whole_stories_within_its_bound(seed_audit, bound):
    claims = seed_audit.claims
    found = story_batches(claims, bound)
    rows = pl.concat(found).sort()
    assert rows.to_list() == list(range(claims.height))  # every claim in one batch exactly
    seen: set[str] = set()
    for batch in found:
        stories = set(claims[batch]["story"].to_list())
        assert not stories & seen  # no story cut between batches
        seen |= stories
        assert batch.len() <= bound or len(stories) == 1  # over the bound only a story alone
