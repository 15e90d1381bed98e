"""Links between articles across sources: copies (shared text) and stories (the same event).

Link works on what ingest read (it imports ingest and model; ingest imports link only inside read_corpus).
Each name is imported from its module when first asked for: `audit.link.claim_copies` (what `audit
reconcile` needs) loads neither numpy nor the story grouping.
"""

from __future__ import annotations

from audit.lazy import lazy_names

_WHERE = {
    **dict.fromkeys(("article_key", "find_copies", "source_copies"), "copies"),
    **dict.fromkeys(("StorySettings", "assign_stories", "settings_of", "story_scores"), "stories"),
}

__all__ = [
    "StorySettings",
    "article_key",
    "assign_stories",
    "find_copies",
    "source_copies",
    "settings_of",
    "story_scores",
]


__getattr__ = lazy_names(__name__, _WHERE, globals())
