"""Every "Raises" the Cloud pages promise that the emulator can trigger, triggered.

Each claim names a page, the section it is under, the exception class the
section's **Raises** paragraph names (and the API code it names, if any), and
a call that provokes it against the emulator over real HTTP. The test checks
both ends: the paragraph says it, and the call raises exactly that class.
Claims about bad arguments (``TypeError``/``ValueError`` before sending) are
covered by the resources' own tests; here are the ones about answers.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from infomaniak import Client
from infomaniak.errors import (
    APIError,
    NotFoundError,
    OperationFailedError,
    ValidationError,
)
from infomaniak.testing import Emulator

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "cloud"

CLOUD, PROJECT = 1332, 25454  # the spec examples' ids, served by every emulator
CLUSTER, POOL = 4821, 9312  # an Active cluster of PROJECT and one of its pools
SERVICE, USER = 7341, 56321  # a ready database service of PROJECT, a user of PROJECT
MISSING = 999_999

P = {"public_cloud_id": CLOUD, "public_cloud_project_id": PROJECT}
K = {**P, "kaas_id": CLUSTER}
D = {**P, "dbaas_id": SERVICE}
U = {**P, "public_cloud_user_id": USER}


@dataclass(frozen=True)
class Claim:
    page: str
    section: str
    raises: type[BaseException]
    call: Callable[[Client, Emulator], object]
    code: str | None = None  # the API code the paragraph names and the error carries

    @property
    def id(self) -> str:
        return f"{self.page}#{self.section}:{self.raises.__name__}"


def _second_shared_cluster(client: Client, emulator: Emulator) -> object:
    for name in ("one", "two"):  # the shared pack allows one cluster per project
        client.cloud.kubernetes.create(
            **P, name=name, region="dc4-a", kubernetes_version="1.35", kaas_pack_id=1
        )
    return None


def _pool_on_a_new_cluster(client: Client, emulator: Emulator) -> object:
    emulator.kaas_duration = 60.0  # still Creating when the pool is asked for
    op = client.cloud.kubernetes.create(
        **P, name="young", region="dc4-a", kubernetes_version="1.35", kaas_pack_id=2
    )
    assert op.resource_id is not None or op.task_uuid is not None
    clusters = client.cloud.kubernetes.list(**P, search="young")
    (cluster,) = list(clusters)
    return client.cloud.kubernetes.pools.create(
        **P,
        kaas_id=cluster.kaas_id,
        name="workers",
        flavor="a2-ram4-disk20-perf1",
        minimum_instances=1,
    )


def _failed_cluster(client: Client, emulator: Emulator) -> object:
    emulator.fail_next_kaas()
    op = client.cloud.kubernetes.create(
        **P, name="doomed", region="dc4-a", kubernetes_version="1.35", kaas_pack_id=2
    )
    return op.wait(timeout=30)


def _failed_service(client: Client, emulator: Emulator) -> object:
    emulator.fail_next_dbaas()
    op = client.cloud.database.create(
        **P, name="doomed", type="mysql", version="8.0.42", region="dc4-a", pack_id=1
    )
    return op.wait(timeout=30)


def _failed_backup(client: Client, emulator: Emulator) -> object:
    emulator.fail_next_backup()
    return client.cloud.database.backups.create(**D).wait(timeout=30)


def _failed_user(client: Client, emulator: Emulator) -> object:
    emulator.fail_next_provisioning()
    op = client.cloud.projects.users.create(**P, password="S3cure-Passw0rd!")
    return op.wait(timeout=30)


def _failed_restore(client: Client, emulator: Emulator) -> object:
    emulator.fail_next_restore()
    op = client.cloud.database.restores.create(**D, backup_id="20220427-173320-pcdb-12345")
    return op.wait(timeout=30)


def _pool_over_quota(client: Client, emulator: Emulator) -> object:
    emulator.project_cores_quota = 1  # "Quota exceeded for cores"
    op = client.cloud.kubernetes.pools.create(
        **K, name="big", flavor="a2-ram4-disk20-perf1", minimum_instances=3
    )
    return op.wait(timeout=30)


def _kubeconfig_into_a_missing_folder(client: Client, emulator: Emulator) -> object:
    return client.cloud.kubernetes.kubeconfig(**K, path="/nonexistent-dir/sub/kubeconfig")


CLAIMS = [
    # Public Clouds, configuration, accesses
    Claim(
        "public-cloud.md",
        "List Public Clouds",
        NotFoundError,
        lambda c, e: c.cloud.list(account_id=MISSING),
    ),
    Claim(
        "public-cloud.md",
        "Get a Public Cloud",
        NotFoundError,
        lambda c, e: c.cloud.get(public_cloud_id=MISSING),
    ),
    Claim(
        "public-cloud.md",
        "Update a Public Cloud",
        NotFoundError,
        lambda c, e: c.cloud.update(public_cloud_id=MISSING, customer_name="Prod"),
    ),
    Claim(
        "config-and-accesses.md",
        "Get the configuration",
        NotFoundError,
        lambda c, e: c.cloud.config.get(account_id=MISSING),
    ),
    Claim(
        "config-and-accesses.md",
        "Get the accesses",
        NotFoundError,
        lambda c, e: c.cloud.accesses.get(account_id=MISSING),
    ),
    # Projects
    Claim(
        "projects.md",
        "List projects",
        NotFoundError,
        lambda c, e: c.cloud.projects.list(public_cloud_id=MISSING),
    ),
    Claim(
        "projects.md",
        "Get a project",
        NotFoundError,
        lambda c, e: c.cloud.projects.get(public_cloud_id=CLOUD, public_cloud_project_id=MISSING),
    ),
    Claim(
        "projects.md",
        "Create a project",
        ValidationError,
        lambda c, e: c.cloud.projects.create(
            public_cloud_id=CLOUD, project_name="p", user_password="short"
        ),
    ),
    Claim(
        "projects.md",
        "Create a project",
        OperationFailedError,
        lambda c, e: (
            e.fail_next_task(),
            c.cloud.projects.create(
                public_cloud_id=CLOUD, project_name="p", user_password="S3cure-Passw0rd!"
            ).wait(timeout=30),
        ),
    ),
    Claim(
        "projects.md",
        "Rename a project",
        NotFoundError,
        lambda c, e: c.cloud.projects.update(
            public_cloud_id=CLOUD, public_cloud_project_id=MISSING, name="new"
        ),
    ),
    Claim(
        "projects.md",
        "Delete a project",
        NotFoundError,
        lambda c, e: c.cloud.projects.delete(
            public_cloud_id=CLOUD, public_cloud_project_id=MISSING
        ),
    ),
    Claim(
        "projects.md",
        "Create a project with an invited user",
        NotFoundError,
        lambda c, e: c.cloud.projects.invite(
            public_cloud_id=MISSING, project_name="p", user_email="ops@example.com"
        ),
    ),
    Claim(
        "projects.md",
        "Create a project",
        NotFoundError,
        lambda c, e: c.cloud.projects.create(
            public_cloud_id=MISSING, project_name="p", user_password="S3cure-Passw0rd!"
        ),
    ),
    Claim(
        "project-users.md",
        "Invite a user",
        NotFoundError,
        lambda c, e: c.cloud.projects.users.invite(
            public_cloud_id=CLOUD, public_cloud_project_id=MISSING, email="ops@example.com"
        ),
    ),
    Claim(
        "project-users.md",
        "Create a user",
        NotFoundError,
        lambda c, e: c.cloud.projects.users.create(
            public_cloud_id=CLOUD, public_cloud_project_id=MISSING, password="S3cure-Passw0rd!"
        ),
    ),
    # Project users
    Claim(
        "project-users.md",
        "List users",
        NotFoundError,
        lambda c, e: c.cloud.projects.users.list(
            public_cloud_id=CLOUD, public_cloud_project_id=MISSING
        ),
    ),
    Claim(
        "project-users.md",
        "Get a user",
        NotFoundError,
        lambda c, e: c.cloud.projects.users.get(**P, public_cloud_user_id=MISSING),
    ),
    Claim(
        "project-users.md",
        "Create a user",
        ValidationError,
        lambda c, e: c.cloud.projects.users.create(**P, password="short"),
    ),
    Claim(
        "project-users.md",
        "Update a user",
        NotFoundError,
        lambda c, e: c.cloud.projects.users.update(
            **P, public_cloud_user_id=MISSING, description="x"
        ),
    ),
    Claim(
        "project-users.md",
        "Update a user",
        ValidationError,
        lambda c, e: c.cloud.projects.users.update(**U, password="short"),
    ),
    Claim(
        "project-users.md",
        "Delete a user",
        NotFoundError,
        lambda c, e: c.cloud.projects.users.delete(**P, public_cloud_user_id=MISSING),
    ),
    Claim(
        "project-users.md",
        "Re-invite a user",
        NotFoundError,
        lambda c, e: c.cloud.projects.users.reinvite(
            **P, public_cloud_user_id=MISSING, email="ops@example.com"
        ),
    ),
    Claim(
        "project-users.md",
        "Download the openrc file",
        NotFoundError,
        lambda c, e: c.cloud.projects.users.openrc(**P, public_cloud_user_id=MISSING),
    ),
    Claim(
        "project-users.md",
        "Download an authentication file",
        NotFoundError,
        lambda c, e: c.cloud.projects.users.authentication_file(
            **P, public_cloud_user_id=MISSING, type="clouds.yaml"
        ),
    ),
    Claim(
        "project-users.md",
        "Download an authentication file",
        ValidationError,
        lambda c, e: c.cloud.projects.users.authentication_file(**U, type="no-such-type"),
    ),
    Claim("project-users.md", "Create a user", OperationFailedError, _failed_user),
    Claim("database-restores.md", "Restore a backup", OperationFailedError, _failed_restore),
    # Tasks
    Claim(
        "tasks.md",
        "Get a task",
        NotFoundError,
        lambda c, e: c.tasks.get(task_uuid="00000000-0000-0000-0000-000000000000"),
    ),
    # Kubernetes clusters
    Claim(
        "kubernetes-clusters.md",
        "List clusters",
        NotFoundError,
        lambda c, e: c.cloud.kubernetes.list(
            public_cloud_id=CLOUD, public_cloud_project_id=MISSING
        ),
    ),
    Claim(
        "kubernetes-clusters.md",
        "Get a cluster",
        NotFoundError,
        lambda c, e: c.cloud.kubernetes.get(**P, kaas_id=MISSING),
    ),
    Claim(
        "kubernetes-clusters.md",
        "Create a cluster",
        ValidationError,
        lambda c, e: c.cloud.kubernetes.create(
            **P, name="x", region="nowhere", kubernetes_version="1.35", kaas_pack_id=2
        ),
    ),
    Claim(
        "kubernetes-clusters.md",
        "Create a cluster",
        APIError,
        _second_shared_cluster,
        code="kaas_pack_limit_reached",
    ),
    Claim("kubernetes-clusters.md", "Create a cluster", OperationFailedError, _failed_cluster),
    Claim(
        "kubernetes-clusters.md",
        "Update a cluster",
        APIError,
        lambda c, e: c.cloud.kubernetes.update(**K, kubernetes_version="1.32"),
        code="cannot_update_kaas",
    ),
    Claim(
        "kubernetes-clusters.md",
        "Update a cluster",
        ValidationError,
        lambda c, e: c.cloud.kubernetes.update(**K, kubernetes_version="9.99"),
    ),
    Claim(
        "kubernetes-clusters.md",
        "Update a cluster",
        NotFoundError,
        lambda c, e: c.cloud.kubernetes.update(**P, kaas_id=MISSING, name="x"),
    ),
    Claim(
        "kubernetes-clusters.md",
        "Delete a cluster",
        NotFoundError,
        lambda c, e: c.cloud.kubernetes.delete(**P, kaas_id=MISSING),
    ),
    Claim(
        "kubernetes-clusters.md",
        "Download the kubeconfig",
        NotFoundError,
        lambda c, e: c.cloud.kubernetes.kubeconfig(**P, kaas_id=MISSING),
    ),
    Claim(
        "kubernetes-clusters.md",
        "Download the kubeconfig",
        OSError,
        _kubeconfig_into_a_missing_folder,
    ),
    # Kubernetes pools
    Claim(
        "kubernetes-pools.md",
        "List pools",
        NotFoundError,
        lambda c, e: c.cloud.kubernetes.pools.list(**P, kaas_id=MISSING),
    ),
    Claim(
        "kubernetes-pools.md",
        "Get a pool",
        NotFoundError,
        lambda c, e: c.cloud.kubernetes.pools.get(**K, instance_pool_id=MISSING),
    ),
    Claim(
        "kubernetes-pools.md",
        "Create a pool",
        ValidationError,
        lambda c, e: c.cloud.kubernetes.pools.create(
            **K, name="w", flavor="no-such-flavor", minimum_instances=1
        ),
    ),
    Claim(
        "kubernetes-pools.md",
        "Create a pool",
        APIError,
        _pool_on_a_new_cluster,
        code="cannot_create_worker_pool",
    ),
    Claim(
        "kubernetes-pools.md",
        "Update a pool",
        NotFoundError,
        lambda c, e: c.cloud.kubernetes.pools.update(**K, instance_pool_id=MISSING, name="x"),
    ),
    Claim(
        "kubernetes-pools.md",
        "Delete a pool",
        NotFoundError,
        lambda c, e: c.cloud.kubernetes.pools.delete(**K, instance_pool_id=MISSING),
    ),
    Claim("kubernetes-pools.md", "Create a pool", OperationFailedError, _pool_over_quota),
    # Kubernetes API server and IP filters
    Claim(
        "kubernetes-apiserver.md",
        "Get the API server parameters",
        NotFoundError,
        lambda c, e: c.cloud.kubernetes.apiserver.get(**P, kaas_id=MISSING),
    ),
    Claim(
        "kubernetes-apiserver.md",
        "Change the API server parameters",
        NotFoundError,
        lambda c, e: c.cloud.kubernetes.apiserver.update(
            **P, kaas_id=MISSING, oidc_client_id="kubernetes"
        ),
    ),
    Claim(
        "kubernetes-apiserver.md",
        "List the IP filters",
        NotFoundError,
        lambda c, e: c.cloud.kubernetes.ip_filters.list(**P, kaas_id=MISSING),
    ),
    Claim(
        "kubernetes-apiserver.md",
        "Replace the IP filters",
        NotFoundError,
        lambda c, e: c.cloud.kubernetes.ip_filters.replace(
            **P, kaas_id=MISSING, ip_filters=["10.0.0.0/8"]
        ),
    ),
    Claim(
        "kubernetes-apiserver.md",
        "Remove the IP filters",
        NotFoundError,
        lambda c, e: c.cloud.kubernetes.ip_filters.clear(**P, kaas_id=MISSING),
    ),
    # Kubernetes reference data
    Claim(
        "kubernetes-reference-data.md",
        "Flavors",
        NotFoundError,
        lambda c, e: c.cloud.kubernetes.flavors(
            public_cloud_id=CLOUD, public_cloud_project_id=MISSING, region="dc4-a"
        ),
    ),
    Claim(
        "kubernetes-reference-data.md",
        "Flavor filters",
        NotFoundError,
        lambda c, e: c.cloud.kubernetes.flavor_filters(
            public_cloud_id=CLOUD, public_cloud_project_id=MISSING, region="dc4-a"
        ),
    ),
    # Databases
    Claim(
        "databases.md",
        "List services",
        NotFoundError,
        lambda c, e: c.cloud.database.list(public_cloud_id=CLOUD, public_cloud_project_id=MISSING),
    ),
    Claim(
        "databases.md",
        "Get a service",
        NotFoundError,
        lambda c, e: c.cloud.database.get(**P, dbaas_id=MISSING),
    ),
    Claim(
        "databases.md",
        "Create a service",
        ValidationError,
        lambda c, e: c.cloud.database.create(
            **P, name="x", type="mysql", version="8.0.42", region="nowhere", pack_id=1
        ),
    ),
    Claim("databases.md", "Create a service", OperationFailedError, _failed_service),
    Claim(
        "databases.md",
        "Update a service",
        NotFoundError,
        lambda c, e: c.cloud.database.update(**P, dbaas_id=MISSING, name="x"),
    ),
    Claim(
        "databases.md",
        "Delete a service",
        NotFoundError,
        lambda c, e: c.cloud.database.delete(**P, dbaas_id=MISSING),
    ),
    Claim(
        "databases.md",
        "Reset the root password",
        NotFoundError,
        lambda c, e: c.cloud.database.reset_password(**P, dbaas_id=MISSING),
    ),
    Claim(
        "databases.md",
        "Reset the root password",
        APIError,
        lambda c, e: c.cloud.database.reset_password(**P, dbaas_id=7342),  # paused
        code="cannot_retrieve_connection_information",
    ),
    Claim(
        "databases.md",
        "Switch the slow query log",
        NotFoundError,
        lambda c, e: c.cloud.database.toggle_slow_logs(**P, dbaas_id=MISSING),
    ),
    # Database backups and schedules
    Claim(
        "database-backups.md",
        "List backups",
        NotFoundError,
        lambda c, e: c.cloud.database.backups.list(**P, dbaas_id=MISSING),
    ),
    Claim(
        "database-backups.md",
        "Get a backup",
        NotFoundError,
        lambda c, e: c.cloud.database.backups.get(**D, backup_id="20000101-000000-none"),
    ),
    Claim(
        "database-backups.md",
        "Start a backup",
        NotFoundError,
        lambda c, e: c.cloud.database.backups.create(**P, dbaas_id=MISSING),
    ),
    Claim("database-backups.md", "Start a backup", OperationFailedError, _failed_backup),
    Claim(
        "database-backups.md",
        "Delete a backup",
        NotFoundError,
        lambda c, e: c.cloud.database.backups.delete(**D, backup_id="20000101-000000-none"),
    ),
    Claim(
        "database-backups.md",
        "List schedules",
        NotFoundError,
        lambda c, e: c.cloud.database.backup_schedules.list(**P, dbaas_id=MISSING),
    ),
    Claim(
        "database-backups.md",
        "Get a schedule",
        NotFoundError,
        lambda c, e: c.cloud.database.backup_schedules.get(**D, backup_schedule_id=MISSING),
        code="backup_schedule_does_not_exist",
    ),
    Claim(
        "database-backups.md",
        "Add a schedule",
        APIError,
        lambda c, e: c.cloud.database.backup_schedules.create(**D, scheduled_at="12:00"),
        code="backup_schedule_already_exists",
    ),
    Claim(
        "database-backups.md",
        "Add a schedule",
        NotFoundError,
        lambda c, e: c.cloud.database.backup_schedules.create(
            **P, dbaas_id=MISSING, scheduled_at="03:00"
        ),
    ),
    Claim(
        "database-backups.md",
        "Change a schedule",
        NotFoundError,
        lambda c, e: c.cloud.database.backup_schedules.update(
            **D, backup_schedule_id=MISSING, retention=3
        ),
    ),
    Claim(
        "database-backups.md",
        "Delete a schedule",
        NotFoundError,
        lambda c, e: c.cloud.database.backup_schedules.delete(**D, backup_schedule_id=MISSING),
    ),
    # Database restores
    Claim(
        "database-restores.md",
        "Restore a backup",
        NotFoundError,
        lambda c, e: c.cloud.database.restores.create(**D, backup_id="20000101-000000-none"),
        code="cannot_restore_no_backup_found",
    ),
    Claim(
        "database-restores.md",
        "Get a restore",
        NotFoundError,
        lambda c, e: c.cloud.database.restores.get(**D, restore_id="rst-none"),
    ),
    # Database configuration and IP filters
    Claim(
        "database-configuration.md",
        "Get the variables",
        NotFoundError,
        lambda c, e: c.cloud.database.configuration.get(**P, dbaas_id=MISSING),
    ),
    Claim(
        "database-configuration.md",
        "Set the variables",
        ValidationError,
        lambda c, e: c.cloud.database.configuration.replace(
            **D, values={"max_connections": "lots"}
        ),
    ),
    Claim(
        "database-configuration.md",
        "Set the variables",
        NotFoundError,
        lambda c, e: c.cloud.database.configuration.replace(
            **P, dbaas_id=MISSING, values={"max_connections": 200}
        ),
    ),
    Claim(
        "database-configuration.md",
        "Reset the variables",
        NotFoundError,
        lambda c, e: c.cloud.database.configuration.reset(**P, dbaas_id=MISSING),
    ),
    Claim(
        "database-configuration.md",
        "List the IP filters",
        NotFoundError,
        lambda c, e: c.cloud.database.ip_filters.list(**P, dbaas_id=MISSING),
    ),
    Claim(
        "database-configuration.md",
        "Replace the IP filters",
        NotFoundError,
        lambda c, e: c.cloud.database.ip_filters.replace(
            **P, dbaas_id=MISSING, ip_filters=["10.0.0.0/8"]
        ),
    ),
    Claim(
        "database-configuration.md",
        "Remove the IP filters",
        NotFoundError,
        lambda c, e: c.cloud.database.ip_filters.clear(**P, dbaas_id=MISSING),
    ),
]


def raises_paragraph(page: str, section: str) -> str:
    """The **Raises** paragraph of a section of a docs page, on one line."""
    text = (DOCS / page).read_text(encoding="utf-8")
    match = re.search(rf"^## {re.escape(section)}\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert match, f"{page}: no section {section!r}"
    paragraph = re.search(r"^\*\*Raises\*\*(.*?)(?:\n\n|\Z)", match[1], re.M | re.S)
    assert paragraph, f"{page}#{section}: no **Raises** paragraph"
    return " ".join(paragraph[1].split())


@pytest.fixture
def client(emulator: Emulator, client_options: dict[str, Any]) -> Iterator[Client]:
    with Client(emulator.token, base_url=emulator.url, **client_options) as client:
        yield client


@pytest.mark.parametrize("claim", CLAIMS, ids=[c.id for c in CLAIMS])
def test_documented_raise_is_what_the_call_raises(
    claim: Claim, client: Client, emulator: Emulator
) -> None:
    paragraph = raises_paragraph(claim.page, claim.section)
    assert f"`{claim.raises.__name__}`" in paragraph, paragraph
    if claim.code:
        assert f"`{claim.code}`" in paragraph, paragraph
    with pytest.raises(BaseException) as caught:
        result = claim.call(client, emulator)
        if hasattr(result, "__iter__") and not isinstance(result, (str, bytes, tuple)):
            list(result)  # a list raises at its first page
    if issubclass(claim.raises, APIError) or claim.raises is OperationFailedError:
        assert type(caught.value) is claim.raises, repr(caught.value)
    else:  # a built-in family, e.g. OSError: FileNotFoundError, PermissionError...
        assert isinstance(caught.value, claim.raises), repr(caught.value)
    if claim.code:
        assert isinstance(caught.value, APIError) and caught.value.code == claim.code
