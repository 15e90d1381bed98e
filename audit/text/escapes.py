"""Terminal escape sequences in a page's text, and the text as extraction reads it: each as spaces.

A page saved from a terminal (a coloured log, a capture) holds ECMA-48 sequences: CSI ("ESC[31m", "ESC[2J",
C1 "\x9b31m"), OSC ("ESC]0;title BEL") and two-byte escapes. They show nothing, and read as text their
digits glue to figures ("ESC[1m12" is no "m12"; "ESC[31mAt" no 31 milliampere-tonnes). Extraction reads
the text with each sequence as spaces of its own length, so every offset is the file's, and a claim's
words are still the file's own (`text == page_text[char_start:char_end]`).
"""

from __future__ import annotations

import re

_ESCAPE = re.compile(
    r"""
    (?: \x1b \[ | \x9b ) [\x30-\x3f]* [\x20-\x2f]* [\x40-\x7e]?  # CSI (ESC [ or C1): parameters, final byte
    | \x1b (?: \] [^\x07\x1b\n]{0,512} (?:\x07|\x1b\\)?   # OSC: text, ended by BEL or ESC and a backslash
           | [\x40-\x5f] )?                                # any other escape, or a lone ESC
    """,
    re.VERBOSE,
)


def blanked_escapes(text: str) -> str:
    """The text with its terminal escape sequences as spaces of the same length (the text itself when none)."""
    if "\x1b" not in text and "\x9b" not in text:
        return text
    return _ESCAPE.sub(lambda found: " " * len(found.group()), text)
