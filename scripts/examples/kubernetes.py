#!/usr/bin/env python3
"""Managed Kubernetes: create a cluster and a pool, fetch the kubeconfig, restrict
the API server, list the account's clusters, delete the cluster; blocking, then async.

    python scripts/examples/kubernetes.py     # against an embedded emulator

With ``INFOMANIAK_API_TOKEN`` set it runs against the real API instead, in the
project given by ``INFOMANIAK_PUBLIC_CLOUD_ID``, ``INFOMANIAK_PROJECT_ID`` and
``INFOMANIAK_ACCOUNT_ID``: it creates (then deletes) a billed cluster.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
from collections.abc import Iterator

from infomaniak import AsyncClient, Client


def sync_example(public_cloud_id: int, project_id: int, account_id: int) -> None:
    client = Client()
    k8s = client.cloud.kubernetes
    versions: list[str] = k8s.versions()
    packs = k8s.packs()  # list[KubernetesServicePack]
    op = k8s.create(
        public_cloud_id=public_cloud_id,
        public_cloud_project_id=project_id,
        name="prod",
        region="dc4-a",
        kubernetes_version=versions[-1],
        kaas_pack_id=packs[0].kaas_pack_id,
    )
    cluster = op.wait()  # polls until status "Active"
    print("cluster", cluster.name, cluster.status, cluster.kubernetes_version)
    pool = k8s.pools.create(
        public_cloud_id=public_cloud_id,
        public_cloud_project_id=project_id,
        kaas_id=cluster.kaas_id,
        name="workers",
        flavor="a2-ram4-disk20-perf1",
        minimum_instances=3,
        availability_zone="az-1",
    ).wait()  # Active, all instances up
    print(pool.name, pool.status, pool.available_instances)  # workers Active 3
    kubeconfig: str = k8s.kubeconfig(
        public_cloud_id=public_cloud_id, public_cloud_project_id=project_id, kaas_id=cluster.kaas_id
    )
    print("kubeconfig:", len(kubeconfig.splitlines()), "lines (not printed: it is a credential)")
    k8s.ip_filters.replace(
        public_cloud_id=public_cloud_id,
        public_cloud_project_id=project_id,
        kaas_id=cluster.kaas_id,
        ip_filters=["203.0.113.0/24"],
    )
    for c in k8s.list(account_id=account_id):  # every cluster of the account
        print(c.name, c.status, c.region)
    k8s.delete(
        public_cloud_id=public_cloud_id, public_cloud_project_id=project_id, kaas_id=cluster.kaas_id
    ).wait()
    print("deleted cluster", cluster.kaas_id)
    client.close()


async def async_example(public_cloud_id: int, project_id: int, account_id: int) -> None:
    async with AsyncClient() as client:
        k8s = client.cloud.kubernetes
        versions = await k8s.versions()
        packs = await k8s.packs()
        op = await k8s.create(
            public_cloud_id=public_cloud_id,
            public_cloud_project_id=project_id,
            name="prod-async",
            region="dc4-a",
            kubernetes_version=versions[-1],
            kaas_pack_id=packs[0].kaas_pack_id,
        )
        cluster = await op.wait()
        print("cluster", cluster.name, cluster.status, cluster.kubernetes_version)
        pool = await (
            await k8s.pools.create(
                public_cloud_id=public_cloud_id,
                public_cloud_project_id=project_id,
                kaas_id=cluster.kaas_id,
                name="workers",
                flavor="a2-ram4-disk20-perf1",
                minimum_instances=3,
                availability_zone="az-1",
            )
        ).wait()
        print(pool.name, pool.status, pool.available_instances)
        kubeconfig = await k8s.kubeconfig(
            public_cloud_id=public_cloud_id,
            public_cloud_project_id=project_id,
            kaas_id=cluster.kaas_id,
        )
        print("kubeconfig:", len(kubeconfig.splitlines()), "lines")
        await k8s.ip_filters.replace(
            public_cloud_id=public_cloud_id,
            public_cloud_project_id=project_id,
            kaas_id=cluster.kaas_id,
            ip_filters=["203.0.113.0/24"],
        )
        async for c in await k8s.list(account_id=account_id):
            print(c.name, c.status, c.region)
        await (
            await k8s.delete(
                public_cloud_id=public_cloud_id,
                public_cloud_project_id=project_id,
                kaas_id=cluster.kaas_id,
            )
        ).wait()
        print("deleted cluster", cluster.kaas_id)


@contextlib.contextmanager
def _target() -> Iterator[tuple[int, int, int]]:
    """(public_cloud_id, project id, account_id); an emulator unless a token is set."""
    if os.environ.get("INFOMANIAK_API_TOKEN"):
        try:
            yield (
                int(os.environ["INFOMANIAK_PUBLIC_CLOUD_ID"]),
                int(os.environ["INFOMANIAK_PROJECT_ID"]),
                int(os.environ["INFOMANIAK_ACCOUNT_ID"]),
            )
        except KeyError as missing:
            sys.exit(f"set {missing.args[0]} to run against the real API")
        return
    from infomaniak.testing import Emulator

    emulator = Emulator(validate_responses=False)
    # Seconds instead of minutes: a cluster comes up in 0.3 s, a pool in 0.2 s.
    emulator.kaas_duration = 0.3
    emulator.pool_duration = 0.2
    with emulator.in_thread():
        os.environ["INFOMANIAK_API_TOKEN"] = emulator.token
        os.environ["INFOMANIAK_BASE_URL"] = emulator.url
        print(f"# emulator at {emulator.url} (set INFOMANIAK_API_TOKEN to use the real API)")
        try:
            # The emulator's seed: cloud 1332, its project 25454, account 42.
            yield 1332, 25454, 42
        finally:
            del os.environ["INFOMANIAK_API_TOKEN"], os.environ["INFOMANIAK_BASE_URL"]


def main() -> None:
    with _target() as (public_cloud_id, project_id, account_id):
        print("## blocking Client")
        sync_example(public_cloud_id, project_id, account_id)
        print("## AsyncClient")
        asyncio.run(async_example(public_cloud_id, project_id, account_id))


if __name__ == "__main__":
    main()
