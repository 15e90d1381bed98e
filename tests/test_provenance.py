"""benchmarks/provenance.py: a line of the project holding seven words of a benchmark set is found."""

import subprocess

import pytest

from benchmarks.provenance import quoting_lines, runs

SET_TEXT = "The ferry carrying 310 passengers capsized off the northern coast on Sunday night."


def _project(tmp_path, files: dict[str, str]):
    """A git repository holding `files` (tracked), as the project's checkout would."""
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    subprocess.run(["git", "add", "."], cwd=tmp_path, check=True)
    return tmp_path


@pytest.mark.parametrize(
    ("line", "found"),
    [
        pytest.param('{text = "The ferry carrying 310 passengers capsized off the coast."}', True, id="seven-words"),
        pytest.param('{text = "A ferry with 310 passengers capsized off the coast."}', False, id="new-words"),
        pytest.param('{text = "capsized off the northern coast"}', False, id="five-words"),
        pytest.param("# THE FERRY carrying 310 passengers, capsized off the", True, id="case-and-commas"),
    ],
)
def test_a_quoted_run_is_found(tmp_path, line, found):
    sets = dict.fromkeys(runs(SET_TEXT), "some-set")
    root = _project(tmp_path, {"rules/counts.toml": f"{line}\n", "seeds/a.txt": "seeds\n"})
    got = quoting_lines(root, sets)
    assert bool(got) is found
    if found:
        assert got[0][:3] == ("rules/counts.toml", 1, "some-set")


def test_the_seeds_are_the_projects_own(tmp_path):
    sets = dict.fromkeys(runs(SET_TEXT), "some-set")
    root = _project(tmp_path, {"seeds/page.txt": SET_TEXT, "tests/test_a.py": f"# {SET_TEXT}\n"})
    assert quoting_lines(root, sets) == []  # the seeds are never reported, nor runs the seeds hold


def test_untracked_files_are_not_the_project(tmp_path):
    sets = dict.fromkeys(runs(SET_TEXT), "some-set")
    root = _project(tmp_path, {"README.md": "text\n"})
    (root / "build").mkdir()
    (root / "build" / "copy.toml").write_text(SET_TEXT, encoding="utf-8")
    assert quoting_lines(root, sets) == []
