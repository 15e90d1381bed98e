"""Where the bundled rule files and seed corpus are: inside the installed package, or in a source checkout.

A wheel (`pip install .`, pipx) carries the project's top-level `rules/` and `seeds/` as the package data
`audit/_rules` and `audit/_seeds` (see pyproject.toml); an editable install or a checkout reads the
top-level folders themselves.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

_CHECKOUT = Path(__file__).resolve().parent.parent


def bundled(name: str) -> Path:
    """The bundled folder `name` ("rules" or "seeds"): the installed package data, else the checkout's."""
    try:  # a data-only folder is a namespace package: its spec holds its one search location
        spec = importlib.util.find_spec(f"audit._{name}")
    except ModuleNotFoundError:
        spec = None
    locations = list(spec.submodule_search_locations or ()) if spec else []
    if locations and Path(locations[0]).is_dir():  # an editable install maps no package onto it
        return Path(locations[0])
    return _CHECKOUT / name
