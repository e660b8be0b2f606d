"""``ofsted-kg docs``: the ontology's HTML documentation, generated with pyLODE."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph
from rdflib.namespace import OWL, RDF, RDFS

from ofsted_kg.cli import main
from ofsted_kg.publish.docs import DocsError, ontology_html
from ofsted_kg.rdf.vocab import OKG
from ofsted_kg.resources import ontology_files

ROOT = Path(__file__).resolve().parents[2]


def _pylode() -> None:
    try:
        import pylode  # noqa: F401
    except Exception as exc:  # absent, or a release that cannot load itself (3.4.1)
        pytest.skip(f"pyLODE is not usable here ({type(exc).__name__}); it is in the docs extra")


def test_docs_command_writes_html_naming_every_class(tmp_path: Path) -> None:
    _pylode()
    out = tmp_path / "ontology"
    result = CliRunner().invoke(main, ["docs", "--out", str(out)])
    assert result.exit_code == 0, result.output
    html = (out / "index.html").read_text(encoding="utf-8")
    assert html.lstrip().lower().startswith("<!doctype html") and "</html>" in html
    onto = Graph()
    for path in ontology_files():
        onto.parse(path, format="turtle")
    classes = [c for c in onto.subjects(RDF.type, OWL.Class) if str(c).startswith(str(OKG))]
    assert len(classes) > 20
    for cls in classes:
        assert str(cls) in html, cls
        assert str(onto.value(cls, RDFS.label)) in html, cls
    assert ontology_html() == html  # the same ontology gives the same page


def test_committed_docs_exist_and_readme_links_them() -> None:
    page = ROOT / "docs" / "ontology" / "index.html"
    assert page.is_file() and "ontology#Authority" in page.read_text(encoding="utf-8")
    assert "docs/ontology/index.html" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_docs_error_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    real_import = builtins.__import__

    def no_pylode(name, *args, **kwargs):
        if name == "pylode":
            raise ImportError("No module named 'pylode'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pylode)
    with pytest.raises(DocsError, match=r"ofsted-kg\[docs\]"):
        ontology_html()


def test_docs_prints_no_library_logging(tmp_path: Path) -> None:
    """pyLODE's imports set the root logger to DEBUG: the command says what it wrote, only."""
    import subprocess
    import sys

    _pylode()
    out = tmp_path / "ontology"
    proc = subprocess.run(
        [sys.executable, "-m", "ofsted_kg.cli", "docs", "--out", str(out)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "" and proc.stderr == f"wrote {out / 'index.html'}\n"
