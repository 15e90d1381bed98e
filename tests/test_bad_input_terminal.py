"""Escape codes from a page, a manifest or a file name never reach the terminal raw: every screen and
table shows them as visible characters ("ESC[2J" as "␛[2J"), so a headline cannot clear the screen, set
the window title (OSC) or reverse the text that follows it (a bidi override). Extraction reads a terminal
escape sequence as spaces (audit.text.escapes): no figure is read out of one."""

from __future__ import annotations

import polars as pl
import pytest
from click.testing import CliRunner

from audit.cli import cli
from tests.test_bad_input import _build

SEQUENCES = {  # what a page smuggles in, and how the screen must show it
    "csi-clear-screen": ("\x1b[2J", "␛[2J"),
    "osc-window-title": ("\x1b]0;owned\x07", "␛]0;owned␇"),
    "c1-csi-red": ("\x9b31m", "\\u009b31m"),
    "bidi-override": ("\u202eevil", "\\u202eevil"),
    "bidi-isolate": ("\u2066evil\u2069", "\\u2066evil\\u2069"),
    "backspaces": ("safe\x08\x08\x08\x08", "safe␈␈␈␈"),
}
RAW = ("\x1b", "\x9b", "\x07", "\x08", "\u202e", "\u2066", "\u2069")
COMMANDS = {
    "run-screen": ["run", "{folder}", "-o", "{out}", "--width", "240", "--all"],
    "run-claims": ["run", "{folder}", "-o", "{out}", "--width", "240", "--claims", "--limit", "0"],
    "run-sources": ["run", "{folder}", "-o", "{out}", "--width", "240", "--all", "--sources"],
    "sources": ["sources", "{folder}", "--width", "240"],
}
BODY = "Five soldiers were wounded in the attack on the base north of the city, officials said. "


def _corpus(tmp_path, bad: str):
    """A page with the sequence in its headline, its outlet (the manifest) and its body, and a page whose
    file name holds it."""
    folder = tmp_path / "corpus"
    escaped = "".join(ch if ch.isprintable() and ch.isascii() else f"\\u{ord(ch):04x}" for ch in bad)  # TOML
    _build(
        folder,
        {
            "a.txt": f"Blast {bad} hits the base\n\nAt least 11 missiles struck the base. {BODY * 3}\n".encode(),
            f"b {bad}.txt": b"Blast over the base\n\nAt least 12 missiles struck the base, the Pentagon said.\n",
            "sources.toml": f'[[source]]\nfile = "a.txt"\noutlet = "Wire {escaped}"\n'.encode(),
        },
    )
    return folder


CASES = [(s, c) for s in SEQUENCES for c in COMMANDS]


@pytest.mark.parametrize(("sequence", "command"), CASES, ids=[f"{s}-{c}" for s, c in CASES])
def test_no_escape_code_reaches_the_terminal(tmp_path, sequence, command):
    bad, shown = SEQUENCES[sequence]
    folder = _corpus(tmp_path, bad)
    args = [a.format(folder=folder, out=tmp_path / "out") for a in COMMANDS[command]]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    leaked = [line for line in result.output.splitlines() if any(ch in line for ch in RAW)]
    assert leaked == []
    assert f"Wire {shown}" in result.output or command == "run-claims" and f"Wire {shown[:3]}" in result.output
    assert f"b {shown}" in result.output or f"b {shown[:3]}" in result.output  # the file name (perhaps cut "…")


# A page saved from a terminal: extraction reads its escape sequences as spaces of their own length, so no
# figure glues to them ("ESC[1m12" is no "m12"; "ESC[31mAt" no 31 milliampere-tonnes), and a claim's words
# and offsets are still the file's. (page body, the claims' words and values)
ESCAPED_BODIES = {
    "bold-count": ("Rebels killed \x1b[1m12\x1b[0m soldiers.", [("12\x1b[0m soldiers", 12)]),
    "bold-amount": ("The firm paid \x1b[1m$5 million\x1b[0m to settle.", [("$5 million", 5_000_000)]),
    "colour-before-hedge": ("\x1b[2J\x1b[31mAt least 12 people were killed.\x1b[0m", [("At least 12 people", 12)]),
    "c1-csi": ("\x9b31mAt least 4 people died.", [("At least 4 people", 4)]),
    "osc-title": ("Title \x1b]0;owned 5\x07 and 3 tanks were hit.", [("3 tanks", 3)]),
}


@pytest.mark.parametrize("case", sorted(ESCAPED_BODIES))
def test_escape_sequences_read_as_spaces(tmp_path, case):
    from audit.pipeline import audit_folder

    body, want = ESCAPED_BODIES[case]
    raw = f"Attack on the base\n{body}\n"
    (tmp_path / "a.txt").write_text(raw, encoding="utf-8")
    claims = audit_folder(tmp_path, jobs=1).claims.filter(pl.col("kind") != "date").sort("char_start")
    assert [(c["text"], float(c["value"])) for c in claims.iter_rows(named=True)] == want
    assert all(raw[c["char_start"] : c["char_end"]] == c["text"] for c in claims.iter_rows(named=True))


BLANKED = {  # text, the text as extraction reads it
    "csi-colour": ("a\x1b[1;31mb\x1b[0mc", "a       b    c"),
    "csi-clear": ("\x1b[2J12", "    12"),
    "c1-csi": ("\x9b31m4", "    4"),
    "osc-bel": ("\x1b]0;t 5\x07x", "        x"),
    "osc-st": ("\x1b]2;t\x1b\\x", "       x"),
    "two-byte": ("\x1bM7", "  7"),
    "lone-esc": ("\x1b 7", "  7"),
    "none": ("plain 5 text", "plain 5 text"),
}


@pytest.mark.parametrize("case", sorted(BLANKED))
def test_escape_sequences_blanked(case):
    from audit.text.escapes import blanked_escapes

    text, want = BLANKED[case]
    assert blanked_escapes(text) == want and len(want) == len(text)
