"""Links between articles across sources: copies (shared text) and stories (the same event).

Link works on what ingest read (it imports ingest and model; ingest imports link only inside read_corpus).
"""

from __future__ import annotations

from audit.link.copies import article_key, find_copies, source_copies
from audit.link.stories import StorySettings, assign_stories, settings_of, story_scores

__all__ = [
    "StorySettings",
    "article_key",
    "assign_stories",
    "find_copies",
    "source_copies",
    "settings_of",
    "story_scores",
]
