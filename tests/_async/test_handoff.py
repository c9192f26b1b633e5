"""From API objects to the user's tools: kubeconfig and clouds.yaml, read back by
the real tools (kubectl, the kubernetes library, openstacksdk)."""

from __future__ import annotations

import base64
import json
import os
import shutil
import stat
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from infomaniak import AsyncClient
from infomaniak.errors import NotFoundError
from infomaniak.testing import Emulator
from infomaniak.testing._certs import CA_PEM, CLIENT_CERT_PEM, CLIENT_KEY_PEM

CLOUD = 1332
PROJECT = 25454
SEEDED = 4821  # a seeded cluster of PROJECT
SCOPE = {"public_cloud_id": CLOUD, "public_cloud_project_id": PROJECT, "kaas_id": SEEDED}
KUBECTL = shutil.which("kubectl")

# A kubeconfig the user already has: another cluster, current.
EXISTING_KUBECONFIG = """\
apiVersion: v1
kind: Config
clusters:
- cluster:
    server: https://other.example:6443
    insecure-skip-tls-verify: true
  name: other
contexts:
- context:
    cluster: other
    user: other-user
    namespace: team
  name: other
current-context: other
preferences: {}
users:
- name: other-user
  user:
    token: other-token
"""

EXISTING_CLOUDS = """\
clouds:
  other:
    auth:
      auth_url: https://keystone.other.example/v3
      username: someone
      project_name: elsewhere
      user_domain_name: Default
      project_domain_name: Default
    region_name: RegionOne
"""


def kubectl(*args: str) -> str:
    assert KUBECTL is not None, "kubectl is required (.ci/run installs it)"
    env = {key: value for key, value in os.environ.items() if key != "KUBECONFIG"}
    result = subprocess.run([KUBECTL, *args], capture_output=True, text=True, check=False, env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout


def view(path: Path) -> dict[str, Any]:
    """The file as kubectl reads it (secrets included)."""
    data: dict[str, Any] = json.loads(
        kubectl("config", "view", "--kubeconfig", str(path), "--raw", "-o", "json")
    )
    return data


def named(entries: list[dict[str, Any]], name: str) -> list[dict[str, Any]]:
    return [entry for entry in entries if entry["name"] == name]


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


async def test_save_kubeconfig_merges_for_kubectl_and_the_kubernetes_library(
    async_client: AsyncClient, emulator: Emulator, tmp_path: Path
) -> None:
    k8s = async_client.cloud.kubernetes
    api_file = yaml.safe_load(await k8s.kubeconfig(**SCOPE))
    path = tmp_path / "config"
    path.write_text(EXISTING_KUBECONFIG, encoding="utf-8")
    path.chmod(0o644)

    name = await k8s.save_kubeconfig(**SCOPE, path=path)

    assert name == f"infomaniak-{PROJECT}-kaas-{SEEDED}"
    contexts = kubectl("config", "get-contexts", "--kubeconfig", str(path), "-o", "name")
    assert sorted(contexts.split()) == sorted(["other", name])
    seen = view(path)
    assert seen["current-context"] == "other"
    [cluster] = named(seen["clusters"], name)
    [user] = named(seen["users"], name)
    [context] = named(seen["contexts"], name)
    assert context["context"] == {"cluster": name, "user": name}
    api_cluster = api_file["clusters"][0]["cluster"]
    assert cluster["cluster"]["server"] == api_cluster["server"]
    assert base64.b64decode(cluster["cluster"]["certificate-authority-data"]).decode() == CA_PEM
    api_user = api_file["users"][0]["user"]
    assert user["user"]["token"] == api_user["token"]
    assert base64.b64decode(user["user"]["client-certificate-data"]).decode() == CLIENT_CERT_PEM
    assert base64.b64decode(user["user"]["client-key-data"]).decode() == CLIENT_KEY_PEM
    # The entries that were there are as they were.
    [other] = named(seen["contexts"], "other")
    assert other["context"] == {"cluster": "other", "user": "other-user", "namespace": "team"}
    assert named(seen["users"], "other-user")[0]["user"] == {"token": "other-token"}
    assert named(seen["clusters"], "other")[0]["cluster"]["server"] == "https://other.example:6443"
    assert mode(path) == 0o600

    # The official library loads the same cluster under the returned context.
    from kubernetes import client as k8s_client
    from kubernetes import config as k8s_config

    configuration = k8s_client.Configuration()
    k8s_config.load_kube_config(
        config_file=str(path), context=name, client_configuration=configuration
    )
    assert configuration.host == api_cluster["server"]
    assert Path(configuration.ssl_ca_cert).read_text(encoding="utf-8") == CA_PEM
    assert Path(configuration.cert_file).read_text(encoding="utf-8") == CLIENT_CERT_PEM
    assert configuration.api_key["BearerToken"] == f"Bearer {api_user['token']}"


async def test_save_kubeconfig_again_replaces_and_can_set_the_current_context(
    async_client: AsyncClient, emulator: Emulator, tmp_path: Path
) -> None:
    k8s = async_client.cloud.kubernetes
    path = tmp_path / "config"
    path.write_text(EXISTING_KUBECONFIG, encoding="utf-8")
    first = await k8s.save_kubeconfig(**SCOPE, path=path, context="prod")
    again = await k8s.save_kubeconfig(**SCOPE, path=str(path), context="prod", set_current=True)
    assert first == again == "prod"
    seen = view(path)
    for key in ("clusters", "users", "contexts"):
        assert [entry["name"] for entry in seen[key]].count("prod") == 1, key
        assert len(seen[key]) == 2, key
    assert kubectl("config", "current-context", "--kubeconfig", str(path)).strip() == "prod"
    # A default name is another entry, not a rename of "prod".
    derived = await k8s.save_kubeconfig(**SCOPE, path=path)
    contexts = kubectl("config", "get-contexts", "--kubeconfig", str(path), "-o", "name").split()
    assert sorted(contexts) == sorted(["other", "prod", derived])
    assert [p.name for p in tmp_path.iterdir()] == ["config"], "no temporary file left"


async def test_save_kubeconfig_through_a_symlink_keeps_the_link(
    async_client: AsyncClient, tmp_path: Path
) -> None:
    real = tmp_path / "dotfiles" / "kubeconfig"
    real.parent.mkdir()
    real.write_text(EXISTING_KUBECONFIG, encoding="utf-8")
    link = tmp_path / "config"
    link.symlink_to(real)
    name = await async_client.cloud.kubernetes.save_kubeconfig(**SCOPE, path=link)
    assert link.is_symlink() and link.resolve() == real.resolve()
    assert name in kubectl("config", "get-contexts", "--kubeconfig", str(real), "-o", "name")
    assert mode(real) == 0o600


async def test_save_kubeconfig_default_paths(
    async_client: AsyncClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    k8s = async_client.cloud.kubernetes
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("KUBECONFIG", raising=False)
    name = await k8s.save_kubeconfig(**SCOPE, set_current=True)
    default = tmp_path / "home" / ".kube" / "config"
    assert mode(default) == 0o600
    assert kubectl("config", "current-context", "--kubeconfig", str(default)).strip() == name
    # $KUBECONFIG: its first file (folders created), not the others nor the default.
    first, second = tmp_path / "a" / "b" / "first", tmp_path / "second"
    monkeypatch.setenv("KUBECONFIG", os.pathsep.join(["", str(first), str(second)]))
    assert await k8s.save_kubeconfig(**SCOPE, context="via-env") == "via-env"
    assert "via-env" in kubectl("config", "get-contexts", "--kubeconfig", str(first), "-o", "name")
    assert not second.exists()
    assert "via-env" not in default.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "text",
    [
        "clusters: [unclosed\nusers:\n- name: u\n  user: {token: SECRET-IN-FILE}\n",
        "users:\n- name: u\n  user: {token: SECRET-IN-FILE}\nclusters: 5\n",
        "- just\n- a list SECRET-IN-FILE\n",
    ],
)
async def test_save_kubeconfig_refuses_a_malformed_file_and_leaves_it(
    async_client: AsyncClient, emulator: Emulator, tmp_path: Path, text: str
) -> None:
    path = tmp_path / "config"
    path.write_text(text, encoding="utf-8")
    path.chmod(0o644)
    sent = len(emulator.requests)
    with pytest.raises(ValueError) as caught:
        await async_client.cloud.kubernetes.save_kubeconfig(**SCOPE, path=path)
    assert str(path) in str(caught.value)
    assert "SECRET-IN-FILE" not in str(caught.value)
    assert caught.value.__cause__ is None and caught.value.__context__ is None
    assert path.read_text(encoding="utf-8") == text
    assert mode(path) == 0o644
    assert sorted(p.name for p in tmp_path.iterdir()) == ["config"]
    assert len(emulator.requests) == sent, "nothing is asked of the API for a file it cannot use"


async def test_save_kubeconfig_checks_arguments_before_sending(
    async_client: AsyncClient, emulator: Emulator, tmp_path: Path
) -> None:
    k8s = async_client.cloud.kubernetes
    path = tmp_path / "config"
    with pytest.raises(TypeError, match="path"):
        await k8s.save_kubeconfig(**SCOPE, path=5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="context"):
        await k8s.save_kubeconfig(**SCOPE, path=path, context="")
    with pytest.raises(TypeError, match="set_current"):
        await k8s.save_kubeconfig(**SCOPE, path=path, set_current="yes")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="kaas_id"):
        await k8s.save_kubeconfig(**{**SCOPE, "kaas_id": 0}, path=path)
    assert emulator.requests == []
    with pytest.raises(NotFoundError):
        await k8s.save_kubeconfig(**{**SCOPE, "kaas_id": 999_999}, path=path)
    assert not path.exists()


# ------------------------------------------------------------------ OpenStack


def _project_user(emulator: Emulator) -> tuple[int, int]:
    for user_id, user in sorted(emulator.users.items()):
        project = emulator.projects.get(user["public_cloud_project_id"])
        if project is not None and project["public_cloud_id"] == CLOUD:
            return user["public_cloud_project_id"], user_id
    raise AssertionError("the emulator seeds users in cloud 1332")


def _openstack_config(clouds: Path, secure: list[Path]) -> Any:
    from openstack.config import loader

    return loader.OpenStackConfig(
        config_files=[str(clouds)], secure_files=[str(p) for p in secure], load_envvars=False
    )


async def test_save_clouds_yaml_for_openstacksdk_password_only_in_secure_yaml(
    async_client: AsyncClient, emulator: Emulator, tmp_path: Path
) -> None:
    project_id, user_id = _project_user(emulator)
    scope = {
        "public_cloud_id": CLOUD,
        "public_cloud_project_id": project_id,
        "public_cloud_user_id": user_id,
    }
    users = async_client.cloud.projects.users
    api_entry = next(
        iter(
            yaml.safe_load(
                await users.authentication_file(**scope, type="clouds.yaml", region="pub2")
            )["clouds"].values()
        )
    )
    path = tmp_path / "openstack" / "clouds.yaml"
    path.parent.mkdir()
    path.write_text(EXISTING_CLOUDS, encoding="utf-8")
    secure = path.parent / "secure.yaml"

    name = await users.save_clouds_yaml(**scope, password="s3cret-pw", region="pub2", path=path)

    assert name == f"infomaniak-{project_id}-user-{user_id}"
    assert "s3cret-pw" not in path.read_text(encoding="utf-8")
    assert mode(path) == 0o600 and mode(secure) == 0o600
    cloud = _openstack_config(path, [secure]).get_one(cloud=name)
    auth = cloud.config["auth"]
    for key in ("auth_url", "username", "project_name", "user_domain_name", "project_domain_name"):
        assert auth[key] == api_entry["auth"][key], key
    assert cloud.region_name == api_entry["region_name"] == "dc4-a"
    assert auth["password"] == "s3cret-pw"
    # Without secure.yaml, openstacksdk has no password: it is only there.
    assert "password" not in _openstack_config(path, []).get_one(cloud=name).config["auth"]
    # The other cloud is as it was.
    other = _openstack_config(path, [secure]).get_one(cloud="other")
    assert other.config["auth"]["username"] == "someone"
    assert other.region_name == "RegionOne"

    # Again, with another name for a second entry, and the same name: no duplicate.
    assert await users.save_clouds_yaml(**scope, path=path, cloud="mine") == "mine"
    await users.save_clouds_yaml(**scope, password="n3w-pw", region="pub2", path=path)
    clouds = yaml.safe_load(path.read_text(encoding="utf-8"))["clouds"]
    assert sorted(clouds) == sorted(["other", name, "mine"])
    secrets = yaml.safe_load(secure.read_text(encoding="utf-8"))["clouds"]
    assert secrets == {name: {"auth": {"password": "n3w-pw"}}}
    assert _openstack_config(path, [secure]).get_one(cloud=name).config["auth"]["password"] == (
        "n3w-pw"
    )


async def test_save_clouds_yaml_default_path(
    async_client: AsyncClient, emulator: Emulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project_id, user_id = _project_user(emulator)
    scope = {
        "public_cloud_id": CLOUD,
        "public_cloud_project_id": project_id,
        "public_cloud_user_id": user_id,
    }
    users = async_client.cloud.projects.users
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("OS_CLIENT_CONFIG_FILE", raising=False)
    name = await users.save_clouds_yaml(**scope, password="pw-1")
    folder = tmp_path / "home" / ".config" / "openstack"
    assert name in yaml.safe_load((folder / "clouds.yaml").read_text(encoding="utf-8"))["clouds"]
    assert mode(folder / "secure.yaml") == 0o600
    elsewhere = tmp_path / "elsewhere" / "my-clouds.yaml"
    monkeypatch.setenv("OS_CLIENT_CONFIG_FILE", str(elsewhere))
    await users.save_clouds_yaml(**scope, cloud="env", password="pw-2")
    assert "env" in yaml.safe_load(elsewhere.read_text(encoding="utf-8"))["clouds"]
    assert (elsewhere.parent / "secure.yaml").exists()


@pytest.mark.parametrize("broken", ["clouds.yaml", "secure.yaml"])
async def test_save_clouds_yaml_refuses_a_malformed_file_and_leaves_both(
    async_client: AsyncClient, emulator: Emulator, tmp_path: Path, broken: str
) -> None:
    project_id, user_id = _project_user(emulator)
    files = {
        "clouds.yaml": EXISTING_CLOUDS,
        "secure.yaml": "clouds:\n  other:\n    auth:\n      password: OLD-SECRET\n",
    }
    files[broken] = "clouds:\n  other: [OLD-SECRET\n"
    for filename, text in files.items():
        (tmp_path / filename).write_text(text, encoding="utf-8")
    sent = len(emulator.requests)
    with pytest.raises(ValueError) as caught:
        await async_client.cloud.projects.users.save_clouds_yaml(
            public_cloud_id=CLOUD,
            public_cloud_project_id=project_id,
            public_cloud_user_id=user_id,
            password="pw",
            path=tmp_path / "clouds.yaml",
        )
    assert str(tmp_path / broken) in str(caught.value)
    assert "OLD-SECRET" not in str(caught.value)
    for filename, text in files.items():
        assert (tmp_path / filename).read_text(encoding="utf-8") == text
    assert len(emulator.requests) == sent


async def test_openstack_connection_is_built_from_the_api_entry(
    async_client: AsyncClient, emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    import openstack.connection

    # The machine's own OpenStack settings are not read.
    monkeypatch.setenv("OS_CLOUD", "not-this-one")
    monkeypatch.setenv("OS_PASSWORD", "not-this-password")
    project_id, user_id = _project_user(emulator)
    scope = {
        "public_cloud_id": CLOUD,
        "public_cloud_project_id": project_id,
        "public_cloud_user_id": user_id,
    }
    users = async_client.cloud.projects.users
    api_entry = next(
        iter(
            yaml.safe_load(await users.authentication_file(**scope, type="clouds.yaml"))[
                "clouds"
            ].values()
        )
    )
    connection = await users.openstack_connection(**scope, password="the-pw", region="pub1")
    assert isinstance(connection, openstack.connection.Connection)
    auth = connection.config.config["auth"]
    assert auth["auth_url"] == api_entry["auth"]["auth_url"]
    assert auth["username"] == api_entry["auth"]["username"]
    assert auth["project_name"] == api_entry["auth"]["project_name"]
    assert auth["password"] == "the-pw"
    assert connection.config.region_name == "dc3-a"
    with pytest.raises(ValueError, match="password"):
        await users.openstack_connection(**scope, password="")
