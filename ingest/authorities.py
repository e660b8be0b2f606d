"""Authority names across eras: 'London Borough of Camden', 'Camden Council', 'Camden'."""

from __future__ import annotations

import re

_PREFIX = re.compile(
    r"^(?:the\s+)?(?:(?:London|Royal|Metropolitan|County)\s+)?(?:Borough|City|County|Council)\s+of\s+",
    re.I,
)
_SUFFIX = re.compile(
    r"\s+(?:(?:Metropolitan\s+)?(?:Borough|City|County|District)\s+)?Council$"
    r"|\s+children's\s+services$|'s$",
    re.I,
)


def authority_name(printed: str) -> str:
    """The short name of an authority as printed in any era."""
    name = " ".join(printed.replace("’", "'").split()).strip(" ,.")
    for _ in range(3):
        new = _SUFFIX.sub("", _PREFIX.sub("", name)).strip(" ,.")
        if new == name:
            break
        name = new
    return name.replace(" & ", " and ")
