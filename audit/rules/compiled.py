"""The compiled rule set: every stage's part of the rules, built once a run from one validated folder.

Each part is built by the stage that uses it (`Numbers.from_rules` for number words, which dates, extract
and reconcile share, `Layout` for ingest, `Vocabulary.from_rules` for dates,
`Matchers.from_rules` for extraction, which holds the hedge rules, `settings_of` for stories); this
module only puts them together.
It pickles as its folder and content digest, so a worker process rebuilds the same rules (and refuses
when the files changed in between).
"""

from __future__ import annotations

from dataclasses import dataclass

from audit.dates.vocabulary import Vocabulary, vocabulary
from audit.extract.matchers import Matchers
from audit.ingest.page import Layout, layout_of
from audit.link.stories import StorySettings, settings_of
from audit.numbers import Numbers
from audit.rules.load import RuleSet, load_rules, reload_rules
from audit.rules.regexes import kept_regexes


@dataclass(frozen=True)
class CompiledRules:
    """One rules folder, validated and compiled: the rule set and each stage's compiled part."""

    rules: RuleSet
    numbers: Numbers  # number words and the number-phrase regex (dates, extract and reconcile read them)
    layout: Layout  # ingest: page furniture, datelines, article starts
    dates: Vocabulary  # dates: word tables and date shapes
    matchers: Matchers  # extract: measures, subjects, units, hedges, noise, speakers
    stories: StorySettings  # link: story grouping weights and limits

    def __reduce__(self):
        """Pickle as the folder and its digest; the parts are rebuilt on the other side."""
        return (_rebuild, (self.rules.folder, self.rules.digest))


def compile_rules(rules: RuleSet | None = None) -> CompiledRules:
    """Every stage's part of a rule set (the bundled rules by default), each built once."""
    with kept_regexes():  # the stages' regexes built from the user cache when compiled before
        rules = rules or load_rules()
        return CompiledRules(
            rules,
            rules.part(Numbers),
            layout_of(rules),
            vocabulary(rules),
            Matchers.from_rules(rules),
            settings_of(rules),
        )


def _rebuild(folder: str, digest: str) -> CompiledRules:
    """A pickled CompiledRules, compiled again from its folder (which must hold the same files)."""
    return compile_rules(reload_rules(folder, digest))
