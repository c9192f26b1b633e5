"""What the ``tidy`` profile sends, exactly (issue 18, point 14).

A tour of every route the emulator serves (reads of the seeded data, then
creations, updates and deletions, then the reads again) with ``profile="tidy"``;
each JSON answer is checked against the official schemas *as exported*, without
the relaxations the emulator's own check allows (``spec_schemas.json``, derived
from the OpenAPI exports by running this file: ``python
tests/emulator/test_tidy_profile.py /path/to/shared/openapi``). Every difference
must be one of ``TIDY_DIFFERENCES``, each of which docs/emulator.md lists; and
each of them is seen, so the list never says more than the emulator does.
"""

from __future__ import annotations

import json
import re
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import urllib3

from infomaniak.testing import Emulator

HERE = Path(__file__).resolve().parent
SCHEMAS = HERE / "spec_schemas.json"
DOC = HERE.parents[1] / "docs" / "emulator.md"

CLOUD = "/1/public_clouds/1332"
PROJECT = f"{CLOUD}/projects/25454"
KAAS = f"{PROJECT}/kaas"
CLUSTER = f"{KAAS}/4821"
DBAAS = f"{PROJECT}/dbaas"
SERVICE = f"{DBAAS}/7341"
USERS = f"{PROJECT}/users"

# name -> (what docs/emulator.md says, where: the regex of "METHOD template -> status: path").
TIDY_DIFFERENCES: dict[str, tuple[str, str]] = {
    "cloud.nested_billing": (
        "`price`, `price_updated_at`, `billing_start_at`, `billing_end_at`, "
        "`project_count` and `updated_at` of a Public Cloud are only inside `public_cloud`",
        r"GET /1/public_clouds(/\{public_cloud_id\})? -> 200: data(/\d+)?: '(price|price_updated_at"
        r"|billing_start_at|billing_end_at|project_count|updated_at)' is a required property",
    ),
    "status.nested_flags": (
        "`technical`, `superuser` and `infomaniak` of a product status are only inside "
        "`maintenance` and `locked`",
        r"GET /1/public_clouds(/\{public_cloud_id\})? -> 200: data(/\d+)?/status: "
        r"'(technical|superuser|infomaniak)' is a required property",
    ),
    "task.unfinished": (
        "`executed_at`, `finished_at` and `response` of a task are null until it has run",
        r"GET /1/async/tasks(/\{task_uuid\})? -> 200: data(/\d+)?/(executed_at|finished_at"
        r"|response): None is not of type",
    ),
    "reply.task_uuid": (
        'a 202 answers a task UUID in `data` (`async_mode="id"`: the new id or `true`, '
        "as the spec says)",
        r"(POST|PATCH|DELETE) \S+ -> 202: data: '[0-9a-f-]{36}' is not of type",
    ),
    "pool.labels_map": (
        "instance pool `labels` are a map (`{}` when empty)",
        r"\S+ \S+instance_pools(/\{kaas_worker_pool_id\})? -> 20[01]: data(/\d+)?/labels: .* is "
        r"not of type 'array'",
    ),
    "kaas_pack.shapes": (
        "a Kubernetes pack's `is_active` is a boolean and `price_per_hour` a map by currency",
        r"GET /1/public_clouds/kaas/packs -> 200: data/\d+/(is_active|price_per_hour): .* is not "
        r"of type '(string|array)'",
    ),
    "flavor.rates": (
        "a flavor's `rates` is one object `{hour_excl_tax, hour_incl_tax}`",
        r"GET \S+/kaas/flavors -> 200: data/\d+(/rates)?: ('hour_(excl|incl)_tax' is a required "
        r"property|.* is not of type 'array')",
    ),
    "flavor.filters": (
        "the flavor filters `cpu`, `ram`, `storage` and `rates` are `{min, max, values}` objects",
        r"GET \S+/kaas/flavors/filters -> 200: data(/(cpu|ram|storage|rates))?: ('(min|max|values)'"
        r" is a required property|.* is not of type 'string')",
    ),
    "apiserver.object": (
        "a cluster's `apiserver` is an object whose `apiserver_params` is a map",
        r"GET \S+/apiserver -> 200: data: .* is not of type 'array'",
    ),
    "dbaas_pack.rates": (
        "a database pack's `rates` is a map by currency (`{CHF: {...}, EUR: {...}}`)",
        r"GET /1/public_clouds(/\{public_cloud_id\}/projects/\{public_cloud_project_id\})?/dbaas"
        r"(/packs)?(/\{dbaas_id\})? -> 200: data(/\d+)?(/pack)?/rates: .* is not of type 'array'",
    ),
    "dbaas.connection": (
        "a database service's `connection` is an object once it is ready (`[]` before)",
        r"GET \S+/dbaas(/\{dbaas_id\})? -> 200: data(/\d+)?/connection: .* is not of type 'array'",
    ),
    "dbaas.configurations": (
        "the configurations of a service are a map of variables (`[]` when none is set), "
        "and the account-level `dbaas/configurations` an object",
        r"GET \S+/configurations -> 200: data: .* is not of type 'array'",
    ),
    "backup.unfinished": (
        "a backup's `completed_at` is null until it has finished",
        r"\S+ \S+/backups(/\{backup_id\})? -> 20[01]: data(/\d+)?/completed_at: "
        r"None is not of type",
    ),
    "restore.shapes": (
        "a restore's `new_service` is an object (or null in place) and its `pitr_date` null "
        "for a restore from a backup",
        r"\S+ \S+/restores(/\{restore_id\})? -> 20[01]: data(/\d+)?/(new_service|pitr_date): .* is"
        r" not of type '(array|string)'",
    ),
    "accesses.object": (
        "`/1/public_clouds/accesses` is `{is_maintenance_ongoing: bool}`",
        r"GET /1/public_clouds/accesses -> 200: data: .* is not of type 'array'",
    ),
}


def _validators() -> dict[str, dict[str, Any]]:
    from jsonschema import Draft202012Validator

    document = json.loads(SCHEMAS.read_text(encoding="utf-8"))
    return {
        route: {status: Draft202012Validator(schema) for status, schema in statuses.items()}
        for route, statuses in document["routes"].items()
    }


class Tour:
    def __init__(self, emulator: Emulator) -> None:
        self.emulator = emulator
        self.http = urllib3.PoolManager(retries=False, timeout=10.0)
        self.validators = _validators()
        self.differences: list[str] = []
        self.checked = 0
        self.beyond_spec: set[str] = set()

    def call(self, method: str, template: str, path: str, body: Any = None) -> Any:
        headers = {"Authorization": f"Bearer {self.emulator.token}"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        answer = self.http.request(method, self.emulator.url + path, body=data, headers=headers)
        assert answer.status < 300, (method, path, answer.status, answer.data[:300])
        if not answer.headers.get("Content-Type", "").startswith("application/json"):
            return None
        payload = json.loads(answer.data)
        statuses = self.validators.get(f"{method} {template}")
        if statuses is None:
            self.beyond_spec.add(f"{method} {template}")  # a route the spec lacks
            return payload.get("data")
        validator = statuses.get(str(answer.status))
        assert validator is not None, f"{method} {template} -> {answer.status}: not in the spec"
        self.checked += 1
        for error in validator.iter_errors(payload):
            where = "/".join(str(part) for part in error.absolute_path) or "<root>"
            message = error.message.replace("\n", " ")
            self.differences.append(f"{method} {template} -> {answer.status}: {where}: {message}")
        return payload.get("data")

    def get(self, template: str, path: str | None = None) -> Any:
        return self.call("GET", template, path or template)


C = "/1/public_clouds/{public_cloud_id}"
P = C + "/projects/{public_cloud_project_id}"


def _reads(tour: Tour, *, kaas_id: int, pool_id: int, dbaas_id: int) -> None:
    cluster = f"{KAAS}/{kaas_id}"
    service = f"{DBAAS}/{dbaas_id}"
    tour.get("/1/public_clouds", "/1/public_clouds?account_id=42&with=status")
    tour.get("/1/public_clouds/config", "/1/public_clouds/config?account_id=42")
    tour.get("/1/public_clouds/accesses", "/1/public_clouds/accesses?account_id=42")
    tour.get(C, f"{CLOUD}?with=status")
    tour.get(C + "/projects", f"{CLOUD}/projects")
    tour.get(P, PROJECT)
    tour.get(P + "/users", USERS)
    tour.get("/1/async/tasks", "/1/async/tasks?order_by=id")
    for what in ("packs", "versions", "regions", "availability_zones"):
        tour.get(f"/1/public_clouds/kaas/{what}", f"/1/public_clouds/kaas/{what}?region=dc4-a")
    tour.get("/1/public_clouds/kaas", "/1/public_clouds/kaas?account_id=42")
    tour.get(P + "/kaas/flavors", f"{KAAS}/flavors?region=dc4-a")
    tour.get(P + "/kaas/flavors/filters", f"{KAAS}/flavors/filters?region=dc4-a")
    tour.get(P + "/kaas", KAAS)
    tour.get(P + "/kaas/{kaas_id}", cluster)
    tour.get(P + "/kaas/{kaas_id}/kube_config", f"{cluster}/kube_config")
    tour.get(P + "/kaas/{kaas_id}/apiserver", f"{cluster}/apiserver")
    tour.get(P + "/kaas/{kaas_id}/ip_filters", f"{cluster}/ip_filters")
    tour.get(P + "/kaas/{kaas_id}/instance_pools", f"{cluster}/instance_pools")
    pool = P + "/kaas/{kaas_id}/instance_pools/{kaas_worker_pool_id}"
    tour.get(pool, f"{CLUSTER}/instance_pools/{pool_id}")  # pools of the Active cluster
    for what in ("regions", "types", "packs", "packs/filters", "configurations"):
        tour.get(f"/1/public_clouds/dbaas/{what}", f"/1/public_clouds/dbaas/{what}")
    tour.get("/1/public_clouds/dbaas", "/1/public_clouds/dbaas?account_id=42")
    tour.get(P + "/dbaas", f"{DBAAS}?with=connection,packs,projects,tags")
    s = P + "/dbaas/{dbaas_id}"
    tour.get(s, f"{service}?with=connection,packs")
    for what in ("backups", "backup_schedules", "restores", "configurations", "ip_filters"):
        tour.get(f"{s}/{what}", f"{service}/{what}")
    tour.get(s + "/password", f"{service}/password")
    backups = tour.get(s + "/backups", f"{service}/backups")
    if backups:
        tour.get(s + "/backups/{backup_id}", f"{service}/backups/{backups[0]['id']}")
    schedules = tour.get(s + "/backup_schedules", f"{service}/backup_schedules")
    if schedules:
        one = f"{service}/backup_schedules/{schedules[0]['id']}"
        tour.get(s + "/backup_schedules/{backup_schedule_id}", one)
    restores = tour.get(s + "/restores", f"{service}/restores")
    if restores:
        tour.get(s + "/restores/{restore_id}", f"{service}/restores/{restores[0]['id']}")


def _writes(tour: Tour) -> tuple[int, int, int]:
    user = {"description": "ci", "password": "Sup3rSecretPassw0rd"}
    tour.call("POST", P + "/users", USERS, user)
    project = {"project_name": "tour", "user_password": "Sup3rSecretPassw0rd"}
    task = tour.call("POST", C + "/projects", f"{CLOUD}/projects", project)
    tour.get("/1/async/tasks/{task_uuid}", f"/1/async/tasks/{task}")
    tour.call("PATCH", P, PROJECT, {"name": "renamed"})
    cluster = {"name": "c", "region": "dc4-a", "kubernetes_version": "1.34", "kaas_pack_id": 2}
    kaas_id = tour.call("POST", P + "/kaas", KAAS, cluster)
    tour.call("PATCH", P + "/kaas/{kaas_id}", CLUSTER, {"name": "renamed"})
    params = {"apiserver_params": {"--oidc-issuer-url": "https://id.example"}}
    tour.call("PATCH", P + "/kaas/{kaas_id}/apiserver", f"{CLUSTER}/apiserver", params)
    filters = {"ip_filters": ["192.0.2.0/24"]}
    tour.call("PUT", P + "/kaas/{kaas_id}/ip_filters", f"{CLUSTER}/ip_filters", filters)
    pool = {"name": "w", "flavor": "a2-ram4-disk20-perf1", "minimum_instances": 1}
    pool_id = tour.call(
        "POST", P + "/kaas/{kaas_id}/instance_pools", f"{CLUSTER}/instance_pools", pool
    )
    new = {"name": "orders", "type": "mysql", "version": "8.0.42", "region": "dc4-a", "pack_id": 1}
    dbaas_id = tour.call("POST", P + "/dbaas", DBAAS, new)["id"]
    s = P + "/dbaas/{dbaas_id}"
    tour.call("POST", s + "/backups", f"{SERVICE}/backups")
    config = {"max_connections": 150, "sql_mode": ["STRICT_ALL_TABLES"]}
    tour.call("PUT", s + "/configurations", f"{SERVICE}/configurations", config)
    tour.call("PUT", s + "/ip_filters", f"{SERVICE}/ip_filters", filters)
    backup_id = tour.get(s + "/backups", f"{SERVICE}/backups")[0]["id"]
    restore = {"backup_id": backup_id, "new_service": {"pack_id": 1}}
    tour.call("POST", s + "/restores", f"{SERVICE}/restores", restore)
    tour.call("POST", s + "/restores", f"{SERVICE}/restores", {"backup_id": backup_id})
    return kaas_id, pool_id, dbaas_id


def test_tidy_sends_the_spec_shapes_except_the_documented_differences() -> None:
    emulator = Emulator(profile="tidy", validate_responses=True)
    with emulator.in_thread():
        tour = Tour(emulator)
        _reads(tour, kaas_id=4821, pool_id=9312, dbaas_id=7341)
        ids = _writes(tour)
        _reads(tour, kaas_id=ids[0], pool_id=ids[1], dbaas_id=ids[2])  # while in progress
        time.sleep(0.3)  # fast timings: everything has finished
        _reads(tour, kaas_id=ids[0], pool_id=ids[1], dbaas_id=ids[2])
        assert emulator.schema_errors == []
    assert tour.checked > 100
    unexplained = [
        line
        for line in tour.differences
        if not any(re.match(where, line) for _, where in TIDY_DIFFERENCES.values())
    ]
    assert unexplained == [], "\n".join(unexplained)
    seen = {
        name
        for name, (_, where) in TIDY_DIFFERENCES.items()
        if any(re.match(where, line) for line in tour.differences)
    }
    assert seen == set(TIDY_DIFFERENCES)


@pytest.mark.parametrize("name", sorted(TIDY_DIFFERENCES))
def test_the_docs_list_each_difference_of_tidy(name: str) -> None:
    text = " ".join(DOC.read_text(encoding="utf-8").split())
    assert TIDY_DIFFERENCES[name][0] in text


def _derive(spec_dir: Path) -> None:  # pragma: no cover - run by hand when the spec changes
    root = HERE.parents[1]
    sys.path.insert(0, str(root / "scripts"))
    import derive_schemas  # type: ignore[import-not-found]

    derive_schemas.relax_components = lambda components: None
    derive_schemas.relax_route = lambda *args: None
    document = derive_schemas.derive(spec_dir)
    SCHEMAS.write_text(json.dumps(document, sort_keys=True) + "\n", encoding="utf-8")


if __name__ == "__main__":
    _derive(Path(sys.argv[1]))
