"""The one-way flow is a contract (pyproject.toml, [tool.importlinter]) checked on every run:
read, parse, enrich, rdf, validate, store, query, publish/serve, api, cli, each importing only
the layers below it; family parsers independent; no import cycles."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import ROOT

LINT = Path(sys.executable).with_name("lint-imports")


def _lint(src: Path, config: Path) -> subprocess.CompletedProcess[str]:
    if not LINT.exists():
        pytest.skip("import-linter is not installed (it is in the test extras)")
    return subprocess.run(
        [str(LINT), "--config", str(config), "--no-cache"],
        cwd=config.parent,
        env={"PYTHONPATH": str(src), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_package_keeps_its_import_contracts() -> None:
    out = _lint(ROOT / "src", ROOT / "pyproject.toml")
    assert out.returncode == 0, out.stdout + out.stderr
    assert re.search(r"Contracts: 3 kept, 0 broken", out.stdout), out.stdout


@pytest.mark.parametrize(
    ("module", "line", "broken"),
    [
        # a reader that reaches up into the store
        ("read/document.py", "import ofsted_kg.store.embedded", "Data flows one way"),
        # a parser that builds IRIs itself
        ("parse/sections.py", "from ofsted_kg.rdf import vocab", "Data flows one way"),
        # one family reusing another's code
        ("parse/families/sif.py", "from ofsted_kg.parse.families import ilacs", "A family parser"),
    ],
)
def test_an_upward_import_breaks_the_contract(
    tmp_path: Path, module: str, line: str, broken: str
) -> None:
    src = tmp_path / "src"
    shutil.copytree(ROOT / "src" / "ofsted_kg", src / "ofsted_kg",
                    ignore=shutil.ignore_patterns("__pycache__"))  # fmt: skip
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    target = src / "ofsted_kg" / module
    target.write_text(f"{line}  # noqa\n" + target.read_text())
    out = _lint(src, tmp_path / "pyproject.toml")
    assert out.returncode != 0
    assert f"{broken}" in out.stdout and "BROKEN" in out.stdout, out.stdout
