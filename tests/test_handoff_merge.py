"""The merge rules shared by both clients, on the edge cases of files users have."""

from __future__ import annotations

import yaml

from infomaniak._handoff import merge_clouds_yaml, merge_kubeconfig, merge_secure_yaml

API_KUBECONFIG = """\
apiVersion: v1
kind: Config
clusters:
- cluster: {server: "https://new.example:6443", certificate-authority-data: Q0E=}
  name: pck-1
contexts:
- context: {cluster: pck-1, user: pck-1-admin}
  name: pck-1
current-context: pck-1
users:
- name: pck-1-admin
  user: {token: new-token}
"""

API_CLOUDS = """\
clouds:
  PCP-1:
    auth:
      auth_url: https://api.pub1.infomaniak.cloud/identity/v3
      username: PCU-1
      project_name: PCP-1
      user_domain_name: Default
      project_domain_name: Default
    region_name: dc3-a
"""


def test_an_empty_kubeconfig_file_is_a_new_one() -> None:
    merged = yaml.safe_load(
        merge_kubeconfig("", API_KUBECONFIG, name="mine", set_current=False, filename="f")
    )
    assert merged["kind"] == "Config" and merged["apiVersion"] == "v1"
    assert [c["name"] for c in merged["contexts"]] == ["mine"]
    assert merged["contexts"][0]["context"] == {"cluster": "mine", "user": "mine"}
    assert merged["users"] == [{"name": "mine", "user": {"token": "new-token"}}]
    assert "current-context" not in merged


def test_duplicates_of_the_name_collapse_in_place_and_the_rest_stays() -> None:
    existing = """\
apiVersion: v1
kind: Config
clusters:
- {name: a, cluster: {server: "https://a"}}
- {name: mine, cluster: {server: "https://old"}}
- {name: b, cluster: {server: "https://b"}}
- {name: mine, cluster: {server: "https://older"}}
contexts: null
users: []
current-context: a
preferences: {colors: true}
extensions:
- name: keep-me
  extension: {x: 1}
"""
    merged = yaml.safe_load(
        merge_kubeconfig(existing, API_KUBECONFIG, name="mine", set_current=False, filename="f")
    )
    assert [c["name"] for c in merged["clusters"]] == ["a", "mine", "b"]
    assert merged["clusters"][1]["cluster"]["server"] == "https://new.example:6443"
    assert merged["current-context"] == "a"
    assert merged["preferences"] == {"colors": True}
    assert merged["extensions"] == [{"name": "keep-me", "extension": {"x": 1}}]


def test_secure_yaml_keeps_the_other_keys_of_the_entry() -> None:
    existing = "clouds:\n  mine:\n    auth: {password: old, extra: kept}\n    other: 1\n"
    merged = yaml.safe_load(merge_secure_yaml(existing, name="mine", password="new", filename="s"))
    assert merged == {
        "clouds": {"mine": {"auth": {"password": "new", "extra": "kept"}, "other": 1}}
    }


def test_clouds_yaml_entry_never_carries_a_password() -> None:
    api = API_CLOUDS.replace("username: PCU-1", "username: PCU-1\n      password: leaked")
    merged = merge_clouds_yaml("clouds: {}\n", api, name="mine", filename="c")
    assert "leaked" not in merged
    entry = yaml.safe_load(merged)["clouds"]["mine"]
    assert entry["auth"]["username"] == "PCU-1" and entry["region_name"] == "dc3-a"
