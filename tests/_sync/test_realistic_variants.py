# Generated from tests/_async/test_realistic_variants.py by scripts/unasync.py.
# Do not edit: change the async source and run `python scripts/unasync.py`.
"""The SDK against the emulator's realistic profile (the default): every documented
variant shape of the Kubernetes and database routes decodes into the models."""

from __future__ import annotations

import pytest

from infomaniak import Client
from infomaniak._converter import structure
from infomaniak.models.cloud import KubernetesServicePack
from infomaniak.testing import Emulator

CLOUD, PROJECT, CLUSTER = 1332, 25454, 4821


def test_kubernetes_variants_decode(client: Client, emulator: Emulator) -> None:
    kubernetes = client.cloud.kubernetes
    packs = kubernetes.packs()
    raw_packs = emulator.requests[-1]
    assert raw_packs.path == "/1/public_clouds/kaas/packs"
    assert all(pack.is_active is True for pack in packs)  # "true" and true alike
    clusters = (
        kubernetes.list(account_id=42, with_=["packs", "projects", "instances", "tags"])
    ).to_list()
    assert {c.pack.is_active for c in clusters if c.pack is not None} == {True}
    pools = (
        kubernetes.pools.list(
            public_cloud_id=CLOUD, public_cloud_project_id=PROJECT, kaas_id=CLUSTER
        )
    ).to_list()
    assert pools and all(isinstance(pool.labels, dict) for pool in pools)  # [] and {} alike
    assert all(pool.error_messages == [] for pool in pools)  # absent or empty alike


@pytest.mark.infomaniak_profile("realistic")
def test_database_variants_decode(client: Client, emulator: Emulator) -> None:
    services = (
        client.cloud.database.list(
            account_id=42, with_=["packs", "projects", "tags", "connection"]
        )
    ).to_list()
    assert any(s.total_backup_size for s in services)
    assert any(s.total_backup_size is None for s in services)
    assert all(isinstance(s.configuration, dict) for s in services)  # [] or a map
    ready = [s for s in services if s.status == "ready"]
    assert ready and all(s.connection is not None for s in ready)
    assert all(s.connection is None for s in services if s.status != "ready")  # []


@pytest.mark.parametrize(
    ("sent", "read"),
    [("true", True), ("false", False), ("1", True), ("0", False), (False, False), ("soon", "soon")],
)
def test_boolean_sent_as_a_string_reads_as_a_bool(sent: object, read: object) -> None:
    pack = structure({"kaas_pack_id": 1, "is_active": sent}, KubernetesServicePack)
    assert pack.is_active == read and type(pack.is_active) is type(read)
