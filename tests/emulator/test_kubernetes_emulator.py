"""The emulator's KaaS routes over raw HTTP (not via the SDK), and the KaaS example script."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
import urllib3

from infomaniak.testing import Emulator

ROOT = Path(__file__).resolve().parents[2]
KAAS = "/1/public_clouds/1332/projects/25454/kaas"
SEEDED = 4821


class Api:
    def __init__(self, emu: Emulator) -> None:
        self.emu = emu
        self.http = urllib3.PoolManager(retries=False, timeout=5.0)

    def call(
        self, method: str, path: str, body: Any = None, query: Any = None
    ) -> tuple[int, Any, urllib3.BaseHTTPResponse]:
        url = self.emu.url + path + (f"?{urlencode(query)}" if query else "")
        headers = {"Authorization": f"Bearer {self.emu.token}"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        response = self.http.request(method, url, body=data, headers=headers)
        return response.status, json.loads(response.data), response

    def ok(self, method: str, path: str, body: Any = None, query: Any = None) -> Any:
        status, payload, _ = self.call(method, path, body, query)
        assert status in (200, 201), (status, payload)
        return payload["data"]

    def get(self, path: str, **query: Any) -> Any:
        return self.ok("GET", path, query=query or None)

    def fields(self, method: str, path: str, body: Any = None, query: Any = None) -> list[str]:
        status, payload, _ = self.call(method, path, body, query)
        assert status == 422 and payload["error"]["code"] == "validation_failed", payload
        return [error["context"]["attribute"] for error in payload["error"]["errors"]]


@pytest.fixture
def api(emulator: Emulator) -> Api:
    return Api(emulator)


def wait_until(predicate: Callable[[], Any], timeout: float = 3.0) -> Any:
    deadline = time.monotonic() + timeout
    while not (value := predicate()):
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        time.sleep(0.01)
    return value


def _new_cluster(api: Api, **changes: Any) -> int:
    body = {"name": "c", "region": "dc4-a", "kubernetes_version": "1.34", "kaas_pack_id": 2}
    status, payload, _ = api.call("POST", KAAS, {**body, **changes})
    assert status == 201 and isinstance(payload["data"], int), payload
    kaas_id: int = payload["data"]
    return kaas_id


@pytest.mark.infomaniak_profile("realistic")
def test_seed_is_deterministic_and_spans_pages(api: Api) -> None:
    other = Emulator()
    with other.in_thread():
        again = Api(other).get("/1/public_clouds/kaas", account_id=42)
    first = api.get("/1/public_clouds/kaas", account_id=42)
    assert first == again and len(first) > 10
    page = api.call("GET", KAAS, query={"page": 2, "per_page": 10})[1]
    assert (page["total"], page["pages"], len(page["data"])) == (12, 2, 2)
    pools = api.call("GET", f"{KAAS}/{SEEDED}/instance_pools", query={"page": 1, "per_page": 10})
    assert pools[1]["total"] == 12
    assert api.get(KAAS, **{"return": "total"}) == 12


def test_account_list_needs_the_account(api: Api) -> None:
    assert api.fields("GET", "/1/public_clouds/kaas") == ["account_id"]
    assert api.call("GET", "/1/public_clouds/kaas", query={"account_id": 7})[0] == 404
    one_cloud = api.get("/1/public_clouds/kaas", account_id=42, public_cloud_id=1332)
    assert len(one_cloud) == 14  # 12 + one in each of the next two projects of 1332


def test_cluster_lifecycle_over_durations(api: Api, emulator: Emulator) -> None:
    emulator.kaas_duration = 0.2
    kaas_id = _new_cluster(api)
    assert api.get(f"{KAAS}/{kaas_id}")["status"] == "Creating"
    wait_until(lambda: api.get(f"{KAAS}/{kaas_id}")["status"] == "Active")
    assert api.ok("PATCH", f"{KAAS}/{kaas_id}", {"kubernetes_version": "1.35"}) is True
    cluster = api.get(f"{KAAS}/{kaas_id}")
    assert (cluster["status"], cluster["kubernetes_version"]) == ("Updating", "1.34")
    wait_until(lambda: api.get(f"{KAAS}/{kaas_id}")["status"] == "Active")
    assert api.get(f"{KAAS}/{kaas_id}")["kubernetes_version"] == "1.35"
    # No downgrade, and no change while the cluster is not Active.
    status, payload, _ = api.call("PATCH", f"{KAAS}/{kaas_id}", {"kubernetes_version": "1.34"})
    assert (status, payload["error"]["code"]) == (400, "cannot_update_kaas")
    assert api.fields("PATCH", f"{KAAS}/{kaas_id}", {"region": "dc3-a"}) == ["region"]


def test_fail_next_kaas(api: Api, emulator: Emulator) -> None:
    emulator.fail_next_kaas()
    doomed = _new_cluster(api)
    fine = _new_cluster(api)
    wait_until(lambda: api.get(f"{KAAS}/{fine}")["status"] == "Active")
    assert api.get(f"{KAAS}/{doomed}")["status"] == "Failed"


def test_create_validation_and_pack_limit(api: Api) -> None:
    bad = {"name": "x" * 41, "region": "dc9", "kubernetes_version": "1.0", "kaas_pack_id": 3}
    assert api.fields("POST", KAAS, bad) == ["name", "region", "kubernetes_version", "kaas_pack_id"]
    assert api.fields("POST", KAAS, {}) == ["name", "region", "kubernetes_version", "kaas_pack_id"]
    _new_cluster(api, kaas_pack_id=1)
    second = {"name": "s", "region": "dc4-a", "kubernetes_version": "1.34", "kaas_pack_id": 1}
    status, payload, _ = api.call("POST", KAAS, second)
    assert (status, payload["error"]["code"]) == (400, "kaas_pack_limit_reached")


def test_deleting_a_cluster_removes_its_pools(api: Api, emulator: Emulator) -> None:
    pool_ids = [p["instance_pool_id"] for p in api.get(f"{KAAS}/{SEEDED}/instance_pools")]
    assert api.ok("DELETE", f"{KAAS}/{SEEDED}") is True
    assert api.get(f"{KAAS}/{SEEDED}")["status"] == "Deleting"
    assert api.get(f"{KAAS}/{SEEDED}/instance_pools/{pool_ids[0]}")["status"] == "Deleting"
    wait_until(lambda: api.call("GET", f"{KAAS}/{SEEDED}")[0] == 404)
    assert not set(pool_ids) & set(emulator.pools)
    assert api.call("GET", f"{KAAS}/{SEEDED}/instance_pools/{pool_ids[0]}")[0] == 404


def test_pool_lifecycle_and_resizes(api: Api, emulator: Emulator) -> None:
    emulator.pool_duration = 0.2
    base = f"{KAAS}/{SEEDED}/instance_pools"
    body = {
        "name": "workers",
        "flavor": "a2-ram4-disk20-perf1",
        "minimum_instances": 2,
        "availability_zone": "az-3",
        # The spec's "key: value" strings are accepted and stored as a map.
        "labels": ["node-role.kubernetes.io/worker: high"],
    }
    pool_id = api.ok("POST", base, body)
    pool = api.get(f"{base}/{pool_id}")
    assert (pool["status"], pool["available_instances"], pool["target_instances"]) == (
        "Creating",
        0,
        2,
    )
    assert pool["labels"] == {"node-role.kubernetes.io/worker": "high"}
    assert pool["prefix"] == "workers" and pool["maximum_instances"] == 2
    wait_until(lambda: api.get(f"{base}/{pool_id}")["status"] == "Active")
    assert api.get(f"{base}/{pool_id}")["available_instances"] == 2
    api.ok("PATCH", f"{base}/{pool_id}", {"minimum_instances": 4, "maximum_instances": 6})
    assert api.get(f"{base}/{pool_id}")["status"] == "ScalingUp"
    wait_until(lambda: api.get(f"{base}/{pool_id}")["status"] == "Active")
    assert api.get(f"{base}/{pool_id}")["available_instances"] == 4
    api.ok("PATCH", f"{base}/{pool_id}", {"minimum_instances": 1, "maximum_instances": 1})
    assert api.get(f"{base}/{pool_id}")["status"] == "ScalingDown"
    wait_until(lambda: api.get(f"{base}/{pool_id}")["available_instances"] == 1)
    api.ok("PATCH", f"{base}/{pool_id}", {"labels": {"a": "b"}})
    assert api.get(f"{base}/{pool_id}")["status"] == "Updating"
    wait_until(lambda: api.get(f"{base}/{pool_id}")["status"] == "Active")
    api.ok("DELETE", f"{base}/{pool_id}")
    assert api.get(f"{base}/{pool_id}")["status"] == "Deleting"
    wait_until(lambda: api.call("GET", f"{base}/{pool_id}")[0] == 404)


def test_pool_quota(api: Api, emulator: Emulator) -> None:
    # The seeded clusters of project 25454 are 4821..4832; flavor names say their vCPUs.
    used = sum(
        pool["target_instances"] * int(pool["flavor"].split("-")[0][1:])
        for pool in emulator.pools.values()
        if SEEDED <= pool["kaas_id"] < SEEDED + 12
    )
    emulator.project_cores_quota = used + 10  # room for one 8-vCPU instance, not three
    base = f"{KAAS}/{SEEDED}/instance_pools"
    flavor = "a8-ram32-disk50-perf1"
    pool_id = api.ok("POST", base, {"name": "big", "flavor": flavor, "minimum_instances": 3})
    wait_until(lambda: api.get(f"{base}/{pool_id}")["status"] == "FailedQuota")
    pool = api.get(f"{base}/{pool_id}")
    assert pool["error_messages"] == ["Quota exceeded for cores"]
    assert pool["available_instances"] == 0
    small = api.ok("POST", base, {"name": "small", "flavor": flavor, "minimum_instances": 1})
    wait_until(lambda: api.get(f"{base}/{small}")["status"] == "Active")
    api.ok("PATCH", f"{base}/{small}", {"minimum_instances": 5})
    wait_until(lambda: api.get(f"{base}/{small}")["status"] == "FailedQuota")
    assert api.get(f"{base}/{small}")["available_instances"] == 1


def test_pool_validation(api: Api) -> None:
    base = f"{KAAS}/{SEEDED}/instance_pools"
    assert api.fields("POST", base, {}) == ["name", "flavor", "minimum_instances"]
    fields = api.fields(
        "POST",
        base,
        {
            "name": "p",
            "flavor": "nope",
            "minimum_instances": 0,
            "availability_zone": "dc3-a-04",
            "prefix": "Bad_",
        },
    )
    assert fields == ["flavor", "minimum_instances", "availability_zone", "prefix"]
    too_few = {"name": "p", "flavor": "a1-ram2-disk20-perf1", "minimum_instances": 3}
    assert api.fields("POST", base, {**too_few, "maximum_instances": 2}) == ["maximum_instances"]
    creating = _new_cluster(api)
    status, payload, _ = api.call("POST", f"{KAAS}/{creating}/instance_pools", too_few)
    assert (status, payload["error"]["code"]) == (400, "cannot_create_worker_pool")


def test_kubeconfig_is_enveloped_yaml_naming_the_cluster(api: Api, emulator: Emulator) -> None:
    status, payload, response = api.call("GET", f"{KAAS}/{SEEDED}/kube_config")
    assert status == 200 and response.headers["Content-Type"].startswith("application/json")
    name = emulator.clusters[SEEDED]["open_stack_name"]
    text = payload["data"]
    assert text.startswith("apiVersion: v1\nkind: Config\n")
    assert f"  name: {name}\n" in text and f"current-context: {name}\n" in text


def test_apiserver_merge_and_validation(api: Api) -> None:
    path = f"{KAAS}/{SEEDED + 1}/apiserver"
    empty = api.get(path)
    assert empty["apiserver_params"] == []  # PHP's empty map
    params = {"--oidc-issuer-url": "https://id.example", "--oidc-client-id": "k"}
    api.ok("PATCH", path, {"apiserver_params": params, "audit-policy": "kind: Policy"})
    api.ok("PATCH", path, {"apiserver_params": {"--oidc-client-id": None}})
    current = api.get(path)
    assert current["apiserver_params"] == {"--oidc-issuer-url": "https://id.example"}
    assert current["audit-policy"] == "kind: Policy"
    bad = {
        "--oidc-username-claim": "login",
        "--oidc-signing-algs": "RS256,HS256",
        "--oidc-groups-prefix": "a b",
        "--oidc-required-claim": "novalue",
    }
    assert api.fields("PATCH", path, {"apiserver_params": bad, "oidc_ca": "not a cert"}) == [
        *(f"apiserver_params.{key}" for key in bad),
        "oidc_ca",
    ]


def test_ip_filters_validation(api: Api) -> None:
    path = f"{KAAS}/{SEEDED}/ip_filters"
    assert api.fields("PUT", path, {"ip_filters": ["10.0.0.0/8", "300.1.1.1/8"]}) == [
        "ip_filters.1"
    ]
    assert api.fields("PUT", path, {}) == ["ip_filters"]
    api.ok("PUT", path, {"ip_filters": ["2001:db8::/32"]})
    assert api.get(path) == ["2001:db8::/32"]
    api.ok("DELETE", path)
    assert api.get(path) == []


def test_filters_and_reference_data(api: Api) -> None:
    query = [("filter[statuses][]", "Nope")]
    assert api.fields("GET", KAAS, query=query) == ["filter.statuses"]
    dc3 = api.get(KAAS, **{"filter[regions][]": "dc3-a"})
    assert dc3 and {c["region"] for c in dc3} == {"dc3-a"}
    assert api.fields("GET", "/1/public_clouds/kaas/availability_zones") == ["region"]
    assert api.get("/1/public_clouds/kaas/availability_zones", region="dc3-a") == [
        "dc3-a-04",
        "dc3-a-09",
        "dc3-a-10",
    ]
    dc3_flavors = api.get(f"{KAAS}/flavors", region="dc3-a", **{"filter[available]": "false"})
    assert dc3_flavors and all(f["is_gpu_optimized"] for f in dc3_flavors)
    assert api.get(f"{KAAS}/flavors/filters", region="dc3-a")["gpu_types"] == []
    other_project = "/1/public_clouds/1332/projects/25455/kaas"
    assert api.call("GET", f"{other_project}/{SEEDED}")[0] == 404


def test_example_script_runs_against_its_emulator() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("INFOMANIAK_")}
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "examples" / "kubernetes.py")],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.count("workers Active 3") == 2
    assert "## blocking Client" in out and "## AsyncClient" in out
    assert "cluster prod Active 1.35" in out and "cluster prod-async Active 1.35" in out
    assert "prod Active dc4-a" in out and "My Kubernetes Service Active dc4-a" in out
    assert out.count("deleted cluster") == 2
    assert "token:" not in out
