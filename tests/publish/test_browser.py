"""The agency graph's HTML page in headless Chromium (Debian's chromium, driven through the
DevTools protocol over a pipe): it loads offline with no console errors, draws the nodes, a
filter works, and a click on an edge shows the reports and findings behind it."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from cdp import Browser, chromium_binary

from helpers import benchmark, not_blank, shared
from ofsted_kg import api
from ofsted_kg.publish import agency_graph as ag
from ofsted_kg.resources import example_reports

pytestmark = pytest.mark.skipif(
    chromium_binary() is None,
    reason="chromium is absent (Debian's chromium package; .ci/run installs it)",
)


@pytest.fixture(scope="module")
def page(seed_store: api.Store, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("agency-html") / "agencies.html"
    ag.write(ag.build(seed_store), "html", out)
    return out


@pytest.fixture(scope="module")
def browser(page: Path):
    with Browser() as b:
        b.open(page.as_uri())
        yield b


def test_loads_offline_without_errors_and_draws_every_node(
    browser: Browser, seed_store: api.Store
) -> None:
    g = ag.build(seed_store)
    assert browser.evaluate("document.body.dataset.ready") == "1"
    assert browser.errors() == []
    assert all(url.startswith(("file:", "data:", "about:")) for url in browser.requests())
    # every node but the national bodies, which are off until asked for
    national = [n for n, d in g.nodes(data=True) if d["national"]]
    local_edges = [e for e in g.edges if e[0] not in national]
    shown = g.number_of_nodes() - len(national)
    assert browser.evaluate("document.body.dataset.nodes") == str(shown)
    assert browser.evaluate("document.body.dataset.edges") == str(len(local_edges))
    status = browser.evaluate("document.getElementById('status').value")
    assert status.startswith(f"{shown} nodes, {len(local_edges)} edges")
    assert status.endswith(f"(of {g.number_of_nodes()} and {g.number_of_edges()})")
    # each node is painted in its kind's colour at its centre
    painted = browser.evaluate(
        """(() => {
          const c = document.getElementById('graph'), x = c.getContext('2d');
          const r = c.getBoundingClientRect(), dpr = window.devicePixelRatio || 1;
          return agencyGraph.state.visibleNodes.filter(n => {
            const [px, py] = agencyGraph.nodePoint(agencyGraph.nodes.indexOf(n));
            const d = x.getImageData(Math.round((px - r.left) * dpr),
                                     Math.round((py - r.top) * dpr), 1, 1).data;
            const hex = '#' + [d[0], d[1], d[2]].map(v => v.toString(16).padStart(2, '0')).join('');
            return d[3] === 255 && hex === agencyGraph.colours[n.kind];
          }).length;
        })()"""
    )
    assert painted >= 0.9 * shown  # a few may sit under a neighbour
    non_blank = browser.evaluate(
        """(() => {
          const c = document.getElementById('graph');
          const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
          let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
          return n;
        })()"""
    )
    assert non_blank > 5000


def test_kind_filter_keeps_only_that_kind(browser: Browser) -> None:
    browser.evaluate(
        """(() => { const s = document.getElementById('kind');
                    s.value = 'NHS foundation trust';
                    s.dispatchEvent(new Event('change')); })()"""
    )
    kinds = browser.evaluate("JSON.stringify(agencyGraph.state.visibleNodes.map(n => n.kind))")
    kinds = set(json.loads(kinds))
    assert kinds == {"authority", "NHS foundation trust"}
    total = len(browser.evaluate("agencyGraph.nodes.map(n => n.id)"))
    assert int(browser.evaluate("document.body.dataset.nodes")) < total
    browser.evaluate(
        """(() => { const s = document.getElementById('kind'); s.value = '';
                    const a = document.getElementById('authority'); a.value = 'Camden';
                    a.dispatchEvent(new Event('change')); })()"""
    )
    authorities = browser.evaluate(
        "agencyGraph.state.visibleNodes.filter(n => n.type === 'authority').map(n => n.label)"
    )
    assert authorities == ["Camden"]
    assert browser.errors() == []


def test_click_on_an_edge_shows_its_reports_and_findings(browser: Browser, tmp_path: Path) -> None:
    browser.evaluate(
        """(() => { for (const id of ['kind', 'authority', 'relation']) {
                      const s = document.getElementById(id); s.value = ''; }
                    document.getElementById('relation').value = 'addressee';
                    document.getElementById('relation').dispatchEvent(new Event('change')); })()"""
    )
    index = browser.evaluate("agencyGraph.visible().edges[0]")
    edge = browser.evaluate(f"agencyGraph.edges[{index}]")
    x, y = browser.evaluate(f"agencyGraph.edgePoint({index})")
    browser.click(x, y)
    text = browser.evaluate("agencyGraph.selectedText()")
    finding = edge["evidence"][0]["findings"][0]["text"]
    assert edge["evidence"][0]["title"] in text
    assert finding[:60] in text
    assert browser.errors() == []
    shot = tmp_path / "agencies.png"
    browser.screenshot(shot)
    assert shot.read_bytes()[:4] == b"\x89PNG" and shot.stat().st_size > 10_000


# ------------------------------------------------------------------ readable at every scale

MOST_OVERLAP = 0.02  # share of the labels' area that may lie under another label


def overlap_share(boxes: list[dict]) -> float:
    """The share of the labels' total area that overlaps another label (pairwise)."""
    total = sum(b["w"] * b["h"] for b in boxes) or 1.0
    shared = 0.0
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            w = min(a["x"] + a["w"], b["x"] + b["w"]) - max(a["x"], b["x"])
            h = min(a["y"] + a["h"], b["y"] + b["h"]) - max(a["y"], b["y"])
            if w > 0 and h > 0:
                shared += w * h
    return shared / total


def reset(browser: Browser, national: bool = False) -> None:
    browser.evaluate(
        f"""(() => {{ for (const id of ['kind', 'authority', 'relation'])
                        document.getElementById(id).value = '';
                      const box = document.getElementById('national');
                      box.checked = {str(national).lower()};
                      box.dispatchEvent(new Event('change')); }})()"""
    )


def labels_check(browser: Browser) -> list[dict]:
    """The labels drawn: none cut at the canvas's sides (the side panel), and overlapping
    less than MOST_OVERLAP of their area."""
    boxes = browser.evaluate("agencyGraph.labelBoxes()")
    width, height = browser.evaluate("agencyGraph.canvasSize()")
    assert all(b["x"] >= 0 and b["x"] + b["w"] <= width for b in boxes)
    assert all(b["y"] >= 0 and b["y"] + b["h"] <= height for b in boxes)
    assert overlap_share(boxes) <= MOST_OVERLAP
    return boxes


def on_screen(browser: Browser) -> int:
    return browser.evaluate(
        """(() => { const [w, h] = agencyGraph.canvasSize(), r = document.getElementById('graph')
                      .getBoundingClientRect();
                    return agencyGraph.state.visibleNodes.filter(n => {
                      const [x, y] = agencyGraph.nodePoint(agencyGraph.nodes.indexOf(n));
                      return x >= r.left && x <= r.left + w && y >= r.top && y <= r.top + h;
                    }).length; })()"""
    )


def test_national_bodies_are_off_by_default_listed_apart_and_shown_on_request(
    browser: Browser, seed_store: api.Store
) -> None:
    g = ag.build(seed_store)
    national = {d["label"] for _n, d in g.nodes(data=True) if d["national"]}
    assert national == {"Care Quality Commission"}  # a regulator; no agency reaches 5
    reset(browser)
    visible = set(browser.evaluate("agencyGraph.visible().nodes"))
    assert visible and not visible & national
    listed = browser.evaluate("document.getElementById('national-list').textContent")
    assert all(label in listed for label in national)
    reset(browser, national=True)
    assert national <= set(browser.evaluate("agencyGraph.visible().nodes"))
    assert browser.evaluate("document.body.dataset.nodes") == str(g.number_of_nodes())
    reset(browser)
    assert browser.errors() == []


def test_labels_fit_do_not_overlap_and_grow_with_zoom(browser: Browser) -> None:
    reset(browser)
    boxes = labels_check(browser)
    shown = int(browser.evaluate("document.body.dataset.nodes"))
    assert len(boxes) >= 0.6 * shown  # at the seeds' scale most nodes are named at once
    before = len(boxes) / max(1, on_screen(browser))
    browser.evaluate("agencyGraph.zoom(3)")
    after = len(labels_check(browser)) / max(1, on_screen(browser))
    assert after >= before  # zoomed in, as large a share of what is on screen is named
    browser.evaluate("agencyGraph.zoom(1 / 3)")


def test_a_node_is_named_on_hover(browser: Browser) -> None:
    reset(browser)
    i = browser.evaluate("agencyGraph.nodes.findIndex(n => n.type !== 'authority' && !n.national)")
    x, y = browser.evaluate(f"agencyGraph.nodePoint({i})")
    browser.send("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": x, "y": y})
    label = browser.evaluate(f"agencyGraph.nodes[{i}].label")
    tip = browser.evaluate("document.getElementById('tip')")
    assert tip is not None
    assert browser.evaluate("document.getElementById('tip').style.display") == "block"
    assert browser.evaluate("document.getElementById('tip').textContent").startswith(label)


def scaled_store(reports: list, copies: int, path: Path) -> api.Store:
    """``copies`` of ``reports``, copies 1.. with every authority renamed (benchmarks/queries.py
    builds its 10x and 100x stores so): as many authorities as the copies make."""
    with pytest.MonkeyPatch.context() as mp:
        queries = benchmark("queries", mp)
        mp.setitem(sys.modules, "queries", queries)  # its emitting workers pickle by name
        store = queries.build(reports, copies, None, path, 1)
    store.flush()
    return store


def check_at_scale(store: api.Store, out: Path, shot: Path) -> dict:
    """The page of ``store``'s graph: loads without errors, national bodies off, labels
    inside the canvas and not overlapping, a screenshot that is not blank."""
    g = ag.build(store)
    ag.write(g, "html", out)
    with Browser() as b:
        b.open(out.as_uri())
        assert b.evaluate("document.body.dataset.ready") == "1" and b.errors() == []
        visible = set(b.evaluate("agencyGraph.visible().nodes"))
        national = {d["label"] for _n, d in g.nodes(data=True) if d["national"]}
        assert not visible & national
        boxes = labels_check(b)
        shown = on_screen(b)
        b.screenshot(shot)
        named = len(boxes)
        b.evaluate("agencyGraph.zoom(4)")
        labels_check(b)
        b.evaluate("agencyGraph.zoom(1 / 4)")
    assert not_blank(shot)
    authorities = sum(1 for _n, d in g.nodes(data=True) if d["type"] == "authority")
    return {"nodes": g.number_of_nodes(), "authorities": authorities, "named": named,
            "shown": shown, "national": national}  # fmt: skip


def test_readable_with_more_authorities(tmp_path: Path) -> None:
    """The seeds four times over (12 authorities, 20 reports; more copies would make every
    agency national, each linked to all the copies of its authority): labels that fit."""
    reports = [api.load(p) for p in sorted(example_reports())]
    store = scaled_store(reports, 4, tmp_path / "store")
    seen = check_at_scale(store, tmp_path / "g.html", tmp_path / "g.png")
    assert seen["authorities"] == 12 and "Care Quality Commission" in seen["national"]
    assert seen["named"] >= 0.5 * seen["shown"]


@pytest.mark.corpus
@pytest.mark.parametrize("reports_wanted", [50, 500])
def test_readable_at_50_and_500_reports(
    reports_wanted: int, corpus_reports: list, tmp_path: Path, screenshots: Path
) -> None:
    """The corpus's reports (~104 readable), or copies of them with distinct authorities up
    to 500; the screenshots are docs/agency-graph-50.png and -500.png."""
    copies = max(1, round(reports_wanted / len(corpus_reports)))
    reports = corpus_reports[:reports_wanted] if copies == 1 else corpus_reports
    store = scaled_store(reports, copies, tmp_path / "store")
    seen = check_at_scale(
        store, tmp_path / "g.html", screenshots / f"agency-graph-{reports_wanted}.png"
    )
    assert "Cafcass" in seen["national"]
    assert seen["named"] >= min(0.3 * seen["shown"], 60)  # and more on zoom


@pytest.fixture(scope="module")
def corpus_reports() -> list:
    from concurrent.futures import ProcessPoolExecutor

    paths = api.expand([shared("corpus", "pdf")])
    with ProcessPoolExecutor(2) as pool:
        loaded = list(pool.map(_load_or_none, paths))
    return [r for r in loaded if r is not None]


def _load_or_none(path: Path) -> object:
    try:
        return api.load(path)
    except Exception:  # noqa: BLE001 - a report ingest refuses is left out, as ingest would
        return None
