"""The agency graph built from the knowledge graph through SPARQL: nodes, typed weighted edges,
metrics, filters, and its four files (GraphML and GEXF re-read by networkx, PNG, HTML)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from ofsted_kg import api
from ofsted_kg.cli import main
from ofsted_kg.publish import agency_graph as ag

CAMDEN = "https://w3id.org/ofsted-kg/id/authority/camden"
CQC = "https://w3id.org/ofsted-kg/id/agency/care-quality-commission"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def graph(seed_store: api.Store) -> nx.MultiDiGraph:
    return ag.build(seed_store)


def test_nodes_are_authorities_and_agencies_with_kinds(graph: nx.MultiDiGraph) -> None:
    kinds = {d["kind"] for _n, d in graph.nodes(data=True)}
    assert "authority" in kinds and "NHS foundation trust" in kinds
    assert kinds <= {"authority", *api_kinds()}
    assert graph.nodes[CAMDEN]["label"] == "Camden" and graph.nodes[CAMDEN]["type"] == "authority"
    assert graph.nodes[CQC]["kind"] == "regulator"
    for a, b in graph.edges():
        assert graph.nodes[a]["type"] == "agency" and graph.nodes[b]["type"] == "authority"


def api_kinds() -> list[str]:
    from ofsted_kg.rdf import vocab

    return list(vocab.AGENCY_KINDS)


def test_edges_are_typed_weighted_and_match_the_relation_nodes(
    graph: nx.MultiDiGraph, seed_store: api.Store
) -> None:
    kinds = {k for _a, _b, k in graph.edges(keys=True)}
    assert {"mentioned", "addressee"} <= kinds
    assert kinds <= {"mentioned", "addressee", "provides-health-services", "commissioned-by",
                     "board-member"}  # fmt: skip
    # The weight of an edge is the sum of okg:count over the relation nodes behind it
    rows = seed_store.query(
        """PREFIX okg: <https://w3id.org/ofsted-kg/ontology#>
        SELECT ?agency ?authority ?kind (SUM(?n) AS ?total) WHERE {
          ?r a okg:AgencyRelationship ; okg:agency ?agency ; okg:authority ?authority ;
             okg:relationKind ?kind ; okg:count ?n }
        GROUP BY ?agency ?authority ?kind"""
    )
    expected = {
        (r["agency"].value, r["authority"].value, r["kind"].value.rsplit("relation-", 1)[1]):
        int(r["total"].value) for r in rows
    }  # fmt: skip
    got = {(a, b, k): d["weight"] for a, b, k, d in graph.edges(keys=True, data=True)}
    assert got == expected
    assert graph.number_of_edges() == len(expected) > 20


def test_edges_carry_reports_and_findings(graph: nx.MultiDiGraph) -> None:
    addressed = [d for _a, _b, k, d in graph.edges(keys=True, data=True) if k == "addressee"]
    assert addressed
    for d in addressed:
        assert d["evidence"] and all(len(e.sha256) == 64 for e in d["evidence"])
    # a recommendation addressed to an agency is among the findings behind its edge
    kinds = {f["kind"] for d in addressed for e in d["evidence"] for f in e.findings}
    assert "Recommendation" in kinds
    texts = [f["text"] for d in addressed for e in d["evidence"] for f in e.findings]
    assert all(len(t) > 20 for t in texts)


def test_metrics(graph: nx.MultiDiGraph) -> None:
    for _n, d in graph.nodes(data=True):
        assert d["degree"] >= 1 and 0.0 <= d["betweenness"] <= 1.0 and d["community"] >= 0
    top = ag.top_agencies(graph)
    assert top[0] == ("Care Quality Commission", 3)  # Camden, Islington, Kensington and Chelsea
    assert len(top) == 5 and all(n >= 1 for _label, n in top)
    assert graph.nodes[CQC]["betweenness"] > 0  # it bridges three authorities
    assert len({d["community"] for _n, d in graph.nodes(data=True)}) > 1


def test_filters_by_authority_and_kind(seed_store: api.Store) -> None:
    camden = ag.build(seed_store, authority="Camden")
    assert {d["label"] for _n, d in camden.nodes(data=True) if d["type"] == "authority"} == {
        "Camden"
    }
    assert camden.number_of_nodes() > 5
    nhs = ag.build(seed_store, kind="NHSTrust")
    assert {d["kind"] for _n, d in nhs.nodes(data=True)} == {"authority", "NHS trust"}
    with pytest.raises(ValueError, match="unknown agency kind"):
        ag.build(seed_store, kind="dragons")


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_graphml_and_gexf_read_back(
    graph: nx.MultiDiGraph, seed_store: api.Store, tmp_path: Path, fmt: str
) -> None:
    out = tmp_path / f"agencies.{fmt}"
    code, _out, err = run("agencies", "--out", str(out), "--store", str(seed_store.path))
    assert code == 0 and f"{graph.number_of_nodes()} nodes" in err
    text = out.read_text(encoding="utf-8")
    assert "None" not in text
    back = nx.read_graphml(out) if fmt == "graphml" else nx.read_gexf(out)
    assert back.number_of_nodes() == graph.number_of_nodes()
    assert back.number_of_edges() == graph.number_of_edges()
    edge_ids = re.findall(r"<edge [^>]*\bid=\"([^\"]+)\"", text)
    assert len(edge_ids) == len(set(edge_ids)) == graph.number_of_edges()
    cqc = back.nodes[CQC]
    assert cqc["kind"] == "regulator" and int(cqc["authorities"]) == 3
    assert float(cqc["betweenness"]) > 0
    weights = sorted(float(d["weight"]) for _a, _b, d in back.edges(data=True))
    assert weights == sorted(float(d["weight"]) for _a, _b, d in graph.edges(data=True))
    assert {d["kind"] for _a, _b, d in back.edges(data=True)} >= {"mentioned", "addressee"}
    again = tmp_path / f"again.{fmt}"
    assert run("agencies", "--out", str(again), "--store", str(seed_store.path))[0] == 0
    assert again.read_bytes() == out.read_bytes()  # stable bytes


def test_png(seed_store: api.Store, tmp_path: Path) -> None:
    pytest.importorskip("matplotlib", reason="matplotlib is in the graph and test extras")
    out = tmp_path / "agencies.png"
    code, _out, err = run("agencies", "--out", str(out), "--store", str(seed_store.path),
                          "--authority", "Camden")  # fmt: skip
    assert code == 0, err
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000


def test_html_is_self_contained(
    graph: nx.MultiDiGraph, seed_store: api.Store, tmp_path: Path
) -> None:
    out = tmp_path / "agencies.html"
    code, _out, _err = run("agencies", "--format", "html", "--out", str(out),
                           "--store", str(seed_store.path))  # fmt: skip
    assert code == 0
    text = out.read_text(encoding="utf-8")
    assert not re.search(r"<(script|link|img|iframe)[^>]*\b(src|href)=", text)
    assert 'http-equiv="Content-Security-Policy" content="default-src \'none\'' in text
    assert "@import" not in text and "fetch(" not in text and "XMLHttpRequest" not in text
    payload = re.search(
        r'<script type="application/json" id="graph-data">(.*?)</script>', text, re.S
    )
    data = json.loads(payload.group(1))
    assert len(data["nodes"]) == graph.number_of_nodes()
    assert len(data["edges"]) == graph.number_of_edges()
    edge = next(e for e in data["edges"] if e["kind"] == "addressee")
    assert edge["evidence"][0]["findings"][0]["text"]


def test_unknown_output_suffix(seed_store: api.Store, tmp_path: Path) -> None:
    code, _out, err = run(
        "agencies", "--out", str(tmp_path / "g.svg"), "--store", str(seed_store.path)
    )
    assert code == 1 and "give --format" in err


def test_national_bodies_by_rule_and_a_layout_that_keeps_clusters_apart(
    graph: nx.MultiDiGraph,
) -> None:
    authorities = sum(1 for _n, d in graph.nodes(data=True) if d["type"] == "authority")
    least = max(ag.NATIONAL_LEAST, ag.NATIONAL_SHARE * authorities)
    for _n, d in graph.nodes(data=True):
        expected = d["type"] != "authority" and (
            d["kind"] in ag.NATIONAL_KINDS
            or (d["authorities"] >= least and d["kind"] not in ag.AREA_KINDS)
        )
        assert d["national"] == expected, d["label"]
    assert graph.nodes[CQC]["national"]  # a regulator, linked to all three authorities
    shared = [d for _n, d in graph.nodes(data=True) if d["authorities"] >= 2 and not d["national"]]
    assert shared  # trusts shared by two authorities stay in their cluster
    pos = ag.layout(graph)
    assert set(pos) == set(graph.nodes)
    u = ag.undirected(graph)
    national = {n for n in graph.nodes if graph.nodes[n]["national"]}
    clusters = list(nx.connected_components(u.subgraph(set(u) - national)))
    boxes = []
    for c in clusters:
        xs, ys = [pos[n][0] for n in c], [pos[n][1] for n in c]
        boxes.append((min(xs), min(ys), max(xs), max(ys)))
    for i, a in enumerate(boxes):  # no two clusters' boxes overlap
        for b in boxes[i + 1 :]:
            assert a[2] < b[0] or b[2] < a[0] or a[3] < b[1] or b[3] < a[1]
    x0, y0 = min(b[0] for b in boxes), min(b[1] for b in boxes)
    x1, y1 = max(b[2] for b in boxes), max(b[3] for b in boxes)
    for n in national:  # on a ring outside every cluster
        x, y = pos[n]
        assert not (x0 <= x <= x1 and y0 <= y <= y1)
    assert ag.layout(graph) == pos  # seeded: the same picture every time


def test_an_area_body_is_never_national_however_many_authorities_share_it() -> None:
    """Eight London boroughs share the Metropolitan Police and Cafcass: Cafcass is national,
    the police force of their one area is not; British Transport Police, of no area, is."""
    g = nx.MultiDiGraph()
    agencies = {"Metropolitan Police Service": "police force", "Cafcass": "other",
                "British Transport Police": "police force"}  # fmt: skip
    for name, kind in agencies.items():
        g.add_node(name, label=name, type="agency", kind=kind)
    for n in range(8):
        g.add_node(f"borough-{n}", label=f"Borough {n}", type=ag.AUTHORITY, kind="authority")
        for name in agencies:
            g.add_edge(name, f"borough-{n}", key="mentioned", weight=1)
    ag._metrics(g)
    assert {n: g.nodes[n]["national"] for n in agencies} == {
        "Metropolitan Police Service": False,
        "Cafcass": True,
        "British Transport Police": True,
    }
