"""The agency graph's HTML page in headless Chromium (Debian's chromium, driven through the
DevTools protocol over a pipe): it loads offline with no console errors, draws the nodes, a
filter works, and a click on an edge shows the reports and findings behind it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cdp import Browser, chromium_binary

from ofsted_kg import api
from ofsted_kg.publish import agency_graph as ag

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
    assert browser.evaluate("document.body.dataset.nodes") == str(g.number_of_nodes())
    assert browser.evaluate("document.body.dataset.edges") == str(g.number_of_edges())
    status = browser.evaluate("document.getElementById('status').value")
    assert status.startswith(f"{g.number_of_nodes()} nodes, {g.number_of_edges()} edges")
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
    assert painted >= 0.9 * g.number_of_nodes()  # a few may sit under a neighbour
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
