"""The hand-offs attacked: connection methods whose errors must not show the
password, concurrent saves into one file, a path that is a FIFO, and the
user's own malformed files, whose secrets no traceback may ship."""

from __future__ import annotations

import functools
import os
import stat
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

import pytest
import yaml

from infomaniak import Client
from infomaniak.models.cloud import DatabaseServiceConnection
from infomaniak.testing import Emulator
from tests.together import sync_together

CLOUD = 1332
PROJECT = 25454
CLUSTER = {"public_cloud_id": CLOUD, "public_cloud_project_id": PROJECT, "kaas_id": 4821}

PASSWORD = "p@ss:w/rd%41 é#?"


def _with_locals(error: BaseException) -> str:
    return "".join(traceback.TracebackException.from_exception(error, capture_locals=True).format())


@pytest.mark.parametrize(
    ("method", "fields"),
    [
        ("url", {"port": "not-a-port"}),
        ("connect_kwargs", {"ca": "-----BEGIN CERTIFICATE-----\nnot a cert\n"}),
    ],
)
def test_a_connection_method_that_fails_shows_no_password(
    method: str, fields: dict[str, str]
) -> None:
    connection = DatabaseServiceConnection(
        **{"host": "db.example", "port": "3306", "user": "root", "password": PASSWORD, **fields}
    )
    with pytest.raises(ValueError) as caught:
        getattr(connection, method)()
    shown = _with_locals(caught.value)
    assert PASSWORD not in shown
    assert quote(PASSWORD, safe="") not in shown


def test_url_escapes_every_special_character_of_user_and_password() -> None:
    connection = DatabaseServiceConnection(
        host="db.example", port="3306", user="us@r:x", password=PASSWORD
    )
    url = connection.url(db="my/db")
    parts = urlsplit(url)
    assert parts.hostname == "db.example" and parts.port == 3306
    assert unquote(parts.username or "") == "us@r:x"
    assert unquote(parts.password or "") == PASSWORD
    assert unquote(parts.path) == "/my/db"
    assert url.count("@") == 1


def _user(emulator: Emulator) -> dict[str, int]:
    for user_id, user in sorted(emulator.users.items()):
        project = emulator.projects.get(user["public_cloud_project_id"])
        if project is not None and project["public_cloud_id"] == CLOUD:
            return {
                "public_cloud_id": CLOUD,
                "public_cloud_project_id": user["public_cloud_project_id"],
                "public_cloud_user_id": user_id,
            }
    raise AssertionError("the emulator seeds users in cloud 1332")


def _together(count: int, action: Callable[[int], Any]) -> None:
    """``action(0..count-1)`` in threads released at the same moment."""
    results = sync_together(*(functools.partial(action, index) for index in range(count)))
    errors = [result for result in results if isinstance(result, BaseException)]
    assert errors == []


def test_concurrent_kubeconfig_saves_into_one_file_lose_no_entry(
    emulator: Emulator, tmp_path: Path
) -> None:
    with Client(emulator.token, base_url=emulator.url, rate_limit=None) as client:
        for round_ in range(3):
            path = tmp_path / f"config-{round_}"
            _together(
                4,
                lambda i, path=path: client.cloud.kubernetes.save_kubeconfig(
                    **CLUSTER, context=f"ctx-{i}", path=path
                ),
            )
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            for key in ("clusters", "users", "contexts"):
                assert sorted(e["name"] for e in data[key]) == [f"ctx-{i}" for i in range(4)]


def test_concurrent_clouds_yaml_saves_into_one_file_lose_no_entry(
    emulator: Emulator, tmp_path: Path
) -> None:
    user = _user(emulator)
    with Client(emulator.token, base_url=emulator.url, rate_limit=None) as client:
        for round_ in range(3):
            path = tmp_path / f"r{round_}" / "clouds.yaml"
            _together(
                4,
                lambda i, path=path: client.cloud.projects.users.save_clouds_yaml(
                    **user, cloud=f"c{i}", password=f"pw-{i}", path=path
                ),
            )
            clouds = yaml.safe_load(path.read_text(encoding="utf-8"))["clouds"]
            secure = yaml.safe_load((path.parent / "secure.yaml").read_text(encoding="utf-8"))
            assert sorted(clouds) == [f"c{i}" for i in range(4)]
            assert {k: v["auth"]["password"] for k, v in secure["clouds"].items()} == {
                f"c{i}": f"pw-{i}" for i in range(4)
            }


def test_a_kubeconfig_path_that_is_a_fifo_is_refused_and_left_as_it_is(
    emulator: Emulator, tmp_path: Path
) -> None:
    # A link to something that is not a file (a FIFO here; /dev/null is the
    # same case): the read would block, the atomic write would replace it.
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    link = tmp_path / "config"
    link.symlink_to(fifo)
    outcome: list[BaseException | None] = []

    def save() -> None:
        with Client(emulator.token, base_url=emulator.url, rate_limit=None) as client:
            try:
                client.cloud.kubernetes.save_kubeconfig(**CLUSTER, path=link)
            except BaseException as exc:
                outcome.append(exc)
            else:
                outcome.append(None)

    thread = threading.Thread(target=save)
    thread.start()
    thread.join(10)
    if thread.is_alive():  # blocked reading the FIFO: give it an end
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        thread.join(10)
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert isinstance(outcome[0], ValueError)
    assert str(outcome[0]) == f"{link}: not a regular file; it was left unchanged"


def test_a_malformed_file_of_the_user_leaves_no_frame_holding_its_secrets(
    emulator: Emulator, tmp_path: Path
) -> None:
    # The user's own files hold other credentials: a refusal must not ship them.
    (tmp_path / "clouds.yaml").write_text("clouds: {}\n", encoding="utf-8")
    (tmp_path / "secure.yaml").write_text(
        "clouds:\n  other:\n    auth: {password: OLD-Secret-0042}\n  broken: [\n", encoding="utf-8"
    )
    (tmp_path / "config").write_text(
        "users:\n- name: u\n  user: {token: Old-Kube-Token-0042}\nclusters: 3\n", encoding="utf-8"
    )
    with Client(emulator.token, base_url=emulator.url, rate_limit=None) as client:
        clouds = _error(
            lambda: client.cloud.projects.users.save_clouds_yaml(
                **_user(emulator), password="pw", path=tmp_path / "clouds.yaml"
            )
        )
        kube = _error(
            lambda: client.cloud.kubernetes.save_kubeconfig(**CLUSTER, path=tmp_path / "config")
        )
    assert isinstance(clouds, ValueError) and isinstance(kube, ValueError)
    assert str(tmp_path / "config") in str(kube)
    shown = _with_locals(clouds) + _with_locals(kube)
    assert "OLD-Secret-0042" not in shown
    assert "Old-Kube-Token-0042" not in shown


def _error(call: Callable[[], Any]) -> BaseException:
    """The error of ``call``, caught in a frame that holds no secret of the test's own."""
    try:
        call()
    except Exception as exc:
        return exc
    raise AssertionError("the call did not fail")
