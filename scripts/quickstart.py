#!/usr/bin/env python3
"""Quickstart: the SDK's main calls, blocking and async.

    python scripts/quickstart.py            # against the embedded emulator
    python -m infomaniak.testing &          # or an emulator you started: export the
    export INFOMANIAK_BASE_URL=... INFOMANIAK_API_TOKEN=...  # two lines it prints, then
    python scripts/quickstart.py
    INFOMANIAK_API_TOKEN=... INFOMANIAK_ACCOUNT_ID=... python scripts/quickstart.py
                                            # against the real API (read-only)
    ... python scripts/quickstart.py --write  # real API, also update/create/delete

With ``INFOMANIAK_API_TOKEN`` and ``INFOMANIAK_BASE_URL`` pointing to an
emulator you started (``python -m infomaniak.testing``), the quickstart finds
it (a loopback address that serves the emulator's Public Cloud 1332) and its
account id, so ``INFOMANIAK_ACCOUNT_ID`` is not needed there.

Against an emulator everything runs, writes included: Public Clouds, projects
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
import ipaddress
import os
import sys
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

from infomaniak import AsyncClient, Client, errors
from infomaniak.models.cloud import PublicCloud, PublicCloudBoolResponse, PublicCloudConfig
from infomaniak.utils import AsyncPList, plist


def sync_example(account_id: int, public_cloud_id: int | None, write: bool) -> None:
    client = Client()
    clouds: plist[PublicCloud] = client.cloud.list(account_id=account_id)
    # This page, the page count, the items across all pages:
    print(f"page {clouds.page} of {clouds.pages}, {clouds.items} clouds")
    first = clouds[0]  # indexing and len() are this page
    for cloud in clouds:  # every cloud of this and all later pages
        tags = ", ".join(t.name for t in cloud.tags) or "none"
        print(f"  cloud {cloud.id}: {cloud.customer_name} (tags: {tags})")
    cloud = client.cloud.get(public_cloud_id=first.id)
    if write:
        updated: PublicCloudBoolResponse = client.cloud.update(
            public_cloud_id=cloud.id, customer_name="Prod", description="EU workloads"
        )
        print(f"update: result={updated.result}, data={updated.data}")  # success, True
    config: PublicCloudConfig = client.cloud.config.get(account_id=account_id)
    print("config:", config)

    cloud_id = public_cloud_id or first.id
    if write:
        op = client.cloud.projects.create(
            public_cloud_id=cloud_id, project_name="staging", user_password="S3cure-Passw0rd!"
        )
        print("accepted:", op)
        project = op.wait()  # polls the task, then the project, until it is ready
        print(f"project {project.public_cloud_project_id} {project.name!r}: {project.status}")
    for p in client.cloud.projects.list(public_cloud_id=cloud_id):  # all pages, lazily
        print(f"  project {p.public_cloud_project_id} {p.name!r}: {p.status}")
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
        print(f"page {clouds.page} of {clouds.pages}, {clouds.items} clouds")
        names = [cloud.customer_name async for cloud in clouds]
        print(len(names), "clouds, first:", names[0])
        cloud = await client.cloud.get(public_cloud_id=clouds[0].id)
        if write:
            updated = await client.cloud.update(
                public_cloud_id=cloud.id, customer_name="Prod", description="EU workloads"
            )
            print(f"update: result={updated.result}, data={updated.data}")
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
            print(f"project {project.public_cloud_project_id} {project.name!r}: {project.status}")
            await (
                await client.cloud.projects.delete(
                    public_cloud_id=cloud_id,
                    public_cloud_project_id=project.public_cloud_project_id,
                )
            ).wait()
            print("deleted project", project.public_cloud_project_id)


# Every emulator serves the spec examples' Public Cloud and project.
EMULATOR_CLOUD_ID, EMULATOR_PROJECT_ID = 1332, 25454


def _exported_emulator() -> int | None:
    """The account id of the emulator that INFOMANIAK_BASE_URL points to, if it is one.

    An emulator listens on a loopback address and serves Public Cloud 1332,
    which says the account it belongs to (``--account-id``, 42 by default).
    """
    url = os.environ.get("INFOMANIAK_BASE_URL")
    host = urllib.parse.urlsplit(url).hostname if url else None
    if host is None:
        return None
    try:
        if host != "localhost" and not ipaddress.ip_address(host).is_loopback:
            return None
    except ValueError:  # a name other than localhost
        return None
    with Client() as client:
        try:
            cloud = client.cloud.get(public_cloud_id=EMULATOR_CLOUD_ID)
        except errors.InfomaniakError:
            return None
    return cloud.account_id


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
            yield emulator.account_id, EMULATOR_CLOUD_ID, EMULATOR_PROJECT_ID
        finally:
            del os.environ["INFOMANIAK_API_TOKEN"], os.environ["INFOMANIAK_BASE_URL"]


def main() -> None:
    parser = argparse.ArgumentParser(description="Run the SDK quickstart.")
    parser.add_argument("--write", action="store_true", help="real API: also run the writes")
    args = parser.parse_args()
    real = bool(os.environ.get("INFOMANIAK_API_TOKEN"))
    exported = _exported_emulator() if real else None
    if exported is not None:
        # An emulator started with `python -m infomaniak.testing`: the whole tour.
        url = os.environ["INFOMANIAK_BASE_URL"]
        print(f"# emulator at {url} (account {exported}), from INFOMANIAK_BASE_URL")
        target = contextlib.nullcontext((exported, EMULATOR_CLOUD_ID, EMULATOR_PROJECT_ID))
        write = True
    else:
        target = _target(real)
        write = args.write or not real
    with target as (account_id, public_cloud_id, project_id):
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
