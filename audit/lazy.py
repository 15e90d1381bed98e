"""Names of a package imported from their modules when first asked for (PEP 562 module `__getattr__`), so
that importing one light module of the package loads none of its heavy neighbours."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def lazy_names(package: str, where: Mapping[str, str], namespace: dict[str, Any]) -> Callable[[str], Any]:
    """The `__getattr__` of a package whose name `n` lives in module `package.where[n]`; a name once imported
    is kept in the package's `namespace`."""

    def __getattr__(name: str) -> Any:
        """A name of the package, imported from its module on first use."""
        if name not in where:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = namespace[name] = getattr(importlib.import_module(f"{package}.{where[name]}"), name)
        return value

    return __getattr__
