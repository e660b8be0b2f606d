"""The store's ingest history, kept in its settings file (folder.py), never in its graphs.

A portal wants to know when the data was first published and when it last changed; the
reports themselves cannot say (an ILACS report prints no publication date). So the store
records when reports were first and last ingested and when its data graphs last changed
(an ingest, a removal, an authorities load): before the first change of a write (so that a
writer killed after storing has it recorded) and again at the flush that makes it durable.
The times live beside the base IRI in ``ofsted-kg.json``: the report graphs, and so every
export of them, stay byte-identical; the description reads the times back, so it too is
the same for the same store.

The clock is the system's, or ``SOURCE_DATE_EPOCH`` (seconds since 1970, the convention of
reproducible builds) when it is set: a pipeline that rebuilds a store can pin its dates.
"""

from __future__ import annotations

import os
from datetime import datetime, timezone

FIRST_INGEST = "first_ingest"
LAST_INGEST = "last_ingest"
LAST_CHANGE = "last_change"
KEYS = (FIRST_INGEST, LAST_INGEST, LAST_CHANGE)


def now() -> str:
    """The time as an xsd:dateTime in UTC to the second: SOURCE_DATE_EPOCH when set."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    when = (
        datetime.fromtimestamp(int(epoch), timezone.utc)
        if epoch.isdigit()
        else datetime.now(timezone.utc)
    )
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def recorded(history: dict, ingested: bool, when: str) -> dict:
    """The history after a change made durable at ``when``; ``ingested``: reports were
    stored (not only removed, or enrichment replaced)."""
    out = {k: v for k, v in history.items() if k in KEYS and isinstance(v, str)}
    if ingested:
        out.setdefault(FIRST_INGEST, when)
        out[LAST_INGEST] = when
    out[LAST_CHANGE] = when
    return out
