"""One line per message: warnings are never wrapped, and nothing in them can break or hide a line.

A warning may quote a page ("a.txt: date 'Jan\\n5' does not parse") or a file name that holds a newline,
a carriage return, an escape sequence or a right-to-left override. Written as they are, those would
split the warning over lines, rewrite the terminal or reorder the text. Here each is made visible: the
C0 controls as their Unicode pictures (a newline is "␤", a tab "␉", an escape "␛"), the other line
breaks and the invisible format characters as escapes ("\\u2028", "\\u202e").
"""

from __future__ import annotations

import unicodedata

_PICTURES = {0x0A: "\u2424", 0x7F: "\u2421"}  # ␤ for a newline reads better than ␊; ␡ for DEL


def visible(char: str) -> str:
    """A character that could break, hide or reorder a line, made visible; any other unchanged."""
    code = ord(char)
    if code < 0x20 or code == 0x7F:
        return _PICTURES.get(code, chr(0x2400 + code))
    if unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp") and char != "\u00ad":
        return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"
    return char


def one_line(text: str) -> str:
    """Text made safe to print as exactly one line."""
    if text.isprintable():
        return text
    return "".join(visible(char) for char in text)
