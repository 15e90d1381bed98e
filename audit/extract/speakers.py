"""Speakers and denials: who a claim is attributed to ("said X") and whether a denial stands before it, from
`rules/speakers.toml`.
"""

from __future__ import annotations

import re

from audit.extract.context import SentenceInfo
from audit.extract.matchers import Matchers
from audit.text.literals import literals_of, lowered_text, may_match


def _cues(sentence_text: str, offset: int, m: Matchers) -> list[tuple[int, int, str]]:
    """Every attribution cue of a sentence: (start, end, speaker), speakers the settings reject left out."""
    out = []
    lowered = lowered_text(sentence_text, 0, len(sentence_text))  # a cue's words absent: its scan skipped
    for pattern in m.cue_patterns:
        if not may_match(literals_of(pattern), lowered):
            continue
        for found in pattern.finditer(sentence_text):
            speaker = re.sub(r"\s+", " ", found.groupdict().get("speaker") or "").strip(" ,.“”\"'")
            if m.trim_speaker is not None:
                speaker = m.trim_speaker.sub("", speaker)
            if not speaker or (m.not_speaker is not None and m.not_speaker.search(speaker)):
                continue
            out.append((offset + found.start(), offset + found.end(), speaker))
    return out


def _nearest_speaker(cues: list[tuple[int, int, str]], start: int, end: int) -> str:
    """The speaker of the cue nearest to a claim span."""
    best: tuple[int, str] | None = None
    for cue_start, cue_end, speaker in cues:
        distance = max(0, cue_start - end, start - cue_end)
        if best is None or distance < best[0]:
            best = (distance, speaker)
    return best[1] if best else ""


def _denials(sentence_text: str, offset: int, m: Matchers) -> list[int]:
    """Where each denial of a sentence starts."""
    lowered = lowered_text(sentence_text, 0, len(sentence_text))
    return [
        offset + f.start()
        for pattern in m.denial_patterns
        if may_match(literals_of(pattern), lowered)
        for f in pattern.finditer(sentence_text)
    ]


def _polarity(info: SentenceInfo, start: int) -> str:
    """'denied' when a denial stands before the claim in its sentence, else 'asserted'."""
    return "denied" if any(d < start for d in info.denials) else "asserted"
