"""The family registry: every module of parse/families is a family, found without a line
elsewhere; detection tries them in order of precedence."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from ofsted_kg.parse import families
from ofsted_kg.parse.detect import detect
from ofsted_kg.parse.family import Family
from ofsted_kg.read.document import Document, IngestError
from ofsted_kg.read.files import read
from ofsted_kg.resources import example_reports

FOLDER = Path(families.__file__).parent


def test_every_module_of_the_folder_is_a_registered_family() -> None:
    modules = {p.stem for p in FOLDER.glob("*.py") if p.stem != "__init__"}
    found = families.registered()
    assert {f.key for f in found} == modules
    assert [f.precedence for f in found] == sorted(f.precedence for f in found)
    assert all(isinstance(f, Family) and f.title for f in found)


@pytest.mark.parametrize(
    ("seed", "family"),
    [
        ("000_3c6051395a722be3.txt", "slac"),
        ("001_5d7ae1ebd0854583.txt", "slac"),
        ("002_cc3dbd50d8a18c18.txt", "ilacs_visit"),
        ("003_f5ce33e2aef282f2.txt", "cra_letter"),
        ("004_45858e54f2d5ddf0.txt", "slac"),
    ],
)
def test_each_seed_is_claimed_by_its_family_and_parsed_as_it(seed: str, family: str) -> None:
    path = next(p for p in example_reports() if p.name == seed)
    found = detect(read(path))
    assert found.key == family
    assert found.parse(read(path)).family == family


def _with_module(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, source: str) -> None:
    (tmp_path / "zz_extra.py").write_text(source)
    monkeypatch.setattr(families, "__path__", [*families.__path__, str(tmp_path)])
    families.registered.cache_clear()


@pytest.fixture(autouse=True)
def _fresh_registry():
    families.registered.cache_clear()
    yield
    sys.modules.pop(f"{families.__name__}.zz_extra", None)  # each test writes its own
    families.registered.cache_clear()


def test_adding_a_family_is_one_module(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _with_module(
        monkeypatch,
        tmp_path,
        """
from ofsted_kg.model import Inspection, Report
from ofsted_kg.parse.family import Family

def detect(doc):
    return doc.lines[0].text == "An imaginary report"

def parse(doc):
    return Report(doc.sha256, "zz_extra", "An imaginary report", Inspection("sif", "Camden"))

FAMILY = Family("zz_extra", "An imaginary family", detect, parse, precedence=0)
""",
    )
    doc = Document.from_texts(Path("x.txt"), "0" * 64, [("An imaginary report", 1)], "txt")
    assert detect(doc).key == "zz_extra"
    other = Document.from_texts(Path("y.txt"), "1" * 64, [("A shopping list", 1)], "txt")
    with pytest.raises(IngestError, match="unknown kind of report"):
        detect(other)


def test_a_module_that_is_no_family_is_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _with_module(monkeypatch, tmp_path, "def detect(doc):\n    return False\n")
    with pytest.raises(TypeError, match="zz_extra defines no FAMILY"):
        families.registered()
