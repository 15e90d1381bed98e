"""Text below any stage: splitting a text into sentences (offsets into the text, never copies); `guard`: a rule
pattern with a cheap look-ahead in front that finds the same matches faster."""

from __future__ import annotations

from audit.text.sentences import Settings, sentences

__all__ = ["Settings", "sentences"]
