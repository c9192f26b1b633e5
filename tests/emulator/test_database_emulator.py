"""The emulator's DBaaS routes over raw HTTP (urllib3), not via the SDK."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import pytest
import urllib3

from infomaniak.testing import Emulator

BASE = "/1/public_clouds/1332/projects/25454/dbaas"
SEEDED = f"{BASE}/7341"
NEW = {"name": "orders", "type": "mysql", "version": "8.0.42", "region": "dc4-a", "pack_id": 1}


class Api:
    """Just enough HTTP to drive the emulator."""

    def __init__(self, emu: Emulator) -> None:
        self.emu = emu
        self.http = urllib3.PoolManager(retries=False, timeout=5.0)

    def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        query: dict[str, Any] | list[tuple[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, Any]:
        url = self.emu.url + path + (f"?{urlencode(query)}" if query else "")
        all_headers = {"Authorization": f"Bearer {self.emu.token}", **(headers or {})}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            all_headers["Content-Type"] = "application/json"
        response = self.http.request(method, url, body=data, headers=all_headers)
        return response.status, json.loads(response.data)

    def ok(self, method: str, path: str, body: Any = None, **kwargs: Any) -> Any:
        status, payload = self.call(method, path, body, **kwargs)
        assert status in (200, 201), (status, payload)
        assert payload["result"] == "success"
        return payload["data"]

    def fields(self, method: str, path: str, body: Any = None, **kwargs: Any) -> set[str]:
        status, payload = self.call(method, path, body, **kwargs)
        assert status == 422, (status, payload)
        assert payload["error"]["code"] == "validation_failed"
        return {e["context"]["attribute"] for e in payload["error"]["errors"]}


@pytest.fixture
def api(emulator: Emulator) -> Api:
    return Api(emulator)


def until(predicate: Callable[[], Any], timeout: float = 3.0) -> Any:
    deadline = time.monotonic() + timeout
    while not (value := predicate()):
        assert time.monotonic() < deadline, "condition not reached in time"
        time.sleep(0.01)
    return value


def test_seed_is_deterministic_and_spans_projects_and_clouds(emulator: Emulator) -> None:
    other = Emulator()
    assert {k: v["name"] for k, v in other.dbaas.items()} == {
        k: v["name"] for k, v in emulator.dbaas.items()
    }
    projects = {v["_project_id"] for v in emulator.dbaas.values()}
    clouds = {v["_cloud_id"] for v in emulator.dbaas.values()}
    assert len(projects) >= 3 and len(clouds) >= 2
    assert emulator.dbaas[7341]["kube_identifier"] == "pcdb-12345"


def test_service_lifecycle_and_connection(api: Api, emulator: Emulator) -> None:
    emulator.dbaas_duration = 0.3
    created = api.ok("POST", BASE, NEW)
    assert set(created) == {"id", "admin_password", "kube_identifier"}
    path = f"{BASE}/{created['id']}"
    early = api.ok("GET", path, query={"with": "connection"})
    assert early["status"] == "initializing" and early["connection"] == []
    status, _ = api.call("POST", f"{path}/reset_password")
    assert status == 400
    until(lambda: api.ok("GET", path)["status"] == "ready")
    ready = api.ok("GET", path, query={"with": "connection,packs,projects,tags"})
    assert ready["connection"]["password"] == created["admin_password"]
    assert ready["pack"]["name"] == "essential-db-4" and ready["project"]["id"] == 25454
    bare = api.ok("GET", path)
    assert "connection" not in bare and "pack" not in bare


def test_fail_next_dbaas(api: Api, emulator: Emulator) -> None:
    emulator.fail_next_dbaas()
    doomed = api.ok("POST", BASE, NEW)
    until(lambda: api.ok("GET", f"{BASE}/{doomed['id']}")["status"] == "error")
    fine = api.ok("POST", BASE, {**NEW, "name": "fine"})
    until(lambda: api.ok("GET", f"{BASE}/{fine['id']}")["status"] == "ready")


def test_resize_and_delete_take_dbaas_duration(api: Api, emulator: Emulator) -> None:
    emulator.dbaas_duration = 0.3
    assert api.ok("PATCH", SEEDED, {"pack_id": 2}) is True
    assert api.ok("GET", SEEDED)["status"] == "initializing"
    until(lambda: api.ok("GET", SEEDED)["status"] == "ready")
    assert api.ok("PATCH", SEEDED, {"name": "renamed"}) is True
    assert api.ok("GET", SEEDED)["status"] == "ready"
    assert api.fields("PATCH", SEEDED, {}) == {"name"}
    # keep_backup_files: JSON body (SPEC-DEC) or query (XLL); DELETE may come as
    # POST + X-HTTP-Method-Override (DEVDOC).
    assert (
        api.ok(
            "POST",
            SEEDED,
            {"keep_backup_files": True},
            headers={"X-HTTP-Method-Override": "DELETE"},
        )
        is True
    )
    assert emulator.dbaas[7341]["_kept_backup_files"] is True
    assert api.ok("GET", SEEDED)["status"] == "stopping"
    until(lambda: api.call("GET", SEEDED)[0] == 404)
    assert api.ok("DELETE", f"{BASE}/7342", query={"keep_backup_files": "true"}) is True
    assert emulator.dbaas[7342]["_kept_backup_files"] is True


def test_create_validation(api: Api) -> None:
    assert api.fields("POST", BASE, {}) == {"name", "pack_id", "region", "type", "version"}
    bad = {
        **NEW,
        "name": "n" * 41,
        "pack_id": 99,
        "version": "5.7",
        "backup_schedule": {"scheduled_at": "24:00", "retention": 61},
    }
    assert api.fields("POST", BASE, bad) == {
        "name",
        "pack_id",
        "version",
        "backup_schedule.scheduled_at",
        "backup_schedule.retention",
    }
    # pack_id: a string in SPEC-DEC, an integer in SPEC-NOV and TF.
    assert api.ok("POST", BASE, {**NEW, "pack_id": "2"})["id"]


def test_reset_password_methods(api: Api, emulator: Emulator) -> None:
    path = f"{SEEDED}/reset_password"
    first = api.ok("POST", path)
    second = api.ok("GET", path)
    assert first["password"] != second["password"] and second["password"] in second["uri"]
    emulator.dbaas_reset_password_methods = ("GET",)
    status, payload = api.call("POST", path)
    assert status == 405 and payload["result"] == "error"
    assert api.ok("GET", path)["user"] == "root"
    # The legacy route reads the connection without resetting it.
    assert api.ok("GET", f"{SEEDED}/password")["password"] == emulator.dbaas[7341]["_password"]


def test_backups_progress_and_fail(api: Api, emulator: Emulator) -> None:
    emulator.backup_duration = 0.4
    backup = api.ok("POST", f"{SEEDED}/backups")
    assert backup["status"] == "Starting" and backup["completed_at"] is None
    path = f"{SEEDED}/backups/{backup['id']}"  # a string id, with dashes
    until(lambda: api.ok("GET", path)["status"] == "Running")
    done = until(lambda: (b := api.ok("GET", path))["status"] == "Succeeded" and b)
    assert done["completed_at"] >= done["created_at"]
    assert emulator.dbaas[7341]["last_backup_at"] == done["completed_at"]
    emulator.backup_duration = 0.05
    emulator.fail_next_backup()
    failed = api.ok("POST", f"{SEEDED}/backups")
    until(lambda: api.ok("GET", f"{SEEDED}/backups/{failed['id']}")["status"] == "Failed")
    listed = api.ok("GET", f"{SEEDED}/backups", query=[("filter[statuses][]", "Failed")])
    assert [b["id"] for b in listed] == [failed["id"]]
    assert api.ok("DELETE", path) is True
    assert api.call("GET", path)[0] == 404


def test_schedules(api: Api) -> None:
    path = f"{SEEDED}/backup_schedules"
    assert api.fields("POST", path, {"scheduled_at": "7:5", "retention": 0}) == {
        "scheduled_at",
        "retention",
    }
    new_id = api.ok("POST", path, {"scheduled_at": "03:30", "retention": 14})
    assert isinstance(new_id, int)
    status, payload = api.call("POST", path, {"scheduled_at": "03:30"})
    assert (status, payload["error"]["code"]) == (400, "backup_schedule_already_exists")
    assert api.fields("PATCH", f"{path}/{new_id}", {"retention": 2}) == {"scheduled_at"}
    assert api.ok("PATCH", f"{path}/{new_id}", {"scheduled_at": "04:00", "retention": 2}) is True
    assert api.ok("GET", f"{path}/{new_id}")["retention"] == 2
    assert api.ok("DELETE", f"{path}/{new_id}") is True
    status, payload = api.call("GET", f"{path}/{new_id}")
    assert (status, payload["error"]["code"]) == (400, "backup_schedule_does_not_exist")


def test_restores(api: Api, emulator: Emulator) -> None:
    emulator.restore_duration = 0.3
    emulator.dbaas_duration = 0.5
    backup_id = api.ok("GET", f"{SEEDED}/backups")[0]["id"]
    path = f"{SEEDED}/restores"
    assert api.fields("POST", path, {}) == {"backup_id"}
    assert api.fields(
        "POST", path, {"backup_id": backup_id, "new_service": {"name": "n" * 41}}
    ) == {"new_service.name"}
    status, payload = api.call("POST", path, {"backup_id": "nope"})
    assert (status, payload["error"]["code"]) == (400, "cannot_restore_no_backup_found")
    restore = api.ok("POST", path, {"backup_id": backup_id, "new_service": {"name": "copy"}})
    new_id = restore["new_service"]["id"]
    assert emulator.dbaas[new_id]["status"] == "initializing"
    until(lambda: api.ok("GET", f"{path}/{restore['id']}")["status"] == "Succeeded")
    # The new service starts once the data is restored.
    assert api.ok("GET", f"{BASE}/{new_id}")["status"] == "initializing"
    until(lambda: api.ok("GET", f"{BASE}/{new_id}")["status"] == "ready")
    # TF-OLD sent backup_id in the query.
    in_place = api.ok("POST", path, query={"backup_id": backup_id})
    assert in_place["backup_id"] == backup_id and in_place["new_service"] is None
    pitr = api.ok("POST", path, {"pitr_restore_date": "2025-08-15T15:52:01+00:00"})
    assert pitr["pitr_date"] == "2025-08-15T15:52:01+00:00"
    emulator.fail_next_restore()
    failed = api.ok("POST", path, {"backup_id": backup_id, "new_service": {}})
    until(lambda: api.ok("GET", f"{path}/{failed['id']}")["status"] == "Failed")
    assert emulator.dbaas[failed["new_service"]["id"]]["status"] == "error"
    # Legacy routes (SPEC-NOV only).
    assert len(api.ok("GET", path)) == 4
    assert api.ok("DELETE", f"{path}/{failed['id']}") is True
    assert api.call("GET", f"{path}/{failed['id']}")[0] == 404


def test_restore_to_a_smaller_pack_is_refused(api: Api) -> None:
    source = f"{BASE}/7342"  # business-db-16
    backup_id = api.ok("GET", f"{source}/backups")[0]["id"]
    status, payload = api.call(
        "POST", f"{source}/restores", {"backup_id": backup_id, "new_service": {"pack_id": 1}}
    )
    assert (status, payload["error"]["code"]) == (400, "cannot_restore_to_downgraded_dbaas")


def test_configuration_keeps_what_was_put(api: Api) -> None:
    path = f"{SEEDED}/configurations"
    assert api.ok("GET", path) == {"max_connections": "200", "wait_timeout": "28800"}
    values = {"max_connections": 300, "transaction_isolation": "READ-COMMITTED"}
    assert api.ok("PUT", path, values) is True
    assert api.ok("GET", path) == {
        "max_connections": "300",
        "transaction_isolation": "READ-COMMITTED",
    }
    assert api.fields("PUT", path, {"max_connections": 5001, "sql_mode": ["NOPE"]}) == {
        "max_connections",
        "sql_mode",
    }
    assert api.fields("PUT", path, {}) == {"configuration"}
    assert api.ok("DELETE", path) is True
    assert api.ok("GET", path) == []  # PHP's empty map


def test_ip_filters(api: Api) -> None:
    path = f"{SEEDED}/ip_filters"
    assert api.fields("PUT", path, {"ip_filters": ["10.0.0.1/32", "nope"]}) == {"ip_filters.1"}
    assert api.ok("PUT", path, {"ip_filters": ["10.0.0.1/32", "2001:db8::/64"]}) is True
    assert api.ok("GET", path) == ["10.0.0.1/32", "2001:db8::/64"]
    assert api.ok("DELETE", path) is True
    assert api.ok("GET", path) == []


def test_lists_and_reference_data(api: Api) -> None:
    everything = api.ok("GET", "/1/public_clouds/dbaas", query={"account_id": 42})
    assert len(everything) == 4
    one_cloud = api.ok(
        "GET", "/1/public_clouds/dbaas", query={"account_id": 42, "public_cloud_id": 1332}
    )
    assert len(one_cloud) == 3
    assert api.call("GET", "/1/public_clouds/dbaas", query={"account_id": 7})[0] == 404
    _, payload = api.call("GET", "/1/public_clouds/dbaas", query={"account_id": 42, "page": 1})
    assert payload["total"] == 4 and payload["pages"] == 1
    tagged = api.ok("GET", BASE, query=[("filter[tags][]", "1234"), ("with", "tags")])
    assert [s["id"] for s in tagged] == [7341]
    assert api.ok("GET", "/1/public_clouds/dbaas/regions") == ["dc4-a"]
    assert api.ok("GET", "/1/public_clouds/dbaas/types")[0]["versions"] == ["8.0.42"]
    packs = api.ok(
        "GET",
        "/1/public_clouds/dbaas/packs",
        query=[("type", "mysql"), ("filter[names][]", "essential-db-4")],
    )
    assert [p["id"] for p in packs] == [1]
    assert "currency" in api.ok("GET", "/1/public_clouds/dbaas/packs/filters")
    options = api.ok(
        "GET", "/1/public_clouds/dbaas/configurations", query={"filter[currency]": "EUR"}
    )
    assert "EUR" in options["object_storage_rates"]
    assert api.ok("POST", f"{SEEDED}/toggle_slow_logs") is True
