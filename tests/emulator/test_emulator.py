"""Tests of the API emulator itself, over real HTTP (urllib3 / aiohttp), not via the SDK."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any
from urllib.parse import urlencode

import aiohttp
import pytest
import urllib3

from infomaniak.testing import Emulator, Fault, RecordedRequest

TOKEN = "emulator-token"
CLOUD = "/1/public_clouds/1332"
PROJECTS = f"{CLOUD}/projects"
STRONG = "Sup3rSecretPassw0rd"

Query = Sequence[tuple[str, Any]] | dict[str, Any]


class Api:
    """A tiny blocking client: enough HTTP to drive the emulator."""

    def __init__(self, emu: Emulator, token: str | None = TOKEN) -> None:
        self.emu = emu
        self.token = token
        self.http = urllib3.PoolManager(retries=False, timeout=5.0)

    def raw(
        self,
        method: str,
        path: str,
        *,
        query: Query | None = None,
        body: Any = None,
        data: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> urllib3.BaseHTTPResponse:
        url = self.emu.url + path + (f"?{urlencode(query)}" if query else "")
        all_headers = {"Accept": "application/json", **(headers or {})}
        if self.token is not None:
            all_headers["Authorization"] = f"Bearer {self.token}"
        if body is not None:
            data = json.dumps(body).encode()
            all_headers["Content-Type"] = "application/json"
        return self.http.request(method, url, body=data, headers=all_headers)

    def call(self, method: str, path: str, **kwargs: Any) -> tuple[int, Any]:
        response = self.raw(method, path, **kwargs)
        return response.status, json.loads(response.data)

    def ok(self, method: str, path: str, **kwargs: Any) -> Any:
        status, payload = self.call(method, path, **kwargs)
        assert status in (200, 202), (status, payload)
        assert payload["result"] in ("success", "asynchronous", "delayed"), payload
        return payload["data"]

    def get(self, path: str, **query: Any) -> Any:
        return self.ok("GET", path, query=query or None)


def wait_until(predicate: Callable[[], Any], timeout: float = 3.0) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        time.sleep(0.01)


def wait_task(api: Api, task_uuid: str) -> dict[str, Any]:
    def finished() -> dict[str, Any] | None:
        task: dict[str, Any] = api.get(f"/1/async/tasks/{task_uuid}")
        return task if task["status"] in ("executed", "failed") else None

    result: dict[str, Any] = wait_until(finished)
    return result


def nested(payload: dict[str, Any]) -> list[tuple[str | None, str]]:
    return [(e["context"].get("attribute"), e["description"]) for e in payload["error"]["errors"]]


@pytest.fixture
def api(emulator: Emulator) -> Api:
    return Api(emulator)


@pytest.fixture
def id_emulator() -> Iterator[Emulator]:
    emu = Emulator(async_mode="id")
    with emu.in_thread():
        yield emu
    assert emu.schema_errors == []


# ---------------------------------------------------------------------------- auth & routing


def test_startup_is_fast_and_stops_cleanly() -> None:
    emu = Emulator()
    started = time.perf_counter()
    url = emu.start_in_thread()
    elapsed = time.perf_counter() - started
    try:
        assert url.startswith("http://127.0.0.1:") and url == emu.url
        assert elapsed < 0.5
    finally:
        emu.stop_in_thread()
    with pytest.raises(RuntimeError):
        _ = emu.url


@pytest.mark.parametrize("token", [None, "wrong-token"])
def test_auth_required(emulator: Emulator, token: str | None) -> None:
    status, payload = Api(emulator, token=token).call("GET", CLOUD)
    assert status == 401
    assert payload["result"] == "error"
    assert payload["error"]["code"] == "not_authorized"


def test_not_found_and_unknown_route(api: Api) -> None:
    status, payload = api.call("GET", "/1/public_clouds/999999")
    assert (status, payload["error"]["code"]) == (404, "object_not_found")
    assert payload["error"]["description"] == "Object not found"
    status, payload = api.call("GET", f"{PROJECTS}/1")
    assert (status, payload["error"]["code"]) == (404, "object_not_found")
    status, payload = api.call("GET", "/1/nothing/here")
    assert (status, payload["error"]["code"]) == (404, "method_not_found")
    status, payload = api.call("PUT", CLOUD)
    assert (status, payload["error"]["code"]) == (404, "method_not_found")


def test_literal_routes_are_not_captured_by_id_routes(api: Api) -> None:
    config = api.get("/1/public_clouds/config", account_id=42)
    assert config["account_resource_level"] == 2
    assert config["project_count"] == len(api.emu.projects)
    accesses = api.get("/1/public_clouds/accesses", account_id=42)
    assert accesses == {"is_maintenance_ongoing": False}


def test_account_id_is_required_and_checked(api: Api) -> None:
    for query in ({}, {"account_id": "abc"}):
        status, payload = api.call("GET", "/1/public_clouds", query=query)
        assert status == 422
        assert payload["error"]["code"] == "validation_failed"
        assert payload["error"]["errors"][0]["context"]["attribute"] == "account_id"
    status, payload = api.call("GET", "/1/public_clouds/config", query={"account_id": 7})
    assert (status, payload["error"]["code"]) == (404, "object_not_found")


# ---------------------------------------------------------------------------- seed data


def test_seeded_clouds_are_complete_and_deterministic(api: Api) -> None:
    clouds = api.get("/1/public_clouds", account_id=42)
    assert len(clouds) == 37
    assert 1332 in [cloud["id"] for cloud in clouds]
    assert len({cloud["customer_name"] for cloud in clouds}) == 37
    cloud = api.get(CLOUD)
    for name in ("tags", "rights", "public_cloud", "unique_id", "bill_reference", "internal_name"):
        assert name in cloud
    assert cloud["public_cloud"]["project_count"] == 23
    assert "status" not in cloud and "users" not in cloud and "admin" not in cloud
    expanded = api.get(CLOUD, **{"with": "status,users,admin"})
    assert set(expanded) >= {"status", "users", "admin"}
    assert all({"id", "name", "color"} <= set(tag) for c in clouds for tag in c["tags"])
    assert any(c["tags"] for c in clouds)
    assert Emulator(seed=3).clouds == Emulator(seed=3).clouds


def test_seeded_projects_and_users(api: Api) -> None:
    projects = api.get(PROJECTS)
    assert len(projects) == 23
    assert projects[0]["public_cloud_project_id"] == 25454
    for project in projects:
        users = api.get(f"{PROJECTS}/{project['public_cloud_project_id']}/users")
        assert 1 <= len(users) <= 2
        assert len(users) == project["user_count"]
    other = [cid for cid in api.emu.clouds if cid != 1332]
    counts = {len(api.get(f"/1/public_clouds/{cid}/projects")) for cid in other}
    assert counts <= {0, 1, 2}


def test_projects_per_cloud_option() -> None:
    emu = Emulator(clouds=2, projects_per_cloud=4)
    assert len(emu.clouds) == 2
    assert len(emu.projects) == 8
    assert all(1 <= project["user_count"] <= 2 for project in emu.projects.values())
    assert 1332 in Emulator(clouds=1).clouds


# ---------------------------------------------------------------------------- lists


def test_pagination_keys_only_with_page(api: Api) -> None:
    status, payload = api.call("GET", "/1/public_clouds", query={"account_id": 42})
    assert status == 200
    assert set(payload) == {"result", "data"}
    assert len(payload["data"]) == 37

    _, payload = api.call("GET", PROJECTS, query={"page": 3, "per_page": 10})
    assert (payload["total"], payload["page"], payload["pages"]) == (23, 3, 3)
    assert payload["items_per_page"] == 10
    assert len(payload["data"]) == 3

    _, payload = api.call("GET", PROJECTS, query={"page": 1})
    assert payload["items_per_page"] == 15 and len(payload["data"]) == 15

    _, payload = api.call("GET", PROJECTS, query={"page": 2, "items": 20})
    assert payload["items_per_page"] == 20 and len(payload["data"]) == 3


def test_pages_cover_every_item_once(api: Api) -> None:
    seen: list[int] = []
    page = 1
    while True:
        _, payload = api.call("GET", PROJECTS, query={"page": page, "per_page": 10})
        seen += [project["public_cloud_project_id"] for project in payload["data"]]
        if page >= payload["pages"]:
            break
        page += 1
    assert seen == [project["public_cloud_project_id"] for project in api.get(PROJECTS)]
    assert len(set(seen)) == 23


def test_limit_skip_and_return_total(api: Api) -> None:
    everything = api.get(PROJECTS)
    assert api.get(PROJECTS, limit=5, skip=2) == everything[2:7]
    assert api.get(PROJECTS, skip=20) == everything[20:]
    status, payload = api.call("GET", PROJECTS, query={"return": "total"})
    assert status == 200 and payload["data"] == 23
    status, payload = api.call("GET", PROJECTS, query={"page": 0})
    assert status == 422 and nested(payload)[0][0] == "page"


def test_empty_list(api: Api) -> None:
    empty = next(
        cid for cid, cloud in api.emu.clouds.items() if cloud["public_cloud"]["project_count"] == 0
    )
    _, payload = api.call("GET", f"/1/public_clouds/{empty}/projects", query={"page": 1})
    assert payload["data"] == []
    assert (payload["total"], payload["page"], payload["pages"]) == (0, 1, 1)
    _, payload = api.call("GET", f"/1/public_clouds/{empty}/projects")
    assert payload == {"result": "success", "data": []}


def test_search_filter_is_case_insensitive(api: Api) -> None:
    found = api.get("/1/public_clouds", account_id=42, **{"filter[search]": "ACME"})
    assert [cloud["customer_name"] for cloud in found] == ["Acme Production"]
    projects = api.get(PROJECTS, **{"filter[search]": "PROD"})
    assert {project["name"] for project in projects} == {"prod-web"}
    by_os_name = api.get(PROJECTS, **{"filter[search]": projects[0]["open_stack_name"].lower()})
    assert [p["name"] for p in by_os_name] == ["prod-web"]
    users = api.get(f"{PROJECTS}/25454/users", **{"filter[search]": "super"})
    assert [user["description"] for user in users] == ["My super user"]


@pytest.mark.infomaniak_profile("realistic")
def test_status_filter_deep_object_array(api: Api) -> None:
    query = [("filter[status][]", "error"), ("filter[status][]", "suspended")]
    projects = api.ok("GET", PROJECTS, query=query)
    assert sorted(project["status"] for project in projects) == ["error", "suspended"]
    everything = api.get(PROJECTS)
    expected_ok = sum(1 for project in everything if project["status"] == "ok")
    assert len(api.get(PROJECTS, **{"filter[status][]": "ok"})) == expected_ok
    status, payload = api.call("GET", PROJECTS, query={"filter[status][]": "nope"})
    assert status == 422 and nested(payload)[0][0] == "filter.status"


@pytest.mark.infomaniak_profile("realistic")
def test_sorting(api: Api) -> None:
    names = [p["name"] for p in api.get(PROJECTS, order_by="name")]
    assert names == sorted(names, key=str.casefold)
    names_desc = [p["name"] for p in api.get(PROJECTS, order_by="name", order="desc")]
    assert names_desc == names[::-1]
    per_field = [
        p["name"] for p in api.get(PROJECTS, order_by="name", **{"order_for[name]": "desc"})
    ]
    assert per_field == names_desc
    clouds = api.get("/1/public_clouds", account_id=42, order_by="price,customer_name")
    prices = [cloud["public_cloud"]["price"] for cloud in clouds]
    assert None in prices  # nulls sort first, like MySQL
    assert prices == sorted(prices, key=lambda price: (price is not None, price or 0))
    status, payload = api.call("GET", PROJECTS, query={"order_by": "bogus"})
    assert status == 422 and nested(payload)[0][0] == "order_by"
    status, payload = api.call("GET", PROJECTS, query={"order": "sideways"})
    assert status == 422 and nested(payload)[0][0] == "order"


# ---------------------------------------------------------------------------- public cloud


def test_patch_cloud(api: Api) -> None:
    assert api.ok("PATCH", CLOUD, body={"customer_name": "Renamed", "bill_reference": "PO-1"})
    assert api.emu.clouds[1332]["customer_name"] == "Renamed"
    assert api.get(CLOUD)["bill_reference"] == "PO-1"
    status, payload = api.call("PATCH", CLOUD, body={"customer_name": "x", "description": 5})
    assert status == 422
    assert payload["error"]["code"] == "validation_failed"
    attributes = {e["context"]["attribute"]: e["code"] for e in payload["error"]["errors"]}
    assert attributes == {
        "customer_name": "validation_rule_min",
        "description": "validation_rule_string",
    }


def test_malformed_json_body(api: Api) -> None:
    response = api.raw(
        "PATCH", CLOUD, data=b"{not json", headers={"Content-Type": "application/json"}
    )
    payload = json.loads(response.data)
    assert response.status == 400
    assert payload["result"] == "error" and payload["error"]["code"] == "bad_request"


# ---------------------------------------------------------------------------- projects


def test_create_project_validation(api: Api) -> None:
    status, payload = api.call("POST", PROJECTS, body={})
    assert status == 422
    errors = {(e["context"]["attribute"], e["code"]) for e in payload["error"]["errors"]}
    assert errors == {
        ("project_name", "validation_rule_required"),
        ("user_password", "validation_rule_required"),
    }
    status, payload = api.call(
        "POST", PROJECTS, body={"project_name": "x" * 251, "user_password": "weak"}
    )
    assert status == 422
    assert set(nested(payload)) == {
        ("project_name", "The project_name may not be greater than 250 characters."),
        ("user_password", "validation.password_unified_min"),
        ("user_password", "validation.password_unified_upper"),
        ("user_password", "validation.password_unified_numeric"),
    }
    status, payload = api.call(
        "POST", PROJECTS, body={"project_name": "ok", "user_password": "ALLUPPERCASE123"}
    )
    assert nested(payload) == [("user_password", "validation.password_unified")]


def test_create_project_task_mode(api: Api) -> None:
    status, payload = api.call(
        "POST",
        PROJECTS,
        body={"project_name": "fresh", "user_password": STRONG, "user_description": "first"},
    )
    assert status == 202
    assert payload["result"] in ("asynchronous", "delayed")  # see test_realism.py
    task_uuid = payload["data"]
    assert isinstance(task_uuid, str) and len(task_uuid) == 36
    task = api.get(f"/1/async/tasks/{task_uuid}")
    assert task["status"] in ("spooled", "running")
    assert task["response"] is None

    task = wait_task(api, task_uuid)
    assert task["status"] == "executed"
    assert task["finished_at"] >= task["executed_at"] >= task["created_at"]
    project_id = task["response"]["data"]
    assert task["response"] == {"result": "success", "data": project_id}

    project = api.get(f"{PROJECTS}/{project_id}")
    assert project["name"] == "fresh"
    assert project["status"] in ("creating", "ok")
    wait_until(lambda: api.get(f"{PROJECTS}/{project_id}")["status"] == "ok")
    users = api.get(f"{PROJECTS}/{project_id}/users")
    assert [user["description"] for user in users] == ["first"]
    assert api.get(f"{PROJECTS}/{project_id}")["user_count"] == 1
    assert api.emu.clouds[1332]["public_cloud"]["project_count"] == 24
    assert task_uuid in [t["uuid"] for t in api.get("/1/async/tasks")]


def test_project_does_not_exist_before_task_executes() -> None:
    emu = Emulator(task_duration=60)
    with emu.in_thread():
        api = Api(emu)
        task_uuid = api.ok("POST", PROJECTS, body={"project_name": "p", "user_password": STRONG})
        assert len(api.get(PROJECTS)) == 23
        assert emu.tasks[task_uuid]["status"] == "spooled"


def test_create_project_id_mode(id_emulator: Emulator) -> None:
    api = Api(id_emulator)
    # Long enough to see "creating" even when this is the process's first validated
    # answer (importing jsonschema takes ~0.1 s) or the machine is busy.
    id_emulator.provision_duration = 0.5
    status, payload = api.call(
        "POST", PROJECTS, body={"project_name": "by-id", "user_password": STRONG}
    )
    assert status == 202
    assert payload["result"] == "asynchronous"
    project_id = payload["data"]
    assert isinstance(project_id, int)
    assert api.get(f"{PROJECTS}/{project_id}")["status"] == "creating"
    wait_until(lambda: api.get(f"{PROJECTS}/{project_id}")["status"] == "ok")
    assert id_emulator.tasks == {}
    assert api.ok("PATCH", f"{PROJECTS}/{project_id}", body={"name": "renamed"}) is True
    assert api.get(f"{PROJECTS}/{project_id}")["name"] == "renamed"
    assert api.ok("DELETE", f"{PROJECTS}/{project_id}") is True
    assert api.get(f"{PROJECTS}/{project_id}")["status"] == "deleting"
    wait_until(lambda: project_id not in id_emulator.projects)


def test_create_project_by_invitation(api: Api) -> None:
    status, payload = api.call("POST", f"{PROJECTS}/invite", body={"project_name": "inv"})
    assert status == 422 and nested(payload)[0][0] == "user_email"
    task = wait_task(
        api,
        api.ok(
            "POST",
            f"{PROJECTS}/invite",
            body={"project_name": "inv", "user_email": "someone@example.com"},
        ),
    )
    assert api.get(f"{PROJECTS}/{task['response']['data']}")["name"] == "inv"


def test_rename_project(api: Api) -> None:
    task_uuid = api.ok("PATCH", f"{PROJECTS}/25454", body={"name": "New name"})
    assert wait_task(api, task_uuid)["response"] == {"result": "success", "data": True}
    assert api.get(f"{PROJECTS}/25454")["name"] == "New name"
    status, payload = api.call("PATCH", f"{PROJECTS}/25454", body={"name": ""})
    assert status == 422 and nested(payload)[0][0] == "name"


def test_delete_project_removes_its_users(api: Api) -> None:
    project_id = 25455
    user_ids = [u["public_cloud_user_id"] for u in api.get(f"{PROJECTS}/{project_id}/users")]
    assert user_ids and all(uid in api.emu.users for uid in user_ids)
    task_uuid = api.ok("DELETE", f"{PROJECTS}/{project_id}")
    assert api.emu.projects[project_id]["status"] == "deleting"
    status, payload = api.call("DELETE", f"{PROJECTS}/{project_id}")
    assert (status, payload["error"]["code"]) == (400, "public_cloud_project_cannot_be_deleted")
    assert wait_task(api, task_uuid)["status"] == "executed"
    status, _ = api.call("GET", f"{PROJECTS}/{project_id}")
    assert status == 404
    assert not any(uid in api.emu.users for uid in user_ids)
    assert api.emu.clouds[1332]["public_cloud"]["project_count"] == 22


def test_fail_next_task(api: Api) -> None:
    api.emu.fail_next_task(code="quota_exceeded", description="No more projects")
    task_uuid = api.ok("POST", PROJECTS, body={"project_name": "doomed", "user_password": STRONG})
    task = wait_task(api, task_uuid)
    assert task["status"] == "failed"
    assert task["error"] == {"code": "quota_exceeded", "description": "No more projects"}
    assert task["response"]["result"] == "error"
    assert task["response"]["error"]["code"] == "quota_exceeded"
    assert "doomed" not in [project["name"] for project in api.get(PROJECTS)]

    api.emu.fail_next_task()
    task_uuid = api.ok("DELETE", f"{PROJECTS}/25454")
    task = wait_task(api, task_uuid)
    assert task["status"] == "failed" and task["error"]["code"] == "unexpected_error"
    assert api.get(f"{PROJECTS}/25454")["status"] == "ok"  # the delete had no effect


def test_fail_next_provisioning(api: Api) -> None:
    api.emu.fail_next_provisioning()
    task = wait_task(
        api, api.ok("POST", PROJECTS, body={"project_name": "bad", "user_password": STRONG})
    )
    assert task["status"] == "executed"  # the task succeeds; the project does not
    project_id = task["response"]["data"]
    wait_until(lambda: api.get(f"{PROJECTS}/{project_id}")["status"] != "creating")
    assert api.get(f"{PROJECTS}/{project_id}")["status"] == "error"
    # Only the next one fails.
    task = wait_task(
        api, api.ok("POST", PROJECTS, body={"project_name": "good", "user_password": STRONG})
    )
    project_id = task["response"]["data"]
    wait_until(lambda: api.get(f"{PROJECTS}/{project_id}")["status"] != "creating")
    assert api.get(f"{PROJECTS}/{project_id}")["status"] == "ok"


# ---------------------------------------------------------------------------- users


def test_user_lifecycle(api: Api) -> None:
    users = f"{PROJECTS}/25454/users"
    status, payload = api.call("POST", users, body={"description": "no password"})
    assert status == 422 and nested(payload) == [("password", "The password field is required.")]

    task = wait_task(api, api.ok("POST", users, body={"password": STRONG, "description": "ci"}))
    user_id = task["response"]["data"]
    wait_until(lambda: api.get(f"{users}/{user_id}")["status"] == "ok")
    user = api.get(f"{users}/{user_id}")
    assert user["description"] == "ci" and user["open_stack_name"].startswith("PCU-")
    assert "password" not in user

    assert api.ok("PATCH", f"{users}/{user_id}", body={"description": "renamed"}) is True
    assert api.get(f"{users}/{user_id}")["description"] == "renamed"
    status, payload = api.call("PATCH", f"{users}/{user_id}", body={"password": "weakpassword1"})
    assert status == 422 and nested(payload) == [("password", "validation.password_unified_upper")]

    task = wait_task(api, api.ok("POST", f"{users}/{user_id}/invite", body={"email": "a@b.ch"}))
    assert task["response"] == {"result": "success", "data": True}

    invited = wait_task(api, api.ok("POST", f"{users}/invite", body={"email": "new@example.com"}))
    assert invited["response"]["data"] in api.emu.users

    task_uuid = api.ok("DELETE", f"{users}/{user_id}")
    assert api.emu.users[user_id]["status"] == "deleting"
    wait_task(api, task_uuid)
    assert api.call("GET", f"{users}/{user_id}")[0] == 404
    assert api.get(f"{PROJECTS}/25454")["user_count"] == 2  # seeded one + invited one


def test_user_of_another_project_is_not_found(api: Api) -> None:
    status, payload = api.call("GET", f"{PROJECTS}/25455/users/56321")
    assert (status, payload["error"]["code"]) == (404, "object_not_found")


def test_openrc_and_authentication_files(api: Api) -> None:
    user = api.get(f"{PROJECTS}/25454/users")[0]
    project = api.get(f"{PROJECTS}/25454")
    base = f"{PROJECTS}/25454/users/{user['public_cloud_user_id']}"
    response = api.raw("GET", f"{base}/openrc")
    assert response.status == 202
    assert response.headers["Content-Type"] == "application/octet-stream"  # the spec's type
    text = response.data.decode()
    assert f'export OS_PROJECT_NAME="{project["open_stack_name"]}"' in text
    assert f'export OS_USERNAME="{user["open_stack_name"]}"' in text
    assert "OS_AUTH_URL=https://api.pub1.infomaniak.cloud/identity/v3" in text
    assert STRONG not in text and "OS_PASSWORD=$OS_PASSWORD_INPUT" in text

    pub2 = api.raw("GET", f"{base}/openrc", query={"region": "pub2"}).data.decode()
    assert "api.pub2.infomaniak.cloud" in pub2 and 'OS_REGION_NAME="dc4-a"' in pub2
    status, payload = api.call("GET", f"{base}/openrc", query={"region": "pub9"})
    assert status == 422 and nested(payload)[0][0] == "region"

    clouds = api.raw("GET", f"{base}/authentication/clouds.yaml")
    assert clouds.status == 202
    assert f'username: "{user["open_stack_name"]}"' in clouds.data.decode()
    assert "password" not in clouds.data.decode()
    status, payload = api.call("GET", f"{base}/authentication/kubeconfig")
    assert status == 422 and nested(payload)[0][0] == "type"


# ---------------------------------------------------------------------------- faults


def test_fault_status_with_retry_after(api: Api) -> None:
    api.emu.inject(Fault(status=503), Fault(status=429, retry_after=1), path="/1/public_clouds")
    first = api.raw("GET", "/1/public_clouds", query={"account_id": 42})
    assert first.status == 503
    assert json.loads(first.data)["error"]["code"] == "service_unavailable"
    assert "Retry-After" not in first.headers
    second = api.raw("GET", "/1/public_clouds", query={"account_id": 42})
    assert second.status == 429 and second.headers["Retry-After"] == "1"
    assert json.loads(second.data) == {
        "result": "error",
        "error": {"code": "too_many_requests", "description": "Too Many Requests", "errors": []},
    }
    assert api.raw("GET", "/1/public_clouds", query={"account_id": 42}).status == 200

    api.emu.inject(Fault(status=500, retry_after="Wed, 21 Oct 2015 07:28:00 GMT"))
    response = api.raw("GET", CLOUD)
    assert response.status == 500
    assert json.loads(response.data)["error"]["code"] == "unexpected_error"
    assert response.headers["Retry-After"] == "Wed, 21 Oct 2015 07:28:00 GMT"


def test_fault_matching_conditions(api: Api) -> None:
    api.emu.inject(Fault(status=502), method="GET", path=PROJECTS, query={"page": "2"})
    assert api.raw("GET", PROJECTS, query={"page": 1}).status == 200
    assert api.raw("POST", PROJECTS, query={"page": 2}, body={}).status == 422
    assert api.raw("GET", CLOUD, query={"page": 2}).status == 200
    assert api.raw("GET", PROJECTS, query={"page": 2}).status == 502
    assert api.raw("GET", PROJECTS, query={"page": 2}).status == 200


def test_fault_html(api: Api) -> None:
    api.emu.inject(Fault(status=502, html=True))
    response = api.raw("GET", CLOUD)
    assert response.status == 502
    assert response.headers["Content-Type"].startswith("text/html")
    assert b"<title>502 Bad Gateway</title>" in response.data


def test_fault_drop_urllib3(api: Api) -> None:
    api.emu.inject(Fault(drop=True))
    with pytest.raises(urllib3.exceptions.ProtocolError):
        api.raw("GET", CLOUD)
    assert api.raw("GET", CLOUD).status == 200
    assert [r.path for r in api.emu.requests] == [CLOUD, CLOUD]


@pytest.mark.asyncio
async def test_fault_drop_aiohttp_and_async_usage() -> None:
    async with Emulator() as emu:
        headers = {"Authorization": f"Bearer {TOKEN}"}
        async with aiohttp.ClientSession(headers=headers) as session:
            emu.inject(Fault(drop=True))
            with pytest.raises(aiohttp.ServerDisconnectedError):
                async with session.patch(emu.url + CLOUD, json={}) as response:
                    await response.read()
            # aiohttp silently retries an idempotent request once after a
            # disconnect (RFC 9112 9.3.1), so a GET needs two drops to fail.
            emu.inject(Fault(drop=True), Fault(drop=True), method="GET")
            with pytest.raises(aiohttp.ServerDisconnectedError):
                async with session.get(emu.url + CLOUD) as response:
                    await response.read()
            assert [r.method for r in emu.requests] == ["PATCH", "GET", "GET"]
            async with session.get(emu.url + CLOUD) as response:
                assert response.status == 200
                assert (await response.json())["data"]["id"] == 1332
    assert emu.schema_errors == []


def test_fault_delay_and_latency(api: Api) -> None:
    api.emu.inject(Fault(delay=0.3))
    started = time.perf_counter()
    assert api.raw("GET", CLOUD).status == 200
    assert time.perf_counter() - started >= 0.3
    started = time.perf_counter()
    api.raw("GET", CLOUD)
    assert time.perf_counter() - started < 0.3

    api.emu.latency = 0.2
    started = time.perf_counter()
    assert api.raw("GET", CLOUD).status == 200
    assert time.perf_counter() - started >= 0.2
    api.emu.latency = 0.0

    http = urllib3.PoolManager(retries=False, timeout=urllib3.Timeout(read=0.1))
    api.emu.inject(Fault(delay=0.5))
    with pytest.raises(urllib3.exceptions.ReadTimeoutError):
        http.request("GET", api.emu.url + CLOUD, headers={"Authorization": f"Bearer {TOKEN}"})


def test_rate_limit(api: Api) -> None:
    api.emu.rate_limit = 3
    statuses = [api.raw("GET", CLOUD).status for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    status, payload = api.call("GET", CLOUD)
    assert (status, payload["error"]["code"]) == (429, "too_many_requests")
    api.emu.rate_limit = None
    assert api.raw("GET", CLOUD).status == 200


def test_method_override(api: Api) -> None:
    task_uuid = api.ok(
        "POST", f"{PROJECTS}/25456", headers={"X-HTTP-Method-Override": "DELETE"}, data=b""
    )
    assert wait_task(api, task_uuid)["status"] == "executed"
    assert 25456 not in api.emu.projects


# ---------------------------------------------------------------------------- recording


def test_recorded_requests(api: Api) -> None:
    api.emu.clear_requests()
    api.raw("GET", PROJECTS, query=[("filter[search]", "x y"), ("page", "2")])
    api.raw("PATCH", CLOUD, body={"customer_name": "Recorded"}, headers={"X-Trace": "abc"})
    api.emu.inject(Fault(status=503))
    api.raw("GET", CLOUD)
    requests = api.emu.requests
    assert len(requests) == 3
    first, second, third = requests
    assert isinstance(first, RecordedRequest)
    assert (first.method, first.path) == ("GET", PROJECTS)
    assert first.query == [("filter[search]", "x y"), ("page", "2")]
    assert first.body == b"" and first.json is None
    assert first.headers["Authorization"] == f"Bearer {TOKEN}"
    assert first.headers["authorization"] == f"Bearer {TOKEN}"
    assert second.method == "PATCH"
    assert second.json == {"customer_name": "Recorded"}
    assert json.loads(second.body) == {"customer_name": "Recorded"}
    assert second.headers.get("x-trace") == "abc"
    assert third.path == CLOUD  # faulted requests are recorded too
    api.emu.clear_requests()
    assert api.emu.requests == []


# ---------------------------------------------------------------------------- schemas & CLI


def test_schema_violations_are_reported() -> None:
    emu = Emulator()
    with emu.in_thread():
        emu.clouds[1332]["customer_name"] = 12
        Api(emu).get(CLOUD)
    assert len(emu.schema_errors) == 1
    assert "customer_name" in emu.schema_errors[0]


def test_schema_errors_empty_after_a_tour(api: Api) -> None:
    """Every route, with relations, pagination, errors and both async modes."""
    emu = api.emu
    api.get("/1/public_clouds", account_id=42, page=1, per_page=5, **{"with": "status,users,admin"})
    api.get("/1/public_clouds", account_id=42, **{"return": "total"})
    api.get("/1/public_clouds/config", account_id=42)
    api.get("/1/public_clouds/accesses", account_id=42)
    for cloud_id in emu.clouds:
        api.get(f"/1/public_clouds/{cloud_id}", **{"with": "status,users,admin"})
        api.get(f"/1/public_clouds/{cloud_id}/projects", page=1)
    api.ok("PATCH", CLOUD, body={"description": "Tour"})
    api.get(PROJECTS, page=2, per_page=10, **{"with": "services"})
    for project_id in list(emu.projects):
        project = emu.projects[project_id]
        base = f"/1/public_clouds/{project['public_cloud_id']}/projects/{project_id}"
        api.get(base)
        api.get(f"{base}/users", page=1)
        for user in api.get(f"{base}/users"):
            api.get(f"{base}/users/{user['public_cloud_user_id']}")
    users = f"{PROJECTS}/25454/users"
    new_project = api.ok("POST", PROJECTS, body={"project_name": "t", "user_password": STRONG})
    invited = api.ok(
        "POST", f"{PROJECTS}/invite", body={"project_name": "t2", "user_email": "x@y.ch"}
    )
    new_user = api.ok("POST", users, body={"password": STRONG})
    api.ok("POST", f"{users}/invite", body={"email": "u@example.com"})
    api.get("/1/async/tasks", page=1, per_page=2)  # spooled tasks, null fields
    api.ok("PATCH", f"{users}/56321", body={"description": "d", "password": STRONG})
    api.ok("POST", f"{users}/56321/invite", body={"email": "u@example.com"})
    api.ok("PATCH", f"{PROJECTS}/25454", body={"name": "tour"})
    for task_uuid in (new_project, invited, new_user):
        wait_task(api, task_uuid)
    api.ok("DELETE", f"{users}/{wait_task(api, new_user)['response']['data']}")
    api.ok("DELETE", f"{PROJECTS}/{wait_task(api, new_project)['response']['data']}")
    api.raw("GET", f"{users}/56321/openrc")
    api.raw("GET", f"{users}/56321/authentication/clouds.yaml")
    emu.fail_next_task()
    wait_task(api, api.ok("PATCH", f"{PROJECTS}/25455", body={"name": "x"}))
    api.get("/1/async/tasks", order_by="created_at", order="desc")
    for task_uuid in list(emu.tasks):
        api.get(f"/1/async/tasks/{task_uuid}")
    # Errors, with and without route-specific schemas.
    api.call("GET", "/1/public_clouds/404404")
    api.call("GET", "/1/async/tasks/unknown")
    api.call("POST", PROJECTS, body={})
    api.call("GET", "/nope")
    Api(emu, token=None).call("GET", "/1/public_clouds", query={"account_id": 42})
    emu.inject(Fault(status=500))
    api.raw("GET", PROJECTS)
    assert emu.schema_errors == []


def test_tour_in_id_mode(id_emulator: Emulator) -> None:
    api = Api(id_emulator)
    users = f"{PROJECTS}/25454/users"
    assert isinstance(api.ok("POST", users, body={"password": STRONG}), int)
    assert isinstance(api.ok("POST", f"{users}/invite", body={"email": "a@b.ch"}), int)
    assert api.ok("POST", f"{users}/56321/invite", body={"email": "a@b.ch"}) is True
    assert api.ok("DELETE", f"{users}/56321") is True
    assert isinstance(
        api.ok("POST", f"{PROJECTS}/invite", body={"project_name": "i", "user_email": "a@b.ch"}),
        int,
    )


def test_command_line() -> None:
    command = [sys.executable, "-m", "infomaniak.testing", "--port", "0", "--token", "cli-token"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as process:
        try:
            assert process.stdout is not None
            url_line = process.stdout.readline().strip()
            token_line = process.stdout.readline().strip()
            assert url_line.startswith("export INFOMANIAK_BASE_URL=http://127.0.0.1:")
            assert token_line == "export INFOMANIAK_API_TOKEN=cli-token"
            url = url_line.split("=", 1)[1]
            response = urllib3.request(
                "GET", url + CLOUD, headers={"Authorization": "Bearer cli-token"}, retries=False
            )
            assert response.status == 200
        finally:
            process.terminate()
            process.wait(timeout=10)
