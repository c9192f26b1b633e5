"""The Public Cloud product endpoints, end to end against the emulator."""

from __future__ import annotations

import pytest

from infomaniak import AsyncClient
from infomaniak.errors import NotFoundError, ResponseDecodeError
from infomaniak.models.cloud import (
    PublicCloud,
    PublicCloudAccesses,
    PublicCloudBoolResponse,
    PublicCloudConfig,
    PublicCloudData,
    PublicCloudLock,
    PublicCloudMaintenance,
    PublicCloudRights,
    PublicCloudTag,
)
from infomaniak.testing import Emulator, Fault
from infomaniak.utils import AsyncPList


async def test_issue_example_flow(async_client: AsyncClient, emulator: Emulator) -> None:
    clouds = await async_client.cloud.list(account_id=42)
    assert isinstance(clouds, AsyncPList)
    expected_total = sum(1 for c in emulator.clouds.values() if c["account_id"] == 42)
    assert (clouds.page, clouds.items, clouds.per_page) == (1, expected_total, 10)
    assert clouds.pages == -(-expected_total // 10)
    assert len(clouds) == 10
    first = clouds[0]
    assert isinstance(first, PublicCloud)

    seen = []
    async for cloud in clouds:
        assert isinstance(cloud, PublicCloud)
        assert all(isinstance(tag, PublicCloudTag) and tag.name for tag in cloud.tags)
        seen.append(cloud.id)
    assert len(seen) == expected_total
    assert sorted(seen) == sorted(
        c["id"] for c in emulator.clouds.values() if c["account_id"] == 42
    )

    cloud = await async_client.cloud.get(public_cloud_id=first.id)
    assert cloud.id == first.id
    assert cloud.customer_name == emulator.clouds[first.id]["customer_name"]
    assert isinstance(cloud.rights, PublicCloudRights)
    assert isinstance(cloud.public_cloud, PublicCloudData)

    updated = await async_client.cloud.update(
        public_cloud_id=cloud.id, customer_name="Prod", description="EU workloads"
    )
    assert isinstance(updated, PublicCloudBoolResponse)
    assert (updated.result, updated.data) == ("success", True)
    again = await async_client.cloud.get(public_cloud_id=cloud.id)
    assert (again.customer_name, again.description) == ("Prod", "EU workloads")

    config = await async_client.cloud.config.get(account_id=42)
    assert isinstance(config, PublicCloudConfig)
    assert config.free_tier is not None
    assert config.account_resource_level is not None


async def test_get_decodes_every_documented_field(
    async_client: AsyncClient, emulator: Emulator
) -> None:
    raw = emulator.clouds[1332]
    cloud = await async_client.cloud.get(public_cloud_id=1332)
    for key in (
        "id",
        "account_id",
        "service_id",
        "service_name",
        "customer_name",
        "internal_name",
        "created_at",
        "expired_at",
        "version",
        "has_maintenance",
        "is_locked",
        "has_operation_in_progress",
        "unique_id",
        "is_free",
        "is_zero_price",
        "is_trial",
        "public_cloud_id",
        "description",
        "bill_reference",
    ):
        if key in raw:
            assert getattr(cloud, key) == raw[key], key
    assert [(t.id, t.name, t.color) for t in cloud.tags] == [
        (t["id"], t["name"], t["color"]) for t in raw["tags"]
    ]
    assert cloud.public_cloud is not None
    assert cloud.public_cloud.project_count == raw["public_cloud"]["project_count"]


async def test_with_loads_relations(async_client: AsyncClient, emulator: Emulator) -> None:
    plain = await async_client.cloud.get(public_cloud_id=1332)
    assert plain.status is None
    loaded = await async_client.cloud.get(public_cloud_id=1332, with_=["status", "users", "admin"])
    assert loaded.status is not None
    assert loaded.users is not None
    assert loaded.admin is not None
    assert emulator.requests[-1].query == [("with", "status,users,admin")]


async def test_get_unknown_cloud_raises_not_found(async_client: AsyncClient) -> None:
    with pytest.raises(NotFoundError) as caught:
        await async_client.cloud.get(public_cloud_id=999999)
    error = caught.value
    assert (error.status, error.code) == (404, "object_not_found")
    assert (error.method, error.path) == ("GET", "/1/public_clouds/999999")
    assert "404" in str(error) and "object_not_found" in str(error)


async def test_accesses(async_client: AsyncClient) -> None:
    accesses = await async_client.cloud.accesses.get(account_id=42)
    assert isinstance(accesses, PublicCloudAccesses)
    assert accesses.is_maintenance_ongoing is False


async def test_update_sends_only_given_fields(
    async_client: AsyncClient, emulator: Emulator
) -> None:
    await async_client.cloud.update(public_cloud_id=1332, bill_reference="PO-1234")
    request = emulator.requests[-1]
    assert (request.method, request.path) == ("PATCH", "/1/public_clouds/1332")
    assert request.json == {"bill_reference": "PO-1234"}
    assert request.headers["Content-Type"] == "application/json"
    assert emulator.clouds[1332]["bill_reference"] == "PO-1234"


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"public_cloud_id": 1332, "customer_name": "x"}, ValueError),
        ({"public_cloud_id": 1332, "description": "y"}, ValueError),
        ({"public_cloud_id": 1332, "bill_reference": "z"}, ValueError),
        ({"public_cloud_id": 1332, "customer_name": 42}, TypeError),
        ({"public_cloud_id": 1332}, ValueError),
        ({"public_cloud_id": "1332", "customer_name": "Prod"}, TypeError),
        ({"public_cloud_id": 0, "customer_name": "Prod"}, ValueError),
        ({"public_cloud_id": True, "customer_name": "Prod"}, TypeError),
    ],
)
async def test_update_checks_arguments_before_sending(
    async_client: AsyncClient, emulator: Emulator, kwargs: dict[str, object], error: type[Exception]
) -> None:
    with pytest.raises(error):
        await async_client.cloud.update(**kwargs)  # type: ignore[arg-type]
    assert emulator.requests == []


async def test_list_checks_arguments_before_sending(
    async_client: AsyncClient, emulator: Emulator
) -> None:
    with pytest.raises(TypeError, match="account_id"):
        await async_client.cloud.list(account_id="42")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="order"):
        await async_client.cloud.list(account_id=42, order="up")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="order_for"):
        await async_client.cloud.list(account_id=42, order_for={"name": "sideways"})  # type: ignore[dict-item]
    with pytest.raises(ValueError, match="per_page"):
        await async_client.cloud.list(account_id=42, per_page=0)
    with pytest.raises(ValueError, match="page"):
        await async_client.cloud.list(account_id=42, page=0)
    assert emulator.requests == []


async def test_models_tolerate_api_changes(async_client: AsyncClient, emulator: Emulator) -> None:
    raw = dict(emulator.clouds[1332])
    raw.update(
        brand_new_key={"nested": [1, 2]},  # unknown keys are ignored
        rights=[],  # PHP's empty object
        status={"maintenance": True, "locked": {"superuser": True, "infomaniak": False}},
        description=None,
    )
    raw.pop("expired_at", None)  # omitted
    emulator.inject(
        Fault(status=200, json={"result": "success", "data": raw}), path="/1/public_clouds/1332"
    )
    cloud = await async_client.cloud.get(public_cloud_id=1332)
    assert cloud.rights == PublicCloudRights()
    assert cloud.status is not None
    assert cloud.status.maintenance is True  # the boolean shape, kept as it is
    assert cloud.status.locked == PublicCloudLock(superuser=True, infomaniak=False)
    assert (cloud.description, cloud.expired_at) == (None, None)
    assert not hasattr(cloud, "brand_new_key")


async def test_missing_required_key_is_a_decode_error(
    async_client: AsyncClient, emulator: Emulator
) -> None:
    raw = dict(emulator.clouds[1332])
    del raw["id"]
    emulator.inject(
        Fault(status=200, json={"result": "success", "data": raw}), path="/1/public_clouds/1332"
    )
    with pytest.raises(ResponseDecodeError, match="missing key 'id'") as caught:
        await async_client.cloud.get(public_cloud_id=1332)
    assert caught.value.path == "/1/public_clouds/1332"


async def test_equal_tags_and_rights_share_one_frozen_instance(async_client: AsyncClient) -> None:
    clouds = await (await async_client.cloud.list(account_id=42)).to_list()
    by_value: dict[PublicCloudTag, set[int]] = {}
    for cloud in clouds:
        for tag in cloud.tags:
            by_value.setdefault(tag, set()).add(id(tag))
    assert any(len(ids) == 1 for ids in by_value.values())
    assert all(len(ids) == 1 for ids in by_value.values())  # one instance per distinct tag
    assert len({id(cloud.rights) for cloud in clouds}) == len({cloud.rights for cloud in clouds})
    tagged = next(cloud for cloud in clouds if cloud.tags)
    with pytest.raises(AttributeError):
        tagged.tags[0].name = "renamed"  # type: ignore[misc]


@pytest.mark.infomaniak_profile("realistic")
async def test_every_realistic_variant_decodes(async_client: AsyncClient) -> None:
    """The emulator's realistic profile (the default) sends every documented shape."""
    clouds = await (
        await async_client.cloud.list(account_id=42, with_=["status", "users", "admin"])
    ).to_list()
    statuses = [cloud.status for cloud in clouds if cloud.status is not None]
    assert len(statuses) == len(clouds)
    assert any(s.maintenance is False for s in statuses)  # a boolean
    assert any(isinstance(s.maintenance, PublicCloudMaintenance) for s in statuses)
    assert any(s.locked is False for s in statuses)
    assert any(isinstance(s.locked, PublicCloudLock) for s in statuses)
    assert any(isinstance(s.activated_by, list) for s in statuses)
    assert any(not isinstance(s.activated_by, list) for s in statuses)
    assert any(cloud.rights == PublicCloudRights() for cloud in clouds)  # from []
    billing = [cloud.public_cloud for cloud in clouds if cloud.public_cloud is not None]
    assert any(b.price is None for b in billing) and any(b.price for b in billing)
    assert any(b.billing_end_at is not None for b in billing)
    assert any(cloud.deleted_at is not None for cloud in clouds)
    tags = [tag for cloud in clouds for tag in cloud.tags]
    assert any(t.product_count for t in tags) and any(t.product_count is None for t in tags)
    config = await async_client.cloud.config.get(account_id=42)
    assert (config.valid_from, config.valid_to) == (None, None)
