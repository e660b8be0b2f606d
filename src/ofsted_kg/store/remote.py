"""A store behind any SPARQL 1.1 endpoint: the Protocol for queries and updates, the Graph Store
Protocol for loading one report's graph.

``RemoteStore("http://host:7878")`` uses Oxigraph's layout (``/query``, ``/update``, ``/store``);
``RemoteStore("virtuoso+http://host:8890")`` Virtuoso's (``/sparql`` for both, and
``/sparql-graph-crud``; with ``user:password@`` in the URL, the ``-auth`` endpoints with HTTP
digest authentication); the three URLs can be given apart for other servers. The ``virtuoso+``
prefix is what a user gives as ``--store``: a plain URL stays Oxigraph's, as it always was.

Queries see the default graph, so run the server with the default graph as the union of the
named graphs (``oxigraph serve --union-default-graph``; Fuseki: ``tdb:unionDefaultGraph
true``; Virtuoso does so unasked). Parameters are sent as a VALUES clause of RDF terms
serialised by pyoxigraph (escaped N-Triples syntax), never as text spliced into the query's
patterns: a value cannot change the query's shape.
"""

from __future__ import annotations

import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from ofsted_kg.rdf import vocab
from ofsted_kg.rdf.iris import Iris
from ofsted_kg.store import virtuoso
from ofsted_kg.store.embedded import ONTOLOGY_GRAPH


class RemoteError(OSError):
    pass


_AUTHORITY = ox.Variable("authority")

# An Oxigraph server's paths under its root: (query, update, Graph Store Protocol)
OXIGRAPH_PATHS = ("/query", "/update", "/store")


def is_url(location: object) -> bool:
    text = str(location).removeprefix(virtuoso.PREFIX)
    return text.startswith(("http://", "https://"))


def _credentials(url: str) -> tuple[str, tuple[str, str] | None]:
    """The URL without its ``user:password@`` (and the pair, when given)."""
    parts = urllib.parse.urlsplit(url)
    if parts.username is None:
        return url, None
    host = parts.hostname or ""
    netloc = f"[{host}]" if ":" in host else host
    if parts.port is not None:
        netloc += f":{parts.port}"
    bare = urllib.parse.urlunsplit(parts._replace(netloc=netloc))
    password = urllib.parse.unquote(parts.password or "")
    return bare, (urllib.parse.unquote(parts.username), password)


class _Digest(urllib.request.HTTPDigestAuthHandler):
    """HTTP digest authentication that, once a server has sent its challenge, answers it
    on every later request unasked: urllib would send each request bare first, and a server
    that refuses a large PUT before reading it (Virtuoso) breaks the pipe under the upload."""

    challenge: dict[str, str] | None = None
    asked = False  # whether a request was made to learn the challenge

    def retry_http_digest_auth(self, req: urllib.request.Request, auth: str):  # noqa: ANN201
        _, challenge = auth.split(" ", 1)
        self.challenge = urllib.request.parse_keqv_list(
            filter(None, urllib.request.parse_http_list(challenge))
        )
        return super().retry_http_digest_auth(req, auth)

    def http_request(self, req: urllib.request.Request) -> urllib.request.Request:
        if self.challenge is not None and not req.has_header(self.auth_header):
            answer = self.get_authorization(req, self.challenge)
            if answer:
                req.add_unredirected_header(self.auth_header, f"Digest {answer}")
        return req

    https_request = http_request


class RemoteStore:
    """A GraphStore (protocol.py) over HTTP: what ingest, query, export and serve use."""

    def __init__(self, url: str, base: str | None = None, update_url: str | None = None,
                 store_url: str | None = None, timeout: float = 60.0) -> None:  # fmt: skip
        self.path: Path | None = None  # no folder: see GraphStore.path
        self.url = url
        # Virtuoso: its endpoints, and the repair of what it answers (store/virtuoso.py)
        self.is_virtuoso = url.startswith(virtuoso.PREFIX)
        bare, credentials = (url, None)
        if self.is_virtuoso:  # (a plain URL is taken as it is, as it always was)
            bare, credentials = _credentials(url.removeprefix(virtuoso.PREFIX))
        ends = ("/query", "/sparql", "/sparql-auth") if self.is_virtuoso else ("/query", "/sparql")
        root = bare.rstrip("/")
        for suffix in ends:
            if root.endswith(suffix):
                root = root[: -len(suffix)]
        if self.is_virtuoso:
            paths = virtuoso.AUTH_PATHS if credentials else virtuoso.PATHS
        else:
            paths = OXIGRAPH_PATHS
        given = bare.rstrip("/").endswith(ends)
        self.query_url = bare if given else root + paths[0]
        self.update_url = update_url or root + paths[1]
        self.store_url = store_url or root + paths[2]
        self.timeout = timeout
        self.iris = Iris(base or vocab.DEFAULT_BASE)
        self._digest: _Digest | None = None
        if credentials:  # Virtuoso's -auth endpoints ask for HTTP digest authentication
            passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            passwords.add_password(None, root, *credentials)
            self._digest = _Digest(passwords)
        self._opener = urllib.request.build_opener(*filter(None, [self._digest]))

    # ------------------------------------------------------------ HTTP

    def _request(self, url: str, data: bytes | None = None, ctype: str | None = None,
                 method: str | None = None, accept: str | None = None) -> bytes:  # fmt: skip
        if self._digest and not self._digest.asked and data and url != self.query_url:
            self._digest.asked = True
            self.query("ASK {}")  # a small request first, to learn the server's challenge
        req = urllib.request.Request(url, data=data, method=method)
        if ctype:
            req.add_header("Content-Type", ctype)
        if accept:
            req.add_header("Accept", accept)
        try:
            with self._opener.open(req, timeout=self.timeout) as r:
                return r.read()
        except urllib.error.HTTPError as e:
            detail = e.read().decode("utf-8", "replace").strip()[:500]
            verb = method or ("POST" if data else "GET")
            raise RemoteError(f"{verb} {url}: {e.code} {detail}") from None
        except urllib.error.URLError as e:
            raise RemoteError(f"{url}: {e.reason}") from None

    # ------------------------------------------------------------ queries

    def query(self, sparql: str, substitutions: dict | None = None,
              graphs: list[ox.NamedNode] | None = None) -> object:  # fmt: skip
        """SPARQL over the endpoint's default graph (the union of the graphs, as the server is
        run), or over ``graphs`` alone, default graph and named graphs both, as Store.query
        (the Protocol's ``default-graph-uri`` and ``named-graph-uri``)."""
        if substitutions:
            names = " ".join(str(v) for v in substitutions)
            terms = " ".join(str(t) for t in substitutions.values())
            values = f"\n  VALUES ({names}) {{ ({terms}) }}"
            # at the start of every group a WHERE opens (subqueries too), as substitution does
            sparql = re.sub(r"(?i)(\bWHERE\s*\{)", lambda m: m.group(1) + values, sparql)
        fields = [("query", sparql)]
        for graph in graphs or ():
            fields += [("default-graph-uri", graph.value), ("named-graph-uri", graph.value)]
        data = urllib.parse.urlencode(fields).encode()
        body = self._request(self.query_url, data, "application/x-www-form-urlencoded",
                             accept="application/sparql-results+json")  # fmt: skip
        if self.is_virtuoso:  # its durations and its ASK answers, as the Protocol has them
            body = virtuoso.repair_durations_json(body)
            return virtuoso.ask_answer(
                ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
            )
        return ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)

    def update(self, sparql: str) -> None:
        data = urllib.parse.urlencode({"update": sparql}).encode()
        self._request(self.update_url, data, "application/x-www-form-urlencoded")

    # ------------------------------------------------------------ graphs

    def _graph_url(self, graph: ox.NamedNode) -> str:
        return self.store_url + "?" + urllib.parse.urlencode({"graph": graph.value})

    def put_graph(self, graph: ox.NamedNode, ntriples: bytes | str) -> None:
        """Replace a named graph (Graph Store Protocol PUT)."""
        data = ntriples.encode() if isinstance(ntriples, str) else ntriples
        self._request(self._graph_url(graph), data, "application/n-triples", "PUT")

    def put_report(self, sha256: str, triples: Graph | bytes | str,
                   replacing: Iterable[str] = ()) -> None:  # fmt: skip
        """As Store.put_report, but not in one transaction: the new graph is stored before
        the graphs it replaces are deleted, so a failure part-way loses none of them."""
        if isinstance(triples, Graph):
            triples = triples.serialize(format="nt")
        self.put_graph(self.report_graph(sha256), triples)
        self.remove_reports(replacing)

    def put_enrichment(self, name: str, ntriples: bytes | str) -> None:
        """Replace a graph of data from outside the reports (Graph Store Protocol PUT), as
        Store.put_enrichment."""
        self.put_graph(self.iris.enrichment_graph(name), ntriples)

    def authority_graphs(self, authority: ox.Literal) -> list[ox.NamedNode]:
        """As Store.authority_graphs: the report graphs with an inspection of that name, and
        every graph that is not a report's."""
        # (the prefix written in: a VALUES binding would not reach the FILTER in its branch)
        label, reports = vocab.OKG.authorityLabel, ox.Literal(self.iris.graph("").value)
        named = f"{{ GRAPH ?g {{ ?inspection <{label}> ?authority }} }}"
        others = f"{{ GRAPH ?g {{ }} FILTER (!STRSTARTS(STR(?g), {reports})) }}"
        if self.is_virtuoso:  # each branch apart: see _virtuoso_others
            rows = [*self.query(f"SELECT DISTINCT ?g WHERE {named}", {_AUTHORITY: authority}),
                    *self._virtuoso_others(reports)]  # type: ignore[misc]  # fmt: skip
        else:
            rows = self.query(f"SELECT DISTINCT ?g WHERE {{ {named} UNION {others} }}",
                              {_AUTHORITY: authority})  # fmt: skip
        graphs = (row["g"] for row in rows)  # type: ignore[union-attr]
        return sorted((g for g in graphs if isinstance(g, ox.NamedNode)), key=lambda g: g.value)

    def _virtuoso_others(self, reports: ox.Literal) -> object:
        """Every graph that is not a report's, asked of Virtuoso 7.2 in a query of its own:
        it binds no graph to ``GRAPH ?g { }``, so a statement is asked for (its graph index
        answers that; Oxigraph would scan every quad), and beside a VALUES clause in a UNION
        it dropped this branch's rows."""
        return self.query(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} "
                          f"FILTER (!STRSTARTS(STR(?g), {reports})) }}")  # fmt: skip

    def reports_of(self, inspections: Iterable[str]) -> dict[str, str]:
        """As Store.reports_of."""
        iris = " ".join(f"<{iri}>" for iri in sorted(inspections))
        if not iris:
            return {}
        of = vocab.OKG.reportOf
        rows = self.query(f"SELECT ?g ?i WHERE {{ VALUES ?i {{ {iris} }} "
                          f"GRAPH ?g {{ ?r <{of}> ?i }} }} ORDER BY ?i")  # fmt: skip
        found: dict[str, str] = {}
        for row in rows:  # type: ignore[union-attr]
            sha = self.iris.graph_sha(row["g"])
            if sha:
                found.setdefault(sha, row["i"].value)
        return found

    def ensure_ontology(self) -> None:
        """Load the ontology and concept schemes into their graph (the queries need labels)."""
        self.put_graph(ONTOLOGY_GRAPH, vocab.ontology_ntriples())

    def report_graph(self, sha256: str) -> ox.NamedNode:
        return self.iris.graph(sha256)

    def has_report(self, sha256: str) -> bool:
        g = self.report_graph(sha256)
        result = self.query(f"ASK {{ GRAPH <{g.value}> {{ ?s ?p ?o }} }}")
        return bool(result)

    def report_shas(self) -> list[str]:
        rows = self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        return sorted(filter(None, (self.iris.graph_sha(row["g"]) for row in rows)))  # type: ignore[union-attr]

    def data_graphs(self) -> list[ox.NamedNode]:
        """Every graph the project wrote (reports, enrichment), sorted, as Store.data_graphs."""
        prefix = self.iris.enrichment_graph("").value
        rows = self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        graphs = {row["g"].value for row in rows}  # type: ignore[union-attr]
        return [ox.NamedNode(g) for g in sorted(graphs) if g.startswith(prefix)]

    def triples(self, name: ox.NamedNode) -> Iterator[ox.Triple]:
        """A named graph's statements, fetched with the Graph Store Protocol."""
        return ox.parse(self.ntriples(name), format=ox.RdfFormat.N_TRIPLES)

    def ntriples(self, name: ox.NamedNode) -> bytes:
        data = self._request(self._graph_url(name), accept="application/n-triples")
        return virtuoso.repair_durations_ntriples(data) if self.is_virtuoso else data

    def graph(self, name: ox.NamedNode) -> Graph:
        g = Graph()
        data = self.ntriples(name)
        if data.strip():
            g.parse(data=data.decode(), format="nt")
        return g

    def remove_reports(self, shas: Iterable[str]) -> None:
        """Remove reports' graphs (sha256), one Graph Store Protocol DELETE each."""
        for sha in shas:
            self._request(self._graph_url(self.report_graph(sha)), method="DELETE")

    def model_outdated(self) -> bool:
        """An endpoint records no data-model version: re-ingest with ``--force`` after an
        upgrade that changes it (see vocab.DATA_MODEL)."""
        return False

    def mark_model_current(self) -> None:
        pass

    def history(self) -> dict[str, str]:
        """An endpoint keeps no settings beside its graphs: no ingest history is known (the
        description then states no issued or modified date)."""
        return {}

    def flush(self) -> None:
        pass
