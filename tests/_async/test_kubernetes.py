"""Managed Kubernetes (KaaS), end to end against the emulator: every endpoint,
the scope rule of ``list``, waiting, local errors and secrets."""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

import pytest

from infomaniak import AsyncClient, StatusChange
from infomaniak.errors import (
    APIError,
    NotFoundError,
    OperationFailedError,
    ValidationError,
    WaitTimeoutError,
)
from infomaniak.models.cloud import (
    InstancePool,
    InstancePoolStatus,
    KaasApiserver,
    KubernetesService,
    KubernetesServiceFlavor,
    KubernetesServicePack,
    KubernetesServiceStatus,
)
from infomaniak.testing import Emulator

CLOUD = 1332
PROJECT = 25454
SEEDED = 4821  # the seeded cluster with 12 pools
SCOPE = {"public_cloud_id": CLOUD, "public_cloud_project_id": PROJECT}
PEM = "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUemulated\n-----END CERTIFICATE-----\n"


async def _new_cluster(client: AsyncClient, name: str = "extra") -> KubernetesService:
    op = await client.cloud.kubernetes.create(
        **SCOPE, name=name, region="dc4-a", kubernetes_version="1.34", kaas_pack_id=2
    )
    cluster: KubernetesService = await op.wait()
    return cluster


async def test_issue_example_flow(async_client: AsyncClient, emulator: Emulator) -> None:
    k8s = async_client.cloud.kubernetes
    versions: list[str] = await k8s.versions()
    packs = await k8s.packs()
    assert all(isinstance(pack, KubernetesServicePack) for pack in packs)
    op = await k8s.create(
        public_cloud_id=1332,
        public_cloud_project_id=25454,
        name="prod",
        region="dc4-a",
        kubernetes_version=versions[-1],
        kaas_pack_id=packs[0].kaas_pack_id,
    )
    assert op.resource_id is not None and op.resource_id == op.data
    cluster = await op.wait()
    assert (cluster.kaas_id, cluster.status) == (op.resource_id, KubernetesServiceStatus.ACTIVE)
    assert (cluster.name, cluster.kubernetes_version) == ("prod", versions[-1])
    pool = await (
        await k8s.pools.create(
            public_cloud_id=1332,
            public_cloud_project_id=25454,
            kaas_id=cluster.kaas_id,
            name="workers",
            flavor="a2-ram4-disk20-perf1",
            minimum_instances=3,
            availability_zone="az-1",
        )
    ).wait()
    assert (pool.name, pool.status, pool.available_instances) == ("workers", "Active", 3)
    kubeconfig: str = await k8s.kubeconfig(
        public_cloud_id=1332, public_cloud_project_id=25454, kaas_id=cluster.kaas_id
    )
    assert f"name: {cluster.open_stack_name}" in kubeconfig
    await k8s.ip_filters.replace(
        public_cloud_id=1332,
        public_cloud_project_id=25454,
        kaas_id=cluster.kaas_id,
        ip_filters=["203.0.113.0/24"],
    )
    assert emulator.requests[-1].json == {"ip_filters": ["203.0.113.0/24"]}
    names = [(c.name, c.status, c.region) async for c in await k8s.list(account_id=42)]
    assert ("prod", "Active", "dc4-a") in names
    assert len(names) == len(emulator.clusters)
    deleted = await (
        await k8s.delete(
            public_cloud_id=1332, public_cloud_project_id=25454, kaas_id=cluster.kaas_id
        )
    ).wait()
    assert deleted is None
    assert cluster.kaas_id not in emulator.clusters
    assert pool.instance_pool_id not in emulator.pools


async def test_reference_data(async_client: AsyncClient, emulator: Emulator) -> None:
    k8s = async_client.cloud.kubernetes
    assert await k8s.versions() == ["1.32", "1.33", "1.34", "1.35"]
    assert await k8s.regions() == ["dc3-a", "dc4-a"]
    assert await k8s.availability_zones(region="dc4-a") == ["az-1", "az-2", "az-3"]
    assert emulator.requests[-1].query == [("region", "dc4-a")]
    packs = await k8s.packs()
    assert [(p.kaas_pack_id, p.name, p.limit_per_project) for p in packs] == [
        (1, "shared", 1),
        (2, "dedicated", None),
    ]
    assert packs[1].price_per_hour == {"CHF": 0.11, "EUR": 0.11}
    flavors = await k8s.flavors(**SCOPE, region="dc4-a")
    assert all(isinstance(f, KubernetesServiceFlavor) for f in flavors)
    assert "a2-ram4-disk20-perf1" in [f.name for f in flavors]
    small = await k8s.flavors(
        **SCOPE,
        region="dc4-a",
        maximum_cpu=2,
        gpu_optimized=False,
        maximum_rate={"excluding_tax": 0.05},
    )
    query = emulator.requests[-1].query
    assert ("filter[maximum_cpu]", "2") in query and ("filter[gpu_optimized]", "false") in query
    assert ("filter[maximum_rate][excluding_tax]", "0.05") in query
    assert [f.name for f in small] == ["a1-ram2-disk20-perf1", "a2-ram4-disk20-perf1"]
    assert small[1].rates is not None and small[1].rates.hour_excl_tax == 0.0342
    gpus = await k8s.flavors(**SCOPE, region="dc4-a", gpu_types="L4")
    assert [(f.gpu_type, f.is_gpu_optimized) for f in gpus] == [("L4", True)]
    filters = await k8s.flavor_filters(**SCOPE, region="dc4-a")
    assert filters.gpu_types == ["L4", "T4"]
    assert filters.cpu is not None and not isinstance(filters.cpu, str)
    assert (filters.cpu.min, filters.cpu.max) == (1, 16)
    with pytest.raises(ValidationError) as caught:
        await k8s.availability_zones(region="dc9-z")
    assert "region" in caught.value.fields


async def test_list_needs_exactly_one_scope(async_client: AsyncClient, emulator: Emulator) -> None:
    k8s = async_client.cloud.kubernetes
    with pytest.raises(TypeError, match="not both"):
        await k8s.list(account_id=42, public_cloud_id=CLOUD, public_cloud_project_id=PROJECT)
    with pytest.raises(TypeError, match="account_id"):
        await k8s.list()
    with pytest.raises(TypeError, match="public_cloud_project_id"):
        await k8s.list(public_cloud_id=CLOUD)
    assert emulator.requests == []
    await k8s.list(account_id=42)
    assert (emulator.requests[-1].path, emulator.requests[-1].query[0]) == (
        "/1/public_clouds/kaas",
        ("account_id", "42"),
    )
    await k8s.list(**SCOPE)
    assert emulator.requests[-1].path == f"/1/public_clouds/{CLOUD}/projects/{PROJECT}/kaas"


async def test_cluster_lists_walk_every_page(async_client: AsyncClient, emulator: Emulator) -> None:
    k8s = async_client.cloud.kubernetes
    account = await k8s.list(account_id=42)
    assert account.per_page == 10 and account.pages >= 2
    ids = [c.kaas_id async for c in account]
    assert sorted(ids) == sorted(emulator.clusters) and len(ids) == account.items
    project = await k8s.list(**SCOPE)
    assert project.pages >= 2
    project_ids = [c.kaas_id async for c in project]
    assert len(project_ids) == len(set(project_ids)) == project.items > 10
    assert SEEDED in project_ids


async def test_pools_list_walks_every_page(async_client: AsyncClient, emulator: Emulator) -> None:
    pools = await async_client.cloud.kubernetes.pools.list(**SCOPE, kaas_id=SEEDED)
    assert pools.pages >= 2
    ids = [p.instance_pool_id async for p in pools]
    expected = sorted(k for k, p in emulator.pools.items() if p["kaas_id"] == SEEDED)
    assert sorted(ids) == expected and len(ids) > 10
    first = await async_client.cloud.kubernetes.pools.get(
        **SCOPE, kaas_id=SEEDED, instance_pool_id=ids[0]
    )
    assert isinstance(first, InstancePool)
    assert first.labels == {"node-role.kubernetes.io/worker": "high"}


async def test_list_filters_and_relations(async_client: AsyncClient, emulator: Emulator) -> None:
    k8s = async_client.cloud.kubernetes
    failed = [
        c.name
        async for c in await k8s.list(
            account_id=42, statuses=["Failed", "Suspended"], regions="dc3-a", packs=[2]
        )
    ]
    query = emulator.requests[-1].query
    assert ("filter[statuses][]", "Failed") in query and ("filter[packs][]", "2") in query
    assert ("filter[regions][]", "dc3-a") in query
    assert failed == ["edge"]
    found = [c.name async for c in await k8s.list(**SCOPE, search="KUBERNETES")]
    assert found == ["My Kubernetes Service"]
    tagged = [c.kaas_id async for c in await k8s.list(**SCOPE, tags=1234)]
    assert tagged == [SEEDED]
    ordered = [c.name async for c in await k8s.list(**SCOPE, order_by="name", order="desc")]
    assert ordered == sorted(ordered, key=str.casefold, reverse=True)
    cluster = await k8s.get(
        **SCOPE, kaas_id=SEEDED, with_=["packs", "projects", "instances", "tags"]
    )
    assert cluster.pack is not None and cluster.pack.name == "dedicated"
    assert cluster.project is not None and cluster.project.id == PROJECT
    assert cluster.tags is not None and [t.id for t in cluster.tags] == [1234]
    assert cluster.instances is not None and cluster.instances.used is not None
    plain = await k8s.get(**SCOPE, kaas_id=SEEDED)
    assert (plain.pack, plain.project, plain.tags, plain.kaas_pack_id) == (None, None, None, 2)
    zone = [
        p.availability_zone
        async for p in await k8s.pools.list(
            **SCOPE, kaas_id=SEEDED, availability_zones="az-2", statuses="Active"
        )
    ]
    assert zone and set(zone) == {"az-2"}


async def test_create_reports_each_status_change(
    async_client: AsyncClient, emulator: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="infomaniak")
    seen: list[StatusChange] = []
    op = await async_client.cloud.kubernetes.create(
        **SCOPE, name="watched", region="dc3-a", kubernetes_version="1.33", kaas_pack_id=2
    )
    cluster = await op.wait(on_status=seen.append)
    assert [change.status for change in seen] == ["Creating", "Active"]
    assert {change.resource for change in seen} == {"kubernetes cluster"}
    assert seen[0].resource_id == cluster.kaas_id and seen[1].previous == "Creating"
    assert f"kubernetes cluster {cluster.kaas_id} is Creating" in caplog.text
    assert f"kubernetes cluster {cluster.kaas_id} is Active" in caplog.text


async def test_upgrade_waits_through_updating(
    async_client: AsyncClient, emulator: Emulator
) -> None:
    seen: list[str] = []
    before = emulator.clusters[SEEDED]["kubernetes_version"]
    op = await async_client.cloud.kubernetes.update(
        **SCOPE, kaas_id=SEEDED, kubernetes_version="1.34", name="renamed"
    )
    assert op.resource_id == SEEDED
    assert emulator.requests[-1].json == {"name": "renamed", "kubernetes_version": "1.34"}
    cluster = await op.wait(on_status=lambda change: seen.append(change.status))
    assert before == "1.33" and cluster.kubernetes_version == "1.34"
    assert (cluster.name, cluster.status) == ("renamed", "Active")
    assert seen == ["Updating", "Active"]
    with pytest.raises(APIError) as caught:  # two minor versions at once
        await async_client.cloud.kubernetes.update(
            **SCOPE, kaas_id=SEEDED, kubernetes_version="1.32"
        )
    assert (caught.value.status, caught.value.code) == (400, "cannot_update_kaas")


async def test_failed_cluster_raises(async_client: AsyncClient, emulator: Emulator) -> None:
    emulator.fail_next_kaas()
    op = await async_client.cloud.kubernetes.create(
        **SCOPE, name="doomed", region="dc4-a", kubernetes_version="1.35", kaas_pack_id=2
    )
    with pytest.raises(OperationFailedError) as caught:
        await op.wait()
    error = caught.value
    assert (error.status, error.resource, error.resource_id) == (
        "Failed",
        "kubernetes cluster",
        op.resource_id,
    )
    assert op.resource_id is not None
    assert emulator.clusters[op.resource_id]["status"] == "Failed"


async def test_pool_over_quota_raises_with_the_api_message(
    async_client: AsyncClient, emulator: Emulator
) -> None:
    cluster = await _new_cluster(async_client)
    emulator.project_cores_quota = 8
    op = await async_client.cloud.kubernetes.pools.create(
        **SCOPE,
        kaas_id=cluster.kaas_id,
        name="big",
        flavor="a16-ram64-disk100-perf1",
        minimum_instances=2,
    )
    with pytest.raises(OperationFailedError) as caught:
        await op.wait()
    error = caught.value
    assert error.status == InstancePoolStatus.FAILED_QUOTA
    assert error.messages == ["Quota exceeded for cores"]
    assert "Quota exceeded for cores" in str(error) and error.resource == "instance pool"
    # A pool that hit its quota can still be deleted.
    gone = await async_client.cloud.kubernetes.pools.delete(
        **SCOPE, kaas_id=cluster.kaas_id, instance_pool_id=error.resource_id or 0
    )
    assert await gone.wait() is None


async def test_pool_resize_waits_until_every_instance_is_up(
    async_client: AsyncClient, emulator: Emulator
) -> None:
    pools = async_client.cloud.kubernetes.pools
    cluster = await _new_cluster(async_client)
    pool = await (
        await pools.create(
            **SCOPE,
            kaas_id=cluster.kaas_id,
            name="workers",
            flavor="a1-ram2-disk20-perf1",
            minimum_instances=1,
            labels={"custom.kaas.infomaniak.cloud/tier": "web"},
            prefix="web",
        )
    ).wait()
    assert (pool.target_instances, pool.available_instances, pool.prefix) == (1, 1, "web")
    assert pool.labels == {"custom.kaas.infomaniak.cloud/tier": "web"}
    seen: list[str] = []
    op = await pools.update(
        **SCOPE,
        kaas_id=cluster.kaas_id,
        instance_pool_id=pool.instance_pool_id,
        minimum_instances=3,
        maximum_instances=5,
    )
    resized = await op.wait(on_status=lambda change: seen.append(change.status))
    assert seen == ["ScalingUp", "Active"]
    assert (resized.minimum_instances, resized.maximum_instances) == (3, 5)
    assert resized.available_instances == resized.target_instances == 3
    assert resized.has_autoscaling
    down = await (
        await pools.update(
            **SCOPE,
            kaas_id=cluster.kaas_id,
            instance_pool_id=pool.instance_pool_id,
            minimum_instances=2,
            maximum_instances=2,
        )
    ).wait()
    assert (down.status, down.available_instances) == ("Active", 2)
    renamed = await (
        await pools.update(
            **SCOPE, kaas_id=cluster.kaas_id, instance_pool_id=pool.instance_pool_id, name="web"
        )
    ).wait()
    assert renamed.name == "web"
    assert (
        await (
            await pools.delete(
                **SCOPE, kaas_id=cluster.kaas_id, instance_pool_id=pool.instance_pool_id
            )
        ).wait()
        is None
    )
    with pytest.raises(NotFoundError):
        await pools.get(**SCOPE, kaas_id=cluster.kaas_id, instance_pool_id=pool.instance_pool_id)


async def test_wait_times_out(async_client: AsyncClient, emulator: Emulator) -> None:
    emulator.kaas_duration = 30.0
    op = await async_client.cloud.kubernetes.create(
        **SCOPE, name="slow", region="dc4-a", kubernetes_version="1.35", kaas_pack_id=2
    )
    with pytest.raises(WaitTimeoutError) as caught:
        await op.wait(timeout=0.2)
    assert (caught.value.last_status, caught.value.resource_id) == ("Creating", op.resource_id)


async def test_delete_cluster_waits_for_404_and_removes_pools(
    async_client: AsyncClient, emulator: Emulator
) -> None:
    pool_ids = [k for k, p in emulator.pools.items() if p["kaas_id"] == SEEDED]
    assert len(pool_ids) == 12
    seen: list[str] = []
    op = await async_client.cloud.kubernetes.delete(**SCOPE, kaas_id=SEEDED)
    assert op.resource_id == SEEDED
    assert await op.wait(on_status=lambda change: seen.append(change.status)) is None
    assert seen == ["Deleting", "gone"]
    assert SEEDED not in emulator.clusters
    assert not any(p in emulator.pools for p in pool_ids)
    with pytest.raises(NotFoundError):
        await async_client.cloud.kubernetes.get(**SCOPE, kaas_id=SEEDED)


async def test_apiserver_parameters(async_client: AsyncClient, emulator: Emulator) -> None:
    apiserver = async_client.cloud.kubernetes.apiserver
    current = await apiserver.get(**SCOPE, kaas_id=SEEDED)
    assert isinstance(current, KaasApiserver)
    assert (current.oidc_issuer_url, current.oidc_signing_algs) == (
        "https://login.example.com",
        ["RS256"],
    )
    answer = await apiserver.update(
        **SCOPE,
        kaas_id=SEEDED,
        oidc_client_id="k8s",
        oidc_username_claim="sub",
        oidc_signing_algs=["RS256", "ES256"],
        oidc_required_claim="team=ops",
        apiserver_params={"--oidc-groups-claim": "groups"},
        oidc_ca=PEM,
        audit_policy="apiVersion: audit.k8s.io/v1\nkind: Policy\n",
        audit_webhook_config="kind: Config\n",
    )
    assert answer.data is True
    body = emulator.requests[-1].json
    assert body["apiserver_params"]["--oidc-signing-algs"] == "RS256,ES256"
    assert body["oidc_ca"] == PEM and "audit-policy" in body and "audit-webhook-config" in body
    updated = await apiserver.get(**SCOPE, kaas_id=SEEDED)
    assert (updated.oidc_client_id, updated.oidc_username_claim) == ("k8s", "sub")
    assert updated.oidc_groups_claim == "groups" and updated.oidc_required_claim == "team=ops"
    assert updated.oidc_ca == PEM and updated.audit_policy is not None
    assert PEM not in repr(updated) and "kind: Config" not in repr(updated)
    fresh = await apiserver.get(**SCOPE, kaas_id=SEEDED + 1)
    assert fresh.apiserver_params == {} and fresh.oidc_issuer_url is None


async def test_ip_filters(async_client: AsyncClient) -> None:
    filters = async_client.cloud.kubernetes.ip_filters
    assert await filters.list(**SCOPE, kaas_id=SEEDED) == ["192.0.2.0/24", "203.0.113.7/32"]
    networks = ["198.51.100.0/24", "2001:db8::/32", "192.0.2.10"]
    assert await filters.replace(**SCOPE, kaas_id=SEEDED, ip_filters=networks) is True
    assert await filters.list(**SCOPE, kaas_id=SEEDED) == networks
    assert await filters.clear(**SCOPE, kaas_id=SEEDED) is True
    assert await filters.list(**SCOPE, kaas_id=SEEDED) == []


async def test_bad_input_fails_before_sending(
    async_client: AsyncClient, emulator: Emulator
) -> None:
    k8s = async_client.cloud.kubernetes
    with pytest.raises(ValueError, match=r"ip_filters\[1\].*'10.0.0.0/33'"):
        await k8s.ip_filters.replace(
            **SCOPE, kaas_id=SEEDED, ip_filters=["10.0.0.0/8", "10.0.0.0/33"]
        )
    with pytest.raises(TypeError, match="ip_filters"):
        await k8s.ip_filters.replace(**SCOPE, kaas_id=SEEDED, ip_filters="10.0.0.0/8")
    with pytest.raises(ValueError, match="kaas_id"):
        await k8s.get(**SCOPE, kaas_id=0)
    with pytest.raises(TypeError, match="public_cloud_project_id"):
        await k8s.get(public_cloud_id=CLOUD, public_cloud_project_id="1", kaas_id=1)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="instance_pool_id"):
        await k8s.pools.get(**SCOPE, kaas_id=SEEDED, instance_pool_id=-3)
    with pytest.raises(ValueError, match="name"):
        await k8s.create(
            **SCOPE, name="x" * 41, region="dc4-a", kubernetes_version="1.35", kaas_pack_id=2
        )
    with pytest.raises(ValueError, match="name"):
        await k8s.pools.create(
            **SCOPE, kaas_id=SEEDED, name="", flavor="a1-ram2-disk20-perf1", minimum_instances=1
        )
    with pytest.raises(ValueError, match=r"minimum_instances .* maximum_instances"):
        await k8s.pools.create(
            **SCOPE,
            kaas_id=SEEDED,
            name="p",
            flavor="a1-ram2-disk20-perf1",
            minimum_instances=4,
            maximum_instances=2,
        )
    with pytest.raises(ValueError, match=r"minimum_instances .* maximum_instances"):
        await k8s.pools.update(
            **SCOPE, kaas_id=SEEDED, instance_pool_id=1, minimum_instances=5, maximum_instances=3
        )
    with pytest.raises(ValueError, match="prefix"):
        await k8s.pools.create(
            **SCOPE,
            kaas_id=SEEDED,
            name="p",
            flavor="a1-ram2-disk20-perf1",
            minimum_instances=1,
            prefix="Bad_Prefix",
        )
    with pytest.raises(ValueError, match="at least one"):
        await k8s.update(**SCOPE, kaas_id=SEEDED)
    with pytest.raises(ValueError, match="at least one"):
        await k8s.pools.update(**SCOPE, kaas_id=SEEDED, instance_pool_id=1)
    with pytest.raises(ValueError, match="at least one"):
        await k8s.apiserver.update(**SCOPE, kaas_id=SEEDED)
    with pytest.raises(ValueError, match="oidc_signing_algs"):
        await k8s.apiserver.update(**SCOPE, kaas_id=SEEDED, oidc_signing_algs="HS256")
    with pytest.raises(TypeError, match="packs"):
        await k8s.list(account_id=42, packs=["shared"])  # type: ignore[list-item]
    with pytest.raises(TypeError, match="region"):
        await k8s.availability_zones(region=None)  # type: ignore[arg-type]
    assert emulator.requests == []


async def test_api_refusals_surface_as_errors(
    async_client: AsyncClient, emulator: Emulator
) -> None:
    k8s = async_client.cloud.kubernetes
    with pytest.raises(ValidationError) as caught:
        await k8s.create(
            **SCOPE, name="bad", region="dc9-z", kubernetes_version="1.35", kaas_pack_id=2
        )
    assert "region" in caught.value.fields
    await (
        await k8s.create(
            **SCOPE, name="shared", region="dc4-a", kubernetes_version="1.35", kaas_pack_id=1
        )
    ).wait()
    with pytest.raises(APIError) as limit:
        await k8s.create(
            **SCOPE, name="shared-2", region="dc4-a", kubernetes_version="1.35", kaas_pack_id=1
        )
    assert (limit.value.status, limit.value.code) == (400, "kaas_pack_limit_reached")
    with pytest.raises(ValidationError) as zone:
        await k8s.pools.create(
            **SCOPE,
            kaas_id=SEEDED,
            name="p",
            flavor="a1-ram2-disk20-perf1",
            minimum_instances=1,
            availability_zone="dc3-a-04",  # a zone of the other region
        )
    assert "availability_zone" in zone.value.fields
    with pytest.raises(NotFoundError):
        await k8s.kubeconfig(**SCOPE, kaas_id=999_999)


async def test_kubeconfig_is_a_secret(
    async_client: AsyncClient,
    emulator: Emulator,
    caplog: pytest.LogCaptureFixture,
    tmp_path: Path,
) -> None:
    caplog.set_level(logging.DEBUG, logger="infomaniak")
    k8s = async_client.cloud.kubernetes
    text = await k8s.kubeconfig(**SCOPE, kaas_id=SEEDED)
    name = emulator.clusters[SEEDED]["open_stack_name"]
    assert text.startswith("apiVersion: v1") and f"current-context: {name}" in text
    token = text.rsplit("token: ", 1)[1].strip()
    assert token and token not in caplog.text
    target = tmp_path / "kubeconfig"
    written = await k8s.kubeconfig(**SCOPE, kaas_id=SEEDED, path=target)
    assert written == str(target)
    assert target.read_text(encoding="utf-8") == text
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    existing = tmp_path / "existing"
    existing.write_text("old and longer than nothing " * 100, encoding="utf-8")
    existing.chmod(0o644)
    await k8s.kubeconfig(**SCOPE, kaas_id=SEEDED, path=str(existing))
    assert stat.S_IMODE(os.stat(existing).st_mode) == 0o600
    assert existing.read_text(encoding="utf-8") == text
    assert token not in caplog.text
    with pytest.raises(OSError) as caught:
        await k8s.kubeconfig(**SCOPE, kaas_id=SEEDED, path=tmp_path / "missing" / "dir")
    assert token not in str(caught.value)
