"""The agency graph: authorities and partner agencies as nodes, their relationships in the
reports as typed, weighted edges, built from the knowledge graph through SPARQL.

Edges run from an agency to an authority, one per kind of relationship (mentioned in the
inspection of, addressee of a recommendation to, provides health services to, commissioned
by, board member of), weighted by how often the reports state it. Metrics (degree,
betweenness, communities) are computed on the undirected graph with summed weights.

National bodies (``national``): a regulator (CQC, HMICFRS, Ofsted itself), or an agency
linked to at least a quarter of the graph's authorities (and five at least: Cafcass, a
national charity). Linked to everyone, they pull every authority into one star, so the layout
leaves them out: each cluster of authorities and the agencies they share is laid out on its
own, and the clusters are packed side by side, the national bodies on a ring around them.

Written as GraphML or GEXF (Gephi, Cytoscape), PNG (matplotlib) or a self-contained HTML
page (``agency_graph.html``: every script and style inlined, nothing fetched; national bodies
off until asked for, labels placed where they do not overlap, more as one zooms in, and on
hover).
"""

from __future__ import annotations

import json
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx

from ofsted_kg.enrich.generic_agencies import NATIONAL_FORCES
from ofsted_kg.query.param_values import match
from ofsted_kg.rdf import vocab
from ofsted_kg.store.embedded import Store

OKG = str(vocab.OKG)
AUTHORITY = "authority"
OUTPUT_FORMATS = ("graphml", "gexf", "png", "html")
# An agency linked to this share of the authorities (and to NATIONAL_LEAST at least: in a
# small graph, a police force linked to its three boroughs is not national) is a
# national body; so is every regulator, whatever its links
NATIONAL_SHARE, NATIONAL_LEAST = 0.25, 5
NATIONAL_KINDS = frozenset({"regulator"})
# The bodies of one area (its police force, its NHS commissioner, its board, its youth
# offending service) are never national, however many of a graph's authorities share them
# (the Metropolitan Police and London's boroughs); a police force of no area is
AREA_KINDS = frozenset({
    "police force", "integrated care board", "clinical commissioning group",
    "primary care trust", "primary care trust cluster", "local safeguarding children board",
    "youth offending service",
})  # fmt: skip
TEMPLATE = Path(__file__).resolve().parent / "agency_graph.html"
# class local name -> agency kind as the parsers name it ("NHS trust", "police force", ...)
KIND_OF_CLASS = {local: kind for kind, local in vocab.AGENCY_KINDS.items()}

_PREFIXES = """
PREFIX okg: <https://w3id.org/ofsted-kg/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""

# The relationships, each with its report and where the report states it. The agencies' and
# authorities' labels and classes are read apart (NAMES_QUERY, CLASSES_QUERY): every report
# graph that names an agency states its label and class again, and the union of the graphs
# keeps each copy, so joining them here would give (reports naming it)^2 rows an agency
# (Cafcass at 500 reports: minutes for what takes a second)
RELATIONS_QUERY = (
    _PREFIXES
    + """
SELECT ?rel ?kind ?kindLabel ?agency ?authority ?count ?report ?sha ?title ?issued
       (GROUP_CONCAT(DISTINCT STR(?page); separator=" ") AS ?pages)
       (GROUP_CONCAT(DISTINCT STR(?para); separator=" ") AS ?paras)
WHERE {
  ?rel a okg:AgencyRelationship ;
       okg:relationKind ?kind ;
       okg:agency ?agency ;
       okg:authority ?authority ;
       okg:count ?count ;
       prov:wasDerivedFrom ?report .
  OPTIONAL { ?kind skos:prefLabel ?kindLabel }
  ?report okg:sha256 ?sha .
  OPTIONAL { ?report dcterms:title ?title }
  OPTIONAL { ?report dcterms:issued ?issued }
  OPTIONAL { ?rel okg:page ?page }
  OPTIONAL { ?rel okg:paragraph ?para }
}
GROUP BY ?rel ?kind ?kindLabel ?agency ?authority ?count ?report ?sha ?title ?issued
"""
)
NAMES_QUERY = _PREFIXES + "SELECT DISTINCT ?node ?label WHERE { ?node rdfs:label ?label }"
CLASSES_QUERY = (
    _PREFIXES + "SELECT DISTINCT ?node ?class WHERE { ?class rdfs:subClassOf okg:PartnerAgency . "
    "?node a ?class }"
)

# Findings of a report that stand in a paragraph (to match a relationship's paragraphs) or
# are recommendations addressed to an agency
FINDINGS_QUERY = (
    _PREFIXES
    + """
SELECT ?finding ?report ?text ?kindLabel ?page ?para ?addressee WHERE {
  ?finding a okg:Finding ;
           prov:wasDerivedFrom ?report ;
           okg:text ?text .
  OPTIONAL { ?finding okg:findingKind/skos:prefLabel ?kindLabel }
  OPTIONAL { ?finding okg:page ?page }
  OPTIONAL { ?finding okg:paragraph ?para }
  OPTIONAL { ?finding okg:addressee ?addressee }
}
"""
)


@dataclass
class Evidence:
    """One report behind an edge, with the findings that name the agency."""

    sha256: str
    title: str
    issued: str
    count: int
    pages: list[int]
    paragraphs: list[int]
    findings: list[dict] = field(default_factory=list)


def _value(row, name: str) -> str:
    term = row[name]
    return "" if term is None else term.value


def relations(store: Store) -> list[dict]:
    """One dict per agency relationship node (kind, agency, authority, report), sorted."""
    names: dict[str, str] = {}
    for row in store.query(NAMES_QUERY):
        names.setdefault(_value(row, "node"), _value(row, "label"))
    classes: dict[str, list[str]] = defaultdict(list)
    for row in store.query(CLASSES_QUERY):
        classes[_value(row, "node")].append(_value(row, "class").removeprefix(OKG))
    rows = []
    for row in store.query(RELATIONS_QUERY):
        agency, authority = _value(row, "agency"), _value(row, "authority")
        if agency not in names or authority not in names:
            continue  # as the joined query did: a node without a label is left out
        for cls in sorted(classes.get(agency, [])):
            if cls not in KIND_OF_CLASS:
                continue
            rows.append(
                {
                    "kind": _value(row, "kind").removeprefix(OKG + "relation-"),
                    "kind_label": _value(row, "kindLabel"),
                    "agency": agency,
                    "agency_label": names[agency],
                    "agency_kind": KIND_OF_CLASS[cls],
                    "authority": authority,
                    "authority_label": names[authority],
                    "count": int(_value(row, "count")),
                    "report": _value(row, "report"),
                    "sha256": _value(row, "sha"),
                    "title": _value(row, "title"),
                    "issued": _value(row, "issued"),
                    "pages": sorted(int(p) for p in _value(row, "pages").split()),
                    "paragraphs": sorted(int(p) for p in _value(row, "paras").split()),
                }
            )
    rows.sort(key=lambda r: (r["agency"], r["authority"], r["kind"], r["report"]))
    # an agency typed with two kinds would give two rows per relationship: keep the first kind
    seen: set[tuple[str, str, str, str]] = set()
    unique = []
    for r in rows:
        key = (r["agency"], r["authority"], r["kind"], r["report"])
        if key not in seen:
            seen.add(key)
            unique.append(r)
    return unique


def _findings(store: Store, reports: set[str]) -> dict[str, list[dict]]:
    """Report IRI -> its findings (text, kind, page, paragraph, addressees)."""
    out: dict[str, dict[str, dict]] = defaultdict(dict)
    for row in store.query(FINDINGS_QUERY):
        report = _value(row, "report")
        if report not in reports:
            continue
        iri = _value(row, "finding")
        f = out[report].setdefault(
            iri,
            {
                "iri": iri,
                "kind": _value(row, "kindLabel"),
                "text": _value(row, "text"),
                "page": int(_value(row, "page")) if row["page"] is not None else None,
                "paragraph": int(_value(row, "para")) if row["para"] is not None else None,
                "addressees": set(),
            },
        )
        if row["addressee"] is not None:
            f["addressees"].add(_value(row, "addressee"))
    return {r: sorted(fs.values(), key=lambda f: _finding_order(f["iri"])) for r, fs in out.items()}


def _finding_order(iri: str) -> tuple[str, int]:
    head, _, n = iri.rpartition("/")
    return (head, int(n) if n.isdigit() else 0)


def build(store: Store, authority: str | None = None, kind: str | None = None) -> nx.MultiDiGraph:
    """The agency graph of the store, optionally only around one authority (name or slug)
    and only agencies of one kind (e.g. 'police force' or 'PoliceForce')."""
    rels = relations(store)
    if kind:
        wanted = _match_kind(kind)
        rels = [r for r in rels if r["agency_kind"] == wanted]
    if authority:
        key = authority.strip().lower()
        slugged = [r for r in rels if r["authority"].rsplit("/", 1)[-1] == key]
        # any of the authority's names or its GSS code; a name of no authority is an error
        name = slugged[0]["authority_label"] if slugged else match("authorities", authority, store)
        rels = [r for r in rels if r["authority_label"] == name]
    findings = _findings(store, {r["report"] for r in rels})
    g = nx.MultiDiGraph(name="ofsted-kg agency graph")
    edges: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
    for r in rels:
        g.add_node(r["agency"], label=r["agency_label"], type="agency", kind=r["agency_kind"])
        g.add_node(r["authority"], label=r["authority_label"], type=AUTHORITY, kind=AUTHORITY)
        edges[(r["agency"], r["authority"], r["kind"])].append(r)
    for (agency, auth, rel_kind), group in sorted(edges.items()):
        evidence = [_evidence(r, findings.get(r["report"], [])) for r in group]
        g.add_edge(
            agency,
            auth,
            key=rel_kind,
            kind=rel_kind,
            label=group[0]["kind_label"] or rel_kind,
            weight=sum(r["count"] for r in group),
            reports=len(group),
            evidence=evidence,
        )
    _metrics(g)
    return g


def _match_kind(kind: str) -> str:
    key = kind.strip().lower().replace("-", " ").replace("_", " ")
    for label, local in vocab.AGENCY_KINDS.items():
        if key in (label.lower(), local.lower()):
            return label
    known = ", ".join(vocab.AGENCY_KINDS)
    raise ValueError(f"unknown agency kind {kind!r} (known: {known})")


def _evidence(r: dict, findings: list[dict]) -> Evidence:
    paragraphs = set(r["paragraphs"])
    chosen = []
    for f in findings:
        addressed = r["agency"] in f["addressees"]
        in_paragraph = f["paragraph"] is not None and f["paragraph"] in paragraphs
        named = r["agency_label"].lower() in f["text"].lower()
        if addressed or (r["kind"] != "addressee" and (in_paragraph or named)):
            chosen.append({k: v for k, v in f.items() if k != "addressees"})
    return Evidence(
        sha256=r["sha256"],
        title=r["title"],
        issued=r["issued"],
        count=r["count"],
        pages=r["pages"],
        paragraphs=r["paragraphs"],
        findings=chosen,
    )


def undirected(g: nx.MultiDiGraph) -> nx.Graph:
    """The simple undirected graph with the weights of all kinds summed."""
    u = nx.Graph()
    u.add_nodes_from(sorted(g.nodes))
    for a, b, data in g.edges(data=True):
        if u.has_edge(a, b):
            u[a][b]["weight"] += data["weight"]
        else:
            u.add_edge(a, b, weight=data["weight"])
    return u


def _metrics(g: nx.MultiDiGraph) -> None:
    u = undirected(g)
    betweenness = nx.betweenness_centrality(u) if len(u) > 2 else dict.fromkeys(u, 0.0)
    communities = (
        nx.community.louvain_communities(u, weight="weight", seed=1) if len(u.edges) else []
    )
    ordered = sorted((sorted(c) for c in communities), key=lambda c: (-len(c), c[0]))
    community = {n: i for i, c in enumerate(ordered) for n in c}
    for n in g.nodes:
        data = g.nodes[n]
        data["degree"] = u.degree(n)
        data["weighted_degree"] = u.degree(n, weight="weight")
        data["betweenness"] = round(betweenness.get(n, 0.0), 6)
        data["community"] = community.get(n, -1)
        neighbours = [g.nodes[m]["type"] == AUTHORITY for m in u[n]]
        is_authority = data["type"] == AUTHORITY
        data["authorities"] = 0 if is_authority else sum(neighbours)
        data["agencies"] = len(neighbours) - sum(neighbours) if is_authority else 0
    authorities = sum(1 for n in g.nodes if g.nodes[n]["type"] == AUTHORITY)
    least = max(NATIONAL_LEAST, NATIONAL_SHARE * authorities)
    for n in g.nodes:
        data = g.nodes[n]
        data["national"] = data["type"] != AUTHORITY and (
            data["kind"] in NATIONAL_KINDS
            or data.get("label", n) in NATIONAL_FORCES
            or (data["authorities"] >= least and data["kind"] not in AREA_KINDS)
        )


def top_agencies(g: nx.MultiDiGraph, n: int = 5) -> list[tuple[str, int]]:
    """The agencies linked to the most authorities: (label, number of authorities)."""
    agencies = [
        (d["label"], d["authorities"]) for _n, d in g.nodes(data=True) if d["type"] != AUTHORITY
    ]
    return sorted(agencies, key=lambda t: (-t[1], t[0]))[:n]


# ---------------------------------------------------------------- writers


def flat(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy with only strings and numbers as attributes (GraphML and GEXF hold no lists)."""
    out = nx.MultiDiGraph(name=g.graph.get("name", ""))
    for n, d in sorted(g.nodes(data=True)):
        out.add_node(n, **{k: v for k, v in d.items() if v is not None})
    for i, (a, b, _key, d) in enumerate(sorted(g.edges(keys=True, data=True), key=_edge_order)):
        evidence = d["evidence"]
        out.add_edge(
            a,
            b,
            key=f"e{i}",  # edge ids are unique in GraphML and GEXF; the kind is an attribute
            kind=d["kind"],
            label=d["label"],
            weight=d["weight"],
            reports=d["reports"],
            report_sha256=" ".join(e.sha256 for e in evidence),
            pages=" ".join(str(p) for e in evidence for p in e.pages),
            findings=sum(len(e.findings) for e in evidence),
        )
    return out


def _edge_order(edge: tuple) -> tuple[str, str, str]:
    return edge[0], edge[1], edge[2]


def write(g: nx.MultiDiGraph, fmt: str, out: Path) -> None:
    if fmt == "graphml":
        nx.write_graphml(flat(g), out, named_key_ids=True)
    elif fmt == "gexf":
        # networkx stamps today's date; the latest report date keeps the bytes stable
        latest = max((e.issued for *_k, d in g.edges(keys=True, data=True)
                      for e in d["evidence"] if e.issued), default="1970-01-01")  # fmt: skip
        text = "\n".join(nx.generate_gexf(flat(g)))
        text = re.sub(r'lastmodifieddate="[^"]*"', f'lastmodifieddate="{latest}"', text, count=1)
        out.write_text('<?xml version="1.0" encoding="utf-8"?>\n' + text + "\n", encoding="utf-8")
    elif fmt == "png":
        write_png(g, out)
    elif fmt == "html":
        out.write_text(html(g), encoding="utf-8")
    else:
        raise ValueError(f"unknown format {fmt!r} (known: {', '.join(OUTPUT_FORMATS)})")


COLOURS = {
    AUTHORITY: "#4c72b0",
    "NHS trust": "#55a868",
    "NHS foundation trust": "#2e8b57",
    "primary care trust": "#8fbc8f",
    "primary care trust cluster": "#9acd32",
    "clinical commissioning group": "#66cdaa",
    "integrated care board": "#20b2aa",
    "local safeguarding children board": "#c44e52",
    "police force": "#1f2f6b",
    "voluntary organisation": "#dd8452",
    "youth offending service": "#8172b3",
    "regulator": "#937860",
    "other": "#8c8c8c",
}


def layout(g: nx.MultiDiGraph) -> dict[str, tuple[float, float]]:
    """Positions: each connected cluster of the graph without its national bodies laid out
    on its own (a spring layout), the clusters packed in rows, biggest first, and the national
    bodies on a ring around them. Seeded: the same graph gives the same picture."""
    u = undirected(g)
    if not len(u):
        return {}
    national = sorted(n for n in u if g.nodes[n].get("national"))
    core = u.subgraph(n for n in u if n not in set(national))
    clusters = sorted(
        (sorted(c) for c in nx.connected_components(core)), key=lambda c: (-len(c), c[0])
    )
    pos: dict[str, tuple[float, float]] = {}
    placed = _pack([_cluster_layout(core.subgraph(c)) for c in clusters])
    pos.update(placed)
    if national:
        xs = [x for x, _ in pos.values()] or [0.0]
        ys = [y for _, y in pos.values()] or [0.0]
        cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
        ring = 0.5 * math.hypot(max(xs) - min(xs), max(ys) - min(ys)) + 1.5
        for i, n in enumerate(national):
            angle = 2 * math.pi * i / len(national) - math.pi / 2
            pos[n] = (cx + ring * math.cos(angle), cy + ring * math.sin(angle))
    return {n: (round(float(x), 4), round(float(y), 4)) for n, (x, y) in pos.items()}


def _cluster_layout(c: nx.Graph) -> dict[str, tuple[float, float]]:
    """One cluster's positions, centred on 0, spread in proportion to its size (a node about
    one unit from its neighbours, whatever the cluster's size)."""
    nodes = sorted(c)
    if len(nodes) == 1:
        return {nodes[0]: (0.0, 0.0)}
    # a spring layout's nodes sit about k apart in its unit square: k above its default
    # (1/sqrt(n)) keeps a cluster's hubs from gathering in a clump
    k = 2.5 / math.sqrt(len(nodes))
    found = nx.spring_layout(c, seed=7, weight=None, k=k, iterations=80 if len(c) < 400 else 40)
    spread = 1.2 * math.sqrt(len(nodes))
    return {n: (float(found[n][0]) * spread, float(found[n][1]) * spread) for n in nodes}


def _pack(layouts: list[dict[str, tuple[float, float]]]) -> dict[str, tuple[float, float]]:
    """Clusters side by side in rows (a shelf packing), a unit's gap between them, the rows
    about as wide as the whole is tall."""
    boxes = []
    for lay in layouts:
        xs, ys = [x for x, _ in lay.values()], [y for _, y in lay.values()]
        boxes.append((min(xs), min(ys), max(xs) - min(xs) + 1.2, max(ys) - min(ys) + 1.2))
    width = max(max(b[2] for b in boxes), 1.3 * math.sqrt(sum(b[2] * b[3] for b in boxes)))
    out: dict[str, tuple[float, float]] = {}
    x = y = row = 0.0
    for lay, (x0, y0, w, h) in zip(layouts, boxes, strict=True):
        if x > 0 and x + w > width:
            x, y, row = 0.0, y + row, 0.0
        for n, (px, py) in lay.items():
            out[n] = (x + px - x0, y + py - y0)
        x, row = x + w, max(row, h)
    return out


def write_png(g: nx.MultiDiGraph, out: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    pos = layout(g)
    u = undirected(g)
    fig, ax = plt.subplots(figsize=(14, 11), dpi=100)
    ax.set_axis_off()
    nodes = sorted(g.nodes)
    nx.draw_networkx_edges(u, pos, ax=ax, alpha=0.35, width=0.8, edge_color="#777777")
    nx.draw_networkx_nodes(
        u,
        pos,
        nodelist=nodes,
        ax=ax,
        node_size=[40 + 25 * g.nodes[n]["degree"] for n in nodes],
        node_color=[COLOURS.get(g.nodes[n]["kind"], "#8c8c8c") for n in nodes],
        linewidths=0.5,
        edgecolors="white",
    )
    ranked = sorted(nodes, key=lambda n: (-g.nodes[n]["degree"], n))[:25]
    nx.draw_networkx_labels(
        u, pos, labels={n: g.nodes[n]["label"] for n in ranked}, ax=ax, font_size=7
    )
    kinds = sorted({g.nodes[n]["kind"] for n in nodes})
    handles = [
        plt.Line2D([], [], marker="o", linestyle="", color=COLOURS.get(k, "#8c8c8c"), label=k)
        for k in kinds
    ]
    ax.legend(handles=handles, loc="lower left", fontsize=8, frameon=False)
    ax.set_title(
        f"Authorities and partner agencies in Ofsted reports: {g.number_of_nodes()} nodes, "
        f"{g.number_of_edges()} relationships"
    )
    fig.tight_layout()
    fig.savefig(out, format="png")
    plt.close(fig)


def graph_json(g: nx.MultiDiGraph) -> dict:
    """What the HTML page draws: nodes with a start position, edges with their evidence."""
    pos = layout(g)
    index = {n: i for i, n in enumerate(sorted(g.nodes))}
    nodes = []
    for n in sorted(g.nodes):
        d = g.nodes[n]
        x, y = pos.get(n, (0.0, 0.0))
        nodes.append(
            {
                "id": n,
                "label": d["label"],
                "type": d["type"],
                "kind": d["kind"],
                "degree": d["degree"],
                "betweenness": d["betweenness"],
                "community": d["community"],
                "authorities": d["authorities"],
                "national": d["national"],
                "x": round(x, 4),
                "y": round(y, 4),
            }
        )
    edges = []
    for a, b, key, d in sorted(g.edges(keys=True, data=True), key=lambda e: e[:3]):
        edges.append(
            {
                "source": index[a],
                "target": index[b],
                "kind": key,
                "label": d["label"],
                "weight": d["weight"],
                "evidence": [e.__dict__ for e in d["evidence"]],
            }
        )
    return {"nodes": nodes, "edges": edges, "colours": COLOURS,
            "national_rule": {"share": NATIONAL_SHARE, "least": NATIONAL_LEAST,
                              "kinds": sorted(NATIONAL_KINDS)}}  # fmt: skip


def html(g: nx.MultiDiGraph) -> str:
    data = json.dumps(graph_json(g), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    data = data.replace("</", "<\\/")  # never close the script element early
    return TEMPLATE.read_text(encoding="utf-8").replace("/*DATA*/null", data)
