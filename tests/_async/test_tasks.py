"""Async tasks: list and get, as created by project operations."""

from __future__ import annotations

import pytest

from infomaniak import AsyncClient
from infomaniak.errors import NotFoundError
from infomaniak.models.cloud import AsyncTask, TaskStatus
from infomaniak.testing import Emulator


async def test_tasks_follow_operations(async_client: AsyncClient, emulator: Emulator) -> None:
    op = await async_client.cloud.projects.create(
        public_cloud_id=1332, project_name="tracked", user_password="S3cure-Passw0rd!"
    )
    assert op.task_uuid is not None
    task = await async_client.tasks.get(task_uuid=op.task_uuid)
    assert isinstance(task, AsyncTask)
    assert task.uuid == op.task_uuid
    assert task.status in (TaskStatus.SPOOLED, TaskStatus.RUNNING, TaskStatus.EXECUTED)
    project = await op.wait()
    assert op.task is not None and op.task.status == TaskStatus.EXECUTED
    done = await async_client.tasks.get(task_uuid=op.task_uuid)
    assert done.status == TaskStatus.EXECUTED
    assert done.response == {"result": "success", "data": project.public_cloud_project_id}
    tasks = await async_client.tasks.list(per_page=2)
    assert op.task_uuid in [t.uuid async for t in tasks]


async def test_unknown_task_is_not_found(async_client: AsyncClient) -> None:
    with pytest.raises(NotFoundError):
        await async_client.tasks.get(task_uuid="00000000-0000-0000-0000-000000000000")
    with pytest.raises(ValueError):
        await async_client.tasks.get(task_uuid="")
