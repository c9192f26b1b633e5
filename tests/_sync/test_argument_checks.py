# Generated from tests/_async/test_argument_checks.py by scripts/unasync.py.
# Do not edit: change the async source and run `python scripts/unasync.py`.
"""Bad arguments are refused before anything is sent, naming the argument
(issue 17, points 15-19): full matches over ASCII classes, RFC 3339 points in
time, CIDR-only IP filters, bounded numbers, and free text without control
characters or the shapes the API and Kubernetes refuse."""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable
from typing import Any

import pytest

from infomaniak import Client
from infomaniak.errors import APIError
from infomaniak.testing import Emulator

CLOUD = 1332
PROJECT = 25454
SCOPE = {"public_cloud_id": CLOUD, "public_cloud_project_id": PROJECT}
KAAS = 4821
DBAAS = 7341

Call = Callable[[Client], Any]


def _pool(**changes: Any) -> Call:
    args = {"name": "workers", "flavor": "a1-ram2-disk20-perf1", "minimum_instances": 1, **changes}
    return lambda c: c.cloud.kubernetes.pools.create(**SCOPE, kaas_id=KAAS, **args)


def _apiserver(**changes: Any) -> Call:
    return lambda c: c.cloud.kubernetes.apiserver.update(**SCOPE, kaas_id=KAAS, **changes)


def _schedule(scheduled_at: str) -> Call:
    return lambda c: c.cloud.database.backup_schedules.create(
        **SCOPE, dbaas_id=DBAAS, scheduled_at=scheduled_at
    )


def _restore(when: Any) -> Call:
    return lambda c: c.cloud.database.restores.create(
        **SCOPE, dbaas_id=DBAAS, pitr_restore_date=when
    )


def _k8s_filters(*networks: str) -> Call:
    return lambda c: c.cloud.kubernetes.ip_filters.replace(
        **SCOPE, kaas_id=KAAS, ip_filters=list(networks)
    )


def _db_filters(*networks: str) -> Call:
    return lambda c: c.cloud.database.ip_filters.replace(
        **SCOPE, dbaas_id=DBAAS, ip_filters=list(networks)
    )


def _cluster(**changes: Any) -> Call:
    args = {
        "name": "extra",
        "region": "dc4-a",
        "kubernetes_version": "1.34",
        "kaas_pack_id": 2,
        **changes,
    }
    return lambda c: c.cloud.kubernetes.create(**SCOPE, **args)


def _database(**changes: Any) -> Call:
    args = {
        "name": "orders",
        "type": "mysql",
        "version": "8.0.42",
        "region": "dc4-a",
        "pack_id": 1,
        **changes,
    }
    return lambda c: c.cloud.database.create(**SCOPE, **args)


REFUSED: list[tuple[str, Call, str]] = [
    # 17.15: full matches over ASCII classes
    ("prefix-newline", _pool(prefix="abc\n"), "prefix"),
    ("username-prefix-newline", _apiserver(oidc_username_prefix="oidc:\n"), "oidc_username_prefix"),
    ("groups-prefix-newline", _apiserver(oidc_groups_prefix="grp:\n"), "oidc_groups_prefix"),
    ("scheduled-at-arabic-indic", _schedule("1\u0662:3\u0660"), "scheduled_at"),
    # 17.16: RFC 3339 with an offset
    ("pitr-naive", _restore("2025-08-15T15:52:01"), "pitr_restore_date"),
    ("pitr-date-only", _restore("2025-08-15"), "pitr_restore_date"),
    ("pitr-iso-week", _restore("2025-W33-5"), "pitr_restore_date"),
    ("pitr-compact", _restore("20250815T155201+0000"), "pitr_restore_date"),
    # 17.17: CIDR prefixes only
    ("zone-id-newline", _k8s_filters("fe80::1%\n"), "ip_filters[0]"),
    ("zone-id-rtl", _db_filters("fe80::1%\u202eeth0"), "ip_filters[0]"),
    ("zone-id-prefix", _k8s_filters("203.0.113.0/24", "fe80::1%eth0/64"), "ip_filters[1]"),
    ("netmask", _db_filters("10.0.0.0/255.0.0.0"), "ip_filters[0]"),
    ("hostmask", _k8s_filters("10.0.0.0/0.255.255.255"), "ip_filters[0]"),
    ("zero-padded-prefix", _db_filters("10.0.0.0/08"), "ip_filters[0]"),
    # 17.18: numbers bounded and named
    (
        "rate-huge-int",
        lambda c: c.cloud.kubernetes.flavors(
            **SCOPE, region="dc4-a", minimum_rate={"excluding_tax": 10**400}
        ),
        "minimum_rate",
    ),
    ("pack-rate-huge", lambda c: c.cloud.database.packs(minimum_rate=10**400), "minimum_rate"),
    ("pack-rate-nan", lambda c: c.cloud.database.packs(minimum_rate=math.nan), "minimum_rate"),
    ("pack-rate-inf", lambda c: c.cloud.database.packs(rate=math.inf), "rate"),
    ("pack-rate-negative", lambda c: c.cloud.database.packs(maximum_rate=-1), "maximum_rate"),
    (
        "pack-rate-mapping-nan",
        lambda c: c.cloud.database.packs(maximum_rate={"including_tax": math.nan}),
        "maximum_rate",
    ),
    ("kaas-id-huge", lambda c: c.cloud.kubernetes.get(**SCOPE, kaas_id=10**5000), "kaas_id"),
    ("dbaas-id-huge", lambda c: c.cloud.database.get(**SCOPE, dbaas_id=2**63), "dbaas_id"),
    (
        "cloud-id-negative-huge",
        lambda c: c.cloud.get(public_cloud_id=-(10**5000)),
        "public_cloud_id",
    ),
    ("pack-cpu-huge", lambda c: c.cloud.database.packs(cpu=10**30), "cpu"),
    ("page-huge", lambda c: c.cloud.list(account_id=42, page=10**5000), "page"),
    # 17.19: free text
    ("cluster-name-controls", _cluster(name="a\x00b\r\n"), "name"),
    ("cluster-name-blank", _cluster(name="   "), "name"),
    ("database-name-newline", _database(name="orders\n"), "name"),
    ("database-name-blank", _database(name="\t "), "name"),
    ("pool-name-rtl", _pool(name="pool\u202e1"), "name"),
    (
        "project-name-controls",
        lambda c: c.cloud.projects.create(
            public_cloud_id=CLOUD, project_name="p\x1b[31m", user_password="S3cure-Passw0rd!"
        ),
        "project_name",
    ),
    (
        "customer-name-blank",
        lambda c: c.cloud.update(public_cloud_id=CLOUD, customer_name="    "),
        "customer_name",
    ),
    ("search-newline", lambda c: c.cloud.list(account_id=42, search="x\ny"), "search"),
    ("label-key-empty", _pool(labels={"": "web"}), "labels"),
    ("label-key-newline", _pool(labels={"bad key\n": "web"}), "labels"),
    ("label-key-bad-prefix", _pool(labels={"Example.COM/tier": "web"}), "labels"),
    ("label-key-too-long", _pool(labels={"a" * 64: "web"}), "labels"),
    ("label-value-newline", _pool(labels={"tier": "web\n"}), "labels"),
    ("claim-equals-only", _apiserver(oidc_required_claim="="), "oidc_required_claim"),
    ("claim-no-key", _apiserver(oidc_required_claim="=admin"), "oidc_required_claim"),
    ("claim-newline", _apiserver(oidc_required_claim="role=admin\n"), "oidc_required_claim"),
    ("param-key-newline", _apiserver(apiserver_params={"--x\n": "y"}), "apiserver_params"),
    ("param-key-no-dashes", _apiserver(apiserver_params={"x": "y"}), "apiserver_params"),
    ("param-value-newline", _apiserver(apiserver_params={"--v": "1\n--x=y"}), "apiserver_params"),
    ("issuer-url-newline", _apiserver(oidc_issuer_url="https://id.example\n"), "oidc_issuer_url"),
]


@pytest.mark.parametrize(
    ("call", "argument"), [(c, a) for _, c, a in REFUSED], ids=[i for i, _, _ in REFUSED]
)
def test_bad_arguments_are_refused_naming_them_before_anything_is_sent(
    client: Client, emulator: Emulator, call: Call, argument: str
) -> None:
    with pytest.raises((ValueError, TypeError)) as caught:
        call(client)
    assert argument in str(caught.value)
    assert "Exceeds the limit" not in str(caught.value)
    assert emulator.requests == []


ACCEPTED: list[tuple[str, Call]] = [
    ("pitr-offset", _restore("2025-08-15T15:52:01+02:00")),
    ("pitr-z-fraction", _restore("2025-08-15T15:52:01.250Z")),
    ("cidr-v4", _db_filters("203.0.113.0/24", "198.51.100.7", "0.0.0.0/0")),
    ("cidr-v6", _k8s_filters("2001:db8::/32", "::1")),
    ("label-keys", _pool(labels={"node-role.kubernetes.io/worker": "", "tier": "web_1.a"})),
    ("claims", _apiserver(oidc_required_claim="role=admin,team=ops")),
    ("pem", _apiserver(oidc_ca="-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n")),
    ("param", _apiserver(apiserver_params={"--oidc-client-id": "kube"})),
    ("pack-rates", lambda c: c.cloud.database.packs(minimum_rate=0, maximum_rate=2.5)),
]


@pytest.mark.parametrize("call", [c for _, c in ACCEPTED], ids=[i for i, _ in ACCEPTED])
def test_good_arguments_of_those_shapes_are_sent(
    client: Client, emulator: Emulator, call: Call
) -> None:
    # The emulator may refuse some for its state: they were sent all the same.
    with contextlib.suppress(APIError):
        call(client)
    assert emulator.requests
