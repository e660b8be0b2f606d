"""What a non-editable install gets: every subpackage, and the plain files the package reads
(ontology, shapes, queries, seeds, data, page templates). CI installs the package this way."""

from __future__ import annotations

import subprocess
import sys
import zipfile

import pytest

from helpers import ROOT


def test_every_subpackage_is_listed_for_the_build() -> None:
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    listed = set(
        tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    src = ROOT / "src"
    found = {".".join(p.parent.relative_to(src).parts) for p in src.rglob("__init__.py")}
    assert found <= listed, sorted(found - listed)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q",
         "-w", str(out), str(ROOT)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    (path,) = out.glob("ofsted_kg-*.whl")
    return zipfile.ZipFile(path)


def test_the_wheel_holds_the_plain_files(wheel: zipfile.ZipFile) -> None:
    names = set(wheel.namelist())
    for folder, pattern in (("ontology", "*.ttl"), ("shapes", "*.ttl"), ("queries", "*.rq")):
        for path in (ROOT / folder).glob(pattern):
            assert f"ofsted_kg/{folder}/{path.name}" in names, path.name
    for path in (ROOT / "src" / "ofsted_kg").rglob("*"):
        if path.is_file() and path.suffix in (".csv", ".txt", ".html", ".jsonld", ".py"):
            if "__pycache__" not in path.parts:
                rel = path.relative_to(ROOT / "src").as_posix()
                assert rel in names, rel


def test_the_licence_the_readme_names_ships_with_the_package(wheel: zipfile.ZipFile) -> None:
    licence = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert licence.startswith("MIT License") and "Open\nGovernment Licence" in licence
    assert "MIT licensed (`LICENSE`)" in (ROOT / "README.md").read_text(encoding="utf-8")
    shipped = [n for n in wheel.namelist() if n.endswith("LICENSE") and ".dist-info/" in n]
    assert shipped and wheel.read(shipped[0]).decode() == licence
