"""Authority names across eras: 'London Borough of Camden', 'Camden Council', 'Camden'.

Every name resolves to one entry of the project's register, ``data/authorities.csv`` (built
by ``scripts/build_authority_register.py`` from ONS codes and names, Ofsted URNs, the
councils abolished since 2019 and the trusts that deliver a council's services, each with
its source): the register's short name, its GSS code and Ofsted URN. The rules strip the
prefixes and suffixes councils are printed with; the names no rule reaches (ONS's 'County
Durham' for Durham County Council, 'Doncaster Children's Services Trust') are aliases.
A name that resolves to no entry is no authority this project knows: ingest refuses it.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
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
_REGISTER = Path(__file__).parent / "data" / "authorities.csv"
# "Derby City", "Leeds City Council", "Tameside Metropolitan Borough": a council's own words
_COUNCIL_TAIL = re.compile(r"\s+(?:City|Metropolitan Borough|Borough|District)$", re.I)


@dataclass(frozen=True)
class Authority:
    """One entry of the register."""

    name: str  # the short name the graph uses
    gss_code: str
    ofsted_urn: str
    region: str
    type: str
    succeeded_by: tuple[str, ...] = ()


@lru_cache(maxsize=1)
def register() -> dict[str, Authority]:
    """The register by short name."""
    with _REGISTER.open(newline="", encoding="utf-8") as f:
        return {
            row["name"]: Authority(
                row["name"], row["gss_code"], row["ofsted_urn"], row["region"], row["type"],
                tuple(s for s in row["succeeded_by"].split("|") if s),
            )
            for row in csv.DictReader(f)
        }  # fmt: skip


def register_rows() -> list[dict[str, str]]:
    """The register's rows as the data file holds them (every column, with its source)."""
    with _REGISTER.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@lru_cache(maxsize=1)
def _aliases() -> dict[str, str]:
    """Every name and alias of the register, compared by ``_key``, -> its short name."""
    out: dict[str, str] = {}
    with _REGISTER.open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            for alias in (row["name"], row["ons_name"], *row["aliases"].split("|")):
                if alias:
                    out.setdefault(_key(alias), row["name"])
    return out


def resolve(printed: str) -> Authority | None:
    """The register's entry for an authority's name as printed, or None."""
    name = authority_name(printed)
    return register().get(name)


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", name.lower().replace("&", " and ")).strip()


def authority_name(printed: str) -> str:
    """The short name of an authority as printed in any era: the register's where the name
    resolves to an entry, else what the prefix and suffix rules leave."""
    name = " ".join(printed.replace("’", "'").split()).strip(" ,.")
    exact = _aliases().get(_key(name))  # before the rules: 'City of London' is no 'London'
    if exact:
        return exact
    for _ in range(3):
        new = _SUFFIX.sub("", _PREFIX.sub("", name)).strip(" ,.")
        new = re.sub(r"^the\s+", "", new, flags=re.I)
        if new == name:
            break
        name = new
    name = name.replace(" & ", " and ")
    for candidate in (name, _COUNCIL_TAIL.sub("", name)):
        if _key(candidate) in _aliases():
            return _aliases()[_key(candidate)]
    return name
