#!/usr/bin/env python3
"""Managed databases (DBaaS): the example of the SDK's README, blocking and async.

    python scripts/examples/database.py      # against an embedded emulator

With ``INFOMANIAK_API_TOKEN`` set it runs against the real API instead, in
the project given by ``INFOMANIAK_PUBLIC_CLOUD_ID`` and
``INFOMANIAK_PUBLIC_CLOUD_PROJECT_ID`` (and ``INFOMANIAK_ACCOUNT_ID`` for the
account-wide list): it then creates, backs up, restores and deletes real
database services, which Infomaniak bills while they exist.

Passwords are never printed: only their length.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
from collections.abc import Iterator

from infomaniak import AsyncClient, Client

# The emulator's seed data: the spec examples' ids (Public Cloud 1332, project
# 25454 "MyProject", account 42).
EMULATOR_TARGET = (42, 1332, 25454)


def sync_example(account_id: int, public_cloud_id: int, public_cloud_project_id: int) -> None:
    client = Client()
    db = client.cloud.database
    mysql = next(t for t in db.types() if t.name == "mysql")  # DatabaseServiceType
    pack = db.packs(type="mysql", search="essential")[0]  # DatabaseServicePack
    op = db.create(
        public_cloud_id=public_cloud_id,
        public_cloud_project_id=public_cloud_project_id,
        name="orders",
        type="mysql",
        version=mysql.versions[-1],
        region="dc4-a",
        pack_id=pack.id,
    )
    root_password = op.admin_password  # returned once, at creation; never in a repr
    print("accepted:", op)
    print("admin password:", len(root_password or ""), "characters (not printed)")
    service = op.wait()  # polls until status "ready"
    print("service:", service.id, service.name, service.status)
    ids = dict(
        public_cloud_id=public_cloud_id,
        public_cloud_project_id=public_cloud_project_id,
        dbaas_id=service.id,
    )
    db.ip_filters.replace(**ids, ip_filters=["198.51.100.7/32"])
    db.configuration.replace(
        **ids, values={"max_connections": 200, "sql_mode": "STRICT_ALL_TABLES"}
    )
    print("configuration:", db.configuration.get(**ids))
    db.backup_schedules.create(**ids, scheduled_at="03:30", retention=14, is_pitr_enabled=True)
    backup = db.backups.create(**ids).wait()  # Starting -> Running -> Succeeded
    print("backup:", backup.id, backup.status)
    restore_op = db.restores.create(**ids, backup_id=backup.id, new_service={"name": "orders-copy"})
    restore = restore_op.wait()  # the restore, then the new service, ready
    print("restore:", restore.id, restore.status, "-> new service", restore_op.new_service_id)
    conn = db.reset_password(**ids)  # DatabaseServiceConnection
    print("connection:", conn.host, conn.port, conn.user)
    print("repr:", repr(conn))  # no password in it
    for s in db.list(account_id=account_id):  # every database of the account
        print(" ", s.name, s.status, s.version)
    db.delete(**ids, keep_backup_files=True).wait()
    if restore_op.new_service_id is not None:
        db.delete(**{**ids, "dbaas_id": restore_op.new_service_id}).wait()
    print("deleted:", service.id, restore_op.new_service_id)
    client.close()


async def async_example(
    account_id: int, public_cloud_id: int, public_cloud_project_id: int
) -> None:
    async with AsyncClient() as client:
        db = client.cloud.database
        mysql = next(t for t in await db.types() if t.name == "mysql")
        pack = (await db.packs(type="mysql", search="essential"))[0]
        op = await db.create(
            public_cloud_id=public_cloud_id,
            public_cloud_project_id=public_cloud_project_id,
            name="orders-async",
            type="mysql",
            version=mysql.versions[-1],
            region="dc4-a",
            pack_id=pack.id,
        )
        service = await op.wait()
        print("service:", service.id, service.name, service.status)
        ids = dict(
            public_cloud_id=public_cloud_id,
            public_cloud_project_id=public_cloud_project_id,
            dbaas_id=service.id,
        )
        backup = await (await db.backups.create(**ids)).wait()
        print("backup:", backup.id, backup.status)
        restore = await (await db.restores.create(**ids, backup_id=backup.id)).wait()
        print("restore:", restore.id, restore.status)
        conn = await db.reset_password(**ids)
        print("connection:", conn.host, conn.port, conn.user)
        names = [s.name async for s in await db.list(account_id=account_id)]
        print("databases in the account:", len(names))
        await (await db.delete(**ids)).wait()
        print("deleted:", service.id)


@contextlib.contextmanager
def _target() -> Iterator[tuple[int, int, int]]:
    """(account_id, public_cloud_id, public_cloud_project_id); starts the emulator
    unless a token for the real API is set."""
    if os.environ.get("INFOMANIAK_API_TOKEN"):
        try:
            yield (
                int(os.environ["INFOMANIAK_ACCOUNT_ID"]),
                int(os.environ["INFOMANIAK_PUBLIC_CLOUD_ID"]),
                int(os.environ["INFOMANIAK_PUBLIC_CLOUD_PROJECT_ID"]),
            )
        except KeyError as missing:
            sys.exit(f"set {missing} to run against the real API")
        return
    from infomaniak.testing import Emulator

    emulator = Emulator(validate_responses=False)
    emulator.dbaas_duration = emulator.backup_duration = emulator.restore_duration = 0.2
    with emulator.in_thread():
        os.environ["INFOMANIAK_API_TOKEN"] = emulator.token
        os.environ["INFOMANIAK_BASE_URL"] = emulator.url
        print(f"# emulator at {emulator.url} (set INFOMANIAK_API_TOKEN to use the real API)")
        try:
            yield EMULATOR_TARGET
        finally:
            del os.environ["INFOMANIAK_API_TOKEN"], os.environ["INFOMANIAK_BASE_URL"]


def main() -> None:
    with _target() as target:
        print("## blocking Client")
        sync_example(*target)
        print("## AsyncClient")
        asyncio.run(async_example(*target))


if __name__ == "__main__":
    main()
