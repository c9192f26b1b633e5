# Generated from tests/_async/conftest.py by scripts/unasync.py.
# Do not edit: change the async source and run `python scripts/unasync.py`.
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from infomaniak import Client
from infomaniak.testing import Emulator


@pytest.fixture
def client(
    emulator: Emulator, client_options: dict[str, Any]
) -> Iterator[Client]:
    with Client(emulator.token, base_url=emulator.url, **client_options) as client:
        yield client
