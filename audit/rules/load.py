"""Load and validate the rule files (`rules/*.toml`) once, before any text is read.

Each rule file holds arrays of tables (`[[measure]]`, `[[hedge]]` ...) and optionally one `[settings]`
table. Every table kind has a schema (`audit.rules.schema`): an unknown key, a missing required key, a wrong type, a bad
regex, a duplicate id or an example its own pattern does not match stops the run with a RuleError that
names the file, the rule id and the key.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Protocol, TypeVar

from audit.bundled import bundled
from audit.errors import RuleError
from audit.rules.parsed import KnownSafe, parsed_toml
from audit.rules.regexes import kept_regexes
from audit.rules.schema import SCHEMAS, TYPES, Field

#: The bundled rules: the package data of an installed wheel, or the checkout's top-level `rules/`.
DEFAULT_RULES_DIR = bundled("rules")
#: The rule regexes this code already found safe from catastrophic backtracking (kept in the user cache).
_known_safe = KnownSafe()


@dataclass(frozen=True)
class Rule:
    """One validated rule: its id, where it came from, and its keys (regexes compiled)."""

    id: str
    file: str
    table: str
    data: Mapping[str, Any]

    def get(self, key: str, default: Any = None) -> Any:
        """The rule's value for `key`, or `default`."""
        return self.data.get(key, default)

    @property
    def examples(self) -> tuple[Mapping[str, Any], ...]:
        """The examples the rule carries (each a table with at least `text`)."""
        return tuple(self.data.get("examples", ()))


class _Part(Protocol):
    """A stage's compiled part of the rules: built from a rule set by its `from_rules`."""

    @classmethod
    def from_rules(cls, rules: RuleSet) -> Any: ...


P = TypeVar("P", bound=_Part)


@dataclass(frozen=True)
class RuleSet:
    """All rules of a folder, by file stem and table name."""

    folder: str
    tables: Mapping[tuple[str, str], tuple[Rule, ...]] = field(default_factory=dict)
    settings: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    digest: str = ""  # sha256 of the folder's rule files as read: a pickled RuleSet is rebuilt from them
    warnings: tuple[str, ...] = ()  # what the run must say about the folder (a rule file left empty on purpose)
    # the compiled parts built so far (see `part`); not copied by dataclasses.replace, so an edited copy builds its own
    _parts: dict[type, Any] = field(default_factory=dict, init=False, compare=False, repr=False)
    # set by load_rules only: an edited copy (dataclasses.replace) no longer says what its files say
    _as_read: bool = field(default=False, init=False, compare=False, repr=False)

    def __reduce__(self):
        """Pickle as the folder and its digest (compiled regexes and read-only maps do not pickle)."""
        return (reload_rules, (self.folder, self.digest))

    @property
    def cache_key(self) -> str:
        """The digest of the rule files while this rule set is as read from them; '' for an edited copy."""
        return self.digest if self._as_read else ""

    def rules(self, file: str, table: str) -> tuple[Rule, ...]:
        """The rules of one table of one file, in file order (empty when absent)."""
        return self.tables.get((file, table), ())

    def part(self, kind: type[P]) -> P:
        """The compiled part `kind.from_rules(self)` (Numbers, ReconcileSettings ...), built once per rule set
        however many stages ask for it."""
        built = self._parts.get(kind)
        if built is None:
            built = self._parts[kind] = kind.from_rules(self)
        return built

    def setting(self, file: str, key: str, default: Any = None) -> Any:
        """A value of a file's `[settings]` table, for tests and inspection: stages read the typed settings of
        their part (`ExtractSettings`, `DateSettings`, `HedgeSettings`, `ReconcileSettings`, `StorySettings`)."""
        return self.settings.get(file, {}).get(key, default)

    def __iter__(self) -> Iterator[Rule]:
        """Every rule, file by file."""
        for key in sorted(self.tables):
            yield from self.tables[key]


def compile_pattern(pattern: str) -> re.Pattern[str]:
    """Compile a rule regex the way every rule regex is compiled: verbose and case-insensitive."""
    return re.compile(pattern, re.IGNORECASE | re.VERBOSE)


def _check_value(where: str, key: str, spec: Field, value: Any) -> Any:
    """Check one key's value against its Field, compiling regexes; raise RuleError naming the key."""
    expected = TYPES[spec.type]
    if isinstance(value, bool) and spec.type in ("int", "float"):
        raise RuleError(f"{where}, key '{key}': expected {spec.type}, got bool")
    if not isinstance(value, expected):
        raise RuleError(f"{where}, key '{key}': expected {spec.type}, got {type(value).__name__}")
    if spec.choices and value not in spec.choices:
        raise RuleError(f"{where}, key '{key}': '{value}' is not one of {', '.join(spec.choices)}")
    if spec.type == "regex":
        return _compile(where, key, value)
    if spec.type in ("list[str]", "list[regex]"):
        for item in value:
            if not isinstance(item, str):
                raise RuleError(f"{where}, key '{key}': expected a list of strings, found {item!r}")
        if spec.type == "list[regex]":
            return tuple(_compile(where, key, item) for item in value)
        return tuple(value)
    if spec.type == "examples":
        for item in value:
            if not isinstance(item, dict) or not isinstance(item.get("text"), str):
                raise RuleError(f"{where}, key '{key}': each example needs a 'text' string")
        return tuple(MappingProxyType(dict(item)) for item in value)
    if spec.type == "map[str]":
        for k, v in value.items():
            if not isinstance(v, str):
                raise RuleError(f"{where}, key '{key}.{k}': expected str, got {type(v).__name__}")
        return MappingProxyType(dict(value))
    if spec.type == "map[number]":
        for k, v in value.items():
            if isinstance(v, bool) or not isinstance(v, (int, float)):
                raise RuleError(f"{where}, key '{key}.{k}': expected a number, got {type(v).__name__}")
        return MappingProxyType(dict(value))
    return value


def _compile(where: str, key: str, pattern: str) -> re.Pattern[str]:
    """Compile a regex or raise a RuleError that names the key and the regex error."""
    try:
        compiled = compile_pattern(pattern)
    except re.error as exc:
        raise RuleError(f"{where}, key '{key}': bad regex: {exc}") from None
    problem = _known_safe.problem(compiled)
    if problem:
        raise RuleError(f"{where}, key '{key}': regex refused: {problem}")
    return compiled


def _check_examples_match(where: str, data: Mapping[str, Any]) -> None:
    """A rule with a `pattern` must find something in each of its own examples (unless marked `match = false`)."""
    pattern = data.get("pattern")
    if not isinstance(pattern, re.Pattern):
        return
    for example in data.get("examples", ()):
        wanted = example.get("match", True)
        found = pattern.search(example["text"]) is not None
        if found != wanted:
            verb = "does not match" if wanted else "matches"
            raise RuleError(f"{where}, key 'examples': pattern {verb} its example {example['text']!r}")


def _load_table(file: str, table: str, raw: Any, schema: dict[str, Field]) -> tuple[Rule, ...]:
    """Validate one array of tables and turn it into Rules."""
    if not isinstance(raw, list):
        raise RuleError(f"{file}: '{table}' must be an array of tables ([[{table}]])")
    rules: list[Rule] = []
    seen: set[str] = set()
    for position, entry in enumerate(raw, 1):
        rule_id = entry.get("id") if isinstance(entry, dict) else None
        where = f"{file}, rule '{rule_id}'" if isinstance(rule_id, str) else f"{file}, [[{table}]] #{position}"
        if not isinstance(entry, dict):
            raise RuleError(f"{where}: expected a table")
        for key in entry:
            if key not in schema:
                raise RuleError(f"{where}, key '{key}': unknown key (allowed: {', '.join(sorted(schema))})")
        for key, spec in schema.items():
            if spec.required and key not in entry:
                raise RuleError(f"{where}, key '{key}': required key is missing")
        data = {key: _check_value(where, key, schema[key], value) for key, value in entry.items()}
        if rule_id in seen:
            raise RuleError(f"{where}, key 'id': duplicate id in [[{table}]]")
        seen.add(rule_id)
        _check_examples_match(where, data)
        rules.append(Rule(rule_id, file, table, MappingProxyType(data)))
    return tuple(rules)


def load_rule_file(path: Path) -> tuple[dict[tuple[str, str], tuple[Rule, ...]], dict[str, Any]]:
    """Read and validate one rule file: its tables of rules and its settings."""
    name = path.name
    schema = SCHEMAS.get(path.stem)
    if schema is None:
        raise RuleError(f"{name}: unknown rule file (known: {', '.join(f'{s}.toml' for s in sorted(SCHEMAS))})")
    try:
        raw = parsed_toml(path.read_bytes())
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise RuleError(f"{name}: not valid TOML: {exc}") from None
    tables: dict[tuple[str, str], tuple[Rule, ...]] = {}
    settings: dict[str, Any] = {}
    for table, value in raw.items():
        if table == "meta":
            continue
        if table not in schema:
            raise RuleError(f"{name}, key '{table}': unknown table (allowed: {', '.join(sorted(schema))})")
        if table == "settings":
            if not isinstance(value, dict):
                raise RuleError(f"{name}, key 'settings': expected a table")
            for key, item in value.items():
                if key not in schema["settings"]:
                    raise RuleError(f"{name}, rule 'settings', key '{key}': unknown key")
                settings[key] = _check_value(f"{name}, rule 'settings'", key, schema["settings"][key], item)
            continue
        tables[(path.stem, table)] = _load_table(name, table, value, schema[table])
    return tables, settings


def load_rules(folder: str | Path | None = None) -> RuleSet:
    """Load and validate every `*.toml` rule file of a folder (the bundled `rules/` by default)."""
    with kept_regexes():  # the rules' regexes built from the user cache when compiled before
        return _load_rules(folder)


def _load_rules(folder: str | Path | None) -> RuleSet:
    """load_rules, within kept_regexes."""
    path = Path(folder) if folder is not None else DEFAULT_RULES_DIR
    if not path.is_dir():
        raise RuleError(f"{path}: rules folder not found")
    tables: dict[tuple[str, str], tuple[Rule, ...]] = {}
    settings: dict[str, Mapping[str, Any]] = {}
    files = sorted(path.glob("*.toml"))
    empty: list[str] = []
    for file in files:
        file_tables, file_settings = load_rule_file(file)
        tables.update(file_tables)
        settings[file.stem] = MappingProxyType(file_settings)
        if not file_tables and not file_settings:
            empty.append(file.stem)
    warnings = _check_complete(path, {file.stem for file in files}, empty)
    _known_safe.save()
    rules = RuleSet(str(path), MappingProxyType(tables), MappingProxyType(settings), folder_digest(files), warnings)
    object.__setattr__(rules, "_as_read", True)  # frozen: set once, here
    return rules


#: Rule files a folder may hold empty on purpose (no rules, only comments): the run goes on and says what
#: is then not done. Every other file is needed as it is: empty, the run would quietly read less or read
#: wrong (no hedges, no units, no number words, no page furniture), so it is refused like a missing one.
MAY_BE_EMPTY = {
    "noise": "no figure is dropped as noise (times, phone numbers, model names may be read as claims)",
    "speakers": "no claim is attributed to a speaker",
    "events": "no date or duration is tied to the event it is about",
}


def _check_complete(folder: Path, present: set[str], empty: list[str]) -> tuple[str, ...]:
    """Refuse a rules folder that lacks a rule file or holds one empty that must not be; the warnings
    for the files left empty on purpose. Called after every file validated, so that a broken file is
    named before a missing one (and never another file's examples, which a missing file would break)."""
    for stem in sorted(SCHEMAS):
        if stem not in present:
            raise RuleError(
                f"{stem}.toml: missing from the rules folder {folder}; a rules folder needs every rule file "
                "(copy it from the bundled rules)"
            )
    for stem in empty:
        if stem not in MAY_BE_EMPTY:
            raise RuleError(
                f"{stem}.toml: holds no rules and no settings; the run needs them (copy the file from the "
                "bundled rules)"
            )
    return tuple(f"{stem}.toml: holds no rules; {MAY_BE_EMPTY[stem]}" for stem in empty)


def folder_digest(files: list[Path]) -> str:
    """A content hash of rule files (their names and bytes), so a rebuilt rule set can prove it is the same."""
    digest = hashlib.sha256()
    for file in files:
        data = file.read_bytes()
        digest.update(f"{file.name}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


def reload_rules(folder: str, digest: str) -> RuleSet:
    """Rebuild a pickled rule set from its folder; refuse when the files changed since it was loaded."""
    rules = load_rules(folder)
    if digest and rules.digest != digest:
        raise RuleError(f"{folder}: the rule files changed since the rules were loaded; load them again")
    return rules
