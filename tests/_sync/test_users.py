# Generated from tests/_async/test_users.py by scripts/unasync.py.
# Do not edit: change the async source and run `python scripts/unasync.py`.
"""Project users: every endpoint, end to end against the emulator."""

from __future__ import annotations

import logging

import pytest

from infomaniak import Client
from infomaniak.errors import NotFoundError, ValidationError
from infomaniak.models.cloud import PublicCloudBoolResponse, PublicCloudUser, UserStatus
from infomaniak.testing import Emulator

CLOUD = 1332


def _project_with_users(emulator: Emulator) -> tuple[int, list[int]]:
    for project_id, project in sorted(emulator.projects.items()):
        if project["public_cloud_id"] != CLOUD:
            continue
        users = sorted(
            uid for uid, u in emulator.users.items() if u["public_cloud_project_id"] == project_id
        )
        if users:
            return project_id, users
    raise AssertionError("the emulator seeds users in cloud 1332")


def test_list_and_get(client: Client, emulator: Emulator) -> None:
    project_id, user_ids = _project_with_users(emulator)
    users = client.cloud.projects.users.list(
        public_cloud_id=CLOUD, public_cloud_project_id=project_id
    )
    listed = [u.public_cloud_user_id for u in users]
    assert sorted(listed) == user_ids
    user = client.cloud.projects.users.get(
        public_cloud_id=CLOUD, public_cloud_project_id=project_id, public_cloud_user_id=user_ids[0]
    )
    assert isinstance(user, PublicCloudUser)
    assert user.open_stack_name == emulator.users[user_ids[0]]["open_stack_name"]
    assert user.status == UserStatus.OK


def test_list_filters_by_status(client: Client, emulator: Emulator) -> None:
    project_id, _ = _project_with_users(emulator)
    users = client.cloud.projects.users.list(
        public_cloud_id=CLOUD, public_cloud_project_id=project_id, status="error"
    )
    assert [u for u in users] == []
    assert ("filter[status][]", "error") in emulator.requests[-1].query


def test_create_update_and_delete(client: Client, emulator: Emulator) -> None:
    project_id, _ = _project_with_users(emulator)
    op = client.cloud.projects.users.create(
        public_cloud_id=CLOUD,
        public_cloud_project_id=project_id,
        password="An0ther-Passw0rd!",
        description="deploy bot",
    )
    user = op.wait()
    assert (user.description, user.status, user.public_cloud_project_id) == (
        "deploy bot",
        "ok",
        project_id,
    )
    assert user.public_cloud_user_id in emulator.users

    result = client.cloud.projects.users.update(
        public_cloud_id=CLOUD,
        public_cloud_project_id=project_id,
        public_cloud_user_id=user.public_cloud_user_id,
        description="renamed bot",
    )
    assert isinstance(result, PublicCloudBoolResponse) and result.data is True
    assert emulator.users[user.public_cloud_user_id]["description"] == "renamed bot"

    gone = (
        client.cloud.projects.users.delete(
            public_cloud_id=CLOUD,
            public_cloud_project_id=project_id,
            public_cloud_user_id=user.public_cloud_user_id,
        )
    ).wait()
    assert gone is None
    assert user.public_cloud_user_id not in emulator.users
    with pytest.raises(NotFoundError):
        client.cloud.projects.users.get(
            public_cloud_id=CLOUD,
            public_cloud_project_id=project_id,
            public_cloud_user_id=user.public_cloud_user_id,
        )


def test_invite_and_reinvite(client: Client, emulator: Emulator) -> None:
    project_id, _ = _project_with_users(emulator)
    user = (
        client.cloud.projects.users.invite(
            public_cloud_id=CLOUD, public_cloud_project_id=project_id, email="dev@example.com"
        )
    ).wait()
    assert user.status == "ok"
    again = (
        client.cloud.projects.users.reinvite(
            public_cloud_id=CLOUD,
            public_cloud_project_id=project_id,
            public_cloud_user_id=user.public_cloud_user_id,
            email="dev@example.com",
        )
    ).wait()
    assert again.public_cloud_user_id == user.public_cloud_user_id
    posted = [(r.path, r.json) for r in emulator.requests if r.method == "POST"]
    base = f"/1/public_clouds/{CLOUD}/projects/{project_id}/users"
    assert posted == [
        (f"{base}/invite", {"email": "dev@example.com"}),
        (f"{base}/{user.public_cloud_user_id}/invite", {"email": "dev@example.com"}),
    ]


def test_weak_password_names_the_field(
    client: Client, emulator: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="infomaniak")
    project_id, user_ids = _project_with_users(emulator)
    with pytest.raises(ValidationError) as caught:
        client.cloud.projects.users.create(
            public_cloud_id=CLOUD, public_cloud_project_id=project_id, password="weakpass"
        )
    assert "password" in caught.value.fields
    with pytest.raises(ValidationError) as caught_update:
        client.cloud.projects.users.update(
            public_cloud_id=CLOUD,
            public_cloud_project_id=project_id,
            public_cloud_user_id=user_ids[0],
            password="weakpass",
        )
    assert "password" in caught_update.value.fields
    assert "weakpass" not in caplog.text


def test_openrc_and_authentication_file(
    client: Client, emulator: Emulator
) -> None:
    project_id, user_ids = _project_with_users(emulator)
    ids = {
        "public_cloud_id": CLOUD,
        "public_cloud_project_id": project_id,
        "public_cloud_user_id": user_ids[0],
    }
    openrc = client.cloud.projects.users.openrc(**ids, region="pub2")
    assert f'OS_USERNAME="{emulator.users[user_ids[0]]["open_stack_name"]}"' in openrc
    assert ("region", "pub2") in emulator.requests[-1].query
    clouds_yaml = client.cloud.projects.users.authentication_file(
        **ids, type="clouds.yaml"
    )
    assert "clouds:" in clouds_yaml
    with pytest.raises(ValueError, match="region"):
        client.cloud.projects.users.openrc(**ids, region="pub3")  # type: ignore[arg-type]


def test_user_arguments_are_checked_locally(
    client: Client, emulator: Emulator
) -> None:
    with pytest.raises(ValueError, match="description"):
        client.cloud.projects.users.create(
            public_cloud_id=CLOUD, public_cloud_project_id=1, password="x", description="d" * 251
        )
    with pytest.raises(ValueError, match="at least one"):
        client.cloud.projects.users.update(
            public_cloud_id=CLOUD, public_cloud_project_id=1, public_cloud_user_id=1
        )
    assert emulator.requests == []
