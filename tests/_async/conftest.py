from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from infomaniak import AsyncClient
from infomaniak.testing import Emulator


@pytest.fixture
async def async_client(
    emulator: Emulator, client_options: dict[str, Any]
) -> AsyncIterator[AsyncClient]:
    async with AsyncClient(emulator.token, base_url=emulator.url, **client_options) as client:
        yield client
