"""The dataclass methods kept compiled (audit.kept_methods): the classes are the ones dataclasses makes itself."""

from __future__ import annotations

import builtins
import dataclasses
import inspect
import sys
import types

import pytest

from audit import kept_methods

SOURCE = '''
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Point:
    """A point with a label."""

    x: int
    y: float = 0.5
    tags: tuple[str, ...] = field(default_factory=tuple)
    label: str = field(default="", compare=False)
'''


@pytest.fixture
def kept(tmp_path, monkeypatch):
    """The kept table in a cache folder of this test's own, nothing loaded yet."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("AUDIT_CACHE", raising=False)
    monkeypatch.setattr(kept_methods._KEPT, "table", None)
    monkeypatch.setattr(kept_methods._KEPT, "new", False)
    return kept_methods._KEPT


def _make(name: str):
    """Point, made in a fresh module named `name` (dataclasses reads the module of a class it makes)."""
    module = types.ModuleType(name)
    sys.modules[name] = module
    try:
        exec(compile(SOURCE, f"<{name}>", "exec", dont_inherit=True), module.__dict__)
    finally:
        del sys.modules[name]
    return module.Point


def _plain(monkeypatch):
    """Point as dataclasses makes it with the builtin exec."""
    with monkeypatch.context() as m:
        m.setattr(dataclasses, "exec", builtins.exec)
        return _make("audit._plain_point")


def _behaviour(point_class) -> tuple:
    """What a class's made methods do, and their signatures and annotations."""
    a, b = point_class(1, tags=("x",), label="one"), point_class(1, tags=("x",), label="two")
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.x = 2
    return (
        repr(a).replace(point_class.__qualname__, "P"),
        a == b,
        hash(a) == hash(b),
        a == point_class(2),
        str(inspect.signature(point_class)),
        {k: str(v) for k, v in point_class.__init__.__annotations__.items()},
        [(f.name, f.default, f.compare) for f in dataclasses.fields(point_class)],
        {name: getattr(point_class, name).__code__.co_filename for name in ("__init__", "__eq__", "__setattr__")},
    )


def test_a_class_from_the_kept_table_is_the_one_dataclasses_makes(kept, monkeypatch):
    made = _make("audit._kept_point")  # compiled, and kept
    assert kept.new and len(kept.load()) >= 5  # __init__, __repr__, __eq__, __setattr__, __delattr__, __hash__
    kept.save()
    monkeypatch.setattr(kept, "table", None)  # as a new process: the table read from its file

    def refused(*_args, **_kwargs):
        raise AssertionError("compiled again: the kept code was not used")

    with monkeypatch.context() as m:
        m.setattr(kept_methods, "compile", refused, raising=False)
        again = _make("audit._kept_point")
    assert _behaviour(made) == _behaviour(again) == _behaviour(_plain(monkeypatch))


def test_other_packages_classes_are_not_kept(kept):
    made = _make("elsewhere_point")
    assert kept.load() == {} and not kept.new
    assert made(3) == made(3, 0.5)


def test_the_package_installs_it_once():
    kept_methods.install()
    kept_methods.install()
    assert dataclasses.exec is kept_methods._exec
