"""One module per report family, each ending with ``FAMILY = Family(...)`` (``parse/family.py``).

The registry imports every module of this folder, so a new family needs no line elsewhere.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from ofsted_kg.parse.family import Family


@cache
def registered() -> tuple[Family, ...]:
    """Every family, in the order detection tries them."""
    found: list[Family] = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        family = getattr(module, "FAMILY", None)
        if not isinstance(family, Family):
            raise TypeError(f"{module.__name__} defines no FAMILY = Family(...)")
        found.append(family)
    keys = [f.key for f in found]
    if len(set(keys)) != len(keys):
        raise TypeError(f"two families share a key: {sorted(keys)}")
    return tuple(sorted(found, key=lambda f: (f.precedence, f.key)))
