"""The blocking Client cannot await a callback: it refuses an ``async def``
``on_status`` before polling (issue 17, point 9)."""

from __future__ import annotations

from typing import Any

import pytest

from infomaniak import Client, StatusChange
from infomaniak.testing import Emulator


def _operation(emulator: Emulator, client_options: dict[str, Any]) -> tuple[Client, Any]:
    client = Client(emulator.token, base_url=emulator.url, **client_options)
    op = client.cloud.projects.create(
        public_cloud_id=1332, project_name="sync", user_password="S3cure-Passw0rd!"
    )
    return client, op


def test_client_refuses_an_async_on_status_before_polling(
    emulator: Emulator, client_options: dict[str, Any]
) -> None:
    async def record(change: StatusChange) -> None:
        pass

    class Recorder:
        async def __call__(self, change: StatusChange) -> None:
            pass

    client, op = _operation(emulator, client_options)
    with client:
        sent = len(emulator.requests)
        for callback in (record, Recorder()):
            with pytest.raises(TypeError, match="on_status is an async function"):
                op.wait(on_status=callback)
        assert len(emulator.requests) == sent


def test_client_refuses_a_callback_that_returns_a_coroutine(
    emulator: Emulator, client_options: dict[str, Any]
) -> None:
    async def record(change: StatusChange) -> None:
        pass

    client, op = _operation(emulator, client_options)
    with client, pytest.raises(TypeError, match="returned a coroutine"):
        op.wait(on_status=lambda change: record(change))
