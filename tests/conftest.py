"""Session fixtures: the bundled seeds and a store holding them."""

from __future__ import annotations

from pathlib import Path

import pytest

from ofsted_kg import api
from ofsted_kg.resources import example_reports


@pytest.fixture(scope="session")
def seeds() -> list[Path]:
    return example_reports()


@pytest.fixture(scope="session")
def seed_store(tmp_path_factory: pytest.TempPathFactory, seeds: list[Path]) -> api.Store:
    """A store holding the five bundled seed reports (built once per test session)."""
    store = api.open_store(tmp_path_factory.mktemp("seed-store") / "store")
    result = api.ingest(seeds, store, jobs=1)
    assert result.ok, [str(f) for f in result.failed]
    return store


@pytest.fixture(scope="session")
def seed_sha(seeds: list[Path]) -> dict[str, str]:
    """Seed file name -> sha256 of its bytes."""
    from ofsted_kg.ingest.document import sha256_of

    return {p.name: sha256_of(p.read_bytes()) for p in seeds}
