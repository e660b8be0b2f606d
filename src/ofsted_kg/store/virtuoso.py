"""What a store behind Virtuoso (7.2, Debian's virtuoso-opensource) needs beyond the SPARQL
and Graph Store Protocols: its endpoints' paths, and the repair of what it gives back in a
form of its own (an ASK's answer, xsd:duration values). RemoteStore uses this when --store
starts with ``virtuoso+``; tests/store/test_virtuoso.py checks each repair on a real server.
"""

from __future__ import annotations

import json
import re

import pyoxigraph as ox

PREFIX = "virtuoso+"

# (query, update, Graph Store Protocol) under the server's root: open, and with digest auth
PATHS = ("/sparql", "/sparql", "/sparql-graph-crud")
AUTH_PATHS = ("/sparql-auth", "/sparql-auth", "/sparql-graph-crud-auth")

_ASK_RETVAL = ox.Variable("__ASK_RETVAL")
_DURATION = "http://www.w3.org/2001/XMLSchema#duration"
_MONTHS_NT = re.compile(rb'"(-?\d+)"\^\^<' + re.escape(_DURATION.encode()) + rb">")


def ask_answer(results: object) -> object:
    """Virtuoso answers ASK as a SELECT of one variable, __ASK_RETVAL, with a row when true
    and none when false: that as the boolean it is."""
    if isinstance(results, ox.QuerySolutions) and results.variables == [_ASK_RETVAL]:
        found = next(iter(results), None) is not None
        boolean = b'{"head": {}, "boolean": %s}' % (b"true" if found else b"false")
        return ox.parse_query_results(boolean, format=ox.QueryResultsFormat.JSON)
    return results


def months_as_duration(months: int) -> str:
    """A number of months as xsd:duration's canonical form (36 is P3Y, 18 P1Y6M)."""
    sign, months = ("-" if months < 0 else ""), abs(months)
    years, rest = divmod(months, 12)
    text = (f"{years}Y" if years else "") + (f"{rest}M" if rest or not years else "")
    return f"{sign}P{text}"


# Virtuoso keeps an xsd:duration as a number (openlink/virtuoso-opensource#936): months for
# the years and months, seconds (a decimal) for the days and times, which it drops from a
# duration with both. The reports give years and months alone, so an integer is put back
# as that many months, exactly what was stored; a STR() in a query still sees the number.


def repair_durations_ntriples(body: bytes) -> bytes:
    """N-Triples from the Graph Store Protocol, with durations as they were stored."""
    if _DURATION.encode() not in body:
        return body
    return _MONTHS_NT.sub(
        lambda m: b'"%s"^^<%s>' % (months_as_duration(int(m[1])).encode(), _DURATION.encode()),
        body,
    )


def repair_durations_json(body: bytes) -> bytes:
    """SPARQL JSON results, with durations as they were stored."""
    if _DURATION.encode() not in body:
        return body
    results = json.loads(body)
    for row in results.get("results", {}).get("bindings", ()):
        for term in row.values():
            value = term.get("value", "")
            if term.get("datatype") == _DURATION and re.fullmatch(r"-?\d+", value):
                term["value"] = months_as_duration(int(value))
    return json.dumps(results).encode()
