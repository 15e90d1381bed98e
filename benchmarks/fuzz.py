"""Fuzzing the whole read path (read -> decode -> page -> extract) with hostile pages, and its invariants.

Each input is a page file built from what saved news pages are made of (news words, figures, hedges,
dates) mixed with what hostile or broken pages hold: odd spaces, every dash, right-to-left text and bidi
overrides, escape codes (CSI, OSC, C1), emoji, long digit runs glued to letters, NULs, stray cp1252
bytes, a UTF-16 or UTF-32 encoding with or without a byte-order mark, broken HTML, deep nesting. Each
goes through `read_document` and `extract_corpus` unguarded, and must keep the invariants:
- no exception but an AuditError, and that one line, naming the file;
- every claim's `text == page[char_start:char_end]`, offsets inside the page, unique claim ids;
- `low <= high` where both are given, and no value, low or high that is NaN or infinite;
- each input done within `--slow` seconds (a slow input is reported, with its size).

    .venv/bin/python benchmarks/fuzz.py [--count 1000000] [--seed 0] [--slow 2.0] [--save DIR] [--jobs 2]

Prints a progress line every `--every` inputs and a summary: inputs, crashes, broken invariants, slow
inputs, the slowest input's seconds and inputs per second. `--save DIR` keeps every failing input
(as DIR/<number><suffix>) for replaying it. The exit status is 1 when anything failed. The pieces and
the checks are shared with tests/test_fuzz_read_path.py (which drives them with hypothesis).
"""

from __future__ import annotations

import argparse
import math
import multiprocessing
import random
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from audit.errors import AuditError  # noqa: E402
from audit.extract import extract_corpus  # noqa: E402
from audit.ingest import layout_of, read_document  # noqa: E402
from audit.model import Corpus  # noqa: E402
from audit.rules import load_rules  # noqa: E402

WORDS = [
    "At least", "more than", "nearly", "about", "up to", "dozens of", "some", "11", "50", "1,500", "2.3",
    "5 200", "1\u00a0500\u00a0000", "2\u202f300", "$2.3bn", "61%", "10 million litres", "€4.1 billion",
    "missiles", "troops", "soldiers", "killed", "wounded", "injured", "hostages", "displaced",
    "no fatalities", "denied reports that", "the Pentagon said", "said", "on Tuesday", "January 8, 2020",
    "Jan. 8", "8/1/2020", "2020-01-08", "last week", "two days ago", "since October", "a 10-day pause",
    "three weeks", "between 10 and 20", "10-20", "from 5 to 3", "U.S.", "Gen.", "Mr.", "F-16", "MQ-9",
    "+91-130-2222", "00:00", "TRENDING", "ALSO READ:", "Updated: 17-01-2020 00:59 IST", "87 mph", "256GB",
    "40 kPa", "1e400", "nan", "inf", "-5", "0", "0.0000001", "99999999999999999999", ".", ",", "!", "?",
    "…", "...", '"', "“", "”", "'", "’", "(", ")", "—", ":", ";",
]  # fmt: skip
ODD = [
    "\xa0", "\u2007", "\u202f", "\u2009", "\u200b", "\u2060", "\ufeff", "\t", "\r", "\r\n", "\n", "\n\n",
    "\u2010", "\u2011", "\u2013", "\u2014", "\u2212", "\ufe58", "\uff0d", "قتل ٥٠ جندياً", "נפצעו 11",
    "\u200f", "\u200e", "\u202e", "\u202d", "\u2066", "\u2069", "١٢٣", "۱۲۳", "१२३", "😀", "👍🏽",
    "👨\u200d👩\u200d👧", "🇮🇶", "\x00", "\x01", "\x07", "\x1b", "\x1b[2J", "\x1b]0;owned\x07", "\x9b31m",
    "\x85", "\x7f", "\u2028", "\u2029", "é", "e\u0301", "ﬁ", "Ⅻ", "½", "²", "𝟓𝟎", "５０", "\ud7ff",
]  # fmt: skip
TAGS = ["<p>", "</p>", "<b>", "</i>", "<div", "<br>", "<td>", "<!--", "<h1>", "<title>", "<script>", "&amp;",
        "&#27;", "&#x202e;", "<meta charset='utf-16'>"]  # fmt: skip
GAPS = [" ", " ", " ", "\xa0", "\n", "\n\n", "", "\r\n", "\t"]


def page_text(rnd: random.Random, pieces: int) -> str:
    """A headline and paragraphs of `pieces` pieces: words, figures, odd characters, digit runs, noise."""
    out = []
    for _ in range(pieces):
        roll = rnd.random()
        if roll < 0.45:
            piece = rnd.choice(WORDS)
        elif roll < 0.6:
            piece = str(rnd.randint(0, 10 ** rnd.randint(1, 9)))
        elif roll < 0.78:
            piece = rnd.choice(ODD)
        elif roll < 0.83:
            piece = str(rnd.randint(1, 9)) * rnd.randint(16, 200) + rnd.choice(["", "sit", "GB", " km", "x9"])
        else:
            piece = "".join(chr(rnd.choice((rnd.randint(32, 0x2FF), rnd.randint(0, 0xD7FF)))) for _ in range(4))
        out.append(piece + rnd.choice(GAPS))
        if rnd.random() < 0.08:
            out.append("\n\n")
    return "Blast at the base\n\n" + "".join(out) if rnd.random() < 0.7 else "".join(out)


def as_html(rnd: random.Random, text: str) -> str:
    """The text as a (perhaps broken, perhaps deeply nested) HTML page."""
    depth = rnd.choice([0, 0, 0, 3, 50, 260])
    lines = [rnd.choice(TAGS) + line for line in text.split("\n")]
    return f"<html><head><title>{lines[0]}</title></head><body>{'<div>' * depth}{''.join(lines)}</body></html>"


ENCODINGS = ["utf-8"] * 8 + ["utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "cp1252"]


def encoded(rnd: random.Random, text: str) -> bytes:
    """The page's bytes in some encoding; now and then with a stray cp1252 byte or cut mid-character."""
    encoding = rnd.choice(ENCODINGS)
    data = text.encode(encoding, errors="replace" if encoding == "cp1252" else "surrogatepass")
    roll = rnd.random()
    if roll < 0.05:
        at = rnd.randrange(len(data) + 1)
        data = data[:at] + b"\x92" + data[at:]
    elif roll < 0.08:
        data = data[: max(0, len(data) - 1)]
    return data


def generate(seed: int, number: int) -> tuple[bytes, str]:
    """Input `number` of the run seeded `seed`: its bytes and suffix (the same on every machine)."""
    rnd = random.Random(seed * 1_000_003 + number)
    text = page_text(rnd, min(120, 1 + int(rnd.expovariate(1 / 20))))  # mostly short, now and then long
    if rnd.random() < 0.25:
        return encoded(rnd, as_html(rnd, text)), ".html"
    return encoded(rnd, text), ".txt"


@dataclass(frozen=True)
class Checker:
    """The stages with the bundled rules, and a folder to write each input into."""

    rules: object
    layout: object
    folder: Path

    @classmethod
    def create(cls, folder: Path) -> Checker:
        rules = load_rules()
        return cls(rules, layout_of(rules), folder)

    def problems(self, data: bytes, suffix: str) -> list[str]:
        """What is wrong when this page goes through the read path: [] when every invariant holds."""
        path = self.folder / f"page{suffix}"
        path.write_bytes(data)
        try:
            document = read_document(path, {}, self.layout)
        except AuditError as exc:
            message = str(exc)
            if not message.startswith(path.name) or "\n" in message or "\r" in message:
                return [f"error not one line naming the file: {message[:200]!r}"]
            return []
        claims = extract_corpus(Corpus("fuzz", (document,)), self.rules)
        return claim_problems(document.text, claims)


def claim_problems(text: str, claims) -> list[str]:
    """Broken invariants among one page's claims."""
    out = []
    if len({c.claim_id for c in claims}) != len(claims):
        out.append("claim ids not unique")
    for c in claims:
        if not (0 <= c.char_start < c.char_end <= len(text)) or c.text != text[c.char_start : c.char_end]:
            out.append(f"text {c.text!r} is not page[{c.char_start}:{c.char_end}]")
        numbers = [x for x in (c.value, c.low, c.high) if x is not None]
        if any(math.isnan(x) or math.isinf(x) for x in numbers):
            out.append(f"{c.text!r}: value {c.value}, low {c.low}, high {c.high} not finite")
        elif c.low is not None and c.high is not None and c.low > c.high:
            out.append(f"{c.text!r}: low {c.low} > high {c.high}")
    return out


@dataclass
class Tally:
    """What a fuzz run found."""

    inputs: int = 0
    crashes: int = 0
    broken: int = 0
    slow: int = 0
    slowest: float = 0.0
    seconds: float = 0.0
    first: list[str] = field(default_factory=list)  # the first few failures, one line each

    def line(self) -> str:
        rate = self.inputs / self.seconds if self.seconds else 0.0
        return (
            f"{self.inputs} inputs: {self.crashes} crashes, {self.broken} with broken invariants, {self.slow} slow; "
            f"slowest {self.slowest:.2f} s; {rate:.0f} inputs/s"
        )


def run(count: int, seed: int, slow: float, save: Path | None, every: int, share: tuple[int, int] = (0, 1)) -> Tally:
    """Fuzz the inputs `share[0]`, `share[0] + share[1]`, ... below `count`; print progress every `every`."""
    part, parts = share
    tally = Tally()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        checker = Checker.create(Path(folder))
        checker.problems(b"Blast\n\nA 40 kPa wave. At least 5 died on Jan. 8.", ".txt")  # imports: not timed
        checker.problems(b"<html><body><p>At least 5 died.</p></body></html>", ".html")
        started = time.perf_counter()
        for number in range(part, count, parts):
            data, suffix = generate(seed, number)
            before = time.perf_counter()
            try:
                problems = checker.problems(data, suffix)
                kind = "broken" if problems else ""
            except Exception as exc:  # noqa: BLE001  a crash is what is counted
                problems, kind = [f"{type(exc).__name__}: {str(exc)[:200]}"], "crash"
            took = time.perf_counter() - before
            tally.inputs += 1
            tally.slowest = max(tally.slowest, took)
            if took > slow:
                tally.slow += 1
                problems, kind = [*problems, f"took {took:.2f} s ({len(data)} bytes)"], kind or "slow"
            if kind == "crash":
                tally.crashes += 1
            elif kind == "broken":
                tally.broken += 1
            if problems:
                if len(tally.first) < 20:
                    tally.first.append(f"#{number}{suffix} ({kind}): {'; '.join(problems)}")
                if save is not None:
                    save.mkdir(parents=True, exist_ok=True)
                    (save / f"{number}{suffix}").write_bytes(data)
            if every and tally.inputs % every == 0:
                tally.seconds = time.perf_counter() - started
                print(f"[{part + 1}/{parts}] {tally.line()}", flush=True)
    tally.seconds = time.perf_counter() - started
    return tally


def merged(tallies: list[Tally]) -> Tally:
    """One tally of several processes' runs over shares of the inputs (seconds: the longest share)."""
    out = Tally()
    for t in tallies:
        out.inputs += t.inputs
        out.crashes += t.crashes
        out.broken += t.broken
        out.slow += t.slow
        out.slowest = max(out.slowest, t.slowest)
        out.seconds = max(out.seconds, t.seconds)
        out.first.extend(t.first)
    out.first = sorted(out.first, key=lambda line: int(line[1:].split(".")[0].split(" ")[0].rstrip("(")))[:20]
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1_000_000, help="inputs to run (default 1,000,000)")
    parser.add_argument("--seed", type=int, default=0, help="the run's seed: the same inputs every time")
    parser.add_argument("--slow", type=float, default=2.0, help="seconds over which one input is slow")
    parser.add_argument("--save", type=Path, default=None, help="folder to keep failing inputs in")
    parser.add_argument("--every", type=int, default=10_000, help="print progress every N inputs")
    parser.add_argument("--jobs", type=int, default=1, help="processes sharing the inputs (default 1)")
    args = parser.parse_args()
    jobs = max(1, args.jobs)
    if jobs == 1:
        tally = run(args.count, args.seed, args.slow, args.save, args.every)
    else:
        shares = [(args.count, args.seed, args.slow, args.save, args.every, (j, jobs)) for j in range(jobs)]
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            tally = merged(pool.starmap(run, shares))
    print(f"seed {args.seed}: {tally.line()}")
    for failure in tally.first:
        print("  " + failure)
    return 1 if tally.crashes or tally.broken or tally.slow else 0


if __name__ == "__main__":
    sys.exit(main())
