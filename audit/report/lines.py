"""One line per message: warnings are never wrapped, and nothing in them can break or hide a line.

A warning may quote a page ("a.txt: date 'Jan\\n5' does not parse") or a file name that holds a newline,
a carriage return, an escape sequence or a right-to-left override. Written as they are, those would
split the warning over lines, rewrite the terminal or reorder the text. Here each is made visible: the
C0 controls as their Unicode pictures (a newline is "␤", a tab "␉", an escape "␛"), the other line
breaks and the invisible format characters as escapes ("\\u2028", "\\u202e").

The terminal tables get the same treatment through `ShownText` (a rich Text that makes them visible as
text is put in, a newline aside: a cell may wrap), so that a headline, an outlet or a file name holding
"ESC[2J" or an OSC title sequence shows as "␛[2J" and never clears the screen or renames the window.
"""

from __future__ import annotations

import unicodedata

from rich.text import Text

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


def on_screen(text: str) -> str:
    """Text made safe for a terminal table cell: as one_line, but a newline is kept (the cell wraps there)."""
    if text.isprintable():
        return text
    return "".join(char if char == "\n" else visible(char) for char in text)


class ShownText(Text):
    """A rich Text whose control, escape and direction characters are made visible as text is put in."""

    def __init__(self, text: str = "", *args, **kwargs) -> None:
        super().__init__(on_screen(text), *args, **kwargs)

    def append(self, text, style=None):
        """Append a string (made visible) or another Text (made visible when it is not a ShownText)."""
        if isinstance(text, str):
            text = on_screen(text)
        elif isinstance(text, Text) and not isinstance(text, ShownText) and on_screen(text.plain) != text.plain:
            text = ShownText(text.plain, style=text.style)  # its spans no longer fit: the whole keeps its style
        return super().append(text, style)
