from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from infomaniak.testing import Emulator

pytest_plugins = ["infomaniak.testing.pytest_plugin"]


@pytest.fixture
def client_options() -> dict[str, Any]:
    """Client settings for tests: no pacing, millisecond backoff and polling,
    small pages so that the seeded data spans several of them."""
    return {
        "rate_limit": None,
        "backoff_initial": 0.001,
        "backoff_max": 0.005,
        "poll_interval": 0.005,
        "poll_interval_max": 0.02,
        "per_page": 10,
        "timeout": 10.0,
    }


@pytest.fixture
def id_mode_emulator() -> Iterator[Emulator]:
    """An emulator answering 202s with the new id (as the spec says) instead of a task UUID."""
    emulator = Emulator(async_mode="id", validate_responses=True)
    with emulator.in_thread():
        yield emulator
    assert emulator.schema_errors == []
