"""Pytest plugin: ``pytest_plugins = ["infomaniak.testing.pytest_plugin"]``.

Provides ``emulator``: a fresh ``Emulator`` per test,
served from a background thread (so sync and async tests alike can use it), that
fails the test at teardown if any of its answers violated the API schemas.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ._app import Emulator


@pytest.fixture
def emulator() -> Iterator[Emulator]:
    """A fresh emulator served from a thread; fails the test on a schema violation."""
    emu = Emulator(validate_responses=True)
    with emu.in_thread():
        yield emu
    assert emu.schema_errors == [], "the emulator answered outside the API schemas"
