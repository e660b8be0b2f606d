"""The store the endpoint tests serve: the seeds on disk, built once for the session and
opened read-only, as ``ofsted-kg serve`` opens it (its queries run in worker processes that
open it too; the tests that start ``serve`` as a process give it the folder)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ofsted_kg import api


@pytest.fixture(scope="session")
def seed_store_dir(tmp_path_factory: pytest.TempPathFactory, seeds: list[Path]) -> Path:
    path = tmp_path_factory.mktemp("served") / "store"
    writer = api.Store(path)
    assert api.ingest(seeds, writer, jobs=2).ok
    writer.flush()
    del writer
    return path


@pytest.fixture(scope="session")
def read_only_seeds(seed_store_dir: Path) -> api.Store:
    return api.Store(seed_store_dir, read_only=True)
