"""Bad input, end to end through `audit run FOLDER --out DIR`: the input a newsroom actually produces.

Each case builds a corpus (a good page beside the bad thing, or the bad thing alone) and checks:
- one bad file among good ones: exit 0, one warning line naming the file and the problem, and the good
  page's claims exactly as when it is audited alone;
- nothing readable, a broken manifest or rule file, a bad output folder: a non-zero exit and ONE line
  naming the file and the problem, and the old claims.csv / facts.csv left byte for byte;
- the output folder holds complete tables or none, and never a temporary file.
"""

from __future__ import annotations

import csv
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from audit import report
from audit.cli import cli
from audit.model import CLAIM_COLUMNS, FACT_COLUMNS
from tests.conftest import ROOT

GOOD_NAME = "good.txt"
GOOD = (
    "Blast kills five at the base\n\n"
    "At least 11 missiles struck the base on Tuesday, officials said. Five soldiers were wounded.\n"
)
# A second page that must be read too (its claims are checked where the case says so).
OTHER = "Blast over the base\n\nAt least 12 missiles struck the base.\n"
MANIFEST = "sources.toml"
OLD_CLAIMS = b"claim_id,file\r\nold:1,old.txt\r\n"
OLD_FACTS = b"fact_id\r\nF-old\r\n"


def _build(folder: Path, files: dict[str, bytes | Callable[[Path], None]]) -> None:
    """Write each file of a case (bytes as they are, or a builder given the path)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        if callable(data):
            data(folder / name)
        else:
            (folder / name).write_bytes(data)


def _sparse(size: int) -> Callable[[Path], None]:
    """A builder of a file of `size` bytes that costs nothing to write (a sparse file of NULs)."""

    def build(path: Path) -> None:
        with path.open("wb") as handle:
            handle.truncate(size)

    return build


def _nested(depth: int) -> bytes:
    """A page whose one paragraph lies `depth` elements deep, under a <title>."""
    opened, closed = "<div>" * depth, "</div>" * depth
    paragraph = "<p>At least 12 missiles struck the base on Monday.</p>"
    return f"<html><head><title>Base hit</title></head><body>{opened}{paragraph}{closed}</body></html>".encode()


def _link_outside(path: Path) -> None:
    """A page that is a link to a file outside the corpus folder (which holds 99 missiles)."""
    outside = path.parent.parent / f"outside-{path.parent.name}.txt"
    outside.write_text("At least 99 missiles struck the secret base.\n", encoding="utf-8")
    path.symlink_to(outside)


def _link_to_missing(path: Path) -> None:
    path.symlink_to(path.parent / "gone-for-good.txt")


def _folder(path: Path) -> None:
    path.mkdir()
    (path / "inside.txt").write_text(GOOD, encoding="utf-8")


def _html(body: str) -> bytes:
    return f"<html><head><title>Blast over the base</title></head><body>{body}</body></html>".encode()


# Pages in other scripts: in UTF-16 without a byte-order mark few of their bytes are NUL (only those of
# the spaces, digits and punctuation), unlike a Latin page's every other byte.
ARABIC_LINE = "قتل 12 جنديا في الهجوم على القاعدة يوم الثلاثاء، وأصيب خمسة آخرون."
ARABIC = f"انفجار في القاعدة\n\n{ARABIC_LINE}\n"
HEBREW = "פיצוץ בבסיס\n\nלפחות 12 טילים פגעו בבסיס ביום שלישי, כך נמסר.\n"
RUSSIAN = "Взрыв на базе\n\nНе менее 12 ракет попали в базу во вторник, сообщили власти.\n"
GREEK = "Έκρηξη στη βάση\n\nΤουλάχιστον 12 πύραυλοι χτύπησαν τη βάση την Τρίτη.\n"
BASE64 = "QUJD" * 500_000  # 2 MB of inline image data
# A page that says it is UTF-16 in an ASCII meta tag but is cp1252, of an even length (it would decode
# as UTF-16 into nonsense if the declaration were believed).
MISDECLARED = (
    '<html><head><meta charset="utf-16"></head><body><h1>Blast</h1>'
    "<p>The café said 12 missiles struck the base.</p></body></html>"
).encode("cp1252")
MISDECLARED += b"\n" * (len(MISDECLARED) % 2)


@dataclass(frozen=True)
class Case:
    """One bad corpus: its files, and what the run must say about them."""

    files: dict[str, bytes | Callable[[Path], None]]
    problem: str = ""  # expected in the one warning (or error) line; "" when the file is simply read
    name: str = "bad.txt"  # the file the message must name
    read: tuple[str, ...] = ()  # texts that must appear among the claims of `name` (it was read)
    seconds: float = 15.0  # a bound on the run, for the huge inputs
    sentences: tuple[str, ...] = ()  # words that must appear, decoded right, in the sentences of its claims


# One bad thing beside the good page: exit 0, the good page's claims all there.
WARNED = {
    "empty": Case({"bad.txt": b""}, "empty file"),
    "whitespace-only": Case({"bad.txt": b" \n\t\r\n  \r\n"}, "empty file"),
    "png-header": Case({"bad.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8}, "binary file"),
    "nul-bytes": Case({"bad.txt": b"At least 12 missiles\x00struck\x00" * 20}, "binary file"),
    "control-characters": Case({"bad.txt": bytes(range(1, 32)) * 40}, "binary file"),
    "utf16-bom": Case({"bad.txt": OTHER.encode("utf-16")}, "", read=("12 missiles",)),
    "utf16-le-no-bom": Case({"bad.txt": OTHER.encode("utf-16-le")}, "read as UTF-16-LE", read=("12 missiles",)),
    "utf16-be-no-bom": Case({"bad.txt": OTHER.encode("utf-16-be")}, "read as UTF-16-BE", read=("12 missiles",)),
    "utf16-le-no-bom-arabic": Case({"bad.txt": ARABIC.encode("utf-16-le")}, "read as UTF-16-LE"),
    "utf16-be-no-bom-arabic": Case({"bad.txt": ARABIC.encode("utf-16-be")}, "read as UTF-16-BE"),
    "utf16-le-no-bom-hebrew": Case({"bad.txt": HEBREW.encode("utf-16-le")}, "read as UTF-16-LE"),
    "utf16-be-no-bom-russian": Case({"bad.txt": RUSSIAN.encode("utf-16-be")}, "read as UTF-16-BE"),
    "utf16-le-no-bom-greek": Case({"bad.txt": GREEK.encode("utf-16-le")}, "read as UTF-16-LE"),
    "cp1252": Case(
        {"bad.txt": "Blast\n\nThe café’s owner said 12 missiles struck the base.\n".encode("cp1252")},
        "read as cp1252",
        read=("12 missiles",),
    ),
    "latin-1": Case(
        {"bad.txt": "Blast\n\nÀ Québec, 12 missiles struck the base ½ hour ago.\n".encode("latin-1")},
        "read as cp1252",
        read=("12 missiles",),
    ),
    "utf8-with-a-stray-cp1252-quote": Case(
        {
            "bad.txt": "Blast\n\nThe café’s owner said 12 missiles struck – twice.\n".encode().replace(
                b"\xe2\x80\x99", b"\x92"
            )
        },
        "1 byte(s) not UTF-8 (the first at 16); those read as cp1252",  # 14 ASCII bytes, then é in 2
        read=("12 missiles",),
        sentences=("The café’s owner said 12 missiles struck – twice.",),
    ),
    "utf8-cut-mid-character": Case(
        {"bad.txt": "Blast\n\nThe café’s owner said 12 missiles struck – twice.\n—".encode()[:-1]},
        "2 byte(s) not UTF-8",
        read=("12 missiles",),
        sentences=("The café’s owner said 12 missiles struck – twice.",),
    ),
    "crlf": Case({"bad.txt": OTHER.replace("\n", "\r\n").encode()}, "", read=("12 missiles",)),
    "cr-only": Case({"bad.txt": OTHER.replace("\n", "\r").encode()}, "", read=("12 missiles",)),
    "mixed-line-ends": Case(
        {"bad.txt": b"Blast over the base\r\n\rAt least 12 missiles struck.\nFive soldiers were wounded.\r"},
        "",
        read=("12 missiles", "Five soldiers"),
    ),
    "one-2MB-line": Case({"bad.txt": ("word " * 420_000).encode()}, "", seconds=15),
    "2MB-of-dots": Case({"bad.txt": b"." * 2_000_000}, "", seconds=15),
    "2MB-of-ellipses": Case({"bad.txt": "…".encode() * 700_000}, "", seconds=15),
    "only-numbers": Case({"bad.txt": "\n".join(str(n) for n in range(50_000)).encode()}, "no article text"),
    "50MB": Case({"bad.txt": _sparse(50 * 1024 * 1024)}, "over the 16 MB limit", seconds=5),
    "html-broken-tags": Case(
        {"bad.html": b"<html><body><h1>Blast</h2><p>At least 12 missiles <b>struck the base.<div></p></i><td>"},
        "",
        name="bad.html",
        read=("12 missiles",),
    ),
    "html-declares-utf16-but-is-cp1252": Case(
        {"bad.html": MISDECLARED},
        "read as cp1252",
        name="bad.html",
        read=("12 missiles",),
        sentences=("The café said 12 missiles struck the base.",),
    ),
    "html-script-only": Case(
        {"bad.html": b"<html><script>var missiles = 12;</script></html>"}, "no text found", name="bad.html"
    ),
    "html-huge-base64": Case(
        {"bad.html": _html(f"<p>At least 12 missiles struck.</p><img src='data:image/png;base64,{BASE64}'>")},
        "",
        name="bad.html",
        read=("12 missiles",),
        seconds=15,
    ),
    "html-nested-300-levels-with-title": Case(
        {"bad.html": _nested(300)}, "nested more than 200 levels deep", name="bad.html", read=("12 missiles",)
    ),
    "html-nested-100000-levels": Case(
        {"bad.html": _nested(100_000)}, "nested more than 200 levels deep", name="bad.html", read=("12 missiles",)
    ),
    "htm-suffix": Case(
        {"bad.htm": _html("<h1>Blast</h1><p>At least 12 missiles struck the base on Monday.</p>")},
        "",
        name="bad.htm",
        read=("12 missiles",),
    ),
    "name-with-spaces-and-unicode": Case(
        {"Reuters – café رويترز 2020.txt": OTHER.encode()}, "", name="Reuters – café رويترز 2020.txt", read=("12",)
    ),
    "broken-symlink": Case({"bad.txt": _link_to_missing}, "broken link"),
    "symlink-out-of-the-folder": Case({"bad.txt": _link_outside}, "bad.txt: links outside the folder; not read"),
    "symlink-to-itself": Case({"bad.txt": lambda p: p.symlink_to(p.name)}, "links back to itself"),
    "folder-named-x.txt": Case({"x.txt": _folder}, "is a folder", name="x.txt"),
    "manifest-missing-file": Case(
        {MANIFEST: b'[[source]]\nfile = "nope.txt"\noutlet = "Gone"\n'},
        "'nope.txt' is not in the folder",
        name=MANIFEST,
    ),
    "manifest-unparseable-date": Case(
        {MANIFEST: b'[[source]]\nfile = "good.txt"\npublished = "yesterday"\n'},
        "published 'yesterday' is not an ISO 8601 date",
        name=MANIFEST,
    ),
    "manifest-unknown-timezone": Case(
        {MANIFEST: b'[[source]]\nfile = "good.txt"\ntimezone = "Mars/Olympus"\n'}, "unknown timezone", name=MANIFEST
    ),
    "manifest-names-a-pdf": Case(
        {MANIFEST: b'[[source]]\nfile = "a.pdf"\n', "a.pdf": b"%PDF-1.4\n"},
        "'a.pdf' is not a .txt or .html page",
        name=MANIFEST,
    ),
    "same-stem-txt-and-html": Case(
        {"good.html": _html("<p>At least 12 missiles struck the base.</p>")},
        "source id 'good' is taken by good.txt",
        name="good.html",
        read=("12 missiles",),
    ),
    "manifest-id-is-another-stem": Case(
        {"b.txt": OTHER.encode(), MANIFEST: b'[[source]]\nfile = "good.txt"\nid = "b"\n'},
        "source id 'b' is taken by good.txt",
        name="b.txt",
        read=("12 missiles",),
    ),
}


def _run(folder: Path, out: Path, *extra: str):
    """Run `audit run FOLDER --out OUT`; the result, and the warning/error lines it printed."""
    result = CliRunner().invoke(cli, ["run", str(folder), "--out", str(out), "--width", "200", *extra])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    lines = [line for line in result.output.splitlines() if line.startswith(("warning:", "Error:"))]
    return result, lines


def _claims(out: Path) -> list[dict[str, str]]:
    with (out / "claims.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _key(row: dict[str, str]) -> tuple[str, ...]:
    """What a claim of the good page must keep whatever sits beside it (not story or fact ids)."""
    fields = ("kind", "measure", "value", "hedge", "text", "char_start", "char_end")
    return (row["claim_id"].split(":", 1)[1], *(row[c] for c in fields))  # the source part may be renamed


@pytest.fixture(scope="module")
def good_alone(tmp_path_factory) -> list[tuple[str, ...]]:
    """The good page's claims when it is audited alone."""
    folder = tmp_path_factory.mktemp("alone")
    (folder / GOOD_NAME).write_text(GOOD, encoding="utf-8")
    result, lines = _run(folder, folder / "out")
    assert result.exit_code == 0 and not lines, result.output
    rows = _claims(folder / "out")
    assert any("11 missiles" in r["text"] for r in rows)  # read from the page: the test can fail
    return sorted(_key(r) for r in rows)


def _no_temporary_files(out: Path) -> None:
    assert not out.exists() or not [p.name for p in out.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize("case", list(WARNED), ids=list(WARNED))
def test_one_bad_thing_beside_a_good_page(tmp_path, good_alone, case):
    spec = WARNED[case]
    folder, out = tmp_path / "corpus", tmp_path / "out"
    _build(folder, {GOOD_NAME: GOOD.encode(), **spec.files})
    started = time.perf_counter()
    result, lines = _run(folder, out)
    assert time.perf_counter() - started < spec.seconds
    assert result.exit_code == 0, result.output
    if spec.problem:
        [line] = [line for line in lines if spec.problem in line]
        assert line.startswith("warning: ") and spec.name in line, line
    else:
        assert not [line for line in lines if spec.name in line], lines
    rows = _claims(out)
    assert sorted(_key(r) for r in rows if r["file"] == GOOD_NAME) == good_alone  # nothing of it lost
    texts = [r["text"] for r in rows if r["file"] == spec.name]
    for wanted in spec.read:
        assert any(wanted in text for text in texts), (wanted, texts)
    sentences = [r["sentence"] for r in rows if r["file"] == spec.name]
    for wanted in spec.sentences:
        assert wanted in sentences, (wanted, sentences)
    assert [c for c in csv.reader((out / "facts.csv").open(encoding="utf-8"))][0] == list(FACT_COLUMNS)
    _no_temporary_files(out)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a chmod 000 file anyway")
def test_unreadable_file_is_a_warning(tmp_path, good_alone):
    folder, out = tmp_path / "corpus", tmp_path / "out"
    _build(folder, {GOOD_NAME: GOOD.encode(), "locked.txt": OTHER.encode()})
    (folder / "locked.txt").chmod(0)
    try:
        result, lines = _run(folder, out)
    finally:
        (folder / "locked.txt").chmod(0o644)
    assert result.exit_code == 0
    assert [line for line in lines if "locked.txt" in line and "cannot read" in line]
    assert sorted(_key(r) for r in _claims(out) if r["file"] == GOOD_NAME) == good_alone


def test_manifest_with_odd_values_still_attributes_the_good_page(tmp_path):
    """A TOML date (not a string) is a date; the outlet it gives lands on the page's claims."""
    folder, out = tmp_path / "corpus", tmp_path / "out"
    manifest = b'[[source]]\nfile = "good.txt"\noutlet = "Wire"\npublished = 2020-01-08\n'
    _build(folder, {GOOD_NAME: GOOD.encode(), MANIFEST: manifest})
    result, lines = _run(folder, out)
    assert result.exit_code == 0 and not lines, result.output
    rows = _claims(out)
    assert rows and {(r["outlet"], r["published"]) for r in rows} == {("Wire", "2020-01-08")}


# The run stops: non-zero exit, ONE line naming the file and the problem, old tables untouched.
FAILED = {
    "only-an-empty-file": Case({"bad.txt": b""}, "bad.txt: empty file"),
    "only-binary-files": Case({"a.txt": b"\x00\x01" * 50, "b.html": b"\x89PNG\x00"}, "a.txt: binary file"),
    "only-a-broken-link": Case({"bad.txt": _link_to_missing}, "bad.txt: broken link"),
    "only-a-folder-named-x.txt": Case({"x.txt": _folder}, "x.txt: is a folder"),
    "only-pdf-and-docx": Case({"a.pdf": b"%PDF-1.4\n", "b.docx": b"PK\x03\x04"}, "found only a.pdf, b.docx"),
    "empty-folder": Case({}, "no .txt or .html files"),
    "many-bad-files": Case({f"{n}.txt": b"" for n in range(9)}, "and 6 more"),
    "manifest-broken-toml": Case({GOOD_NAME: GOOD.encode(), MANIFEST: b"[[source]\nfile="}, "not valid TOML"),
    "manifest-published-int": Case(
        {GOOD_NAME: GOOD.encode(), MANIFEST: b'[[source]]\nfile = "good.txt"\npublished = 2020\n'},
        "'published' must be a string or a date",
    ),
    "manifest-file-int": Case(
        {GOOD_NAME: GOOD.encode(), MANIFEST: b"[[source]]\nfile = 5\n"}, "'file' must be a string, not an integer"
    ),
    "manifest-outlet-array": Case(
        {GOOD_NAME: GOOD.encode(), MANIFEST: b'[[source]]\nfile = "good.txt"\noutlet = ["a"]\n'},
        "'outlet' must be a string, not an array",
    ),
    "manifest-no-file": Case({GOOD_NAME: GOOD.encode(), MANIFEST: b'[[source]]\noutlet = "A"\n'}, "needs a 'file'"),
    "manifest-duplicate-entry": Case(
        {GOOD_NAME: GOOD.encode(), MANIFEST: b'[[source]]\nfile = "good.txt"\n[[source]]\nfile = "good.txt"\n'},
        "file 'good.txt' is already given by [[source]] #1",
    ),
    "manifest-duplicate-id": Case(
        {
            GOOD_NAME: GOOD.encode(),
            "b.txt": OTHER.encode(),
            MANIFEST: b'[[source]]\nfile = "good.txt"\nid = "x"\n[[source]]\nfile = "b.txt"\nid = "x"\n',
        },
        "id 'x' is already given by [[source]] #1",
    ),
    "manifest-empty-id": Case(
        {GOOD_NAME: GOOD.encode(), MANIFEST: b'[[source]]\nfile = "good.txt"\nid = ""\n'}, "'id'"
    ),
    "manifest-unknown-key": Case(
        {GOOD_NAME: GOOD.encode(), MANIFEST: b'[[source]]\nfile = "good.txt"\ncolour = "red"\n'}, "unknown key 'colour'"
    ),
    "manifest-misspelt-table": Case(
        {GOOD_NAME: GOOD.encode(), MANIFEST: b'[[sources]]\nfile = "good.txt"\n'}, "unknown key 'sources'"
    ),
    "manifest-not-utf8": Case(
        {GOOD_NAME: GOOD.encode(), MANIFEST: '[[source]]\nfile = "good.txt"\noutlet = "Café"\n'.encode("latin-1")},
        "not UTF-8",
    ),
    "manifest-is-a-folder": Case({GOOD_NAME: GOOD.encode(), MANIFEST: lambda p: p.mkdir()}, "cannot read"),
}


def _old_tables(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "claims.csv").write_bytes(OLD_CLAIMS)
    (out / "facts.csv").write_bytes(OLD_FACTS)


def _old_tables_untouched(out: Path) -> None:
    assert (out / "claims.csv").read_bytes() == OLD_CLAIMS
    assert (out / "facts.csv").read_bytes() == OLD_FACTS
    assert sorted(p.name for p in out.iterdir()) == ["claims.csv", "facts.csv"]  # no temporary file


def _one_line(result, wanted: str) -> str:
    assert result.exit_code != 0, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert wanted in lines[0], lines[0]
    return lines[0]


@pytest.mark.parametrize("case", list(FAILED), ids=list(FAILED))
def test_run_that_cannot_go_on_gives_one_line_and_keeps_the_old_tables(tmp_path, case):
    spec = FAILED[case]
    folder, out = tmp_path / "corpus", tmp_path / "out"
    _build(folder, spec.files)
    _old_tables(out)
    result, _ = _run(folder, out)
    line = _one_line(result, spec.problem)
    assert line.startswith("Error: ")
    if MANIFEST in spec.files:
        assert MANIFEST in line
    _old_tables_untouched(out)


def test_folder_given_as_a_file(tmp_path):
    page = tmp_path / "page.txt"
    page.write_text(GOOD, encoding="utf-8")
    result, _ = _run(page, tmp_path / "out")
    assert "page.txt" in _one_line(result, "is a file, not a folder")


def test_missing_folder(tmp_path):
    result, _ = _run(tmp_path / "nowhere", tmp_path / "out")
    assert "nowhere" in _one_line(result, "folder not found")


# --- rule files ---------------------------------------------------------------------------------


def _rules_with(tmp_path: Path, name: str, build: Callable[[Path], None]) -> Path:
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    target = rules / name
    if target.exists():
        target.unlink()
    build(target)
    return rules


BAD_RULES = {
    "broken-toml": ("noise.toml", lambda p: p.write_text("[[noise]\nid = ", encoding="utf-8"), "not valid TOML"),
    "not-utf8": ("noise.toml", lambda p: p.write_bytes('[[noise]]\nid = "café"\n'.encode("latin-1")), "noise.toml"),
    "bad-regex": (
        "noise.toml",
        lambda p: p.write_text('[[noise]]\nid = "x"\npattern = "(unclosed"\n', encoding="utf-8"),
        "'x'",
    ),
    "wrong-type": ("noise.toml", lambda p: p.write_text('[[noise]]\nid = 5\npattern = "a"\n', encoding="utf-8"), "id"),
    "unknown-file": ("colours.toml", lambda p: p.write_text("", encoding="utf-8"), "colours.toml: unknown rule file"),
    "folder-named-like-a-rule-file": ("noise.toml", lambda p: p.mkdir(), "noise.toml"),
}


@pytest.mark.parametrize("case", list(BAD_RULES), ids=list(BAD_RULES))
def test_bad_rule_file_gives_one_line_and_keeps_the_old_tables(tmp_path, case):
    name, build, wanted = BAD_RULES[case]
    folder, out = tmp_path / "corpus", tmp_path / "out"
    _build(folder, {GOOD_NAME: GOOD.encode()})
    _old_tables(out)
    result, _ = _run(folder, out, "--rules", str(_rules_with(tmp_path, name, build)))
    line = _one_line(result, wanted)
    assert name in line
    _old_tables_untouched(out)


def test_missing_rules_folder(tmp_path):
    folder, out = tmp_path / "corpus", tmp_path / "out"
    _build(folder, {GOOD_NAME: GOOD.encode()})
    _old_tables(out)
    result, _ = _run(folder, out, "--rules", str(tmp_path / "no-rules"))
    _one_line(result, "rules folder not found")
    _old_tables_untouched(out)


# --- the output folder --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("make_out", "wanted"),
    [
        (lambda t: t / "out.csv", "is a file, not a folder"),
        (lambda t: t / "out.csv" / "reports", "which is a file"),
    ],
    ids=["out-is-a-file", "out-under-a-file"],
)
def test_out_path_that_is_no_folder(tmp_path, make_out, wanted):
    (tmp_path / "out.csv").write_bytes(b"precious")
    folder = tmp_path / "corpus"
    _build(folder, {GOOD_NAME: GOOD.encode()})
    result, _ = _run(folder, make_out(tmp_path))
    assert "out.csv" in _one_line(result, wanted)
    assert (tmp_path / "out.csv").read_bytes() == b"precious"


def test_claims_csv_that_is_a_folder(tmp_path):
    folder, out = tmp_path / "corpus", tmp_path / "out"
    _build(folder, {GOOD_NAME: GOOD.encode()})
    (out / "claims.csv").mkdir(parents=True)
    (out / "facts.csv").write_bytes(OLD_FACTS)
    result, _ = _run(folder, out)
    assert "claims.csv" in _one_line(result, "is a folder")
    assert (out / "facts.csv").read_bytes() == OLD_FACTS  # all or none
    _no_temporary_files(out)


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into a read-only folder anyway")
def test_read_only_out_folder(tmp_path):
    folder, out = tmp_path / "corpus", tmp_path / "out"
    _build(folder, {GOOD_NAME: GOOD.encode()})
    _old_tables(out)
    out.chmod(0o555)
    try:
        result, _ = _run(folder, out)
    finally:
        out.chmod(0o755)
    _one_line(result, "cannot write")
    _old_tables_untouched(out)


@pytest.mark.parametrize(
    ("failing", "error"),
    [
        ("claims.csv", OSError(28, "No space left on device")),
        ("facts.csv", OSError(28, "No space left on device")),
        ("facts.csv", PermissionError(13, "Permission denied")),
    ],
    ids=["claims-disk-full", "facts-disk-full", "facts-permission-denied"],
)
def test_failure_while_writing_leaves_both_old_tables(tmp_path, monkeypatch, failing, error):
    """Either table failing to write (a full disk, no permission: what root cannot be made to see)
    leaves both old tables and no temporary file."""
    folder, out = tmp_path / "corpus", tmp_path / "out"
    _build(folder, {GOOD_NAME: GOOD.encode()})
    _old_tables(out)
    stage = report.files._stage

    def full_disk(path, data, encoding):
        if path.name == failing:
            text = data if isinstance(data, str | bytes) else data.text()  # a table comes in pieces
            tmp = stage(path, text[: len(text) // 2], encoding)  # half written, then it fails
            Path(tmp).unlink()
            raise error
        return stage(path, data, encoding)

    monkeypatch.setattr(report.files, "_stage", full_disk)
    result, _ = _run(folder, out)
    assert failing in _one_line(result, f"cannot write: {error.strerror}")
    _old_tables_untouched(out)


def test_tables_are_complete_after_a_good_run(tmp_path):
    folder, out = tmp_path / "corpus", tmp_path / "out"
    _build(folder, {GOOD_NAME: GOOD.encode()})
    _old_tables(out)
    result, _ = _run(folder, out, "--json")
    assert result.exit_code == 0, result.output
    assert next(csv.reader((out / "claims.csv").open(encoding="utf-8"))) == list(CLAIM_COLUMNS)
    assert (out / "claims.csv").read_bytes().endswith(b"\r\n") and (out / "facts.json").read_bytes().endswith(b"]\n")
    names = ["claims.csv", "claims.json", "facts.csv", "facts.json", "report.html", "run.json"]
    assert sorted(p.name for p in out.iterdir()) == names


# --- an unexpected error inside one file --------------------------------------------------------


def _explode_on(module: str, attribute: str, file_name: str, monkeypatch) -> None:
    """Make `module.attribute` raise a bug-like error for one file and behave for the others."""
    import importlib

    target = importlib.import_module(module)
    original = getattr(target, attribute)

    def wrapper(*args, **kwargs):
        names = [getattr(a, "name", "") for a in args]  # read_document(path, ...)
        names += [getattr(getattr(a, "source", None), "file", "") for a in args]  # extract_document(document, ...)
        if file_name in names:
            raise ZeroDivisionError("division by zero in a page nobody foresaw")
        return original(*args, **kwargs)

    monkeypatch.setattr(target, attribute, wrapper)


@pytest.mark.parametrize(
    ("module", "attribute", "stage"),
    [
        ("audit.ingest.corpus", "read_document", "reading it"),
        ("audit.run.tasks", "extract_document", "extracting its claims"),
    ],
    ids=["ingest", "extract"],
)
def test_unexpected_error_in_one_file_is_a_warning(tmp_path, monkeypatch, good_alone, module, attribute, stage):
    folder, out = tmp_path / "corpus", tmp_path / "out"
    _build(folder, {GOOD_NAME: GOOD.encode(), "strange.txt": OTHER.encode()})
    _explode_on(module, attribute, "strange.txt", monkeypatch)
    monkeypatch.delenv("AUDIT_DEBUG", raising=False)
    result, lines = _run(folder, out)
    assert result.exit_code == 0, result.output
    [line] = [line for line in lines if "strange.txt" in line]
    assert f"internal error while {stage}: ZeroDivisionError: division by zero" in line
    assert "test_bad_input.py:" in line and "AUDIT_DEBUG" in line  # where it was raised, and how to see more
    rows = _claims(out)
    assert sorted(_key(r) for r in rows if r["file"] == GOOD_NAME) == good_alone
    assert not [r for r in rows if r["file"] == "strange.txt"]


@pytest.mark.parametrize(
    ("module", "attribute"),
    [("audit.ingest.corpus", "read_document"), ("audit.run.tasks", "extract_document")],
    ids=["ingest", "extract"],
)
def test_audit_debug_lets_the_bug_surface(tmp_path, monkeypatch, module, attribute):
    folder, out = tmp_path / "corpus", tmp_path / "out"
    _build(folder, {GOOD_NAME: GOOD.encode(), "strange.txt": OTHER.encode()})
    _explode_on(module, attribute, "strange.txt", monkeypatch)
    monkeypatch.setenv("AUDIT_DEBUG", "1")
    with pytest.raises(ZeroDivisionError):
        _run(folder, out)
    assert not out.exists()


def test_unreadable_file_is_a_warning_even_as_root(tmp_path, monkeypatch, good_alone):
    """What chmod 000 does to a non-root user, simulated: reading the file raises PermissionError."""
    folder, out = tmp_path / "corpus", tmp_path / "out"
    _build(folder, {GOOD_NAME: GOOD.encode(), "locked.txt": OTHER.encode()})
    read_bytes = Path.read_bytes

    def locked(path):
        if path.name == "locked.txt":
            raise PermissionError(13, "Permission denied", str(path))
        return read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", locked)
    result, lines = _run(folder, out)
    assert result.exit_code == 0, result.output
    assert lines == ["warning: locked.txt: cannot read: Permission denied"]
    assert sorted(_key(r) for r in _claims(out) if r["file"] == GOOD_NAME) == good_alone


# --- known failures in stages other helpers own -------------------------------------------------


def _extract_seconds(tmp_path: Path, text: str, runs: int) -> float:
    """Seconds to read and extract one page (best of `runs`, to damp a busy machine)."""
    from audit.extract import extract_corpus
    from audit.ingest import read_document
    from audit.model import Corpus
    from audit.rules import load_rules

    rules = load_rules()
    path = tmp_path / "dense.txt"
    path.write_text(text, encoding="utf-8")
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        extract_corpus(Corpus("dense", (read_document(path, {}, rules),)), rules)
        best = min(best, time.perf_counter() - started)
    return best


def test_extraction_time_grows_linearly_with_dated_sentences(tmp_path):
    sentence = "On Monday 5 soldiers were wounded. "
    small = _extract_seconds(tmp_path, "Blast\n\n" + sentence * 400, runs=3)
    large = _extract_seconds(tmp_path, "Blast\n\n" + sentence * 3200, runs=2)  # 8 times the text
    # linear: about 8; quadratic: about 64. The margin absorbs a noisy shared machine.
    assert large / max(small, 0.02) < 20, (small, large)


# --- `audit reconcile` on a claims table edited by hand -----------------------------------------

HEADER = ",".join(CLAIM_COLUMNS)
ROW = dict.fromkeys(CLAIM_COLUMNS, "") | {"claim_id": "a:1", "file": "a.txt", "source": "a", "article": "1"}
ROW |= {"kind": "count"}


def _row(**cells: str) -> str:
    return ",".join((ROW | cells)[c] for c in CLAIM_COLUMNS)


BAD_TABLES = {
    "missing": (None, "cannot read claims table"),
    "a-folder": (lambda p: p.mkdir(), "cannot read claims table"),
    "empty": (b"", "no claim rows"),
    "header-only": (HEADER.encode() + b"\r\n", "no claim rows"),
    "binary": (b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe" * 10, "claims.csv"),
    "not-utf8": (f"{HEADER}\r\n{_row(headline='Café')}\r\n".encode("latin-1"), "cannot read claims table"),
    "missing-columns": (b"claim_id,file\r\na:1,a.txt\r\n", "missing columns"),
    "offset-not-a-number": (f"{HEADER}\r\n{_row(char_start='twelve')}\r\n".encode(), "row 2, column char_start"),
    "value-not-a-number": (f"{HEADER}\r\n{_row(value='about 5')}\r\n".encode(), "'about 5' is not a number"),
}


@pytest.mark.parametrize("case", list(BAD_TABLES), ids=list(BAD_TABLES))
def test_reconcile_bad_claims_table_gives_one_line(tmp_path, case):
    data, wanted = BAD_TABLES[case]
    table, out = tmp_path / "claims.csv", tmp_path / "out"
    if callable(data):
        data(table)
    elif data is not None:
        table.write_bytes(data)
    _old_tables(out)
    result = CliRunner().invoke(cli, ["reconcile", str(table), "--out", str(out)])
    assert not result.exception or isinstance(result.exception, SystemExit), result.exception
    assert "claims.csv" in _one_line(result, wanted)
    _old_tables_untouched(out)


@pytest.mark.parametrize(
    "case", ["only-an-empty-file", "only-pdf-and-docx", "manifest-duplicate-entry", "manifest-not-utf8"]
)
def test_sources_command_gives_the_same_one_line(tmp_path, case):
    spec = FAILED[case]
    folder = tmp_path / "corpus"
    _build(folder, spec.files)
    result = CliRunner().invoke(cli, ["sources", str(folder)])
    assert not result.exception or isinstance(result.exception, SystemExit), result.exception
    _one_line(result, spec.problem)


def test_seeds_beside_every_bad_file_lose_nothing(tmp_path, seed_audit):
    """The seed corpus with every bad file of the table at once: each bad file named in exactly one
    warning, and the seeds' claims exactly as when they are audited alone."""
    from tests.conftest import SEEDS

    folder, out = tmp_path / "corpus", tmp_path / "out"
    shutil.copytree(SEEDS, folder)
    slow = {"one-2MB-line", "2MB-of-dots", "2MB-of-ellipses", "html-huge-base64"}  # timed above, one by one
    warned = []
    for case, spec in WARNED.items():
        if case in slow or MANIFEST in spec.files or case.startswith("same-stem"):
            continue
        for name, data in spec.files.items():
            _build(folder, {f"{case}__{name}": data})  # the case as the short id: claim ids stay unique
            if spec.problem:
                warned.append(f"{case}__{name}")
    result, lines = _run(folder, out)
    assert result.exit_code == 0, result.output
    for name in warned:
        assert len([line for line in lines if line.startswith(f"warning: {name}:")]) == 1, (name, lines)
    seeds = {p.name for p in SEEDS.glob("*.txt")}
    fields = ("claim_id", "text", "char_start", "char_end", "kind", "hedge")
    got = sorted(tuple(str(r[c]) for c in fields) for r in _claims(out) if r["file"] in seeds)
    alone = sorted(tuple(str(r[c]) for c in fields) for r in seed_audit.claims.iter_rows(named=True))
    assert got == alone and len(alone) > 20
