"""A `--rules` folder with a rule file missing or empty: one line naming that file, never another's.

A missing file (any of them) stops the run before any page is read, with the old tables left as they
were; so does an empty one (white space, comments, only a [meta] table), except for the few files that
may be emptied on purpose (rules.load.MAY_BE_EMPTY): then the run goes on and one warning says what is
no longer done, so that the output never changes without a word.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from audit.rules import SCHEMAS
from tests.conftest import ROOT
from tests.test_bad_input import GOOD, GOOD_NAME, _build, _claims, _old_tables, _old_tables_untouched, _one_line, _run

ON_PURPOSE = {"noise", "speakers", "events"}  # what an empty file of these leaves undone: said in the warning
SAID = {"noise": "no figure is dropped as noise", "speakers": "no claim is attributed", "events": "no date or duration"}

EMPTY_TEXTS = {"nothing": "", "blank-lines": "\n\n  \n", "comments": "# emptied\n# on purpose\n", "meta": "[meta]\n"}


def _rules_folder(tmp_path: Path, stem: str, text: str | None) -> Path:
    """A copy of the bundled rules with one file removed (text None) or replaced by `text`."""
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    target = rules / f"{stem}.toml"
    if text is None:
        target.unlink()
    else:
        target.write_text(text, encoding="utf-8")
    return rules


def _only_this_file_named(line: str, stem: str) -> None:
    others = [f"{s}.toml" for s in SCHEMAS if s != stem and f"{s}.toml" in line]
    assert f"{stem}.toml" in line and not others, line


@pytest.mark.parametrize("stem", sorted(SCHEMAS), ids=[f"{s}-missing" for s in sorted(SCHEMAS)])
def test_missing_rule_file_is_named_and_nothing_is_written(tmp_path, stem):
    folder, out = tmp_path / "corpus", tmp_path / "out"
    _build(folder, {GOOD_NAME: GOOD.encode()})
    _old_tables(out)
    result, _ = _run(folder, out, "--rules", str(_rules_folder(tmp_path, stem, None)))
    line = _one_line(result, "missing from the rules folder")
    assert line.startswith(f"Error: {stem}.toml: ")
    _only_this_file_named(line, stem)
    _old_tables_untouched(out)


REFUSED = sorted(set(SCHEMAS) - ON_PURPOSE)


@pytest.mark.parametrize("stem", REFUSED, ids=[f"{s}-empty" for s in REFUSED])
def test_empty_rule_file_that_is_needed_is_named_and_nothing_is_written(tmp_path, stem):
    folder, out = tmp_path / "corpus", tmp_path / "out"
    _build(folder, {GOOD_NAME: GOOD.encode()})
    _old_tables(out)
    result, _ = _run(folder, out, "--rules", str(_rules_folder(tmp_path, stem, "# emptied\n")))
    line = _one_line(result, "holds no rules and no settings")
    assert line.startswith(f"Error: {stem}.toml: ")
    _only_this_file_named(line, stem)
    _old_tables_untouched(out)


@pytest.mark.parametrize("shape", list(EMPTY_TEXTS), ids=list(EMPTY_TEXTS))
def test_every_shape_of_empty_is_empty(tmp_path, shape):
    folder, out = tmp_path / "corpus", tmp_path / "out"
    _build(folder, {GOOD_NAME: GOOD.encode()})
    result, _ = _run(folder, out, "--rules", str(_rules_folder(tmp_path, "hedges", EMPTY_TEXTS[shape])))
    _only_this_file_named(_one_line(result, "holds no rules"), "hedges")
    assert not out.exists()


@pytest.mark.parametrize("stem", sorted(ON_PURPOSE), ids=[f"{s}-empty-on-purpose" for s in sorted(ON_PURPOSE)])
def test_empty_rule_file_allowed_on_purpose_is_said_once(tmp_path, stem):
    folder, out = tmp_path / "corpus", tmp_path / "out"
    _build(folder, {GOOD_NAME: GOOD.encode()})
    result, lines = _run(folder, out, "--rules", str(_rules_folder(tmp_path, stem, "# emptied on purpose\n")))
    assert result.exit_code == 0, result.output
    [line] = [line for line in lines if ".toml" in line]
    assert line.startswith(f"warning: {stem}.toml: holds no rules; ") and SAID[stem] in line, line
    assert _claims(out)  # the run went on


def test_empty_rule_file_is_said_by_reconcile_too(tmp_path):
    from click.testing import CliRunner

    from audit.cli import cli

    folder, out = tmp_path / "corpus", tmp_path / "out"
    _build(folder, {GOOD_NAME: GOOD.encode()})
    _run(folder, out)
    rules = _rules_folder(tmp_path, "noise", "")
    result = CliRunner().invoke(cli, ["reconcile", str(out / "claims.csv"), "-o", str(tmp_path / "again"),
                                      "--rules", str(rules)])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "warning: noise.toml: holds no rules; " in result.output
