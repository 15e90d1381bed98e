"""The output folder after runs that die: the temporary files of a killed run are cleared by the next,
and a reader can tell the files of one run from a mix (run.json: each file's digest, written last);
and pages in other scripts saved as UTF-16 without a byte-order mark read as text, not as binary.
"""

from __future__ import annotations

import hashlib
import json
import random
from pathlib import Path

import pytest

from audit import report
from audit.errors import AuditError
from audit.ingest import decode
from tests.test_bad_input import GOOD, GOOD_NAME, OTHER, _build, _run

LEFTOVERS = [".claims.csv.k3j4h2ab.tmp", ".facts.csv.zz9q.tmp", ".report.html.a1.tmp", ".run.json.x.tmp"]
NOT_OURS = ["mine.tmp", ".notes.tmp", "claims.csv.bak", ".claims.csv.tmp.keep", "notes.txt"]


def test_leftovers_of_a_killed_run_are_cleared_and_nothing_else(tmp_path):
    folder, out = tmp_path / "corpus", tmp_path / "out"
    _build(folder, {GOOD_NAME: GOOD.encode()})
    _build(out, {name: b"half a table" for name in LEFTOVERS + NOT_OURS})
    result, _ = _run(folder, out)
    assert result.exit_code == 0, result.output
    names = {p.name for p in out.iterdir()}
    assert not names & set(LEFTOVERS)
    assert set(NOT_OURS) <= names


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_run_json_names_every_file_of_the_run_by_its_digest(tmp_path):
    folder, out = tmp_path / "corpus", tmp_path / "out"
    _build(folder, {GOOD_NAME: GOOD.encode()})
    assert _run(folder, out, "--json")[0].exit_code == 0
    manifest = json.loads((out / "run.json").read_text(encoding="utf-8"))
    names = ["claims.csv", "claims.json", "facts.csv", "facts.json", "report.html"]
    assert manifest["files"] == {name: _sha(out / name) for name in names}
    assert report.outputs_problem(out) == ""
    first = (out / "run.json").read_bytes()
    assert _run(folder, out, "--json")[0].exit_code == 0
    assert (out / "run.json").read_bytes() == first  # no time in it: a rerun is byte for byte the same


DIES_AT = {"first-rename": 1, "second-rename": 2, "third-rename": 3}


class Killed(BaseException):
    """What kill -9 does, as near as a test can: nothing of the run after it (no handler catches it)."""


@pytest.mark.parametrize("case", list(DIES_AT), ids=list(DIES_AT))
def test_a_run_that_dies_between_renames_is_told_from_a_whole_one(tmp_path, monkeypatch, case):
    """The first run writes the tables of one page; the second (two pages) dies after N renames: the folder
    then holds new tables beside old ones, and a reader is told so (no run.json vouches for them). The next
    run puts it right."""
    folder, out = tmp_path / "corpus", tmp_path / "out"
    _build(folder, {GOOD_NAME: GOOD.encode()})
    assert _run(folder, out)[0].exit_code == 0
    _build(folder, {"other.txt": OTHER.encode()})
    replace, done = report.files.os.replace, []

    def dies(source, target):
        if len(done) == DIES_AT[case]:
            raise Killed
        done.append(target)
        return replace(source, target)

    monkeypatch.setattr(report.files.os, "replace", dies)
    with pytest.raises(Killed):
        _run(folder, out)
    monkeypatch.setattr(report.files.os, "replace", replace)
    problem = report.outputs_problem(out)
    assert problem.startswith(f"{out}: no run.json; ") and "different runs" in problem
    assert _run(folder, out)[0].exit_code == 0
    assert report.outputs_problem(out) == ""


def test_a_table_replaced_by_hand_is_not_of_the_run(tmp_path):
    folder, out = tmp_path / "corpus", tmp_path / "out"
    _build(folder, {GOOD_NAME: GOOD.encode()})
    assert _run(folder, out)[0].exit_code == 0
    (out / "facts.csv").write_bytes(b"fact_id\r\nF-old\r\n")
    assert report.outputs_problem(out).startswith(f"{out / 'facts.csv'}: not the file of run ")


# --- UTF-16 without a byte-order mark, in scripts other than Latin ---------------------------------------

SCRIPTS = {
    "arabic": "انفجار في القاعدة\n\nقتل 12 جنديا في الهجوم على القاعدة يوم الثلاثاء، وأصيب خمسة آخرون.\n",
    "persian": "انفجار در پایگاه\n\nدست کم ۱۲ موشک روز سه‌شنبه به پایگاه اصابت کرد.\n",
    "hebrew": "פיצוץ בבסיס\n\nלפחות 12 טילים פגעו בבסיס ביום שלישי, כך נמסר.\n",
    "russian": "Взрыв на базе\n\nНе менее 12 ракет попали в базу во вторник, сообщили власти.\n",
    "greek": "Έκρηξη στη βάση\n\nΤουλάχιστον 12 πύραυλοι χτύπησαν τη βάση την Τρίτη.\n",
    "hindi": "अड्डे पर विस्फोट\n\nमंगलवार को कम से कम 12 मिसाइलें अड्डे पर गिरीं।\n",
    "korean": "기지 폭발\n\n화요일 최소 12발의 미사일이 기지를 강타했다고 관리들이 말했다.\n",
}
CASES = [(name, codec) for name in SCRIPTS for codec in ("utf-16-le", "utf-16-be")]


@pytest.mark.parametrize(("script", "codec"), CASES, ids=[f"{s}-{c}" for s, c in CASES])
def test_other_scripts_in_utf16_without_bom_read_as_text(script, codec):
    text, warnings = decode(Path("page.txt"), SCRIPTS[script].encode(codec))
    assert text == SCRIPTS[script]
    assert warnings == (f"page.txt: no byte-order mark; read as {codec.upper()}",)


_noise = random.Random(15)
BINARY = {
    "png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4,
    "random-bytes-with-nuls": bytes(_noise.randrange(256) for _ in range(2000)) + b"\x00\x00",
    "zip": b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(_noise.randrange(256) for _ in range(1000)),
    "utf16-words-among-controls": ("ab\x01\x02 " * 100).encode("utf-16-le"),
}


@pytest.mark.parametrize("case", list(BINARY), ids=list(BINARY))
def test_binary_with_few_nuls_is_still_binary(case):
    with pytest.raises(AuditError, match="binary file"):
        decode(Path("page.txt"), BINARY[case])
