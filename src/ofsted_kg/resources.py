"""Where the plain-file parts of the project live, in a checkout or an installed package."""

from __future__ import annotations

from pathlib import Path

_HERE = Path(__file__).resolve().parent
# In a checkout the package is src/ofsted_kg and the plain files sit at the repository's top.
_CHECKOUT = _HERE.parent.parent


def resource_dir(name: str) -> Path:
    """``ontology``, ``shapes``, ``queries`` or ``examples``: installed copy, else checkout."""
    for candidate in (_HERE / name, _CHECKOUT / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"cannot find the {name}/ folder of ofsted-kg")


def ontology_files() -> list[Path]:
    return sorted(resource_dir("ontology").glob("*.ttl"))


def shape_files() -> list[Path]:
    return sorted(resource_dir("shapes").glob("*.ttl"))


def example_reports() -> list[Path]:
    return sorted((resource_dir("examples") / "seeds").glob("*.txt"))
