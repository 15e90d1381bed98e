"""Rule files: validated on load, and every error names the file, the rule id and the key."""

from __future__ import annotations

import dataclasses
import pickle
import re
import shutil

import pytest

from audit.dates.settings import DateSettings
from audit.errors import RuleError
from audit.extract.settings import ExtractSettings
from audit.hedges import HedgeSettings
from audit.ingest.page import PageSettings
from audit.numbers import Numbers
from audit.reconcile.settings import ReconcileSettings
from audit.rules import DEFAULT_RULES_DIR, SCHEMAS, compile_pattern, load_rules
from tests.conftest import SEEDS

GOOD_NOISE = """
[[noise]]
id = "clock"
pattern = '\\d\\d:\\d\\d'
examples = [{text = "at 00:59"}]
"""

BAD_RULE_FILES = {
    "unknown-key": (
        "noise",
        GOOD_NOISE.replace('id = "clock"', 'id = "clock"\ncolour = "red"'),
        ["noise.toml", "'clock'", "'colour'"],
    ),
    "bad-regex": (
        "noise",
        GOOD_NOISE.replace("'\\d\\d:\\d\\d'", "'(unclosed'"),
        ["noise.toml", "'clock'", "'pattern'", "bad regex"],
    ),
    "nested-repeat-noise": (
        "noise",
        GOOD_NOISE.replace("'\\d\\d:\\d\\d'", "'(a+)+$'"),
        ["noise.toml", "'clock'", "'pattern'", "regex refused", "backtrack"],
    ),
    "nested-repeat-boilerplate-line": (
        "boilerplate",
        '[[line]]\nid = "any_words"\npattern = \'^(\\w+\\s?)*$\'\nexamples = [{text = "a b"}]\n',
        ["boilerplate.toml", "'any_words'", "'pattern'", "regex refused"],
    ),
    "duplicate-id": ("noise", GOOD_NOISE + GOOD_NOISE, ["noise.toml", "'clock'", "'id'", "duplicate"]),
    "wrong-type": (
        "noise",
        GOOD_NOISE.replace('id = "clock"', 'id = "clock"\ndescription = 5'),
        ["noise.toml", "'clock'", "'description'", "expected str"],
    ),
    "missing-key": ("noise", '[[noise]]\nid = "clock"\n', ["noise.toml", "'clock'", "'pattern'", "missing"]),
    "example-not-matched": (
        "noise",
        GOOD_NOISE.replace("at 00:59", "at noon"),
        ["noise.toml", "'clock'", "'examples'", "at noon"],
    ),
    "bad-choice": (
        "hedges",
        '[[hedge]]\nid = "x"\nphrases = ["x"]\nhedge = "maybe"\n',
        ["hedges.toml", "'x'", "'hedge'", "maybe"],
    ),
    "not-toml": ("noise", "[[noise]\nid=", ["noise.toml", "not valid TOML"]),
    "unknown-table": ("noise", '[[noize]]\nid = "x"\n', ["noise.toml", "'noize'", "unknown table"]),
    "number-word-not-a-number": (
        "numbers",
        '[settings]\ntens = { twenty = "20" }\n',
        ["numbers.toml", "'settings'", "'tens.twenty'", "expected a number"],
    ),
    "unknown-file": ("colours", '[[noise]]\nid = "x"\n', ["colours.toml", "unknown rule file"]),
}


def test_bundled_rules_load():
    rules = load_rules()
    assert len(list(rules)) > 20
    assert {stem for stem, _ in rules.tables} <= set(SCHEMAS)


@pytest.mark.parametrize("case", sorted(BAD_RULE_FILES))
def test_bad_rule_file_names_file_rule_and_key(tmp_path, case):
    stem, text, expected = BAD_RULE_FILES[case]
    (tmp_path / f"{stem}.toml").write_text(text, encoding="utf-8")
    with pytest.raises(RuleError) as error:
        load_rules(tmp_path)
    message = str(error.value)
    assert "\n" not in message
    for part in expected:
        assert part in message


def test_missing_rules_folder(tmp_path):
    with pytest.raises(RuleError, match="rules folder not found"):
        load_rules(tmp_path / "nope")


def test_a_copy_of_the_bundled_rules_loads(tmp_path):
    for file in DEFAULT_RULES_DIR.glob("*.toml"):
        shutil.copy(file, tmp_path)
    assert len(list(load_rules(tmp_path))) == len(list(load_rules()))


def test_every_rule_carries_examples(rules):
    without = [f"{r.file}:{r.id}" for r in rules if not r.examples]
    assert without == []


def test_a_rule_set_round_trips_through_pickle(tmp_path):
    for file in DEFAULT_RULES_DIR.glob("*.toml"):
        shutil.copy(file, tmp_path)
    rules = load_rules(tmp_path)
    again = pickle.loads(pickle.dumps(rules))
    assert again.digest == rules.digest
    assert [(r.file, r.id) for r in again] == [(r.file, r.id) for r in rules]


def test_a_pickled_rule_set_refuses_changed_files(tmp_path):
    for file in DEFAULT_RULES_DIR.glob("*.toml"):
        shutil.copy(file, tmp_path)
    data = pickle.dumps(load_rules(tmp_path))
    noise = tmp_path / "noise.toml"
    noise.write_text(noise.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    with pytest.raises(RuleError, match="changed since"):
        pickle.loads(data)


def test_a_compiled_rule_set_round_trips_through_pickle(tmp_path):
    from audit.rules.compiled import compile_rules

    for file in DEFAULT_RULES_DIR.glob("*.toml"):
        shutil.copy(file, tmp_path)
    compiled = compile_rules(load_rules(tmp_path))
    again = pickle.loads(pickle.dumps(compiled))
    assert again.rules.digest == compiled.rules.digest
    assert again.layout.lines and again.dates.units and again.matchers.measures
    assert [r.id for r in again.matchers.measures] == [r.id for r in compiled.matchers.measures]
    assert again.numbers.parse("half a dozen") == 6
    assert again.numbers.pattern.pattern == compiled.numbers.pattern.pattern


def test_the_stages_use_the_parts_compiled_once():
    from audit.dates import vocabulary
    from audit.extract import Matchers
    from audit.rules.compiled import compile_rules

    compiled = compile_rules(load_rules())
    assert Matchers.from_rules(compiled.rules) is compiled.matchers
    assert vocabulary(compiled.rules) is compiled.dates
    assert compiled.rules.part(Numbers) is compiled.numbers
    assert compiled.matchers.numbers is compiled.numbers and compiled.dates.numbers is compiled.numbers


# (typed part, file, key, attribute, edited value): each stage reads its settings as attributes of a part
# built from the rule set, so a setting edited in a rules folder is the one the part holds.
TYPED_SETTINGS = [
    pytest.param(ExtractSettings, "counts", "stop_words", "stop_words", ("zzz",), id="extract-counts"),
    pytest.param(ExtractSettings, "events", "window", "event_window", 7, id="extract-events-window"),
    pytest.param(ExtractSettings, "units", "metre_feet", "metre_feet", ("ft",), id="extract-units"),
    pytest.param(ExtractSettings, "speakers", "trim", "trim_speaker", None, id="extract-speakers-trim"),
    pytest.param(DateSettings, "dates", "few", "few", 4, id="dates-few"),
    pytest.param(DateSettings, "dates", "two_digit_years", "two_digit_years", "unresolved", id="dates-two-digit"),
    pytest.param(HedgeSettings, "hedges", "trend_by_words", "trend_by_words", ("by",), id="hedges-trend-by"),
    pytest.param(ReconcileSettings, "facts", "value_reach", "value_reach", 0.5, id="reconcile-facts"),
    pytest.param(ReconcileSettings, "events", "link_stopwords", "link_stopwords", ("said",), id="reconcile-events"),
    pytest.param(ReconcileSettings, "hedges", "written", "written", {"about": "c. "}, id="reconcile-hedges"),
    pytest.param(PageSettings, "boilerplate", "copy_threshold", "copy_threshold", 0.75, id="page-copies"),
    pytest.param(PageSettings, "boilerplate", "zones", "zones", {"XST": "+0100"}, id="page-zones"),
    pytest.param(PageSettings, "boilerplate", "page_seconds", "page_seconds", 2.5, id="page-budget"),
    pytest.param(ReconcileSettings, "counts", "part_of_words", "part_of_words", ("of",), id="reconcile-counts"),
]


@pytest.mark.parametrize(("part", "file", "key", "attribute", "value"), TYPED_SETTINGS)
def test_each_stage_reads_its_settings_as_typed_attributes(part, file, key, attribute, value):
    rules = load_rules()
    settings = {**rules.settings, file: {**rules.settings.get(file, {}), key: value}}
    edited = dataclasses.replace(rules, settings=settings)
    assert getattr(edited.part(part), attribute) == value
    assert edited.part(part) is edited.part(part)  # built once a rule set
    assert rules.part(part) is not edited.part(part)  # an edited copy builds its own


def _rules_copy(tmp_path, file: str, old: str, new: str):
    """A copy of the whole bundled rules folder (as `--rules` wants it) with one edit to one file."""
    folder = tmp_path / "rules"
    shutil.copytree(DEFAULT_RULES_DIR, folder)
    text = (folder / file).read_text(encoding="utf-8")
    assert old in text
    (folder / file).write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


def test_audit_sources_reads_the_stories_settings_of_its_rules_folder(tmp_path):
    """`audit sources --rules` groups stories with that folder's stories.toml: a threshold no pair reaches
    leaves each of the seeds' 17 articles a story of its own but the repost, which shares its original's: 16
    stories (the bundled rules make 14)."""
    from click.testing import CliRunner

    from audit.cli import cli

    text = (DEFAULT_RULES_DIR / "stories.toml").read_text(encoding="utf-8")
    threshold = next(line for line in text.splitlines() if line.startswith("threshold = "))
    folder = _rules_copy(tmp_path, "stories.toml", threshold, "threshold = 1000.0")
    runner = CliRunner()
    bundled = runner.invoke(cli, ["sources", str(SEEDS), "--width", "200"])
    edited = runner.invoke(cli, ["sources", str(SEEDS), "--rules", str(folder), "--width", "200"])
    assert bundled.exit_code == 0 and edited.exit_code == 0, bundled.output + edited.output
    assert re.search(r"\bS14\b", bundled.output) and not re.search(r"\bS15\b", bundled.output)
    assert re.search(r"\bS16\b", edited.output) and not re.search(r"\bS17\b", edited.output)


def test_story_settings_are_never_taken_from_something_else():
    """A Layout holds no stories.toml: the story settings refuse it rather than read the bundled file."""
    from audit.ingest import layout_of
    from audit.link import settings_of

    with pytest.raises(TypeError, match="RuleSet or StorySettings"):
        settings_of(layout_of(load_rules()))


@pytest.mark.parametrize("key", ["threshold", "lede_years_clash_weight", "stopwords"])
def test_a_story_setting_left_out_is_named_not_filled_from_the_bundled_file(tmp_path, key):
    """A --rules stories.toml without a key stops the run naming the file and the key (the bundled value is
    never read in its place), and no output is written."""
    from click.testing import CliRunner

    from audit.cli import cli

    text = (DEFAULT_RULES_DIR / "stories.toml").read_text(encoding="utf-8")
    line = next(line for line in text.splitlines() if line.startswith(f"{key} = "))
    folder = _rules_copy(tmp_path, "stories.toml", line, f"# {key} left out")
    if key == "stopwords":  # a list over several lines: comment out its items too
        body = (folder / "stories.toml").read_text(encoding="utf-8")
        start = body.index(f"# {key} left out")
        end = body.index("]", start) + 1
        items = body[start:end].splitlines()
        (folder / "stories.toml").write_text(
            body[:start] + "\n".join("# " + item for item in items) + body[end:], encoding="utf-8"
        )
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["run", str(SEEDS), "--rules", str(folder), "-o", str(out)])
    assert result.exit_code != 0
    assert f"stories.toml: [settings] lacks the key {key}" in result.output
    assert not out.exists() or not any(out.iterdir())


@pytest.mark.parametrize(
    "pattern",
    [r"(?:\s+\w+){0,3}", r"\d+(?:,\d{3})*", r"(?:\s*/\s*\d+)+", r"(?:,\s*\+?[\d-]+)*"],
    ids=["bounded-outer", "thousands", "slash-separated", "comma-separated"],
)
def test_repetitions_whose_turns_are_told_apart_are_allowed(pattern):
    from audit.rules.safety import backtracking_problem

    assert backtracking_problem(compile_pattern(pattern)) == ""


def test_a_refused_pattern_is_refused_fast(tmp_path):
    import time

    (tmp_path / "noise.toml").write_text(GOOD_NOISE.replace("'\\d\\d:\\d\\d'", "'(x+x+)+y'"), encoding="utf-8")
    started = time.perf_counter()
    with pytest.raises(RuleError, match="regex refused"):
        load_rules(tmp_path)
    assert time.perf_counter() - started < 5
