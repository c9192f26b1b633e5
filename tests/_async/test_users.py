"""Project users: every endpoint, end to end against the emulator."""

from __future__ import annotations

import logging

import pytest

from infomaniak import AsyncClient
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


async def test_list_and_get(async_client: AsyncClient, emulator: Emulator) -> None:
    project_id, user_ids = _project_with_users(emulator)
    users = await async_client.cloud.projects.users.list(
        public_cloud_id=CLOUD, public_cloud_project_id=project_id
    )
    listed = [u.public_cloud_user_id async for u in users]
    assert sorted(listed) == user_ids
    user = await async_client.cloud.projects.users.get(
        public_cloud_id=CLOUD, public_cloud_project_id=project_id, public_cloud_user_id=user_ids[0]
    )
    assert isinstance(user, PublicCloudUser)
    assert user.open_stack_name == emulator.users[user_ids[0]]["open_stack_name"]
    assert user.status == UserStatus.OK


async def test_list_filters_by_status(async_client: AsyncClient, emulator: Emulator) -> None:
    project_id, _ = _project_with_users(emulator)
    users = await async_client.cloud.projects.users.list(
        public_cloud_id=CLOUD, public_cloud_project_id=project_id, status="error"
    )
    assert [u async for u in users] == []
    assert ("filter[status][]", "error") in emulator.requests[-1].query


async def test_create_update_and_delete(async_client: AsyncClient, emulator: Emulator) -> None:
    project_id, _ = _project_with_users(emulator)
    op = await async_client.cloud.projects.users.create(
        public_cloud_id=CLOUD,
        public_cloud_project_id=project_id,
        password="An0ther-Passw0rd!",
        description="deploy bot",
    )
    user = await op.wait()
    assert (user.description, user.status, user.public_cloud_project_id) == (
        "deploy bot",
        "ok",
        project_id,
    )
    assert user.public_cloud_user_id in emulator.users

    result = await async_client.cloud.projects.users.update(
        public_cloud_id=CLOUD,
        public_cloud_project_id=project_id,
        public_cloud_user_id=user.public_cloud_user_id,
        description="renamed bot",
    )
    assert isinstance(result, PublicCloudBoolResponse) and result.data is True
    assert emulator.users[user.public_cloud_user_id]["description"] == "renamed bot"

    gone = await (
        await async_client.cloud.projects.users.delete(
            public_cloud_id=CLOUD,
            public_cloud_project_id=project_id,
            public_cloud_user_id=user.public_cloud_user_id,
        )
    ).wait()
    assert gone is None
    assert user.public_cloud_user_id not in emulator.users
    with pytest.raises(NotFoundError):
        await async_client.cloud.projects.users.get(
            public_cloud_id=CLOUD,
            public_cloud_project_id=project_id,
            public_cloud_user_id=user.public_cloud_user_id,
        )


async def test_invite_and_reinvite(async_client: AsyncClient, emulator: Emulator) -> None:
    project_id, _ = _project_with_users(emulator)
    user = await (
        await async_client.cloud.projects.users.invite(
            public_cloud_id=CLOUD, public_cloud_project_id=project_id, email="dev@example.com"
        )
    ).wait()
    assert user.status == "ok"
    again = await (
        await async_client.cloud.projects.users.reinvite(
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


async def test_weak_password_names_the_field(
    async_client: AsyncClient, emulator: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="infomaniak")
    project_id, user_ids = _project_with_users(emulator)
    with pytest.raises(ValidationError) as caught:
        await async_client.cloud.projects.users.create(
            public_cloud_id=CLOUD, public_cloud_project_id=project_id, password="weakpass"
        )
    assert "password" in caught.value.fields
    with pytest.raises(ValidationError) as caught_update:
        await async_client.cloud.projects.users.update(
            public_cloud_id=CLOUD,
            public_cloud_project_id=project_id,
            public_cloud_user_id=user_ids[0],
            password="weakpass",
        )
    assert "password" in caught_update.value.fields
    assert "weakpass" not in caplog.text


async def test_openrc_and_authentication_file(
    async_client: AsyncClient, emulator: Emulator
) -> None:
    project_id, user_ids = _project_with_users(emulator)
    ids = {
        "public_cloud_id": CLOUD,
        "public_cloud_project_id": project_id,
        "public_cloud_user_id": user_ids[0],
    }
    openrc = await async_client.cloud.projects.users.openrc(**ids, region="pub2")
    assert f'OS_USERNAME="{emulator.users[user_ids[0]]["open_stack_name"]}"' in openrc
    assert ("region", "pub2") in emulator.requests[-1].query
    clouds_yaml = await async_client.cloud.projects.users.authentication_file(
        **ids, type="clouds.yaml"
    )
    assert "clouds:" in clouds_yaml
    with pytest.raises(ValueError, match="region"):
        await async_client.cloud.projects.users.openrc(**ids, region="pub3")  # type: ignore[arg-type]


async def test_user_arguments_are_checked_locally(
    async_client: AsyncClient, emulator: Emulator
) -> None:
    with pytest.raises(ValueError, match="description"):
        await async_client.cloud.projects.users.create(
            public_cloud_id=CLOUD, public_cloud_project_id=1, password="x", description="d" * 251
        )
    with pytest.raises(ValueError, match="at least one"):
        await async_client.cloud.projects.users.update(
            public_cloud_id=CLOUD, public_cloud_project_id=1, public_cloud_user_id=1
        )
    assert emulator.requests == []
