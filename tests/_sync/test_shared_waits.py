# Generated from tests/_async/test_shared_waits.py by scripts/unasync.py.
# Do not edit: change the async source and run `python scripts/unasync.py`.
"""Concurrent waits of one client share their polls: one list request per
interval for resources of the same kind and scope, each wait keeping its own
resource, failure, deadline (issue 21, point 1).

The emulator runs its real timing profile scaled down (a cluster takes 0.6 s,
a database 0.48 s) and the client polls every 0.05 s, so that a wait takes
about a dozen polls."""

from __future__ import annotations

import time
from collections.abc import Iterator, Generator
from typing import Any

import pytest

from infomaniak import Client
from infomaniak.errors import OperationFailedError, WaitTimeoutError
from infomaniak.models.cloud import DatabaseService, KubernetesService
from infomaniak.testing import Emulator, Fault
from tests.together import sync_together

CLOUD = 1332
PROJECTS = [25455, 25456, 25457]
INTERVAL = 0.05
CLUSTER_SECONDS = 0.6


@pytest.fixture
def slow_emulator() -> Generator[Emulator, None, None]:
    emulator = Emulator(timings="real", time_scale=0.002)
    with emulator.in_thread():
        yield emulator
    assert emulator.schema_errors == []


@pytest.fixture
def waiting_client(slow_emulator: Emulator) -> Iterator[Client]:
    with Client(
        slow_emulator.token,
        base_url=slow_emulator.url,
        rate_limit=None,
        poll_interval=INTERVAL,
        poll_interval_max=INTERVAL,
        backoff_initial=0.001,
        backoff_max=0.005,
    ) as client:
        yield client


def _kaas_root(project: int) -> str:
    return f"/1/public_clouds/{CLOUD}/projects/{project}/kaas"


def _gets(emulator: Emulator, path: str) -> int:
    return sum(1 for r in emulator.requests if r.method == "GET" and r.path == path)


def _create_clusters(client: Client, project: int, count: int) -> list[Any]:
    return [
        client.cloud.kubernetes.create(
            public_cloud_id=CLOUD,
            public_cloud_project_id=project,
            name=f"shared-{project}-{i}",
            region="dc4-a",
            kubernetes_version="1.34",
            kaas_pack_id=2,
        )
        for i in range(count)
    ]


def test_concurrent_waits_share_one_list_request_per_interval(
    waiting_client: Client, slow_emulator: Emulator
) -> None:
    ops = _create_clusters(waiting_client, PROJECTS[0], 5)
    slow_emulator.clear_requests()
    started = time.monotonic()
    results = sync_together(*(op.wait for op in ops))
    elapsed = time.monotonic() - started
    # Each wait ends with its own cluster, ready.
    for op, cluster in zip(ops, results, strict=True):
        assert isinstance(cluster, KubernetesService), cluster
        assert (cluster.kaas_id, str(cluster.status)) == (op.resource_id, "Active")
    lists = _gets(slow_emulator, _kaas_root(PROJECTS[0]))
    by_id = sum(_gets(slow_emulator, f"{_kaas_root(PROJECTS[0])}/{op.resource_id}") for op in ops)
    # About one list per interval; alone, each wait would have sent its own GET
    # each interval (5 x ~12). A wait may look alone at its first poll only.
    intervals = elapsed / INTERVAL
    assert 1 <= lists <= intervals + 2, (lists, intervals)
    assert by_id <= len(ops)
    assert lists + by_id < 2 * intervals
    assert elapsed < 3 * CLUSTER_SECONDS


def test_a_single_wait_polls_its_own_resource_as_before(
    waiting_client: Client, slow_emulator: Emulator
) -> None:
    (op,) = _create_clusters(waiting_client, PROJECTS[0], 1)
    slow_emulator.clear_requests()
    cluster = op.wait()
    assert cluster.kaas_id == op.resource_id
    assert _gets(slow_emulator, _kaas_root(PROJECTS[0])) == 0
    assert _gets(slow_emulator, f"{_kaas_root(PROJECTS[0])}/{op.resource_id}") >= 5


def test_shared_false_polls_each_resource_alone(
    waiting_client: Client, slow_emulator: Emulator
) -> None:
    ops = _create_clusters(waiting_client, PROJECTS[0], 3)
    slow_emulator.clear_requests()
    results = sync_together(*(lambda op=op: op.wait(shared=False) for op in ops))
    assert [c.kaas_id for c in results] == [op.resource_id for op in ops]
    assert _gets(slow_emulator, _kaas_root(PROJECTS[0])) == 0
    for op in ops:
        assert _gets(slow_emulator, f"{_kaas_root(PROJECTS[0])}/{op.resource_id}") >= 5


def test_waits_in_several_projects_share_the_account_list_of_their_cloud(
    waiting_client: Client, slow_emulator: Emulator
) -> None:
    ops = [(_create_clusters(waiting_client, project, 1))[0] for project in PROJECTS]
    db_ops = [
        waiting_client.cloud.database.create(
            public_cloud_id=CLOUD,
            public_cloud_project_id=project,
            name=f"shared-db-{project}",
            type="mysql",
            version="8.0.42",
            region="dc4-a",
            pack_id=1,
        )
        for project in PROJECTS
    ]
    slow_emulator.clear_requests()
    results = sync_together(*(op.wait for op in [*ops, *db_ops]))
    for op, done in zip([*ops, *db_ops], results, strict=True):
        assert isinstance(done, (KubernetesService, DatabaseService)), done
        assert (done.kaas_id if isinstance(done, KubernetesService) else done.id) == (
            op.resource_id
        )
    # The owner of the cloud is asked once; then one account-wide list per
    # interval for the clusters of the three projects, one for the databases.
    assert _gets(slow_emulator, f"/1/public_clouds/{CLOUD}") == 1
    wide_kaas = _gets(slow_emulator, "/1/public_clouds/kaas")
    wide_dbaas = _gets(slow_emulator, "/1/public_clouds/dbaas")
    assert wide_kaas >= 3 and wide_dbaas >= 3
    for project in PROJECTS:
        assert _gets(slow_emulator, _kaas_root(project)) == 0
    listed = [r for r in slow_emulator.requests if r.path == "/1/public_clouds/kaas"]
    assert all(("public_cloud_id", str(CLOUD)) in r.query for r in listed)
    polls = sum(1 for r in slow_emulator.requests if r.method == "GET")
    assert polls < 2 * (wide_kaas + wide_dbaas) + len(results) + 1


def test_failure_of_one_resource_fails_only_its_wait(
    waiting_client: Client, slow_emulator: Emulator
) -> None:
    slow_emulator.fail_next_kaas()
    ops = _create_clusters(waiting_client, PROJECTS[1], 3)
    slow_emulator.clear_requests()
    results = sync_together(*(op.wait for op in ops))
    assert _gets(slow_emulator, _kaas_root(PROJECTS[1])) >= 3
    assert isinstance(results[0], OperationFailedError)
    assert (results[0].resource_id, results[0].status) == (ops[0].resource_id, "Failed")
    assert [c.kaas_id for c in results[1:]] == [op.resource_id for op in ops[1:]]


def test_a_resource_gone_from_the_list_is_looked_up_by_id_once(
    waiting_client: Client, slow_emulator: Emulator
) -> None:
    (doomed,) = _create_clusters(waiting_client, PROJECTS[2], 1)
    doomed.wait()
    growing = _create_clusters(waiting_client, PROJECTS[2], 2)
    deletion = waiting_client.cloud.kubernetes.delete(
        public_cloud_id=CLOUD, public_cloud_project_id=PROJECTS[2], kaas_id=doomed.resource_id
    )
    slow_emulator.clear_requests()
    results = sync_together(deletion.wait, *(op.wait for op in growing))
    assert results[0] is None
    assert [c.kaas_id for c in results[1:]] == [op.resource_id for op in growing]
    # Seen "Deleting" in the shared lists, then missing from one: one GET by
    # id (a 404) says it is gone. A thread may have looked alone at first.
    assert _gets(slow_emulator, _kaas_root(PROJECTS[2])) >= 3
    assert 1 <= _gets(slow_emulator, f"{_kaas_root(PROJECTS[2])}/{doomed.resource_id}") <= 2


def test_each_wait_keeps_its_own_deadline(
    waiting_client: Client, slow_emulator: Emulator
) -> None:
    ops = _create_clusters(waiting_client, PROJECTS[0], 2)
    started = time.monotonic()

    def short() -> float:
        try:
            ops[0].wait(timeout=0.2)
        except WaitTimeoutError as exc:
            assert "gave up after 0.2 s (timeout 0.2 s)" in str(exc)
            return time.monotonic() - started
        raise AssertionError("the short wait did not time out")

    def long() -> float:
        cluster = ops[1].wait()
        assert cluster.kaas_id == ops[1].resource_id
        return time.monotonic() - started

    short_took, long_took = sync_together(short, long)
    # The short wait ended at its own deadline, not with its companion.
    assert 0.19 <= short_took < long_took - 0.1, (short_took, long_took)


def test_a_list_route_the_api_refuses_is_not_tried_again(
    waiting_client: Client, slow_emulator: Emulator
) -> None:
    ops = _create_clusters(waiting_client, PROJECTS[1], 3)
    slow_emulator.inject(Fault(status=400), path=_kaas_root(PROJECTS[1]))
    slow_emulator.clear_requests()
    results = sync_together(*(op.wait for op in ops))
    # Every wait still ends with its cluster: after the refused list each
    # GETs its own, as without sharing.
    assert [c.kaas_id for c in results] == [op.resource_id for op in ops]
    assert _gets(slow_emulator, _kaas_root(PROJECTS[1])) == 1
    for op in ops:
        assert _gets(slow_emulator, f"{_kaas_root(PROJECTS[1])}/{op.resource_id}") >= 5


def test_project_creations_share_the_task_list_then_the_project_list(
    waiting_client: Client, slow_emulator: Emulator
) -> None:
    ops = [
        waiting_client.cloud.projects.create(
            public_cloud_id=CLOUD, project_name=f"shared-{i}", user_password="S3cure-Passw0rd!"
        )
        for i in range(3)
    ]
    slow_emulator.clear_requests()
    results = sync_together(*(op.wait for op in ops))
    assert [p.public_cloud_project_id for p in results] == [op.resource_id for op in ops]
    assert _gets(slow_emulator, "/1/async/tasks") >= 1
    assert _gets(slow_emulator, f"/1/public_clouds/{CLOUD}/projects") >= 1
    by_id = sum(
        _gets(slow_emulator, path)
        for op in ops
        for path in (
            f"/1/async/tasks/{op.task_uuid}",
            f"/1/public_clouds/{CLOUD}/projects/{op.resource_id}",
        )
    )
    # Only a look that came alone (a thread that started late) is by id.
    assert by_id <= 2 * len(ops)
    lists = _gets(slow_emulator, "/1/async/tasks") + _gets(
        slow_emulator, f"/1/public_clouds/{CLOUD}/projects"
    )
    assert by_id < lists


def test_pools_of_a_cluster_and_backups_of_a_service_share_their_lists(
    waiting_client: Client, slow_emulator: Emulator
) -> None:
    scope = {"public_cloud_id": CLOUD, "public_cloud_project_id": PROJECTS[0]}
    service = (
        waiting_client.cloud.database.create(
            **scope, name="backed-up", type="mysql", version="8.0.42", region="dc4-a", pack_id=1
        )
    ).wait()
    (cluster_op,) = _create_clusters(waiting_client, PROJECTS[0], 1)
    cluster = cluster_op.wait()
    pool_ops = [
        waiting_client.cloud.kubernetes.pools.create(
            **scope,
            kaas_id=cluster.kaas_id,
            name=f"workers-{i}",
            flavor="a2-ram4-disk20-perf1",
            minimum_instances=2,
            availability_zone="az-1",
        )
        for i in range(3)
    ]
    backup_ops = [
        waiting_client.cloud.database.backups.create(**scope, dbaas_id=service.id)
        for _ in range(3)
    ]
    slow_emulator.clear_requests()
    results = sync_together(*(op.wait for op in [*pool_ops, *backup_ops]))
    assert [p.instance_pool_id for p in results[:3]] == [op.resource_id for op in pool_ops]
    assert all(p.available_instances == 2 for p in results[:3])
    assert [b.id for b in results[3:]] == [op.resource_id for op in backup_ops]
    assert all(str(b.status) == "Succeeded" for b in results[3:])
    pools_path = f"{_kaas_root(PROJECTS[0])}/{cluster.kaas_id}/instance_pools"
    backups_path = f"/1/public_clouds/{CLOUD}/projects/{PROJECTS[0]}/dbaas/{service.id}/backups"
    assert _gets(slow_emulator, pools_path) >= 2
    assert _gets(slow_emulator, backups_path) >= 2
    by_id = sum(_gets(slow_emulator, f"{pools_path}/{op.resource_id}") for op in pool_ops) + sum(
        _gets(slow_emulator, f"{backups_path}/{op.resource_id}") for op in backup_ops
    )
    assert by_id <= len(results)
