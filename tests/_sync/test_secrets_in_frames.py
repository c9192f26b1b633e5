# Generated from tests/_async/test_secrets_in_frames.py by scripts/unasync.py.
# Do not edit: change the async source and run `python scripts/unasync.py`.
"""Issue 17 point 2, the rest: no frame reachable from an error the SDK raises
holds the token or a password in a local variable. Every method that takes a
password or returns a credential is made to fail each way it can (an API
error, a server error, a refused connection, a timeout, a malformed answer, a
file that cannot be written) and its traceback, formatted with the frames'
locals as error reporters do, is searched for the secrets."""

from __future__ import annotations

import traceback
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from infomaniak import Client
from infomaniak.testing import Emulator, Fault
from tests.rawservers import closed_port

CLOUD = 1332
PROJECT = 25454
SERVICE = 7341  # a seeded, ready database service of PROJECT
CLUSTER = 4821  # a seeded cluster of PROJECT
PASSWORD = "Pw-never-Shown-7319!"
# Missing when read, impossible to create (also for root): a file is saved
# only after the API's answer came, so the credential is in hand when it fails.
UNWRITABLE = Path("/proc/self/infomaniak-no-such-folder")
FAILURES = ("422", "500", "refused", "timeout")

Call = Callable[[Client], Awaitable[Any]]


def _with_locals(error: BaseException) -> str:
    """What an error reporter that records frame locals (Sentry...) would ship."""
    return "".join(traceback.TracebackException.from_exception(error, capture_locals=True).format())


def _failure(client: Client, call: Call) -> Exception:
    """The error of ``call``, caught in a frame that holds no secret of its own."""
    try:
        call(client)
    except Exception as exc:
        return exc
    raise AssertionError("the call did not fail")


def _user(emulator: Emulator) -> tuple[int, int]:
    for user_id, user in sorted(emulator.users.items()):
        project = emulator.projects.get(user["public_cloud_project_id"])
        if project is not None and project["public_cloud_id"] == CLOUD:
            return user["public_cloud_project_id"], user_id
    raise AssertionError("the emulator seeds users in cloud 1332")


def _password_calls(emulator: Emulator, tmp_path: Path) -> dict[str, Call]:
    project_id, user_id = _user(emulator)
    user = {
        "public_cloud_id": CLOUD,
        "public_cloud_project_id": project_id,
        "public_cloud_user_id": user_id,
    }
    users_scope = {"public_cloud_id": CLOUD, "public_cloud_project_id": project_id}

    def create_user(client: Client) -> Any:
        return client.cloud.projects.users.create(**users_scope, password=PASSWORD)

    def update_user(client: Client) -> Any:
        return client.cloud.projects.users.update(**user, password=PASSWORD)

    def create_project(client: Client) -> Any:
        return client.cloud.projects.create(
            public_cloud_id=CLOUD, project_name="p", user_password=PASSWORD
        )

    def save_clouds_yaml(client: Client) -> Any:
        return client.cloud.projects.users.save_clouds_yaml(
            **user, password=PASSWORD, path=tmp_path / "clouds.yaml"
        )

    def openstack_connection(client: Client) -> Any:
        return client.cloud.projects.users.openstack_connection(**user, password=PASSWORD)

    return {
        "users.create": create_user,
        "users.update": update_user,
        "projects.create": create_project,
        "users.save_clouds_yaml": save_clouds_yaml,
        "users.openstack_connection": openstack_connection,
    }


CALLS = (
    "users.create",
    "users.update",
    "projects.create",
    "users.save_clouds_yaml",
    "users.openstack_connection",
)


@pytest.mark.parametrize("failure", FAILURES)
@pytest.mark.parametrize("name", CALLS)
def test_a_password_given_to_a_failed_call_is_in_no_frame(
    name: str, failure: str, emulator: Emulator, tmp_path: Path
) -> None:
    call = _password_calls(emulator, tmp_path)[name]
    base_url = emulator.url
    if failure == "refused":
        base_url = closed_port()
    elif failure == "timeout":
        emulator.inject(Fault(delay=2.0))
    else:
        emulator.inject(Fault(status=int(failure)))
    options = {"rate_limit": None, "max_retries": 0, "timeout": 0.3}
    with Client(emulator.token, base_url=base_url, **options) as client:
        error = _failure(client, call)
    shown = _with_locals(error)
    assert PASSWORD not in shown
    assert emulator.token not in shown


@pytest.mark.parametrize("name", CALLS)
def test_a_password_refused_before_sending_is_in_no_frame(
    name: str, emulator: Emulator, tmp_path: Path
) -> None:
    # A password read from a file with its line break: refused, and not shown.
    global PASSWORD
    kept = PASSWORD
    PASSWORD = kept + "\n"
    try:
        call = _password_calls(emulator, tmp_path)[name]
        sent = len(emulator.requests)
        with Client(emulator.token, base_url=emulator.url, rate_limit=None) as client:
            error = _failure(client, call)
        assert isinstance(error, ValueError)
        assert "password" in str(error)
        shown = _with_locals(error)
        assert kept not in shown
        assert len(emulator.requests) == sent
    finally:
        PASSWORD = kept


def test_a_password_for_a_clouds_yaml_that_cannot_be_written_is_in_no_frame(
    emulator: Emulator, tmp_path: Path
) -> None:
    project_id, user_id = _user(emulator)
    with Client(emulator.token, base_url=emulator.url, rate_limit=None) as client:
        error = _failure(
            client,
            lambda c: c.cloud.projects.users.save_clouds_yaml(
                public_cloud_id=CLOUD,
                public_cloud_project_id=project_id,
                public_cloud_user_id=user_id,
                password=PASSWORD,
                path=UNWRITABLE / "clouds.yaml",
            ),
        )
    assert isinstance(error, OSError)
    assert len(emulator.requests) == 1  # read as missing, fetched, then not written
    shown = _with_locals(error)
    assert PASSWORD not in shown
    assert emulator.token not in shown


# ------------------------------------------------------------------ credentials answered


def _bad_answer(secret_field: str, secret: str) -> dict[str, Any]:
    """A 2xx answer holding a credential next to a field of the wrong type."""
    return {"result": "success", "data": {"id": {"not": "an id"}, secret_field: secret}}


def test_a_database_creation_answer_that_fails_to_decode_is_in_no_frame(
    emulator: Emulator,
) -> None:
    emulator.inject(Fault(json=_bad_answer("admin_password", PASSWORD)), method="POST")
    with Client(emulator.token, base_url=emulator.url, rate_limit=None) as client:
        error = _failure(
            client,
            lambda c: c.cloud.database.create(
                public_cloud_id=CLOUD,
                public_cloud_project_id=PROJECT,
                name="db",
                type="mysql",
                version="8.0",
                region="dc4-a",
                pack_id=1,
            ),
        )
    shown = _with_locals(error)
    assert "cannot read the answer" in shown
    assert PASSWORD not in shown and emulator.token not in shown


def test_a_restore_answer_that_fails_to_decode_is_in_no_frame(emulator: Emulator) -> None:
    answer = {
        "result": "success",
        "data": {"id": 7, "new_service": {"id": "x", "admin_password": PASSWORD}},
    }
    emulator.inject(Fault(json=answer), method="POST")
    with Client(emulator.token, base_url=emulator.url, rate_limit=None) as client:
        error = _failure(
            client,
            lambda c: c.cloud.database.restores.create(
                public_cloud_id=CLOUD,
                public_cloud_project_id=PROJECT,
                dbaas_id=SERVICE,
                backup_id="b1",
                new_service={"name": "copy"},
            ),
        )
    shown = _with_locals(error)
    assert "cannot read the answer" in shown
    assert PASSWORD not in shown and emulator.token not in shown


def test_a_reset_password_answer_that_fails_to_decode_is_in_no_frame(
    emulator: Emulator,
) -> None:
    answer = {"result": "success", "data": {"port": {"no": 1}, "password": PASSWORD}}
    emulator.inject(Fault(json=answer))
    with Client(emulator.token, base_url=emulator.url, rate_limit=None) as client:
        error = _failure(
            client,
            lambda c: c.cloud.database.reset_password(
                public_cloud_id=CLOUD, public_cloud_project_id=PROJECT, dbaas_id=SERVICE
            ),
        )
    shown = _with_locals(error)
    assert "cannot read the answer" in shown
    assert PASSWORD not in shown and emulator.token not in shown


def _kubeconfig_secret(client: Client) -> str:
    text = client.cloud.kubernetes.kubeconfig(
        public_cloud_id=CLOUD, public_cloud_project_id=PROJECT, kaas_id=CLUSTER
    )
    # The credential lines of the kubeconfig (token, client key).
    secrets = [
        line.split(":", 1)[1].strip()
        for line in text.splitlines()
        if line.strip().startswith(("token:", "client-key-data:"))
    ]
    assert secrets and all(len(secret) > 16 for secret in secrets)
    return secrets[0]


@pytest.mark.parametrize("method", ["kubeconfig", "save_kubeconfig"])
def test_a_kubeconfig_that_cannot_be_written_is_in_no_frame(
    method: str, emulator: Emulator, tmp_path: Path
) -> None:
    scope = {"public_cloud_id": CLOUD, "public_cloud_project_id": PROJECT, "kaas_id": CLUSTER}
    with Client(emulator.token, base_url=emulator.url, rate_limit=None) as client:
        secret = _kubeconfig_secret(client)
        # kubeconfig(path=) writes over what is there: a folder fails; the
        # merge of save_kubeconfig reads the file first: a missing one.
        target = tmp_path if method == "kubeconfig" else UNWRITABLE / "config"
        error = _failure(
            client,
            lambda c: getattr(c.cloud.kubernetes, method)(**scope, path=target),
        )
    assert isinstance(error, OSError)
    shown = _with_locals(error)
    assert secret not in shown and emulator.token not in shown


_KUBE_TOKEN = "kube-token-Never-Shown-8812"
_KUBECONFIGS = {
    # Not YAML: the parser's frames held the text.
    "not yaml": (
        f"apiVersion: v1\nusers:\n- name: u\n  user: {{token: {_KUBE_TOKEN}}}\nclusters: [\n"
    ),
    # YAML the Kubernetes library refuses: its frames held the parsed kubeconfig.
    "refused by the library": (
        "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:"
        " {certificate-authority-data: '!!notbase64', server: 'https://x'}\n"
        "contexts:\n- name: c\n  context: {cluster: c, user: u}\ncurrent-context: c\n"
        f"users:\n- name: u\n  user: {{token: {_KUBE_TOKEN}}}\n"
    ),
}


@pytest.mark.parametrize("answer", list(_KUBECONFIGS))
def test_a_kubeconfig_the_api_client_cannot_use_is_in_no_frame(
    answer: str, emulator: Emulator
) -> None:
    emulator.inject(Fault(json={"result": "success", "data": _KUBECONFIGS[answer]}))
    with Client(emulator.token, base_url=emulator.url, rate_limit=None) as client:
        error = _failure(
            client,
            lambda c: c.cloud.kubernetes.api_client(
                public_cloud_id=CLOUD, public_cloud_project_id=PROJECT, kaas_id=CLUSTER
            ),
        )
    shown = _with_locals(error)
    assert _KUBE_TOKEN not in shown and emulator.token not in shown
