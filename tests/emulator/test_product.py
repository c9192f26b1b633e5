"""The emulator as a product (issue 18, B): bounded recording, 4xx for malformed
requests (never a 500, never a schema violation of its own), and the fidelity
points an outside validator found. Over real HTTP, through the ``emulator`` fixture
(which also fails a test whose answers broke the API's schemas)."""

from __future__ import annotations

import json
from typing import Any

import pytest
import urllib3

from infomaniak.testing import Emulator

CLOUD = "/1/public_clouds/1332"
PROJECT = f"{CLOUD}/projects/25454"
CLUSTER = f"{PROJECT}/kaas/4821"
POOL = f"{CLUSTER}/instance_pools/9312"
DBAAS = f"{PROJECT}/dbaas/7341"
USER = f"{PROJECT}/users/56321"

_http = urllib3.PoolManager(retries=False, timeout=10.0)


def call(
    emu: Emulator, method: str, target: str, body: Any = None, *, data: bytes | None = None
) -> tuple[int, Any, urllib3.BaseHTTPResponse]:
    """``target`` is the path and the raw query, sent as written."""
    headers = {"Authorization": f"Bearer {emu.token}", "Content-Type": "application/json"}
    if body is not None:
        data = json.dumps(body).encode()
    response = _http.request(method, emu.url + target, body=data, headers=headers)
    try:
        payload = json.loads(response.data)
    except ValueError:
        payload = None
    return response.status, payload, response


def refused(emu: Emulator, method: str, target: str, body: Any = None) -> tuple[int, Any]:
    status, payload, _ = call(emu, method, target, body)
    assert 400 <= status < 500, (status, payload)
    assert payload["result"] == "error", payload
    return status, payload["error"]


def invalid_fields(error: dict[str, Any]) -> set[str]:
    assert error["code"] == "validation_failed", error
    return {entry["context"]["attribute"] for entry in error["errors"]}


# ---------------------------------------------------------------------------- 18.10


def test_recording_keeps_the_newest_requests_up_to_the_bound() -> None:
    emulator = Emulator(record_requests=5)
    with emulator.in_thread():
        for number in range(12):
            call(emulator, "GET", f"/1/public_clouds?account_id=42&per_page={number + 1}")
        recorded = emulator.requests
    assert len(recorded) == 5
    assert [dict(r.query)["per_page"] for r in recorded] == ["8", "9", "10", "11", "12"]


def test_recording_is_bounded_by_default() -> None:
    emulator = Emulator()
    with emulator.in_thread():
        for _ in range(1010):
            call(emulator, "GET", "/1/public_clouds/config?account_id=42")
        assert len(emulator.requests) == 1000


def test_record_requests_is_checked() -> None:
    with pytest.raises(ValueError, match="record_requests"):
        Emulator(record_requests=-1)
    unbounded = Emulator(record_requests=None)
    with unbounded.in_thread():
        for _ in range(3):
            call(unbounded, "GET", "/1/public_clouds/config?account_id=42")
        assert len(unbounded.requests) == 3


def test_the_body_of_a_refused_huge_post_is_not_kept(emulator: Emulator) -> None:
    huge = b'{"project_name": "' + b"x" * (1024 * 1024) + b'"}'
    status, _, _ = call(emulator, "POST", f"{CLOUD}/projects", data=huge)
    assert status == 422  # no user_password
    small = {"project_name": "p"}
    assert call(emulator, "POST", f"{CLOUD}/projects", small)[0] == 422
    big, kept = emulator.requests
    assert (big.method, big.path, big.body, big.json) == ("POST", f"{CLOUD}/projects", b"", None)
    assert kept.json == small  # a small refused body stays, for the test to look at


# ---------------------------------------------------------------------------- 18.11

HUGE_ID = "9" * 5000
OVER_64_BITS = str(2**63)


@pytest.mark.parametrize(
    ("method", "target", "status"),
    [
        ("GET", "/1/public_clouds?account_id=42&filter[search][a]=b", 422),
        ("GET", "/1/public_clouds?account_id=42&filter[search][]=b", 422),
        ("GET", "/1/public_clouds/dbaas/packs?filter[minimum_rate][excluding_tax]=abc", 422),
        ("GET", "/1/public_clouds/dbaas/packs?filter[cpu]=1e999", 422),
        ("GET", f"/1/public_clouds/{HUGE_ID}", 404),
        ("GET", f"{CLOUD}/projects/{HUGE_ID}", 404),
        ("GET", f"{PROJECT}/kaas/{HUGE_ID}", 404),
        ("GET", f"/1/public_clouds?account_id=42&page={OVER_64_BITS}", 422),
        ("GET", f"/1/public_clouds?account_id=42&page=1&per_page={OVER_64_BITS}", 422),
        ("GET", f"/1/public_clouds?account_id={OVER_64_BITS}", 422),
    ],
)
def test_malformed_requests_get_a_4xx_never_a_500(
    emulator: Emulator, method: str, target: str, status: int
) -> None:
    assert refused(emulator, method, target)[0] == status
    assert emulator.schema_errors == []


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", f"{PROJECT}/kaas"),  # the spec documents route-specific 400 codes here
        ("POST", f"{CLUSTER}/instance_pools"),
        ("PATCH", CLUSTER),
        ("POST", f"{DBAAS}/backup_schedules"),
        ("POST", f"{DBAAS}/restores"),
    ],
)
def test_a_body_that_is_not_json_is_a_400_the_emulator_does_not_blame_itself_for(
    emulator: Emulator, method: str, path: str
) -> None:
    status, payload, _ = call(emulator, method, path, data=b"{not json")
    assert status == 400 and payload["error"]["code"] == "bad_request"
    assert emulator.schema_errors == []  # the fixture would fail the test at teardown


# ---------------------------------------------------------------------------- 18.13


@pytest.mark.parametrize("path", [f"{CLUSTER}/ip_filters", f"{DBAAS}/ip_filters"])
def test_ip_filters_refuse_items_that_are_not_strings(emulator: Emulator, path: str) -> None:
    before = call(emulator, "GET", path)[1]["data"]
    _, error = refused(emulator, "PUT", path, {"ip_filters": [False, 12, "192.0.2.0/24"]})
    assert invalid_fields(error) == {"ip_filters.0", "ip_filters.1"}
    assert call(emulator, "GET", path)[1]["data"] == before


@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        ("PATCH", CLOUD, {"customer_name": None}, "customer_name"),
        ("PATCH", USER, {"description": None}, "description"),
        ("PATCH", CLUSTER, {"name": None}, "name"),
        ("PATCH", POOL, {"labels": None}, "labels"),
        ("PATCH", POOL, {"minimum_instances": None}, "minimum_instances"),
        ("PATCH", DBAAS, {"pack_id": None}, "pack_id"),
        ("DELETE", DBAAS, {"keep_backup_files": None}, "keep_backup_files"),
        ("PATCH", f"{CLUSTER}/apiserver", {"apiserver_params": None}, "apiserver_params"),
    ],
)
def test_null_in_an_optional_body_field_is_a_type_error(
    emulator: Emulator, method: str, path: str, body: dict[str, Any], field: str
) -> None:
    _, error = refused(emulator, method, path, body)
    assert invalid_fields(error) == {field}


def test_integral_floats_are_integers(emulator: Emulator) -> None:
    status, _, _ = call(emulator, "PATCH", POOL, {"minimum_instances": 2.0})
    assert status in (200, 202)
    assert emulator.pools[9312]["minimum_instances"] == 2
    assert type(emulator.pools[9312]["minimum_instances"]) is int
    status, _, _ = call(emulator, "PUT", f"{DBAAS}/configurations", {"max_connections": 200.0})
    assert status == 200
    assert call(emulator, "GET", f"{DBAAS}/configurations")[1]["data"]["max_connections"] == "200"
    _, error = refused(emulator, "PATCH", POOL, {"minimum_instances": 2.5})
    assert invalid_fields(error) == {"minimum_instances"}


@pytest.mark.parametrize(
    "query",
    [
        "return=total&limit=abc",
        "return=total&skip=-1",
        "page=1&skip=abc",
        "page=1&limit=x",
        "skip=%D9%A3",  # ARABIC-INDIC DIGIT THREE
        "limit=%EF%BC%93",  # FULLWIDTH DIGIT THREE
        "page=%EF%BC%91",
    ],
)
def test_pagination_keys_are_always_validated_as_ascii_integers(
    emulator: Emulator, query: str
) -> None:
    _, error = refused(emulator, "GET", f"/1/public_clouds?account_id=42&{query}")
    assert error["code"] == "validation_failed"


def test_a_repeated_scalar_query_key_keeps_the_last_value(emulator: Emulator) -> None:
    status, payload, _ = call(emulator, "GET", "/1/public_clouds?account_id=1&account_id=42")
    assert status == 200 and {c["account_id"] for c in payload["data"]} == {42}
    target = "/1/public_clouds?account_id=42&page=1&per_page=1&per_page=3"
    assert len(call(emulator, "GET", target)[1]["data"]) == 3
    names = "/1/public_clouds?account_id=42&order_by=id&order_by=customer_name"
    clouds = call(emulator, "GET", names)[1]["data"]
    keys = [cloud["customer_name"].casefold() for cloud in clouds]
    assert keys == sorted(keys)
    status, _, _ = call(emulator, "POST", f"{PROJECT}?_method=PATCH&_method=DELETE")
    assert status == 202  # the override is the last _method: DELETE


@pytest.mark.parametrize("path", [f"{USER}/openrc", f"{USER}/authentication/clouds.yaml"])
def test_user_files_are_served_as_octet_stream(emulator: Emulator, path: str) -> None:
    status, _, response = call(emulator, "GET", path)
    assert status == 202
    assert response.headers["Content-Type"] == "application/octet-stream"
    assert response.data.strip()


def test_tasks_can_be_ordered_by_id(emulator: Emulator) -> None:
    for name in ("first", "second"):
        status, _, _ = call(emulator, "PATCH", PROJECT, {"name": name})
        assert status == 202
    status, payload, _ = call(emulator, "GET", "/1/async/tasks?order_by=id&order=desc")
    assert status == 200
    assert [task["uuid"] for task in payload["data"]] == list(reversed(emulator.tasks))


@pytest.mark.parametrize(
    "settings",
    [
        {"time_scale": float("nan")},
        {"time_scale": float("inf")},
        {"task_duration": float("inf")},
        {"provision_duration": -1.0},
    ],
)
def test_durations_must_be_finite_and_not_negative(settings: dict[str, float]) -> None:
    (name,) = settings
    with pytest.raises(ValueError, match=name):
        Emulator(**settings)  # type: ignore[arg-type]


def test_null_objects_in_a_creation_are_type_errors(emulator: Emulator) -> None:
    before = set(emulator.dbaas)
    new = {"name": "orders", "type": "mysql", "version": "8.0.42", "region": "dc4-a", "pack_id": 1}
    _, error = refused(emulator, "POST", f"{PROJECT}/dbaas", {**new, "backup_schedule": None})
    assert invalid_fields(error) == {"backup_schedule"}
    backup_id = call(emulator, "GET", f"{DBAAS}/backups")[1]["data"][0]["id"]
    restore = {"backup_id": backup_id, "new_service": None}
    _, error = refused(emulator, "POST", f"{DBAAS}/restores", restore)
    assert invalid_fields(error) == {"new_service"}
    assert set(emulator.dbaas) == before  # nothing was created
