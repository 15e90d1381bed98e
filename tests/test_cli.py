"""The command line, through click's CliRunner: output files, help, and one clear line for bad input."""

from __future__ import annotations

import csv
import shutil

import pytest
from click.testing import CliRunner

from audit.cli import cli
from audit.model import CLAIM_COLUMNS, FACT_COLUMNS
from tests.conftest import SEEDS


@pytest.fixture()
def runner():
    return CliRunner()


def _header(path):
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return next(csv.reader(handle))


def test_run_on_seeds_writes_both_tables(runner, tmp_path):
    result = runner.invoke(cli, ["run", str(SEEDS), "--out", str(tmp_path), "--width", "200"])
    assert result.exit_code == 0, result.output
    assert tuple(_header(tmp_path / "claims.csv")) == CLAIM_COLUMNS
    assert tuple(_header(tmp_path / "facts.csv")) == FACT_COLUMNS
    assert "Sources" in result.output and "Facts" in result.output
    with (tmp_path / "claims.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) > 20
    assert {r["file"] for r in rows} == {p.name for p in SEEDS.glob("*.txt")}


def test_run_defaults_to_the_seeds(runner, tmp_path):
    result = runner.invoke(cli, ["run", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "claims.csv").stat().st_size > 1000


def test_bom_and_json_on_request(runner, tmp_path):
    result = runner.invoke(cli, ["run", str(SEEDS), "--out", str(tmp_path), "--bom", "--json"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "claims.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert (tmp_path / "facts.json").read_text(encoding="utf-8").startswith("[")


@pytest.mark.parametrize(
    "args",
    [["--help"], ["run", "--help"], ["sources", "--help"], ["reconcile", "--help"]],
    ids=["audit", "run", "sources", "reconcile"],
)
def test_help_explains_every_option(runner, args):
    result = runner.invoke(cli, args)
    assert result.exit_code == 0
    if args[0] in ("run", "reconcile"):
        for option in ("-o, --out", "--rules", "--bom", "--json", "--parquet", "--sqlite", "--format", "--claims"):
            assert option in result.output
        for option in ("--all", "--sources", "--verdict", "--measure", "--story", "--min-sources", "--limit"):
            assert option in result.output
    if args[0] == "reconcile":
        assert "--force" in result.output


def _corpus(tmp_path, files):
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return folder


GOOD = b"Blast kills five\n\nAt least 11 missiles struck the base on Tuesday, officials said.\n"

BAD_CORPORA = {
    "missing-folder": (None, "folder not found"),
    "empty-folder": ({}, "nothing to audit"),
    "only-binary": ({"a.txt": b"\x00\x01\x02" * 100}, "binary"),
    "only-empty": ({"a.txt": b""}, "empty file"),
    "broken-manifest": ({"a.txt": GOOD, "sources.toml": b"[[source]\nfile="}, "sources.toml"),
    "manifest-unknown-key": ({"a.txt": GOOD, "sources.toml": b'[[source]]\nfile="a.txt"\ncolour="red"\n'}, "colour"),
}


@pytest.mark.parametrize("case", sorted(BAD_CORPORA))
def test_bad_corpus_gives_one_line_and_nonzero_exit(runner, tmp_path, case):
    files, expected = BAD_CORPORA[case]
    folder = tmp_path / "missing" if files is None else _corpus(tmp_path, files)
    out = tmp_path / "out"
    result = runner.invoke(cli, ["run", str(folder), "--out", str(out)])
    assert result.exit_code != 0
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert expected in lines[0]
    assert not out.exists() or not any(out.iterdir())


def test_bad_rule_file_gives_one_line(runner, tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(SEEDS.parent / "rules", rules)
    (rules / "noise.toml").write_text('[[noise]]\nid = "x"\npattern = "a"\ncolour = 1\n', encoding="utf-8")
    result = runner.invoke(cli, ["run", str(SEEDS), "--out", str(tmp_path / "o"), "--rules", str(rules)])
    assert result.exit_code != 0
    assert "noise.toml" in result.output and "'x'" in result.output and "'colour'" in result.output
    assert len(result.output.strip().splitlines()) == 1


@pytest.mark.parametrize("bad", [b"", b"\x00\xff\x00binary", b"\xff\xfe\x00\x00"], ids=["empty", "binary", "utf32"])
def test_one_bad_file_among_good_ones_is_a_warning(runner, tmp_path, bad):
    folder = _corpus(tmp_path, {"good.txt": GOOD, "bad.txt": bad})
    result = runner.invoke(cli, ["run", str(folder), "--out", str(tmp_path / "o"), "--width", "200"])
    assert result.exit_code == 0, result.output
    assert "bad.txt" in result.output
    with (tmp_path / "o" / "claims.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert {r["file"] for r in rows} == {"good.txt"}


def test_cp1252_file_is_read_with_a_warning(runner, tmp_path):
    folder = _corpus(tmp_path, {"a.txt": "Blast\n\nThe caf\u00e9 said 11 missiles struck.\n".encode("cp1252")})
    result = runner.invoke(cli, ["run", str(folder), "--out", str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    assert "cp1252" in result.output


def test_reconcile_an_edited_claims_table(runner, tmp_path):
    assert runner.invoke(cli, ["run", str(SEEDS), "--out", str(tmp_path)]).exit_code == 0
    claims = tmp_path / "claims.csv"
    with claims.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    kept = [r for r in rows if r["source"].startswith("00")][: len(rows) - 1]
    edited = tmp_path / "edited.csv"
    with edited.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=CLAIM_COLUMNS)
        writer.writeheader()
        writer.writerows(kept)
    out = tmp_path / "again"
    result = runner.invoke(cli, ["reconcile", str(edited), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert tuple(_header(out / "facts.csv")) == FACT_COLUMNS
    with (out / "claims.csv").open(encoding="utf-8", newline="") as handle:
        assert len(list(csv.DictReader(handle))) == len(kept)


def test_reconcile_rejects_a_table_without_columns(runner, tmp_path):
    bad = tmp_path / "claims.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    result = runner.invoke(cli, ["reconcile", str(bad), "--out", str(tmp_path / "o")])
    assert result.exit_code != 0
    assert "missing columns" in result.output


def test_sources_command_shows_articles(runner):
    result = runner.invoke(cli, ["sources", str(SEEDS), "--width", "200"])
    assert result.exit_code == 0, result.output
    assert "Articles" in result.output and "manifest" in result.output


def test_seed_run_stays_light():
    # quantulum3 takes seconds to load: it is for unknown unit symbols only, and the seeds have none;
    # dateparser (0.4 s) only for calendar words read no other way: the seeds' month words and numeric
    # dates (1/30/2020, 17-01-2020, 2020-01-17) are read without it (audit.dates.words.parse_calendar).
    import subprocess
    import sys

    # numpy is for copies and stories, imported when they start (`audit reconcile` needs none), and numpy.ma
    # (which np.unique's hash path imports) and scipy (sparse products of large folders) not at all.
    code = (
        "import sys; from audit.pipeline import audit_folder; print('numpy' in sys.modules); audit_folder(sys.argv[1]);"
        "print(*(name in sys.modules for name in ('quantulum3', 'dateparser', 'numpy.ma', 'scipy')))"
    )
    out = subprocess.run([sys.executable, "-c", code, str(SEEDS)], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False", "False", "False", "False"]


# Where a hedged value is written for a reader, with the hedge words of the --rules folder's hedges.toml.
HEDGE_WORDS_SHOWN = [
    pytest.param(["--all", "--limit", "0", "--width", "250"], None, id="screen"),
    pytest.param(["--format", "json", "--all"], None, id="stdout-json"),
    pytest.param(["--json"], "facts.json", id="facts-json-file"),
]


@pytest.mark.parametrize(("args", "file"), HEDGE_WORDS_SHOWN)
def test_hedge_words_of_the_rules_folder_are_the_ones_written(runner, tmp_path, args, file):
    """The seeds state figures "at least" so many; a rules copy that writes that hedge "no fewer than" has its
    words on the screen, in JSON on stdout and in facts.json, and the bundled words nowhere."""
    from audit.rules import DEFAULT_RULES_DIR

    folder = tmp_path / "rules"
    shutil.copytree(DEFAULT_RULES_DIR, folder)
    hedges = folder / "hedges.toml"
    text = hedges.read_text(encoding="utf-8")
    assert 'at_least = "at least "' in text
    hedges.write_text(text.replace('at_least = "at least "', 'at_least = "no fewer than "'), encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(cli, ["run", str(SEEDS), "--rules", str(folder), "-o", str(out), *args])
    assert result.exit_code == 0, result.output
    shown = (out / file).read_text(encoding="utf-8") if file else result.output
    assert "no fewer than " in shown
    assert "at least " not in shown
