"""Text below any stage: splitting a text into sentences (offsets into the text, never copies)."""

from __future__ import annotations

from audit.text.sentences import Settings, sentences

__all__ = ["Settings", "sentences"]
