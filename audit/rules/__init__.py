"""The rule files (`rules/*.toml`): their schema, loading and validation, and the compiled rule set.

`load_rules(folder)` reads and validates a folder once; each stage compiles its own part from the
result with its `from_rules()`, and `audit.rules.compiled.compile_rules` builds them all at once.
"""

from audit.rules.load import (
    DEFAULT_RULES_DIR,
    Rule,
    RuleSet,
    compile_pattern,
    folder_digest,
    load_rule_file,
    load_rules,
    reload_rules,
)
from audit.rules.schema import SCHEMAS, TYPES, Field

__all__ = [
    "DEFAULT_RULES_DIR",
    "SCHEMAS",
    "TYPES",
    "Field",
    "Rule",
    "RuleSet",
    "compile_pattern",
    "folder_digest",
    "load_rule_file",
    "load_rules",
    "reload_rules",
]
