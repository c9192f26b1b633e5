# Generated from tests/_async/test_tasks.py by scripts/unasync.py.
# Do not edit: change the async source and run `python scripts/unasync.py`.
"""Async tasks: list and get, as created by project operations."""

from __future__ import annotations

import pytest

from infomaniak import Client
from infomaniak.errors import NotFoundError
from infomaniak.models.cloud import AsyncTask, TaskStatus
from infomaniak.testing import Emulator


def test_tasks_follow_operations(client: Client, emulator: Emulator) -> None:
    op = client.cloud.projects.create(
        public_cloud_id=1332, project_name="tracked", user_password="S3cure-Passw0rd!"
    )
    assert op.task_uuid is not None
    task = client.tasks.get(task_uuid=op.task_uuid)
    assert isinstance(task, AsyncTask)
    assert task.uuid == op.task_uuid
    assert task.status in (TaskStatus.SPOOLED, TaskStatus.RUNNING, TaskStatus.EXECUTED)
    project = op.wait()
    assert op.task is not None and op.task.status == TaskStatus.EXECUTED
    done = client.tasks.get(task_uuid=op.task_uuid)
    assert done.status == TaskStatus.EXECUTED
    assert done.response == {"result": "success", "data": project.public_cloud_project_id}
    tasks = client.tasks.list(per_page=2)
    assert op.task_uuid in [t.uuid for t in tasks]


def test_unknown_task_is_not_found(client: Client) -> None:
    with pytest.raises(NotFoundError):
        client.tasks.get(task_uuid="00000000-0000-0000-0000-000000000000")
    with pytest.raises(ValueError):
        client.tasks.get(task_uuid="")
