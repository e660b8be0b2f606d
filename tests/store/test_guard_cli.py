"""``ofsted-kg query FILE`` behind store/guard.py (issue 19, items 1 and 5): a federated query
and a query nested 10,000 braces deep each end in one line and exit 1; the deep one used to
kill the command with SIGSEGV (exit 139), the federated ones to fetch their URL."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_guard import ESCAPED, FEDERATED, Listener

from ofsted_kg import api
from ofsted_kg.cli import main


def _ofsted_kg(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ofsted_kg.cli", *args], capture_output=True, text=True,
        timeout=120,
    )  # fmt: skip


@pytest.mark.parametrize("name", [*sorted(FEDERATED), "escaped"])
def test_a_federated_query_file_is_refused_in_one_line(
    listener: Listener, seed_store: api.Store, tmp_path: Path, name: str
) -> None:
    rq = tmp_path / "federated.rq"
    rq.write_text(FEDERATED.get(name, ESCAPED).replace("{url}", listener.url), encoding="utf-8")
    result = CliRunner().invoke(main, ["query", str(rq), "--store", str(seed_store.path)])
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Error: {rq}: SERVICE"), lines
    assert listener.heard() == []


def test_the_command_refuses_one_federated_file_in_a_process_of_its_own(
    listener: Listener, seed_store: api.Store, tmp_path: Path
) -> None:
    rq = tmp_path / "federated.rq"
    rq.write_text(FEDERATED["1SERVICE"].replace("{url}", listener.url), encoding="utf-8")
    proc = _ofsted_kg("query", str(rq), "--store", str(seed_store.path))
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr.count("\n") == 1 and "SERVICE" in proc.stderr, proc.stderr
    assert listener.heard() == []


def test_a_query_nested_10000_deep_ends_in_one_line_not_a_segfault(
    seed_store: api.Store, tmp_path: Path
) -> None:
    rq = tmp_path / "deep.rq"
    rq.write_text("SELECT * WHERE " + "{" * 10_000 + "}" * 10_000 + "\n", encoding="utf-8")
    proc = _ofsted_kg("query", str(rq), "--store", str(seed_store.path))
    assert proc.returncode == 1, (proc.returncode, proc.stderr[-500:])  # was -11 (SIGSEGV)
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert f"{rq}: the query is nested too deeply" in proc.stderr
    assert proc.stdout == ""
