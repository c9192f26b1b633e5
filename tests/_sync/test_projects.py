# Generated from tests/_async/test_projects.py by scripts/unasync.py.
# Do not edit: change the async source and run `python scripts/unasync.py`.
"""Projects and their long-running operations, end to end against the emulator."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from infomaniak import Client
from infomaniak.errors import (
    NotFoundError,
    OperationFailedError,
    ValidationError,
    WaitTimeoutError,
)
from infomaniak.models.cloud import ProjectStatus, PublicCloudProject
from infomaniak.testing import Emulator, Fault

CLOUD = 1332
PASSWORD = "S3cure-Passw0rd!"


def _cloud_projects(emulator: Emulator) -> list[int]:
    return sorted(
        p["public_cloud_project_id"]
        for p in emulator.projects.values()
        if p["public_cloud_id"] == CLOUD
    )


def test_issue_example_flow(client: Client, emulator: Emulator) -> None:
    op = client.cloud.projects.create(
        public_cloud_id=CLOUD, project_name="staging", user_password=PASSWORD
    )
    # The realistic profile answers "delayed" for some items, like the live API.
    assert op.result in ("asynchronous", "delayed")
    assert op.task_uuid is not None and op.task_uuid in emulator.tasks
    project = op.wait()
    assert isinstance(project, PublicCloudProject)
    assert project.name == "staging"
    assert project.status == ProjectStatus.OK
    assert op.resource_id == project.public_cloud_project_id
    names = [p.name for p in client.cloud.projects.list(public_cloud_id=CLOUD)]
    assert "staging" in names
    user = (
        client.cloud.projects.users.create(
            public_cloud_id=CLOUD,
            public_cloud_project_id=project.public_cloud_project_id,
            password="An0ther-Passw0rd!",
            description="ci",
        )
    ).wait()
    assert user.description == "ci" and user.status == "ok"
    openrc = client.cloud.projects.users.openrc(
        public_cloud_id=CLOUD,
        public_cloud_project_id=project.public_cloud_project_id,
        public_cloud_user_id=user.public_cloud_user_id,
    )
    assert "OS_" in openrc and "An0ther-Passw0rd!" not in openrc
    deleted = (
        client.cloud.projects.delete(
            public_cloud_id=CLOUD, public_cloud_project_id=project.public_cloud_project_id
        )
    ).wait()
    assert deleted is None
    assert project.public_cloud_project_id not in emulator.projects
    with pytest.raises(NotFoundError):
        client.cloud.projects.get(
            public_cloud_id=CLOUD, public_cloud_project_id=project.public_cloud_project_id
        )


def test_create_in_id_mode_waits_on_the_project(
    id_mode_emulator: Emulator, client_options: dict[str, Any]
) -> None:
    emulator = id_mode_emulator
    with Client(emulator.token, base_url=emulator.url, **client_options) as client:
        op = client.cloud.projects.create(
            public_cloud_id=CLOUD, project_name="by-id", user_password=PASSWORD
        )
        assert op.task_uuid is None
        assert op.resource_id is not None and op.resource_id == op.data
        project = op.wait()
    assert (project.public_cloud_project_id, project.status) == (op.resource_id, "ok")
    assert not any(r.path.startswith("/1/async/tasks") for r in emulator.requests)


def test_list_walks_every_page(client: Client, emulator: Emulator) -> None:
    projects = client.cloud.projects.list(public_cloud_id=CLOUD, per_page=10)
    assert projects.pages >= 3
    ids = [p.public_cloud_project_id for p in projects]
    assert sorted(ids) == _cloud_projects(emulator)
    assert len(ids) == len(set(ids)) == projects.items


def test_list_filters_and_sorts(client: Client, emulator: Emulator) -> None:
    projects = client.cloud.projects.list(
        public_cloud_id=CLOUD, status=["ok", "creating"], order_by="name", order="desc"
    )
    query = emulator.requests[-1].query
    assert ("filter[status][]", "ok") in query and ("filter[status][]", "creating") in query
    names = [p.name for p in projects]
    assert names == sorted(names, key=str.casefold, reverse=True)
    target = names[0]
    found = client.cloud.projects.list(public_cloud_id=CLOUD, search=target)
    assert target in [p.name for p in found]


def test_get_and_meta_tolerates_empty_array(
    client: Client, emulator: Emulator
) -> None:
    project_id = _cloud_projects(emulator)[0]
    project = client.cloud.projects.get(
        public_cloud_id=CLOUD, public_cloud_project_id=project_id
    )
    raw = emulator.projects[project_id]
    assert (project.name, project.open_stack_name) == (raw["name"], raw["open_stack_name"])
    assert isinstance(project.meta, dict)


def test_rename_waits_for_the_change(client: Client, emulator: Emulator) -> None:
    project_id = _cloud_projects(emulator)[0]
    op = client.cloud.projects.update(
        public_cloud_id=CLOUD, public_cloud_project_id=project_id, name="renamed"
    )
    assert op.resource_id == project_id
    project = op.wait()
    assert (project.name, project.status) == ("renamed", "ok")
    assert emulator.projects[project_id]["name"] == "renamed"


def test_create_by_invitation(client: Client, emulator: Emulator) -> None:
    op = client.cloud.projects.invite(
        public_cloud_id=CLOUD, project_name="invited", user_email="ops@example.com"
    )
    project = op.wait()
    assert project.name == "invited"
    request = next(r for r in emulator.requests if r.method == "POST")
    assert request.path == f"/1/public_clouds/{CLOUD}/projects/invite"
    assert request.json == {"project_name": "invited", "user_email": "ops@example.com"}


def test_delete_removes_the_project_and_its_users(
    client: Client, emulator: Emulator
) -> None:
    project_id = next(
        pid
        for pid in _cloud_projects(emulator)
        if any(u["public_cloud_project_id"] == pid for u in emulator.users.values())
    )
    op = client.cloud.projects.delete(
        public_cloud_id=CLOUD, public_cloud_project_id=project_id
    )
    assert op.resource_id == project_id
    assert op.wait() is None
    assert project_id not in emulator.projects
    assert not any(u["public_cloud_project_id"] == project_id for u in emulator.users.values())


def test_task_failure_raises_operation_failed(
    client: Client, emulator: Emulator
) -> None:
    emulator.fail_next_task(
        code="public_cloud_quota_exceeded", description="Project quota exceeded"
    )
    op = client.cloud.projects.create(
        public_cloud_id=CLOUD, project_name="doomed", user_password=PASSWORD
    )
    with pytest.raises(OperationFailedError) as caught:
        op.wait()
    error = caught.value
    assert error.task_uuid == op.task_uuid
    assert (error.code, error.description) == (
        "public_cloud_quota_exceeded",
        "Project quota exceeded",
    )
    assert error.resource == "project"
    assert "public_cloud_quota_exceeded" in str(error) and op.task_uuid in str(error)
    assert "doomed" not in [p["name"] for p in emulator.projects.values()]


def test_resource_error_status_raises_operation_failed(
    client: Client, emulator: Emulator
) -> None:
    emulator.fail_next_provisioning()
    op = client.cloud.projects.create(
        public_cloud_id=CLOUD, project_name="broken", user_password=PASSWORD
    )
    with pytest.raises(OperationFailedError) as caught:
        op.wait()
    error = caught.value
    assert error.status == "error"
    assert error.resource_id is not None and error.resource_id == op.resource_id
    assert emulator.projects[error.resource_id]["status"] == "error"


def test_wait_times_out(client: Client, emulator: Emulator) -> None:
    emulator.task_duration = 30.0
    op = client.cloud.projects.create(
        public_cloud_id=CLOUD, project_name="slow", user_password=PASSWORD
    )
    with pytest.raises(WaitTimeoutError) as caught:
        op.wait(timeout=0.2, poll_interval=0.02)
    error = caught.value
    assert isinstance(error, TimeoutError)
    assert error.task_uuid == op.task_uuid
    assert error.last_status in ("spooled", "running")


def test_wait_times_out_on_a_slow_resource(
    client: Client, emulator: Emulator
) -> None:
    emulator.provision_duration = 30.0
    op = client.cloud.projects.create(
        public_cloud_id=CLOUD, project_name="slow", user_password=PASSWORD
    )
    with pytest.raises(WaitTimeoutError) as caught:
        op.wait(timeout=0.3)
    assert caught.value.last_status == "creating"
    assert caught.value.resource_id == op.resource_id


def test_weak_password_is_a_validation_error(client: Client) -> None:
    with pytest.raises(ValidationError) as caught:
        client.cloud.projects.create(
            public_cloud_id=CLOUD, project_name="weak", user_password="short"
        )
    assert "user_password" in caught.value.fields
    assert "short" not in str(caught.value).replace("short ", "")


def test_missing_project_is_not_found(client: Client) -> None:
    with pytest.raises(NotFoundError):
        client.cloud.projects.get(public_cloud_id=CLOUD, public_cloud_project_id=987654)
    with pytest.raises(NotFoundError):
        client.cloud.projects.delete(
            public_cloud_id=CLOUD, public_cloud_project_id=987654
        )


def test_project_arguments_are_checked_locally(
    client: Client, emulator: Emulator
) -> None:
    with pytest.raises(ValueError, match="project_name"):
        client.cloud.projects.create(
            public_cloud_id=CLOUD, project_name="x" * 251, user_password=PASSWORD
        )
    with pytest.raises(TypeError, match="user_password"):
        client.cloud.projects.create(
            public_cloud_id=CLOUD,
            project_name="ok",
            user_password=None,  # type: ignore[arg-type]
        )
    with pytest.raises(ValueError, match="name"):
        client.cloud.projects.update(
            public_cloud_id=CLOUD, public_cloud_project_id=1, name=""
        )
    with pytest.raises(TypeError, match="public_cloud_project_id"):
        client.cloud.projects.get(public_cloud_id=CLOUD, public_cloud_project_id="1")  # type: ignore[arg-type]
    assert emulator.requests == []


def test_passwords_never_logged_or_shown(
    client: Client, emulator: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="infomaniak")
    op = client.cloud.projects.create(
        public_cloud_id=CLOUD, project_name="secretive", user_password=PASSWORD
    )
    project = op.wait()
    assert PASSWORD not in repr(op) and PASSWORD not in repr(project)
    assert PASSWORD not in caplog.text
    assert emulator.requests[0].json["user_password"] == PASSWORD


def test_delayed_result_is_followed_like_asynchronous(
    client: Client, emulator: Emulator
) -> None:
    first = client.cloud.projects.create(
        public_cloud_id=CLOUD, project_name="first", user_password=PASSWORD
    )
    assert first.task_uuid is not None
    delayed = {"result": "delayed", "data": first.task_uuid}
    emulator.inject(Fault(status=202, json=delayed), method="POST")
    op = client.cloud.projects.create(
        public_cloud_id=CLOUD, project_name="second", user_password=PASSWORD
    )
    assert (op.result, op.task_uuid) == ("delayed", first.task_uuid)
    project = op.wait()
    assert (project.name, project.status) == ("first", "ok")


def test_rename_and_delete_in_id_mode(
    id_mode_emulator: Emulator, client_options: dict[str, Any]
) -> None:
    emulator = id_mode_emulator
    project_id = _cloud_projects(emulator)[0]
    with Client(emulator.token, base_url=emulator.url, **client_options) as client:
        renamed = client.cloud.projects.update(
            public_cloud_id=CLOUD, public_cloud_project_id=project_id, name="renamed-by-id"
        )
        assert (renamed.task_uuid, renamed.resource_id) == (None, project_id)
        assert (renamed.wait()).name == "renamed-by-id"
        deleted = client.cloud.projects.delete(
            public_cloud_id=CLOUD, public_cloud_project_id=project_id
        )
        assert deleted.wait() is None
    assert project_id not in emulator.projects


@pytest.mark.infomaniak_profile("realistic")
def test_list_status_outside_the_filter_enum_fails_before_sending(
    client: Client, emulator: Emulator
) -> None:
    # The project list's documented filter enum has no "disabled"/"disabling"
    # (the API answers 422); the SDK says so locally.
    for bad in ("disabled", ["ok", "disabling"], "bogus"):
        with pytest.raises(ValueError, match="status"):
            client.cloud.projects.list(public_cloud_id=CLOUD, status=bad)
    assert emulator.requests == []
    suspended = client.cloud.projects.list(public_cloud_id=CLOUD, status="suspended")
    found = [p for p in suspended]
    assert found and {p.status for p in found} == {ProjectStatus.SUSPENDED}
    users = client.cloud.projects.users.list(
        public_cloud_id=CLOUD,
        public_cloud_project_id=_cloud_projects(emulator)[0],
        status="disabled",
    )
    assert [u for u in users] == []
    with pytest.raises(ValueError, match="status"):
        client.cloud.projects.users.list(
            public_cloud_id=CLOUD, public_cloud_project_id=1, status="suspended"
        )


@pytest.mark.infomaniak_profile("realistic")
def test_every_realistic_project_variant_decodes(
    client: Client, emulator: Emulator
) -> None:
    projects = (client.cloud.projects.list(public_cloud_id=CLOUD)).to_list()
    raw = emulator.projects
    assert {p.status for p in projects} >= {ProjectStatus.OK, ProjectStatus.SUSPENDED}
    assert all(isinstance(p.meta, dict) for p in projects)  # [] and {} alike
    assert any(p.billing_end_at is not None for p in projects)
    with_deleted_at = [p for p in projects if "deleted_at" in raw[p.public_cloud_project_id]]
    assert with_deleted_at and all(p.deleted_at is None for p in with_deleted_at)
