#!/usr/bin/env python3
"""Quickstart: the SDK's main calls, blocking and async.

    python scripts/quickstart.py            # against the embedded emulator
    INFOMANIAK_API_TOKEN=... INFOMANIAK_ACCOUNT_ID=... python scripts/quickstart.py
                                            # against the real API (read-only)
    ... python scripts/quickstart.py --write  # real API, also update/create/delete

Against the emulator everything runs, writes included: Public Clouds, projects
and users, then a Kubernetes cluster with a pool (scripts/examples/kubernetes.py)
and a managed MySQL database with its backups and a restore
(scripts/examples/database.py). Against the real API only reads run unless
``--write`` is given: writes rename your Public Cloud and create (then delete)
a project that Infomaniak bills while it exists; the cluster and database
parts also need ``INFOMANIAK_PROJECT_ID`` (they are billed too).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from infomaniak import AsyncClient, Client
from infomaniak.models.cloud import PublicCloud, PublicCloudBoolResponse, PublicCloudConfig
from infomaniak.utils import AsyncPList, plist


def sync_example(account_id: int, public_cloud_id: int | None, write: bool) -> None:
    client = Client()
    clouds: plist[PublicCloud] = client.cloud.list(account_id=account_id)
    print(clouds.page, clouds.pages, clouds.items)  # this page, page count, items across all pages
    first = clouds[0]  # indexing and len() are this page
    for cloud in clouds:  # every cloud of this and all later pages
        print(cloud.id, cloud.customer_name, [t.name for t in cloud.tags])
    cloud = client.cloud.get(public_cloud_id=first.id)
    if write:
        updated: PublicCloudBoolResponse = client.cloud.update(
            public_cloud_id=cloud.id, customer_name="Prod", description="EU workloads"
        )
        print(updated.result, updated.data)  # "success" True
    config: PublicCloudConfig = client.cloud.config.get(account_id=account_id)
    print("config:", config)

    cloud_id = public_cloud_id or first.id
    if write:
        op = client.cloud.projects.create(
            public_cloud_id=cloud_id, project_name="staging", user_password="S3cure-Passw0rd!"
        )
        print("accepted:", op)
        project = op.wait()  # polls the task, then the project, until it is ready
        print(project.public_cloud_project_id, project.name, project.status)
    for p in client.cloud.projects.list(public_cloud_id=cloud_id):  # all pages, lazily
        print(p.name, p.status)
    if write:
        user = client.cloud.projects.users.create(
            public_cloud_id=cloud_id,
            public_cloud_project_id=project.public_cloud_project_id,
            password="An0ther-Passw0rd!",
            description="ci",
        ).wait()
        openrc: str = client.cloud.projects.users.openrc(
            public_cloud_id=cloud_id,
            public_cloud_project_id=project.public_cloud_project_id,
            public_cloud_user_id=user.public_cloud_user_id,
        )
        print("openrc:", len(openrc.splitlines()), "lines (not printed: it is a credential)")
        client.cloud.projects.delete(
            public_cloud_id=cloud_id, public_cloud_project_id=project.public_cloud_project_id
        ).wait()
        print("deleted project", project.public_cloud_project_id)
    client.close()


async def async_example(account_id: int, public_cloud_id: int | None, write: bool) -> None:
    async with AsyncClient() as client:
        clouds: AsyncPList[PublicCloud] = await client.cloud.list(account_id=account_id)
        print(clouds.page, clouds.pages, clouds.items)
        names = [cloud.customer_name async for cloud in clouds]
        print(len(names), "clouds, first:", names[0])
        cloud = await client.cloud.get(public_cloud_id=clouds[0].id)
        if write:
            updated = await client.cloud.update(
                public_cloud_id=cloud.id, customer_name="Prod", description="EU workloads"
            )
            print(updated.result, updated.data)
        config = await client.cloud.config.get(account_id=account_id)
        print("free tier used:", config.free_tier_used, "of", config.free_tier)
        cloud_id = public_cloud_id or cloud.id
        if write:
            op = await client.cloud.projects.create(
                public_cloud_id=cloud_id,
                project_name="staging-async",
                user_password="S3cure-Passw0rd!",
            )
            project = await op.wait()
            print(project.public_cloud_project_id, project.name, project.status)
            await (
                await client.cloud.projects.delete(
                    public_cloud_id=cloud_id,
                    public_cloud_project_id=project.public_cloud_project_id,
                )
            ).wait()
            print("deleted project", project.public_cloud_project_id)


@contextlib.contextmanager
def _target(real: bool) -> Iterator[tuple[int, int | None, int | None]]:
    """(account_id, public_cloud_id, project id) to use; starts the emulator unless real."""
    if real:
        account = os.environ.get("INFOMANIAK_ACCOUNT_ID")
        if not account:
            sys.exit("set INFOMANIAK_ACCOUNT_ID to your account id to run against the real API")
        cloud = os.environ.get("INFOMANIAK_PUBLIC_CLOUD_ID")
        project = os.environ.get("INFOMANIAK_PROJECT_ID")
        yield int(account), int(cloud) if cloud else None, int(project) if project else None
        return
    from infomaniak.testing import Emulator

    # Schema validation of its answers is for tests; the quickstart only needs the API.
    emulator = Emulator(task_duration=0.2, provision_duration=0.2, validate_responses=False)
    # Tenths of seconds instead of minutes for clusters, pools, databases, backups.
    emulator.kaas_duration = emulator.pool_duration = 0.3
    emulator.dbaas_duration = emulator.backup_duration = emulator.restore_duration = 0.2
    with emulator.in_thread():
        os.environ["INFOMANIAK_API_TOKEN"] = emulator.token
        os.environ["INFOMANIAK_BASE_URL"] = emulator.url
        print(f"# emulator at {emulator.url} (set INFOMANIAK_API_TOKEN to use the real API)")
        try:
            yield 42, 1332, 25454
        finally:
            del os.environ["INFOMANIAK_API_TOKEN"], os.environ["INFOMANIAK_BASE_URL"]


def main() -> None:
    parser = argparse.ArgumentParser(description="Run the SDK quickstart.")
    parser.add_argument("--write", action="store_true", help="real API: also run the writes")
    args = parser.parse_args()
    real = bool(os.environ.get("INFOMANIAK_API_TOKEN"))
    write = args.write or not real
    with _target(real) as (account_id, public_cloud_id, project_id):
        print("## blocking Client")
        sync_example(account_id, public_cloud_id, write)
        print("## AsyncClient")
        asyncio.run(async_example(account_id, public_cloud_id, write))
        if not write or public_cloud_id is None or project_id is None:
            print("## Kubernetes and databases: skipped (they need --write,")
            print("## INFOMANIAK_PUBLIC_CLOUD_ID and INFOMANIAK_PROJECT_ID: they are billed)")
            return
        # The two areas' own examples, run as they are.
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from examples import database, kubernetes

        print("## Kubernetes: blocking Client")
        kubernetes.sync_example(public_cloud_id, project_id, account_id)
        print("## Kubernetes: AsyncClient")
        asyncio.run(kubernetes.async_example(public_cloud_id, project_id, account_id))
        print("## Databases: blocking Client")
        database.sync_example(account_id, public_cloud_id, project_id)
        print("## Databases: AsyncClient")
        asyncio.run(database.async_example(account_id, public_cloud_id, project_id))


if __name__ == "__main__":
    main()
