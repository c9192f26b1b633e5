"""Emulator realism (issue 11), over real HTTP: the variant shapes the live API is
documented to send, the requests it refuses, and the timing profiles."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from infomaniak.testing import Emulator
from infomaniak.testing.__main__ import parse_args
from infomaniak.testing._realism import DURATIONS, UNKNOWN_KEY, VARIANTS, Realism

from .test_emulator import CLOUD, PROJECTS, STRONG, Api, nested, wait_task, wait_until

ACCOUNT = {"account_id": 42}
WITH_ALL = {"with": "status,users,admin"}


@pytest.fixture
def api() -> Iterator[Api]:
    # Its own realistic emulator: these tests hold whatever --infomaniak-profile says.
    emu = Emulator(profile="realistic")
    with emu.in_thread():
        yield Api(emu)
    assert emu.schema_errors == []


@pytest.fixture
def tidy() -> Iterator[Api]:
    emu = Emulator(profile="tidy")
    with emu.in_thread():
        yield Api(emu)
    assert emu.schema_errors == []


def _clouds(api: Api) -> list[dict[str, Any]]:
    clouds: list[dict[str, Any]] = api.get("/1/public_clouds", **ACCOUNT, **WITH_ALL)
    return clouds


def _all_projects(api: Api) -> list[dict[str, Any]]:
    return [
        project
        for cloud_id in api.emu.clouds
        for project in api.get(f"/1/public_clouds/{cloud_id}/projects")
    ]


# ---------------------------------------------------------------------------- shapes sent


def test_the_defaults_are_realistic_with_fast_timings(
    emulator: Emulator, request: pytest.FixtureRequest
) -> None:
    default = Emulator()
    assert (default.profile, default.timings, default.time_scale) == ("realistic", "fast", 1.0)
    assert default.task_duration == default.provision_duration == 0.05
    # The fixture follows the pytest options (default: realistic, fast, 1).
    options = request.config.getoption
    assert emulator.profile == options("--infomaniak-profile")
    assert emulator.timings == options("--infomaniak-timings")
    assert emulator.time_scale == options("--infomaniak-time-scale")


def test_config_period_is_null(api: Api) -> None:
    config = api.get("/1/public_clouds/config", **ACCOUNT)
    assert (config["valid_from"], config["valid_to"]) == (None, None)


def test_cloud_variants_each_on_some_products_only(api: Api) -> None:
    clouds = _clouds(api)

    def some(predicate: Any) -> bool:
        hits = sum(1 for cloud in clouds if predicate(cloud))
        return 0 < hits < len(clouds)

    assert some(lambda c: c["public_cloud"]["price"] is None)
    assert some(lambda c: c["public_cloud"]["billing_end_at"] is not None)
    assert some(lambda c: isinstance(c.get("deleted_at"), int))
    assert some(lambda c: c["rights"] == [])  # PHP's empty object
    assert some(lambda c: UNKNOWN_KEY in c)
    assert some(lambda c: isinstance(c["status"]["maintenance"], bool))
    assert some(lambda c: isinstance(c["status"]["maintenance"], dict))
    assert some(lambda c: isinstance(c["status"]["locked"], bool))
    assert some(lambda c: not isinstance(c["status"]["activated_by"], list))
    counted = [tag for cloud in clouds for tag in cloud["tags"] if "product_count" in tag]
    assert counted and any("product_count" not in t for c in clouds for t in c["tags"])
    for tag in counted:
        assert tag["product_count"] == sum(
            1 for cloud in clouds if tag["id"] in {t["id"] for t in cloud["tags"]}
        )


def test_project_and_user_variants(api: Api) -> None:
    projects = _all_projects(api)
    statuses = {project["status"] for project in projects}
    # Outside the project status enum, inside the list's filter enum (CATALOG §5.2 #6).
    assert statuses & {"suspended", "blocked"}
    assert any("deleted_at" in p for p in projects) and any("deleted_at" not in p for p in projects)
    assert all(p["deleted_at"] is None for p in projects if "deleted_at" in p)
    assert any(p["billing_end_at"] is not None for p in projects)
    assert any(p["meta"] == [] for p in projects) and any(p["meta"] for p in projects)
    assert any(UNKNOWN_KEY in p for p in projects)
    users = [
        u
        for p in api.get(PROJECTS)
        for u in api.get(f"{PROJECTS}/{p['public_cloud_project_id']}/users")
    ]
    assert any(UNKNOWN_KEY in u for u in users) and any(UNKNOWN_KEY not in u for u in users)
    # The first project of the spec's example stays usable for walkthroughs.
    assert api.get(f"{PROJECTS}/25454")["status"] == "ok"


def test_202_answers_delayed_and_success(api: Api) -> None:
    results: dict[str, str] = {}
    for number in range(8):
        status, payload = api.call(
            "POST", PROJECTS, body={"project_name": f"p{number}", "user_password": STRONG}
        )
        assert status == 202
        results[payload["data"]] = payload["result"]
    assert set(results.values()) == {"asynchronous", "delayed"}
    for task_uuid in results:  # "delayed" carries a task UUID to follow, like "asynchronous"
        assert wait_task(api, task_uuid)["status"] == "executed"

    users = f"{PROJECTS}/25454/users"
    status, payload = api.call("POST", f"{users}/56321/invite", body={"email": "a@b.ch"})
    assert (status, payload["result"]) == (202, "success")  # CATALOG §5.3 #18
    wait_task(api, payload["data"])
    status, payload = api.call("DELETE", f"{users}/56321")
    assert (status, payload["result"]) == (202, "success")  # CATALOG §5.3 #17
    wait_task(api, payload["data"])
    assert api.call("GET", f"{users}/56321")[0] == 404


def test_delayed_only_with_a_task_uuid() -> None:
    emu = Emulator(async_mode="id")
    with emu.in_thread():
        api = Api(emu)
        results = {
            api.call("POST", PROJECTS, body={"project_name": f"p{n}", "user_password": STRONG})[1][
                "result"
            ]
            for n in range(8)
        }
    assert results == {"asynchronous"}
    assert emu.schema_errors == []


def test_tidy_profile_sends_the_spec_shapes(tidy: Api) -> None:
    api = tidy
    config = api.get("/1/public_clouds/config", **ACCOUNT)
    assert isinstance(config["valid_from"], int) and isinstance(config["valid_to"], int)
    clouds = _clouds(api)
    assert all(isinstance(c["status"]["maintenance"], dict) for c in clouds)
    assert all(isinstance(c["status"]["activated_by"], list) for c in clouds)
    assert all(isinstance(c["rights"], dict) and c["rights"] for c in clouds)
    assert not any("deleted_at" in c or UNKNOWN_KEY in c for c in clouds)
    assert all(c["public_cloud"]["billing_end_at"] is None for c in clouds)
    assert not any("product_count" in t for c in clouds for t in c["tags"])
    projects = _all_projects(api)
    assert {p["status"] for p in projects} <= {"ok", "error", "disabled"}
    assert not any("deleted_at" in p or UNKNOWN_KEY in p for p in projects)
    results = {
        api.call("POST", PROJECTS, body={"project_name": f"p{n}", "user_password": STRONG})[1][
            "result"
        ]
        for n in range(8)
    }
    assert results == {"asynchronous"}
    assert api.call("DELETE", f"{PROJECTS}/25454/users/56321")[1]["result"] == "asynchronous"


def test_variants_are_deterministic_from_the_seed() -> None:
    assert Emulator(seed=5).clouds == Emulator(seed=5).clouds
    assert Emulator(seed=5).projects == Emulator(seed=5).projects
    picked = {seed: Realism("realistic", seed) for seed in (1, 2)}
    choices = {
        seed: [realism.picks("cloud.price_null", key) for key in range(200)]
        for seed, realism in picked.items()
    }
    assert choices[1] != choices[2]
    share = VARIANTS["cloud.price_null"].share
    assert abs(sum(choices[1]) / 200 - share) < 0.1
    assert not any(Realism("tidy", 1).picks(name, 7) for name in VARIANTS)
    with pytest.raises(ValueError, match="profile"):
        Emulator(profile="messy")  # type: ignore[arg-type]


# ---------------------------------------------------------------------------- requests refused


def test_status_filter_outside_the_documented_enum_is_refused(api: Api) -> None:
    for value in ("disabled", "disabling"):
        status, payload = api.call("GET", PROJECTS, query={"filter[status][]": value})
        assert status == 422 and payload["error"]["code"] == "validation_failed"
        error = payload["error"]["errors"][0]
        assert error["context"]["attribute"] == "filter.status"
        assert value not in error["context"]["values"] and "suspended" in error["context"]["values"]
    # States the project's own enum lacks are found through the filter.
    suspended = api.get(PROJECTS, **{"filter[status][]": "suspended"})
    assert suspended and {p["status"] for p in suspended} == {"suspended"}
    # The user list's enum does have disabled.
    assert api.get(f"{PROJECTS}/25454/users", **{"filter[status][]": "disabled"}) == []


def test_order_for_sets_a_direction_but_adds_no_sort_key(api: Api) -> None:
    unsorted = [p["name"] for p in api.get(PROJECTS)]
    assert unsorted != sorted(unsorted, key=str.casefold)
    assert [p["name"] for p in api.get(PROJECTS, **{"order_for[name]": "desc"})] == unsorted
    by_name = [p["name"] for p in api.get(PROJECTS, order_by="name", **{"order_for[name]": "desc"})]
    assert by_name == sorted(unsorted, key=str.casefold, reverse=True)
    # order is the default of every key; order_for overrides one of them.
    mixed = api.get(
        PROJECTS, order_by="resource_level,name", order="desc", **{"order_for[name]": "asc"}
    )
    keys = [(p["resource_level"], p["name"].casefold()) for p in mixed]
    assert keys == sorted(keys, key=lambda k: (-k[0], k[1]))
    status, payload = api.call("GET", PROJECTS, query={"order_for[name]": "sideways"})
    assert status == 422 and nested(payload)[0][0] == "order_for.name"


def test_with_is_a_comma_separated_string(api: Api) -> None:
    assert {"status", "admin"} <= set(api.get(CLOUD, **{"with": "status,admin"}))
    status, payload = api.call("GET", CLOUD, query=[("with[]", "status")])
    assert status == 422 and nested(payload) == [("with", "The with must be a string.")]


def test_items_is_the_documented_page_size_alias(api: Api) -> None:
    # CATALOG §3.5 / §6: the spec's name is per_page; XLL sends items, accepted too.
    _, payload = api.call("GET", PROJECTS, query={"page": 1, "items": 4})
    assert payload["items_per_page"] == 4 and len(payload["data"]) == 4
    _, payload = api.call("GET", PROJECTS, query={"page": 1, "per_page": 3, "items": 4})
    assert payload["items_per_page"] == 3


def test_method_override_only_to_delete(api: Api) -> None:
    project = f"{PROJECTS}/25456"
    for override in ({"X-HTTP-Method-Override": "PATCH"}, {"X-HTTP-Method-Override": "PUT"}):
        status, payload = api.call("POST", project, headers=override, body={"name": "x"})
        assert (status, payload["error"]["code"]) == (404, "method_not_found")
    status, payload = api.call("POST", project, query={"_method": "PATCH"}, body={"name": "x"})
    assert (status, payload["error"]["code"]) == (404, "method_not_found")
    assert api.emu.projects[25456]["name"] != "x"
    task_uuid = api.ok("POST", project, query={"_method": "delete"}, data=b"")
    assert wait_task(api, task_uuid)["status"] == "executed"
    assert 25456 not in api.emu.projects


# ---------------------------------------------------------------------------- timings


def test_real_timings_scaled() -> None:
    emu = Emulator(timings="real", time_scale=0.001)
    assert emu.durations == {name: real * 0.001 for name, (_, real) in DURATIONS.items()}
    assert emu.task_duration == pytest.approx(0.01)
    assert emu.provision_duration == pytest.approx(0.03)
    with emu.in_thread():
        api = Api(emu)
        started = time.monotonic()
        task = wait_task(
            api, api.ok("POST", PROJECTS, body={"project_name": "r", "user_password": STRONG})
        )
        project_id = task["response"]["data"]
        wait_until(lambda: api.get(f"{PROJECTS}/{project_id}")["status"] == "ok")
        elapsed = time.monotonic() - started
    assert 0.04 <= elapsed < 2.0
    assert emu.schema_errors == []


def test_real_timings_unscaled_take_real_time() -> None:
    emu = Emulator(timings="real")
    assert (emu.task_duration, emu.provision_duration) == (10.0, 30.0)
    with emu.in_thread():
        api = Api(emu)
        task_uuid = api.ok("POST", PROJECTS, body={"project_name": "slow", "user_password": STRONG})
        time.sleep(0.1)
        assert api.get(f"/1/async/tasks/{task_uuid}")["status"] == "spooled"
    assert emu.schema_errors == []


def test_explicit_durations_win_and_bad_timings_are_refused() -> None:
    emu = Emulator(timings="real", time_scale=0.5, task_duration=0.2)
    assert (emu.task_duration, emu.provision_duration) == (0.2, 15.0)
    assert Emulator(time_scale=2).task_duration == pytest.approx(0.1)
    with pytest.raises(ValueError, match="timings"):
        Emulator(timings="slow")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="time_scale"):
        Emulator(time_scale=-1)


def test_command_line_flags() -> None:
    args = parse_args(["--profile", "tidy", "--timings", "real", "--time-scale", "0.001"])
    assert (args.profile, args.timings, args.time_scale) == ("tidy", "real", 0.001)
    defaults = parse_args([])
    assert (defaults.profile, defaults.timings, defaults.time_scale) == ("realistic", "fast", 1.0)
    assert defaults.task_duration is None and defaults.provision_duration is None


# ---------------------------------------------------------------------------- Kubernetes

KAAS = f"{PROJECTS}/25454/kaas"


def test_kubernetes_variants(api: Api) -> None:
    packs = api.get("/1/public_clouds/kaas/packs")
    assert sorted(type(pack["is_active"]).__name__ for pack in packs) == ["bool", "str"]
    assert "true" in [pack["is_active"] for pack in packs]
    clusters = api.get("/1/public_clouds/kaas", account_id=42, **{"with": "packs"})
    assert {type(c["pack"]["is_active"]).__name__ for c in clusters} <= {"bool", "str"}
    assert any(UNKNOWN_KEY in c for c in clusters) and any(UNKNOWN_KEY not in c for c in clusters)
    pools = api.get(f"{KAAS}/4821/instance_pools")
    assert any(pool["labels"] == [] for pool in pools)  # PHP's empty map
    assert any(pool["labels"] == {"node-role.kubernetes.io/worker": "high"} for pool in pools)
    assert any("error_messages" not in pool for pool in pools)
    assert any(pool.get("error_messages") == [] for pool in pools)
    one = pools[0]
    assert api.get(f"{KAAS}/4821/instance_pools/{one['instance_pool_id']}") == one


def test_kubernetes_tidy(tidy: Api) -> None:
    assert all(p["is_active"] is True for p in tidy.get("/1/public_clouds/kaas/packs"))
    pools = tidy.get(f"{KAAS}/4821/instance_pools")
    assert all(isinstance(p["labels"], dict) and p["error_messages"] == [] for p in pools)
    assert not any(UNKNOWN_KEY in c for c in tidy.get("/1/public_clouds/kaas", account_id=42))


def test_kubernetes_real_timings_scaled() -> None:
    emu = Emulator(timings="real", time_scale=0.001)
    with emu.in_thread():
        api = Api(emu)
        body = {"name": "timed", "region": "dc4-a", "kubernetes_version": "1.33", "kaas_pack_id": 2}
        status, payload = api.call("POST", KAAS, body=body)
        assert status == 201
        kaas_id = payload["data"]
        started = time.monotonic()
        assert api.get(f"{KAAS}/{kaas_id}")["status"] == "Creating"
        wait_until(lambda: api.get(f"{KAAS}/{kaas_id}")["status"] == "Active")
        # A 5-minute creation at a thousandth of the time: 0.3 s.
        assert 0.2 <= time.monotonic() - started < 2.0
    assert emu.schema_errors == []


# ---------------------------------------------------------------------------- databases

DBAAS = f"{PROJECTS}/25454/dbaas"
NEW_DB = {"name": "orders", "type": "mysql", "version": "8.0.42", "region": "dc4-a", "pack_id": 1}


def test_database_variants(api: Api) -> None:
    services = api.get("/1/public_clouds/dbaas", account_id=42)
    sized = [s for s in services if "total_backup_size" in s]
    assert sized and len(sized) < len(services)
    assert all(isinstance(s["total_backup_size"], int) for s in sized)
    inline = next(s for s in services if "configuration" in s)
    assert inline["configuration"] == []  # PHP's empty map
    project_id = next(
        pid
        for pid, project in api.emu.projects.items()
        if project["public_cloud_id"] == 1332
        and inline["id"] in {s["id"] for s in api.get(f"{PROJECTS}/{pid}/dbaas")}
    )
    base = f"{PROJECTS}/{project_id}/dbaas/{inline['id']}"
    assert api.ok("PUT", f"{base}/configurations", body={"max_connections": 300}) is True
    shown = api.get(base)["configuration"]
    assert shown == {"max_connections": "300"}  # numbers as strings (TF)
    # connection: [] until the service is ready (TF).
    status, payload = api.call("POST", DBAAS, body=NEW_DB)
    assert status == 201
    path = f"{DBAAS}/{payload['data']['id']}"
    assert api.get(path, **{"with": "connection"})["connection"] == []
    wait_until(lambda: api.get(path)["status"] == "ready")
    assert api.get(path, **{"with": "connection"})["connection"]["port"] == "3306"


def test_database_real_timings_scaled() -> None:
    emu = Emulator(timings="real", time_scale=0.001)
    with emu.in_thread():
        api = Api(emu)
        status, payload = api.call("POST", DBAAS, body=NEW_DB)
        started = time.monotonic()
        assert status == 201
        path = f"{DBAAS}/{payload['data']['id']}"
        assert api.get(path)["status"] == "initializing"
        wait_until(lambda: api.get(path)["status"] == "ready")
        assert 0.15 <= time.monotonic() - started < 2.0  # 4 minutes at a thousandth: 0.24 s
    assert emu.schema_errors == []
