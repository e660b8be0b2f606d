"""Fixtures of the store tests: a loopback listener that records any request a query makes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from test_guard import Listener


@pytest.fixture
def listener() -> Iterator[Listener]:
    heard = Listener()
    try:
        yield heard
    finally:
        heard.close()
