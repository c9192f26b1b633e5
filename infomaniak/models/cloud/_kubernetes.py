"""Models of Managed Kubernetes (KaaS).

Clusters, instance pools, API server parameters and the reference data (packs, flavors).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, NewType

from attrs import Factory, define, field

from ..._converter import (
    BOOL_STRING,
    INTERN,
    DecodeError,
    json_name,
    merge_objects,
    register_hook,
    structure,
)
from .._model import Model
from ._public_cloud import PublicCloudTag


class KubernetesServiceStatus(StrEnum):
    """Lifecycle of a cluster. Values the SDK does not know arrive as plain strings."""

    ACTIVE = "Active"
    CREATING = "Creating"
    DELETING = "Deleting"
    FAILED = "Failed"
    SUSPENDED = "Suspended"
    UNKNOWN = "Unknown"
    UPDATING = "Updating"


class InstancePoolStatus(StrEnum):
    """Lifecycle of an instance pool. Values the SDK does not know arrive as plain strings."""

    ACTIVE = "Active"
    CREATING = "Creating"
    DELETING = "Deleting"
    FAILED = "Failed"
    FAILED_QUOTA = "FailedQuota"
    SCALING_DOWN = "ScalingDown"
    SCALING_UP = "ScalingUp"
    UNKNOWN = "Unknown"
    UPDATING = "Updating"


@define(kw_only=True, weakref_slot=False, repr=False)
class KubernetesServicePack(Model):
    """A cluster pack (control plane offer).

    Attributes:
        kaas_pack_id: the pack id (1 ``shared``, 2 ``dedicated``).
        name: the pack name.
        description: what the pack offers.
        price_per_hour: the price per hour by currency (``{"CHF": 0.11, "EUR": 0.11}``).
        limit_per_project: how many clusters of this pack a project may have
            (``None``: unlimited).
        is_active: whether new clusters may use it. The spec types it as the
            string ``"true"``, the examples as a boolean: both read as a bool
            (a string other than true/false/1/0 is kept as it came).
    """

    kaas_pack_id: int
    name: str = field(default="", metadata={INTERN: True})
    description: str = field(default="", metadata={INTERN: True})
    price_per_hour: dict[str, Any] = Factory(dict)
    limit_per_project: int | None = None
    is_active: bool | str | None = field(default=None, metadata={BOOL_STRING: True})


@define(kw_only=True, frozen=True, weakref_slot=False, repr=False)
class ServiceProject(Model):
    """The project a service (cluster, database) lives in (loaded with ``with_="projects"``).

    Attributes:
        id: the project id (``public_cloud_project_id``).
        public_cloud_id: the Public Cloud of the project.
        name: the project name.
        open_stack_name: the OpenStack project name (``PCP-XXXX``).
    """

    id: int
    public_cloud_id: int | None = None
    name: str = ""
    open_stack_name: str | None = None


@define(kw_only=True, frozen=True, weakref_slot=False, repr=False)
class KubernetesServiceInstanceTotals(Model):
    """Instance counts of a cluster (loaded with ``with_="instances"``).

    A frozen value object: equal counts decoded from a listing share one
    instance (a few hundred combinations for thousands of clusters).

    Attributes:
        total: instances allowed (``None``: no limit).
        used: instances in use.
        fixed: instances of pools without autoscaling.
        minimum_autoscaled: the minimum of the autoscaled pools together.
        maximum_autoscaled: the maximum of the autoscaled pools together.
        minimum_available_instances: the fewest instances the cluster may run.
        maximum_available_instances: the most instances the cluster may run.
    """

    total: int | None = None
    used: int | None = None
    fixed: int | None = None
    minimum_autoscaled: int | None = None
    maximum_autoscaled: int | None = None
    minimum_available_instances: int | None = None
    maximum_available_instances: int | None = None


@define(kw_only=True, weakref_slot=False, repr=False)
class KubernetesService(Model):
    """A managed Kubernetes cluster.

    Attributes:
        kaas_id: the cluster id.
        name: the cluster name.
        open_stack_name: the OpenStack name (``pck-12345``).
        region: ``dc3-a``, ``dc4-a``...
        kubernetes_version: the Kubernetes minor version (``"1.31"``).
        status: ``Active``, ``Creating``, ``Updating``, ``Deleting``, ``Failed``...
        kaas_pack_id: the pack id, when the API sends it at top level.
        pack: the pack (with ``with_="packs"``).
        project: the project (with ``with_="projects"``).
        tags: the tags (with ``with_="tags"``; ``None`` when not loaded).
        instances: instance counts (with ``with_="instances"``).
    """

    kaas_id: int
    name: str = ""
    open_stack_name: str | None = None
    region: str = field(default="", metadata={INTERN: True})
    kubernetes_version: str = field(default="", metadata={INTERN: True})
    status: KubernetesServiceStatus | str = ""
    kaas_pack_id: int | None = None
    pack: KubernetesServicePack | None = None
    project: ServiceProject | None = None
    tags: list[PublicCloudTag] | None = None
    instances: KubernetesServiceInstanceTotals | None = None


NodeLabels = NewType("NodeLabels", dict[str, str])
"""Kubernetes node labels of a pool, ``{"node-role.kubernetes.io/worker": "high"}``."""


def _structure_labels(value: Any, _: Any) -> dict[str, str]:
    # The spec describes labels as an array of "key: value" strings; the live API
    # (Terraform provider, since 2025-05) sends a map, and PHP sends [] for an
    # empty one. Both shapes read as the map; anything else is a decode error.
    if value.__class__ is dict:
        for label in value.values():
            if label.__class__ is not str:
                raise DecodeError(
                    f"InstancePool.labels: expected string values, got {json_name(label)}"
                )
        return dict(value)
    if value.__class__ is not list:
        raise DecodeError(f"InstancePool.labels: expected an object, got {json_name(value)}")
    labels: dict[str, str] = {}
    for entry in value:
        if entry.__class__ is not str:
            raise DecodeError(
                f"InstancePool.labels: expected 'key: value' strings, got {json_name(entry)}"
            )
        key, _sep, label = entry.partition(":")
        labels[key.strip()] = label.strip()
    return labels


register_hook(NodeLabels, _structure_labels)


@define(kw_only=True, weakref_slot=False, repr=False)
class InstancePool(Model):
    """A pool of worker instances of a cluster.

    Attributes:
        instance_pool_id: the pool id (``kaas_worker_pool_id`` in paths).
        kaas_id: the cluster it belongs to.
        name: the pool name.
        open_stack_name: the OpenStack name (``pck-12345-p12``).
        availability_zone: ``az-1``, ``dc3-a-10``...
        flavor: the instance flavor (``a2-ram4-disk20-perf1``).
        status: ``Active``, ``Creating``, ``ScalingUp``, ``FailedQuota``...
        error_messages: OpenStack errors (``"Quota exceeded for cores"``).
        minimum_instances: the fewest instances.
        maximum_instances: the most instances (above the minimum: autoscaling;
            ``None`` or 0: the minimum).
        target_instances: the instances the pool is converging to.
        available_instances: the instances up and running.
        has_autoscaling: whether the pool autoscales.
        prefix: the prefix of instance names.
        labels: Kubernetes node labels.
    """

    instance_pool_id: int
    kaas_id: int | None = None
    name: str = ""
    open_stack_name: str | None = None
    availability_zone: str = ""
    flavor: str = ""
    status: InstancePoolStatus | str = ""
    error_messages: list[str] = Factory(list)
    minimum_instances: int = 0
    maximum_instances: int | None = None
    target_instances: int = 0
    available_instances: int = 0
    has_autoscaling: bool = False
    prefix: str | None = None
    labels: NodeLabels = Factory(lambda: NodeLabels({}))


@define(kw_only=True, weakref_slot=False, repr=False)
class KaasApiserver(Model):
    """API server parameters of a cluster: OIDC authentication and audit logs.

    The API answers ``{"apiserver_params": {"--oidc-issuer-url": ...}, "oidc_ca": ...,
    "audit-policy": ..., "audit-webhook-config": ...}`` (the spec's
    ``array<string>`` is not what the live API sends).

    Attributes:
        apiserver_params: the kube-apiserver flags, by flag name (``--oidc-client-id``).
        oidc_ca: the OIDC issuer's CA certificate (PEM), hidden from repr.
        audit_policy: the audit policy (YAML), the API's ``audit-policy``.
        audit_webhook_config: the audit webhook configuration (YAML, it holds
            the webhook's credentials), the API's ``audit-webhook-config``,
            hidden from repr.
    """

    apiserver_params: dict[str, str] = Factory(dict)
    oidc_ca: str | None = field(default=None, repr=False)
    audit_policy: str | None = None
    audit_webhook_config: str | None = field(default=None, repr=False)

    def _param(self, name: str) -> str | None:
        return self.apiserver_params.get(name)

    @property
    def oidc_issuer_url(self) -> str | None:
        """``--oidc-issuer-url``."""
        return self._param("--oidc-issuer-url")

    @property
    def oidc_client_id(self) -> str | None:
        """``--oidc-client-id``."""
        return self._param("--oidc-client-id")

    @property
    def oidc_username_claim(self) -> str | None:
        """``--oidc-username-claim`` (``email``, ``name`` or ``sub``)."""
        return self._param("--oidc-username-claim")

    @property
    def oidc_username_prefix(self) -> str | None:
        """``--oidc-username-prefix``."""
        return self._param("--oidc-username-prefix")

    @property
    def oidc_signing_algs(self) -> list[str]:
        """``--oidc-signing-algs``, split on commas."""
        raw = self._param("--oidc-signing-algs")
        return [alg.strip() for alg in raw.split(",") if alg.strip()] if raw else []

    @property
    def oidc_groups_claim(self) -> str | None:
        """``--oidc-groups-claim``."""
        return self._param("--oidc-groups-claim")

    @property
    def oidc_groups_prefix(self) -> str | None:
        """``--oidc-groups-prefix``."""
        return self._param("--oidc-groups-prefix")

    @property
    def oidc_required_claim(self) -> str | None:
        """``--oidc-required-claim`` (``key=value``)."""
        return self._param("--oidc-required-claim")


def _structure_apiserver(value: Any, _: Any) -> KaasApiserver:
    # Two keys are spelled with dashes, which attrs fields cannot be named.
    if value.__class__ is list and not value:
        value = {}  # PHP's empty object
    if value.__class__ is not dict:
        raise DecodeError(f"expected an object for KaasApiserver, got {json_name(value)}")
    params = value.get("apiserver_params")
    if params is None or (params.__class__ is list and not params):
        params = {}
    if params.__class__ is not dict:
        raise DecodeError(
            f"KaasApiserver.apiserver_params: expected an object, got {json_name(params)}"
        )
    for param in params.values():
        if param.__class__ is not str:
            raise DecodeError(
                f"KaasApiserver.apiserver_params: expected string values, got {json_name(param)}"
            )
    texts: dict[str, str | None] = {}
    for key in ("oidc_ca", "audit-policy", "audit-webhook-config"):
        text = value.get(key)
        if text is not None and text.__class__ is not str:
            raise DecodeError(f"KaasApiserver.{key}: expected a string, got {json_name(text)}")
        texts[key] = text
    return KaasApiserver(
        apiserver_params=dict(params),
        oidc_ca=texts["oidc_ca"],
        audit_policy=texts["audit-policy"],
        audit_webhook_config=texts["audit-webhook-config"],
    )


register_hook(KaasApiserver, _structure_apiserver)


@define(kw_only=True, frozen=True, weakref_slot=False, repr=False)
class KubernetesServiceFlavorRates(Model):
    """Hourly price of a flavor.

    Attributes:
        hour_excl_tax: price per hour, excluding tax.
        hour_incl_tax: price per hour, including tax.
    """

    hour_excl_tax: float | None = None
    hour_incl_tax: float | None = None

    @staticmethod
    def _structure_from_list(value: list[Any]) -> KubernetesServiceFlavorRates:
        # The spec types rates as an array of {hour_excl_tax, hour_incl_tax};
        # live answers carry the object. An array's objects are read as one.
        return structure(
            merge_objects(value, "KubernetesServiceFlavorRates"), KubernetesServiceFlavorRates
        )


@define(kw_only=True, weakref_slot=False, repr=False)
class KubernetesServiceFlavor(Model):
    """An instance flavor usable for pools.

    Attributes:
        name: the flavor name (``a2-ram4-disk20-perf1``).
        cpu: vCPUs.
        ram: memory, GB.
        storage: disk, GB.
        is_available: usable in this project and region.
        is_memory_optimized: memory-optimised flavor.
        is_iops_optimized: IOPS-optimised flavor.
        is_gpu_optimized: GPU flavor.
        gpu_type: the GPU type (``L4``...), for GPU flavors.
        rates: hourly price.
    """

    name: str
    cpu: int = 0
    ram: int = 0
    storage: int = 0
    is_available: bool = False
    is_memory_optimized: bool = False
    is_iops_optimized: bool = False
    is_gpu_optimized: bool = False
    gpu_type: str | None = None
    rates: KubernetesServiceFlavorRates | None = None


@define(kw_only=True, weakref_slot=False, repr=False)
class KubernetesServiceFlavorRange(Model):
    """The values a flavor filter can take.

    Attributes:
        min: the smallest value.
        max: the largest value.
        values: the distinct values, when the API lists them.
    """

    min: float | None = None
    max: float | None = None
    values: list[Any] = Factory(list)


@define(kw_only=True, weakref_slot=False, repr=False)
class KubernetesServiceFlavorFilter(Model):
    """The filter values usable on flavors of a region.

    The spec is vague here (``cpu``... typed as strings, ``min``/``max``/``values``
    required somewhere): an object is read as a ``KubernetesServiceFlavorRange``,
    any other value is kept as it came.

    Attributes:
        gpu_types: the GPU types (``A2``, ``L4``, ``T4``).
        cpu: the vCPU counts.
        ram: the memory sizes.
        storage: the disk sizes.
        rates: the hourly prices.
    """

    gpu_types: list[str] = Factory(list)
    cpu: KubernetesServiceFlavorRange | str | None = None
    ram: KubernetesServiceFlavorRange | str | None = None
    storage: KubernetesServiceFlavorRange | str | None = None
    rates: KubernetesServiceFlavorRange | str | None = None
