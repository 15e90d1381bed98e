"""Ingest: read a corpus folder (txt, html, sources.toml), decode safely, clean, split, keep offsets.

Every span this stage hands on is a pair of offsets into `Document.text`: the file's decoded text for a
`.txt` page, the main text trafilatura extracts for an `.html` page. A claim's words can always be cut
back out of it.

One module a job: `read` (bytes, decoding, size limit), `manifest` (sources.toml), `html` (an HTML
page's main text and meta date), `page` (lines, page furniture, article splitting), `published`
(printed publication dates) and `corpus` (a folder read into a Corpus). Sentences are split by
audit.text; copies and stories across the corpus are found by audit.link. The names other modules
use are re-exported here, those of audit.link included.
"""

from __future__ import annotations

import importlib
from typing import Any

from audit.ingest.corpus import link_pages, read_corpus, read_document, read_pages
from audit.ingest.html import html_text
from audit.ingest.manifest import MANIFEST, make_source, read_manifest
from audit.ingest.page import DateHit, Layout, Page, classify, layout_of, split_articles, split_page
from audit.ingest.published import check_published, page_date, read_printed_date
from audit.ingest.read import HTML_SUFFIXES, MAX_BYTES, SUFFIXES, decode, read_bytes
from audit.text import sentences

# audit.link imports ingest, so importing it here would be a cycle: its names are looked up when first asked for.
_LINK_NAMES = {
    "article_key": "audit.link.copies",
    "find_copies": "audit.link.copies",
    "source_copies": "audit.link.copies",
    "assign_stories": "audit.link.stories",
    "story_scores": "audit.link.stories",
}

__all__ = [
    "HTML_SUFFIXES",
    "MANIFEST",
    "MAX_BYTES",
    "SUFFIXES",
    "DateHit",
    "Layout",
    "Page",
    "check_published",
    "classify",
    "decode",
    "html_text",
    "layout_of",
    "link_pages",
    "make_source",
    "page_date",
    "read_bytes",
    "read_corpus",
    "read_document",
    "read_pages",
    "read_manifest",
    "read_printed_date",
    "sentences",
    "split_articles",
    "split_page",
    "article_key",
    "assign_stories",
    "find_copies",
    "source_copies",
    "story_scores",
]


def __getattr__(name: str) -> Any:
    """A name of audit.link (copies, stories), still importable from audit.ingest as before the split."""
    if name in _LINK_NAMES:
        return getattr(importlib.import_module(_LINK_NAMES[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
