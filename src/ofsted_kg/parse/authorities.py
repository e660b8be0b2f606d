"""Authority names across eras: 'London Borough of Camden', 'Camden Council', 'Camden'.

The rules strip the prefixes and suffixes councils are printed with; the few names no rule
reaches (ONS's 'County Durham' for Durham County Council) are in data/authority-aliases.csv.
"""

from __future__ import annotations

import csv
import re
from functools import lru_cache
from pathlib import Path

_PREFIX = re.compile(
    r"^(?:the\s+)?(?:(?:London|Royal|Metropolitan|County)\s+)?(?:Borough|City|County|Council)\s+of\s+",
    re.I,
)
_SUFFIX = re.compile(
    r"\s+(?:(?:Metropolitan\s+)?(?:Borough|City|County|District)\s+)?Council$"
    r"|\s+children's\s+services$|'s$|,\s*(?:City|County) of$"
    # visit letters: "Derbyshire local authority", "Bath and North East Somerset (B&NES)"
    r"|\s+local\s+authority$|\s*\([A-Z&]{2,}\)$",
    re.I,
)
_ALIASES = Path(__file__).parent / "data" / "authority-aliases.csv"


@lru_cache(maxsize=1)
def _aliases() -> dict[str, str]:
    with _ALIASES.open(newline="", encoding="utf-8") as f:
        return {_key(row["alias"]): row["name"] for row in csv.DictReader(f)}


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", name.lower().replace("&", " and ")).strip()


def authority_name(printed: str) -> str:
    """The short name of an authority as printed in any era."""
    name = " ".join(printed.replace("’", "'").split()).strip(" ,.")
    for _ in range(3):
        new = _SUFFIX.sub("", _PREFIX.sub("", name)).strip(" ,.")
        new = re.sub(r"^the\s+", "", new, flags=re.I)
        if new == name:
            break
        name = new
    name = name.replace(" & ", " and ")
    return _aliases().get(_key(name), _aliases().get(_key(printed), name))
