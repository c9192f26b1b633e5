"""Managed databases (DBaaS), end to end against the emulator."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

import pytest

from infomaniak import AsyncClient
from infomaniak.errors import (
    APIError,
    NotFoundError,
    OperationFailedError,
    ValidationError,
    WaitTimeoutError,
)
from infomaniak.models.cloud import (
    DatabaseService,
    DatabaseServiceBackup,
    DatabaseServiceBackupSchedule,
    DatabaseServiceBackupStatus,
    DatabaseServiceConnection,
    DatabaseServicePack,
    DatabaseServiceRestore,
    DatabaseServiceStatus,
    DatabaseServiceType,
)
from infomaniak.testing import Emulator, Fault

CLOUD = 1332
PROJECT = 25454
SEEDED = 7341  # "My Database Service", ready, in 1332/25454
PAUSED = 7342
IDS = {"public_cloud_id": CLOUD, "public_cloud_project_id": PROJECT}
SEED = {**IDS, "dbaas_id": SEEDED}
BASE = f"/1/public_clouds/{CLOUD}/projects/{PROJECT}/dbaas"


async def _create(client: AsyncClient, name: str = "orders") -> Any:
    return await client.cloud.database.create(
        **IDS, name=name, type="mysql", version="8.0.42", region="dc4-a", pack_id=1
    )


def _sent(emulator: Emulator) -> int:
    return len(emulator.requests)


# ---------------------------------------------------------------------------- the issue


async def test_issue_example_flow(async_client: AsyncClient, emulator: Emulator) -> None:
    db = async_client.cloud.database
    mysql = next(t for t in await db.types() if t.name == "mysql")
    assert isinstance(mysql, DatabaseServiceType)
    pack = (await db.packs(type="mysql", search="essential"))[0]
    assert isinstance(pack, DatabaseServicePack) and pack.group == "essential"
    op = await db.create(
        public_cloud_id=CLOUD,
        public_cloud_project_id=PROJECT,
        name="orders",
        type="mysql",
        version=mysql.versions[-1],
        region="dc4-a",
        pack_id=pack.id,
    )
    root_password = op.admin_password
    assert root_password and root_password not in repr(op) and root_password not in repr(op.data)
    assert op.kube_identifier and op.kube_identifier.startswith("pcdb-")
    service = await op.wait()
    assert isinstance(service, DatabaseService)
    assert service.status == DatabaseServiceStatus.READY and service.name == "orders"
    ids = dict(public_cloud_id=CLOUD, public_cloud_project_id=PROJECT, dbaas_id=service.id)
    assert await db.ip_filters.replace(**ids, ip_filters=["198.51.100.7/32"]) is True
    await db.configuration.replace(
        **ids, values={"max_connections": 200, "sql_mode": "STRICT_ALL_TABLES"}
    )
    assert (await db.configuration.get(**ids))["sql_mode"] == "STRICT_ALL_TABLES"
    schedule_id = await db.backup_schedules.create(
        **ids, scheduled_at="03:30", retention=14, is_pitr_enabled=True
    )
    seen: list[str] = []
    backup = await (await db.backups.create(**ids)).wait(
        on_status=lambda change: seen.append(change.status)
    )
    assert isinstance(backup, DatabaseServiceBackup)
    assert backup.status == DatabaseServiceBackupStatus.SUCCEEDED
    assert seen[-1] == "Succeeded" and seen[0] in ("Starting", "Running")
    restore_op = await db.restores.create(
        **ids, backup_id=backup.id, new_service={"name": "orders-copy"}
    )
    restore = await restore_op.wait()
    assert isinstance(restore, DatabaseServiceRestore) and restore.status == "Succeeded"
    assert restore_op.service is not None and restore_op.service.name == "orders-copy"
    assert restore_op.service.status == "ready"
    conn = await db.reset_password(**ids)
    assert isinstance(conn, DatabaseServiceConnection)
    assert conn.host and conn.port == "3306" and conn.user == "root"
    assert conn.password and conn.password not in repr(conn) and conn.password != root_password
    names = {s.name: s for s in await (await db.list(account_id=42)).to_list()}
    assert {"orders", "orders-copy", "My Database Service"} <= set(names)
    assert names["orders"].version == mysql.versions[-1]
    deleted = await (await db.delete(**ids, keep_backup_files=True)).wait()
    assert deleted is None
    assert service.id not in emulator.dbaas
    with pytest.raises(NotFoundError):
        await db.get(**ids)
    sent = [
        r for r in emulator.requests if r.method == "DELETE" and r.path == f"{BASE}/{service.id}"
    ]
    assert sent[0].json == {"keep_backup_files": True}
    schedules = emulator.dbaas[restore_op.new_service_id or 0]
    assert schedules["name"] == "orders-copy"
    assert schedule_id > 0


# ---------------------------------------------------------------------------- services


async def test_list_scope_rule(async_client: AsyncClient, emulator: Emulator) -> None:
    db = async_client.cloud.database
    before = _sent(emulator)
    with pytest.raises(TypeError, match="not both"):
        await db.list(account_id=42, public_cloud_id=CLOUD, public_cloud_project_id=PROJECT)
    with pytest.raises(TypeError, match="account_id"):
        await db.list()
    with pytest.raises(TypeError):
        await db.list(public_cloud_id=CLOUD)
    assert _sent(emulator) == before
    everything = await (await db.list(account_id=42)).to_list()
    assert sorted(s.id for s in everything) == sorted(emulator.dbaas)
    assert emulator.requests[-1].path == "/1/public_clouds/dbaas"
    assert ("account_id", "42") in emulator.requests[-1].query
    project = await (await db.list(**IDS)).to_list()
    assert {s.id for s in project} == {SEEDED, PAUSED}
    with pytest.raises(NotFoundError):
        await db.list(account_id=41)


async def test_list_filters_sorts_and_relations(
    async_client: AsyncClient, emulator: Emulator
) -> None:
    db = async_client.cloud.database
    paused = await (await db.list(account_id=42, statuses="paused")).to_list()
    assert [s.id for s in paused] == [PAUSED]
    assert ("filter[statuses][]", "paused") in emulator.requests[-1].query
    found = await (await db.list(**IDS, search="analytics")).to_list()
    assert [s.name for s in found] == ["analytics-replica"]
    ordered = await (await db.list(account_id=42, order_by="name", order="desc")).to_list()
    names = [s.name for s in ordered]
    assert names == sorted(names, key=str.casefold, reverse=True)
    with_connection = await (await db.list(**IDS, with_=["connection", "packs"])).to_list()
    by_id = {s.id: s for s in with_connection}
    assert by_id[SEEDED].connection is not None and by_id[SEEDED].pack is not None
    # The API sends [] while the connection is not available: it reads as None.
    assert by_id[PAUSED].connection is None
    assert await (await db.list(**IDS, type="mysql", region="dc4-a", currency="EUR")).to_list()


async def test_get_with_relations(async_client: AsyncClient) -> None:
    service = await async_client.cloud.database.get(
        **SEED,
        with_=["packs", "projects", "tags", "connection", "backups", "backup_schedules"],
        currency="CHF",
    )
    assert service.kube_identifier == "pcdb-12345"
    assert service.project is not None and service.project.id == PROJECT
    assert service.pack is not None and service.pack.rates is not None
    assert service.pack.rates.chf is not None and service.pack.rates.chf.hour_excl_tax
    assert service.tags is not None and service.backups and service.backup_schedules
    assert service.connection is not None and service.connection.port == "3306"
    assert service.connection.password is not None
    assert service.connection.password not in repr(service)
    assert service.connection.ca is not None and service.connection.ca not in repr(service)
    bare = await async_client.cloud.database.get(**SEED)
    assert bare.connection is None and bare.pack is None and bare.last_backup_at


async def test_create_failure_timeout_and_secrets(
    async_client: AsyncClient, emulator: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="infomaniak")
    emulator.fail_next_dbaas()
    op = await _create(async_client, "doomed")
    with pytest.raises(OperationFailedError) as failed:
        await op.wait()
    assert failed.value.status == "error" and failed.value.resource_id == op.resource_id
    assert op.admin_password and op.admin_password not in str(failed.value)
    emulator.dbaas_duration = 30.0
    slow = await _create(async_client, "slow")
    with pytest.raises(WaitTimeoutError) as timed_out:
        await slow.wait(timeout=0.1)
    assert timed_out.value.last_status == "initializing"
    assert slow.admin_password and slow.admin_password not in str(timed_out.value)
    assert op.admin_password not in caplog.text and slow.admin_password not in caplog.text


async def test_update_rename_and_resize(async_client: AsyncClient, emulator: Emulator) -> None:
    db = async_client.cloud.database
    renamed = await (await db.update(**SEED, name="renamed")).wait()
    assert renamed.name == "renamed" and renamed.status == "ready"
    emulator.dbaas_duration = 0.3
    op = await db.update(**SEED, pack_id=3)
    assert emulator.dbaas[SEEDED]["status"] == "initializing"
    resized = await op.wait()
    assert resized.status == "ready"
    assert (await db.get(**SEED, with_="packs")).pack.name == "business-db-16"  # type: ignore[union-attr]
    before = _sent(emulator)
    with pytest.raises(ValueError, match="at least one"):
        await db.update(**SEED)
    with pytest.raises(ValueError, match="40"):
        await db.update(**SEED, name="x" * 41)
    assert _sent(emulator) == before


async def test_delete_waits_for_404(async_client: AsyncClient, emulator: Emulator) -> None:
    emulator.dbaas_duration = 0.3
    op = await async_client.cloud.database.delete(**SEED)
    assert emulator.dbaas[SEEDED]["status"] == "stopping"
    assert await op.wait() is None
    assert SEEDED not in emulator.dbaas


async def test_reset_password_post_then_get_fallback_is_remembered(
    async_client: AsyncClient, emulator: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="infomaniak")
    db = async_client.cloud.database
    path = f"{BASE}/{SEEDED}/reset_password"
    emulator.dbaas_reset_password_methods = ("GET",)
    first = await db.reset_password(**SEED)
    second = await db.reset_password(**SEED)
    methods = [r.method for r in emulator.requests if r.path == path]
    assert methods == ["POST", "GET", "GET"]
    assert first.password != second.password
    assert first.password not in caplog.text and second.password not in caplog.text  # type: ignore[operator]


async def test_reset_password_post_is_remembered_and_other_errors_do_not_fall_back(
    async_client: AsyncClient, emulator: Emulator
) -> None:
    db = async_client.cloud.database
    path = f"{BASE}/{SEEDED}/reset_password"
    emulator.inject(Fault(status=400), method="POST", path=path)
    with pytest.raises(APIError) as bad:
        await db.reset_password(**SEED)
    assert bad.value.status == 400
    await db.reset_password(**SEED)
    await db.reset_password(**SEED)
    assert [r.method for r in emulator.requests if r.path == path] == ["POST", "POST", "POST"]
    with pytest.raises(APIError) as not_ready:
        await db.reset_password(**{**SEED, "dbaas_id": PAUSED})
    assert not_ready.value.code == "cannot_retrieve_connection_information"


async def test_reset_password_405_via_fault_injection(
    async_client: AsyncClient, emulator: Emulator
) -> None:
    path = f"{BASE}/{SEEDED}/reset_password"
    emulator.inject(Fault(status=405), method="POST", path=path)
    conn = await async_client.cloud.database.reset_password(**SEED)
    assert conn.user == "root"
    assert [r.method for r in emulator.requests if r.path == path] == ["POST", "GET"]


async def test_toggle_slow_logs(async_client: AsyncClient, emulator: Emulator) -> None:
    assert await async_client.cloud.database.toggle_slow_logs(**SEED) is True
    assert emulator.dbaas[SEEDED]["_slow_logs"] is True


# ---------------------------------------------------------------------------- reference data


async def test_reference_data(async_client: AsyncClient, emulator: Emulator) -> None:
    db = async_client.cloud.database
    assert await db.regions() == ["dc4-a"]
    assert [t.name for t in await db.types()] == ["mysql"]
    every = await db.packs()
    assert len(every) >= 3
    business = await db.packs(groups=["business"], maximum_cpu=4, currency="EUR")
    assert [p.name for p in business] == ["business-db-16"]
    query = emulator.requests[-1].query
    assert ("filter[groups][]", "business") in query and ("filter[currency]", "EUR") in query
    named = await db.packs(names="essential-db-8")
    assert [p.cpu for p in named] == [2]
    cheap = await db.packs(maximum_rate={"including_tax": 0.06})
    assert cheap and all(
        p.rates and p.rates.chf and (p.rates.chf.hour_incl_tax or 0) <= 0.06 for p in cheap
    )
    assert ("filter[maximum_rate][including_tax]", "0.06") in emulator.requests[-1].query
    assert "names" in await db.pack_filters()
    options = await db.configuration_options(currency="CHF")
    assert isinstance(options, dict) and "max_connections" in options["parameters"]


# ---------------------------------------------------------------------------- backups


async def test_backups(async_client: AsyncClient, emulator: Emulator) -> None:
    backups = async_client.cloud.database.backups
    listed = await backups.list(**SEED)
    assert len(listed) == 2 and all(b.status == "Succeeded" for b in listed)
    newest = await backups.list(**SEED, order_by="created_at", order="desc", statuses="Succeeded")
    assert newest[0].created_at >= newest[1].created_at  # type: ignore[operator]
    one = await backups.get(**SEED, backup_id=listed[0].id)
    assert one == listed[0]
    op = await backups.create(**SEED)
    assert op.data.status == "Starting" and op.resource_id == op.data.id
    done = await op.wait()
    assert done.completed_at is not None
    assert await backups.delete(**SEED, backup_id=done.id) is True
    with pytest.raises(NotFoundError):
        await backups.get(**SEED, backup_id=done.id)


async def test_backup_failure_and_timeout(async_client: AsyncClient, emulator: Emulator) -> None:
    backups = async_client.cloud.database.backups
    emulator.fail_next_backup()
    with pytest.raises(OperationFailedError) as failed:
        await (await backups.create(**SEED)).wait()
    assert failed.value.status == "Failed" and failed.value.resource == "database backup"
    emulator.backup_duration = 30.0
    with pytest.raises(WaitTimeoutError):
        await (await backups.create(**SEED)).wait(timeout=0.1)


# ---------------------------------------------------------------------------- schedules


async def test_backup_schedules(async_client: AsyncClient, emulator: Emulator) -> None:
    schedules = async_client.cloud.database.backup_schedules
    assert [s.id for s in await schedules.list(**SEED)] == [12]
    new_id = await schedules.create(**SEED, scheduled_at="23:59", retention=60)
    created = await schedules.get(**SEED, backup_schedule_id=new_id)
    assert isinstance(created, DatabaseServiceBackupSchedule)
    assert (created.scheduled_at, created.retention, created.is_pitr_enabled) == (
        "23:59",
        60,
        False,
    )
    # The API requires scheduled_at on every PATCH: the SDK sends the current one.
    assert await schedules.update(**SEED, backup_schedule_id=new_id, retention=3) is True
    assert emulator.requests[-1].json == {"scheduled_at": "23:59", "retention": 3}
    await schedules.update(**SEED, backup_schedule_id=new_id, scheduled_at="00:00")
    updated = await schedules.get(**SEED, backup_schedule_id=new_id)
    assert (updated.scheduled_at, updated.retention) == ("00:00", 3)
    assert await schedules.delete(**SEED, backup_schedule_id=new_id) is True
    with pytest.raises(APIError) as exists:
        await schedules.create(**SEED, scheduled_at="12:00")
    assert exists.value.code == "backup_schedule_already_exists"


async def test_does_not_exist_400_raises_not_found(
    async_client: AsyncClient, emulator: Emulator
) -> None:
    db = async_client.cloud.database
    with pytest.raises(NotFoundError) as missing:
        await db.backup_schedules.get(**SEED, backup_schedule_id=999)
    assert (missing.value.status, missing.value.code) == (400, "backup_schedule_does_not_exist")
    with pytest.raises(NotFoundError):
        await db.backup_schedules.delete(**SEED, backup_schedule_id=999)
    with pytest.raises(NotFoundError) as no_backup:
        await db.restores.create(**SEED, backup_id="no-such-backup")
    assert no_backup.value.code == "cannot_restore_no_backup_found"
    with pytest.raises(NotFoundError) as plain:
        await db.get(**{**SEED, "dbaas_id": 999})
    assert plain.value.status == 404


# ---------------------------------------------------------------------------- restores


async def test_restore_in_place_and_point_in_time(
    async_client: AsyncClient, emulator: Emulator
) -> None:
    db = async_client.cloud.database
    backup_id = (await db.backups.list(**SEED))[0].id
    op = await db.restores.create(**SEED, backup_id=backup_id)
    assert op.new_service_id is None and op.admin_password is None
    assert emulator.requests[-1].json == {"backup_id": backup_id}
    restore = await op.wait()
    assert restore.status == "Succeeded" and restore.backup_id == backup_id and op.service is None
    again = await db.restores.get(**SEED, restore_id=restore.id)
    assert again.id == restore.id and again.new_service is None
    when = datetime(2025, 8, 15, 15, 52, 1, tzinfo=UTC)
    pitr = await (await db.restores.create(**SEED, pitr_restore_date=when)).wait()
    assert pitr.pitr_date == "2025-08-15T15:52:01+00:00"


async def test_restore_into_new_service(async_client: AsyncClient, emulator: Emulator) -> None:
    db = async_client.cloud.database
    backup_id = (await db.backups.list(**SEED))[0].id
    op = await db.restores.create(
        **SEED,
        backup_id=backup_id,
        new_service={"name": "copy", "pack_id": 2, "backup_schedule": {"scheduled_at": "01:00"}},
    )
    assert op.new_service_id in emulator.dbaas and op.kube_identifier
    assert op.admin_password and op.admin_password not in repr(op)
    assert op.admin_password not in repr(op.data)
    assert emulator.dbaas[op.new_service_id or 0]["status"] == "initializing"
    await op.wait()
    assert op.service is not None and op.service.id == op.new_service_id
    assert op.service.status == "ready"
    schedules = await db.backup_schedules.list(**{**SEED, "dbaas_id": op.service.id})
    assert [s.scheduled_at for s in schedules] == ["01:00"]


async def test_restore_failure_and_timeout(async_client: AsyncClient, emulator: Emulator) -> None:
    db = async_client.cloud.database
    backup_id = (await db.backups.list(**SEED))[0].id
    emulator.fail_next_restore()
    op = await db.restores.create(**SEED, backup_id=backup_id, new_service={"name": "x"})
    with pytest.raises(OperationFailedError) as failed:
        await op.wait()
    assert failed.value.status == "Failed" and failed.value.resource == "database restore"
    assert emulator.dbaas[op.new_service_id or 0]["status"] == "error"
    emulator.restore_duration = 30.0
    slow = await db.restores.create(**SEED, backup_id=backup_id)
    with pytest.raises(WaitTimeoutError):
        await slow.wait(timeout=0.1)


async def test_restore_into_new_service_shares_one_deadline(
    async_client: AsyncClient, emulator: Emulator
) -> None:
    db = async_client.cloud.database
    backup_id = (await db.backups.list(**SEED))[0].id
    emulator.dbaas_duration = 30.0  # the restore ends fast, the new service starts slowly
    op = await db.restores.create(**SEED, backup_id=backup_id, new_service={"name": "slow"})
    seen: list[tuple[str, str]] = []
    with pytest.raises(WaitTimeoutError) as timed_out:
        await op.wait(timeout=0.5, on_status=lambda c: seen.append((c.resource, c.status)))
    assert ("database restore", "Succeeded") in seen
    assert seen[-1] == ("database service", "initializing")
    assert timed_out.value.resource == "database service"
    assert timed_out.value.resource_id == op.new_service_id and op.service is None


# ---------------------------------------------------------------------------- configuration


async def test_configuration(async_client: AsyncClient, emulator: Emulator) -> None:
    config = async_client.cloud.database.configuration
    assert await config.get(**SEED) == {"max_connections": "200", "wait_timeout": "28800"}
    values = {"max_connections": 150, "sql_mode": ["STRICT_ALL_TABLES"], "long_query_time": 2.5}
    assert await config.replace(**SEED, values=values) is True
    assert emulator.requests[-1].json == values
    # As the API sends them: numbers come back as strings.
    assert await config.get(**SEED) == {
        "max_connections": "150",
        "sql_mode": ["STRICT_ALL_TABLES"],
        "long_query_time": "2.5",
    }
    with pytest.raises(ValidationError) as invalid:
        await config.replace(**SEED, values={"max_connections": 0, "no_such_variable": 1})
    assert set(invalid.value.fields) == {"max_connections", "no_such_variable"}
    assert await config.reset(**SEED) is True
    assert await config.get(**SEED) == {}


# ---------------------------------------------------------------------------- IP filters


async def test_ip_filters(async_client: AsyncClient, emulator: Emulator) -> None:
    filters = async_client.cloud.database.ip_filters
    assert await filters.list(**SEED) == ["192.0.2.0/24"]
    wanted = ["198.51.100.7/32", "2001:db8::/64", "203.0.113.9"]
    assert await filters.replace(**SEED, ip_filters=wanted) is True
    assert await filters.list(**SEED) == wanted
    assert await filters.clear(**SEED) is True
    assert await filters.list(**SEED) == []


# ---------------------------------------------------------------------------- local errors


async def test_bad_input_fails_before_sending(
    async_client: AsyncClient, emulator: Emulator
) -> None:
    db = async_client.cloud.database
    before = _sent(emulator)
    for bad in ("24:00", "3:30", "12:60", "noon", "12:00:00"):
        with pytest.raises(ValueError, match="scheduled_at"):
            await db.backup_schedules.create(**SEED, scheduled_at=bad)
    for retention in (0, 61):
        with pytest.raises(ValueError, match="retention"):
            await db.backup_schedules.create(**SEED, scheduled_at="03:30", retention=retention)
    with pytest.raises(ValueError, match="at least one"):
        await db.backup_schedules.update(**SEED, backup_schedule_id=12)
    with pytest.raises(ValueError, match=r"ip_filters\[1\]"):
        await db.ip_filters.replace(**SEED, ip_filters=["10.0.0.0/8", "10.0.0.300/32"])
    with pytest.raises(TypeError, match="backup_id"):
        await db.restores.create(**SEED)
    with pytest.raises(ValueError, match=r"new_service\.name"):
        await db.restores.create(**SEED, backup_id="b", new_service={"name": "n" * 41})
    with pytest.raises(TypeError, match="unknown keys"):
        await db.restores.create(**SEED, backup_id="b", new_service={"nmae": "typo"})
    with pytest.raises(ValueError, match="pitr_restore_date"):
        await db.restores.create(**SEED, pitr_restore_date="yesterday")
    with pytest.raises(ValueError, match="timezone"):
        await db.restores.create(**SEED, pitr_restore_date=datetime(2025, 1, 1))
    with pytest.raises(ValueError, match="empty"):
        await db.configuration.replace(**SEED, values={})
    with pytest.raises(ValueError, match="name"):
        await db.create(
            **IDS, name="n" * 41, type="mysql", version="8.0.42", region="dc4-a", pack_id=1
        )
    with pytest.raises(ValueError, match=r"backup_schedule\.retention"):
        await db.create(
            **IDS,
            name="ok",
            type="mysql",
            version="8.0.42",
            region="dc4-a",
            pack_id=1,
            backup_schedule={"scheduled_at": "01:00", "retention": 99},
        )
    with pytest.raises(ValueError, match="dbaas_id"):
        await db.get(**{**SEED, "dbaas_id": 0})
    with pytest.raises(ValueError, match="backup_id"):
        await db.backups.get(**SEED, backup_id="../x/y")
    assert _sent(emulator) == before


async def test_api_validation_names_the_field(async_client: AsyncClient) -> None:
    with pytest.raises(ValidationError) as invalid:
        await async_client.cloud.database.create(
            **IDS, name="ok", type="mysql", version="5.7", region="dc4-a", pack_id=1
        )
    assert "version" in invalid.value.fields
