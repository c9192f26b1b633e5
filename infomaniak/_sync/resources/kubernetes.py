# Generated from infomaniak/_async/resources/kubernetes.py by scripts/unasync.py.
# Do not edit: change the async source and run `python scripts/unasync.py`.
"""``client.cloud.kubernetes``: managed Kubernetes clusters (KaaS).

Also their instance pools, API server parameters, IP filters and kubeconfig,
and the reference data.

Clusters and pools are created at once (201 + id) and then converge through
their ``status``: ``create``, ``update`` and ``delete`` return an
``Operation`` whose ``wait()`` polls the resource with the lifecycles
below, in the one waiting loop shared with projects and tasks.
"""

from __future__ import annotations

import builtins
import os
import re
from collections.abc import Mapping, Sequence
from typing import Any, Literal

from ..._handoff import KubeconfigTarget, check_path, keeps_no_locals
from ..._lifecycle import Lifecycle
from ..._listing import Order, list_params
from ..._request import decode_data, decode_list, drop_none
from ..._transport._sync import sync_kubernetes_api_client
from ..._transport._common import Secret
from ..._validate import (
    check_choice,
    check_choice_list,
    check_flag,
    check_id,
    check_id_list,
    check_ip_networks,
    check_labels,
    check_non_negative_int,
    check_positive_int,
    check_rate,
    check_scope,
    check_str,
    check_str_list,
)
from ...models.cloud import (
    InstancePool,
    KaasApiserver,
    KubernetesService,
    KubernetesServiceFlavor,
    KubernetesServiceFlavorFilter,
    KubernetesServicePack,
    PublicCloudBoolResponse,
)
from .._operations import Operation
from .._pagination import plist
from .._pipeline import Pipeline
from .._polling import SharedList
from ._base import Resource

__all__ = [
    "CLUSTER_LIFECYCLE",
    "POOL_LIFECYCLE",
    "KubernetesApiserverResource",
    "KubernetesIpFilterResource",
    "KubernetesPoolResource",
    "KubernetesResource",
]

_NAME_MAX = 40
_PREFIX_MAX = 16
_PREFIX = re.compile(r"[a-z0-9][a-z0-9-]*")  # full matches only (no "$" before a newline)
_MAX_INSTANCES = 1000
_OIDC_PREFIX = re.compile(r"[-a-zA-Z0-9:]*")
# kube-apiserver flag names, as apiserver_params keys.
_FLAG = re.compile(r"--[a-z0-9][a-z0-9-]*")
_USERNAME_CLAIMS = ("email", "name", "sub")
_SIGNING_ALGS = ("ES256", "ES384", "ES512", "PS256", "PS384", "PS512", "RS256", "RS384", "RS512")

UsernameClaim = Literal["email", "name", "sub"]
RateBound = Mapping[Literal["excluding_tax", "including_tax"], float]

# The documented filter[statuses][] enums (CATALOG §5.4 #21/#22 and #35): the
# API answers 422 for any other value, so they are refused before sending.
CLUSTER_FILTER_STATUSES = (
    "Active",
    "Creating",
    "Deleting",
    "Failed",
    "Suspended",
    "Unknown",
    "Updating",
)
POOL_FILTER_STATUSES = (
    "Active",
    "Creating",
    "Deleting",
    "Failed",
    "FailedQuota",
    "ScalingDown",
    "ScalingUp",
    "Unknown",
    "Updating",
)


def _pool_settled(pool: InstancePool) -> bool:
    """Every instance up, and the target inside the pool's bounds (as Terraform checks)."""
    # An absent or 0 maximum means "the minimum" (no autoscaling).
    maximum = pool.maximum_instances or pool.minimum_instances
    return (
        pool.available_instances == pool.target_instances
        and pool.minimum_instances <= pool.target_instances <= maximum
    )


def _pool_problems(pool: InstancePool) -> list[str]:
    return [message for message in pool.error_messages if message]


CLUSTER_LIFECYCLE = Lifecycle(ready={"Active"}, failed={"Failed"})
"""A cluster is ready at ``Active``, failed at ``Failed``; a deletion ends on 404."""

POOL_LIFECYCLE = Lifecycle(
    ready={"Active"},
    failed={"Failed", "FailedQuota"},
    settled=_pool_settled,
    problems=_pool_problems,
)
"""A pool is ready at ``Active`` with all its instances up; ``Failed``,
``FailedQuota`` or any ``error_messages`` mean failure; a deletion ends on 404."""

# Deleting does not need quota: only ``Failed`` fails a deletion (a pool that had
# hit its quota can still be deleted), and its old error messages do not count.
_CLUSTER_DELETION = Lifecycle(ready=frozenset(), failed={"Failed"})
_POOL_DELETION = Lifecycle(ready=frozenset(), failed={"Failed"})


def _kaas_root(public_cloud_id: int, public_cloud_project_id: int) -> str:
    cloud = check_id("public_cloud_id", public_cloud_id)
    project = check_id("public_cloud_project_id", public_cloud_project_id)
    return f"/1/public_clouds/{cloud}/projects/{project}/kaas"


def _cluster_path(public_cloud_id: int, public_cloud_project_id: int, kaas_id: int) -> str:
    root = _kaas_root(public_cloud_id, public_cloud_project_id)
    return f"{root}/{check_id('kaas_id', kaas_id)}"


def _pools_path(public_cloud_id: int, public_cloud_project_id: int, kaas_id: int) -> str:
    return f"{_cluster_path(public_cloud_id, public_cloud_project_id, kaas_id)}/instance_pools"


def _clusters_shared(public_cloud_id: int, public_cloud_project_id: int) -> SharedList:
    """Waits on clusters of one Public Cloud share their project's list (or the account's)."""
    return SharedList(
        key=("kaas", public_cloud_id),
        path=_kaas_root(public_cloud_id, public_cloud_project_id),
        id_field="kaas_id",
        model=KubernetesService,
        cloud_wide=("/1/public_clouds/kaas", public_cloud_id),
    )


def _pools_shared(public_cloud_id: int, public_cloud_project_id: int, kaas_id: int) -> SharedList:
    """Waits on pools of one cluster share the cluster's pool list."""
    return SharedList(
        key=("pool", public_cloud_id, public_cloud_project_id, kaas_id),
        path=_pools_path(public_cloud_id, public_cloud_project_id, kaas_id),
        id_field="instance_pool_id",
        model=InstancePool,
    )


def _pool_path(
    public_cloud_id: int, public_cloud_project_id: int, kaas_id: int, instance_pool_id: int
) -> str:
    pool_id = check_id("instance_pool_id", instance_pool_id)
    return f"{_pools_path(public_cloud_id, public_cloud_project_id, kaas_id)}/{pool_id}"


def _name(value: Any, *, optional: bool = False) -> str | None:
    return check_str("name", value, min_length=1, max_length=_NAME_MAX, optional=optional)


def _labels(value: Any) -> dict[str, str] | None:
    return check_labels("labels", value)


def _required_claim(value: Any) -> str | None:
    """``--oidc-required-claim``: ``key=value`` (several joined with commas), each key non-empty."""
    text = check_str("oidc_required_claim", value, min_length=1, optional=True)
    if text is not None:
        for claim in text.split(","):
            key, equals, _ = claim.partition("=")
            if not equals or not key.strip():
                raise ValueError(
                    f"oidc_required_claim must read key=value with a non-empty key, got {text!r}"
                )
    return text


def _instances(
    minimum_instances: Any, maximum_instances: Any, *, minimum_optional: bool
) -> tuple[int | None, int | None]:
    minimum = None
    if minimum_instances is not None or not minimum_optional:
        if minimum_instances is None:
            raise TypeError("minimum_instances is required")
        minimum = check_positive_int("minimum_instances", minimum_instances)
        if minimum > _MAX_INSTANCES:
            raise ValueError(f"minimum_instances must be <= {_MAX_INSTANCES}, got {minimum}")
    maximum = None
    if maximum_instances is not None:
        maximum = check_non_negative_int("maximum_instances", maximum_instances)
        if maximum > _MAX_INSTANCES:
            raise ValueError(f"maximum_instances must be <= {_MAX_INSTANCES}, got {maximum}")
    # 0 means "the minimum" (no autoscaling), so it never conflicts.
    if minimum is not None and maximum and minimum > maximum:
        raise ValueError(
            f"minimum_instances ({minimum}) must not be greater than maximum_instances ({maximum})"
        )
    return minimum, maximum


class KubernetesPoolResource(Resource):
    """``client.cloud.kubernetes.pools``: the instance (worker) pools of a cluster."""

    def list(
        self,
        *,
        public_cloud_id: int,
        public_cloud_project_id: int,
        kaas_id: int,
        search: str | None = None,
        statuses: str | Sequence[str] | None = None,
        availability_zones: str | Sequence[str] | None = None,
        order_by: str | Sequence[str] | None = None,
        order: Order | None = None,
        order_for: Mapping[str, Order] | None = None,
        page: int = 1,
        per_page: int | None = None,
    ) -> plist[InstancePool]:
        """The pools of a cluster, a page at a time.

        Args:
            public_cloud_id: the Public Cloud.
            public_cloud_project_id: the project.
            kaas_id: the cluster.
            search: text to look for in the pools' names.
            statuses: keep pools in these statuses (``"Active"``, ``"FailedQuota"``...).
            availability_zones: keep pools in these zones (``"az-1"``...).
            order_by: field(s) to sort on.
            order: ``"asc"`` or ``"desc"``.
            order_for: a direction per field.
            page: the page to fetch first.
            per_page: items per page (default: the client's).

        Returns:
            The page; iterating it walks every later page.

        Raises:
            TypeError: an argument has the wrong type.
            ValueError: an id is not positive.
            NotFoundError: no such cluster.
        """
        params = list_params(
            search=search,
            filters={
                "statuses": check_choice_list("statuses", statuses, POOL_FILTER_STATUSES),
                "availability_zones": check_str_list("availability_zones", availability_zones),
            },
            order_by=order_by,
            order=order,
            order_for=order_for,
        )
        path = _pools_path(public_cloud_id, public_cloud_project_id, kaas_id)
        return self._list(path, InstancePool, params=params, page=page, per_page=per_page)

    def get(
        self,
        *,
        public_cloud_id: int,
        public_cloud_project_id: int,
        kaas_id: int,
        instance_pool_id: int,
    ) -> InstancePool:
        """One pool.

        Args:
            public_cloud_id: the Public Cloud.
            public_cloud_project_id: the project.
            kaas_id: the cluster.
            instance_pool_id: the pool (``kaas_worker_pool_id`` in the API's paths).

        Returns:
            The pool.

        Raises:
            NotFoundError: no such pool in this cluster.
        """
        path = _pool_path(public_cloud_id, public_cloud_project_id, kaas_id, instance_pool_id)
        return self._get(path, InstancePool)

    def _operation(
        self,
        envelope: Mapping[str, Any],
        public_cloud_id: int,
        public_cloud_project_id: int,
        kaas_id: int,
        *,
        instance_pool_id: int | None = None,
        deletes: bool = False,
    ) -> Operation[Any]:
        def fetch(pool_id: int) -> InstancePool:
            return self.get(
                public_cloud_id=public_cloud_id,
                public_cloud_project_id=public_cloud_project_id,
                kaas_id=kaas_id,
                instance_pool_id=pool_id,
            )

        return Operation(
            self._pipeline,
            envelope,
            resource="instance pool",
            fetch=fetch,
            resource_id=instance_pool_id,
            deletes=deletes,
            lifecycle=_POOL_DELETION if deletes else POOL_LIFECYCLE,
            shared=_pools_shared(public_cloud_id, public_cloud_project_id, kaas_id),
        )

    def create(
        self,
        *,
        public_cloud_id: int,
        public_cloud_project_id: int,
        kaas_id: int,
        name: str,
        flavor: str,
        minimum_instances: int,
        maximum_instances: int | None = None,
        availability_zone: str | None = None,
        prefix: str | None = None,
        labels: Mapping[str, str] | None = None,
    ) -> Operation[InstancePool]:
        """Add a pool of worker instances to a cluster.

        Args:
            public_cloud_id: the Public Cloud.
            public_cloud_project_id: the project.
            kaas_id: the cluster.
            name: the pool name (1 to 40 characters).
            flavor: the instance flavor (see ``flavors()``).
            minimum_instances: the fewest instances (1 to 1000).
            maximum_instances: the most instances; above the minimum, the pool
                autoscales (0 or not given: the minimum).
            availability_zone: the zone (see
                ``availability_zones()``).
            prefix: the prefix of instance names (up to 16 of ``a-z0-9-``).
            labels: Kubernetes node labels.

        Returns:
            The operation; ``wait()`` returns the pool once ``Active`` with
            every instance up.

        Raises:
            TypeError: an argument is missing or has the wrong type.
            ValueError: a bad value, e.g. ``minimum_instances > maximum_instances``.
            infomaniak.errors.APIError: code ``cannot_create_worker_pool`` while
                the cluster is not ``Active`` (wait for it first).
        """
        path = _pools_path(public_cloud_id, public_cloud_project_id, kaas_id)
        minimum, maximum = _instances(minimum_instances, maximum_instances, minimum_optional=False)
        if prefix is not None:
            check_str("prefix", prefix, min_length=1, max_length=_PREFIX_MAX)
            if not _PREFIX.fullmatch(prefix):
                raise ValueError(f"prefix must match {_PREFIX.pattern}, got {prefix!r}")
        body = drop_none(
            [
                ("name", _name(name)),
                ("flavor", check_str("flavor", flavor, min_length=1)),
                ("minimum_instances", minimum),
                ("maximum_instances", maximum),
                (
                    "availability_zone",
                    check_str("availability_zone", availability_zone, min_length=1, optional=True),
                ),
                ("prefix", prefix),
                ("labels", _labels(labels)),
            ]
        )
        envelope = self._pipeline.request("POST", path, json=body)
        return self._operation(envelope, public_cloud_id, public_cloud_project_id, kaas_id)

    def update(
        self,
        *,
        public_cloud_id: int,
        public_cloud_project_id: int,
        kaas_id: int,
        instance_pool_id: int,
        name: str | None = None,
        minimum_instances: int | None = None,
        maximum_instances: int | None = None,
        labels: Mapping[str, str] | None = None,
    ) -> Operation[InstancePool]:
        """Rename, resize or relabel a pool.

        Args:
            public_cloud_id: the Public Cloud.
            public_cloud_project_id: the project.
            kaas_id: the cluster.
            instance_pool_id: the pool.
            name: a new name.
            minimum_instances: a new minimum.
            maximum_instances: a new maximum (0: the minimum, no autoscaling).
            labels: the new node labels (replacing the old ones).

        Returns:
            The operation; ``wait()`` returns the pool once it has converged.

        Raises:
            TypeError: an argument has the wrong type.
            ValueError: nothing to change, or ``minimum_instances > maximum_instances``.
        """
        path = _pool_path(public_cloud_id, public_cloud_project_id, kaas_id, instance_pool_id)
        minimum, maximum = _instances(minimum_instances, maximum_instances, minimum_optional=True)
        body = drop_none(
            [
                ("name", _name(name, optional=True)),
                ("minimum_instances", minimum),
                ("maximum_instances", maximum),
                ("labels", _labels(labels)),
            ]
        )
        if not body:
            raise ValueError(
                "give at least one of name, minimum_instances, maximum_instances, labels"
            )
        envelope = self._pipeline.request("PATCH", path, json=body)
        return self._operation(
            envelope,
            public_cloud_id,
            public_cloud_project_id,
            kaas_id,
            instance_pool_id=instance_pool_id,
        )

    def delete(
        self,
        *,
        public_cloud_id: int,
        public_cloud_project_id: int,
        kaas_id: int,
        instance_pool_id: int,
    ) -> Operation[None]:
        """Delete a pool and its instances.

        Args:
            public_cloud_id: the Public Cloud.
            public_cloud_project_id: the project.
            kaas_id: the cluster.
            instance_pool_id: the pool.

        Returns:
            The operation; ``wait()`` returns ``None`` once the pool is gone.

        Raises:
            NotFoundError: no such pool.
        """
        path = _pool_path(public_cloud_id, public_cloud_project_id, kaas_id, instance_pool_id)
        envelope = self._pipeline.request("DELETE", path)
        return self._operation(
            envelope,
            public_cloud_id,
            public_cloud_project_id,
            kaas_id,
            instance_pool_id=instance_pool_id,
            deletes=True,
        )


class KubernetesApiserverResource(Resource):
    """``client.cloud.kubernetes.apiserver``: OIDC and audit settings of a cluster's API server."""

    def get(
        self, *, public_cloud_id: int, public_cloud_project_id: int, kaas_id: int
    ) -> KaasApiserver:
        """The API server parameters of a cluster.

        Args:
            public_cloud_id: the Public Cloud.
            public_cloud_project_id: the project.
            kaas_id: the cluster.

        Returns:
            The parameters (the CA and webhook configuration are kept out of its repr).

        Raises:
            NotFoundError: no such cluster.
        """
        path = f"{_cluster_path(public_cloud_id, public_cloud_project_id, kaas_id)}/apiserver"
        return self._get(path, KaasApiserver)

    def update(
        self,
        *,
        public_cloud_id: int,
        public_cloud_project_id: int,
        kaas_id: int,
        oidc_issuer_url: str | None = None,
        oidc_client_id: str | None = None,
        oidc_username_claim: UsernameClaim | None = None,
        oidc_username_prefix: str | None = None,
        oidc_signing_algs: str | Sequence[str] | None = None,
        oidc_groups_claim: str | None = None,
        oidc_groups_prefix: str | None = None,
        oidc_required_claim: str | None = None,
        apiserver_params: Mapping[str, str] | None = None,
        oidc_ca: str | None = None,
        audit_policy: str | None = None,
        audit_webhook_config: str | None = None,
    ) -> PublicCloudBoolResponse:
        """Change API server parameters; those not given stay as they are.

        Args:
            public_cloud_id: the Public Cloud.
            public_cloud_project_id: the project.
            kaas_id: the cluster.
            oidc_issuer_url: ``--oidc-issuer-url``.
            oidc_client_id: ``--oidc-client-id``.
            oidc_username_claim: ``--oidc-username-claim`` (``email``, ``name``, ``sub``).
            oidc_username_prefix: ``--oidc-username-prefix`` (``[-a-zA-Z0-9:]*``).
            oidc_signing_algs: ``--oidc-signing-algs`` (``RS256``, ``ES256``...), one
                or several.
            oidc_groups_claim: ``--oidc-groups-claim``.
            oidc_groups_prefix: ``--oidc-groups-prefix`` (``[-a-zA-Z0-9:]*``).
            oidc_required_claim: ``--oidc-required-claim`` (``key=value``).
            apiserver_params: other kube-apiserver flags, by flag name.
            oidc_ca: the OIDC issuer's CA certificate (PEM).
            audit_policy: the audit policy (YAML).
            audit_webhook_config: the audit webhook configuration (YAML).

        Returns:
            The API's answer (``data`` is ``True``).

        Raises:
            TypeError: an argument has the wrong type.
            ValueError: nothing to change, or a value the API would refuse.
        """
        params: dict[str, str] = {}
        if apiserver_params is not None:
            if not isinstance(apiserver_params, Mapping) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in apiserver_params.items()
            ):
                raise TypeError("apiserver_params must be a mapping of str to str")
            for flag, flag_value in apiserver_params.items():
                if _FLAG.fullmatch(flag) is None:
                    raise ValueError(
                        f"apiserver_params key {flag!r} is not a kube-apiserver flag name "
                        "(--lowercase-words)"
                    )
                check_str(f"apiserver_params[{flag!r}]", flag_value)
            params.update(apiserver_params)
        algs = check_str_list("oidc_signing_algs", oidc_signing_algs)
        if algs is not None:
            for alg in algs:
                check_choice("oidc_signing_algs", alg, _SIGNING_ALGS)
        for arg, value in (
            ("oidc_username_prefix", oidc_username_prefix),
            ("oidc_groups_prefix", oidc_groups_prefix),
        ):
            if check_str(arg, value, optional=True) is not None and not _OIDC_PREFIX.fullmatch(
                str(value)
            ):
                raise ValueError(f"{arg} must match {_OIDC_PREFIX.pattern}")
        _required_claim(oidc_required_claim)
        flags = {
            "--oidc-issuer-url": check_str(
                "oidc_issuer_url", oidc_issuer_url, min_length=1, optional=True
            ),
            "--oidc-client-id": check_str(
                "oidc_client_id", oidc_client_id, min_length=1, optional=True
            ),
            "--oidc-username-claim": check_choice(
                "oidc_username_claim", oidc_username_claim, _USERNAME_CLAIMS
            ),
            "--oidc-username-prefix": oidc_username_prefix,
            "--oidc-signing-algs": None if algs is None else ",".join(algs),
            "--oidc-groups-claim": check_str(
                "oidc_groups_claim", oidc_groups_claim, min_length=1, optional=True
            ),
            "--oidc-groups-prefix": oidc_groups_prefix,
            "--oidc-required-claim": oidc_required_claim,
        }
        params.update({flag: value for flag, value in flags.items() if value is not None})
        body: dict[str, Any] = {}
        if params:
            body["apiserver_params"] = params
        for key, arg, value in (
            ("oidc_ca", "oidc_ca", oidc_ca),
            ("audit-policy", "audit_policy", audit_policy),
            ("audit-webhook-config", "audit_webhook_config", audit_webhook_config),
        ):
            if check_str(arg, value, min_length=1, optional=True, multiline=True) is not None:
                body[key] = value
        if not body:
            raise ValueError("give at least one API server parameter to change")
        path = f"{_cluster_path(public_cloud_id, public_cloud_project_id, kaas_id)}/apiserver"
        return self._patch(path, body)


class KubernetesIpFilterResource(Resource):
    """``client.cloud.kubernetes.ip_filters``: who may reach a cluster's API server."""

    def list(
        self, *, public_cloud_id: int, public_cloud_project_id: int, kaas_id: int
    ) -> list[str]:
        """The allowed networks (CIDRs); empty: no filtering.

        Args:
            public_cloud_id: the Public Cloud.
            public_cloud_project_id: the project.
            kaas_id: the cluster.

        Returns:
            The CIDRs, as the API has them.

        Raises:
            NotFoundError: no such cluster.
        """
        path = f"{_cluster_path(public_cloud_id, public_cloud_project_id, kaas_id)}/ip_filters"
        envelope = self._pipeline.request("GET", path)
        return decode_list(envelope, str, method="GET", path=path)

    def replace(
        self,
        *,
        public_cloud_id: int,
        public_cloud_project_id: int,
        kaas_id: int,
        ip_filters: Sequence[str],
    ) -> bool:
        """Replace the allowed networks.

        Args:
            public_cloud_id: the Public Cloud.
            public_cloud_project_id: the project.
            kaas_id: the cluster.
            ip_filters: IPv4/IPv6 networks (``"203.0.113.0/24"``; a bare address is one host).

        Returns:
            ``True`` once the API has taken the change.

        Raises:
            TypeError: ``ip_filters`` is not a sequence of str.
            ValueError: an entry is not an IP network (the message names it).
        """
        path = f"{_cluster_path(public_cloud_id, public_cloud_project_id, kaas_id)}/ip_filters"
        body = {"ip_filters": check_ip_networks("ip_filters", ip_filters)}
        return self._send_bool("PUT", path, body)

    def clear(
        self, *, public_cloud_id: int, public_cloud_project_id: int, kaas_id: int
    ) -> bool:
        """Remove every IP filter: the API server accepts any address again.

        Args:
            public_cloud_id: the Public Cloud.
            public_cloud_project_id: the project.
            kaas_id: the cluster.

        Returns:
            ``True`` once the API has taken the change.

        Raises:
            NotFoundError: no such cluster.
        """
        path = f"{_cluster_path(public_cloud_id, public_cloud_project_id, kaas_id)}/ip_filters"
        return self._send_bool("DELETE", path)


@keeps_no_locals
def _write_secret(path: str | os.PathLike[str], text: Secret[str]) -> str:
    """Write ``text`` to ``path``, readable by its owner only (0600)."""
    target = os.fspath(path)
    fd = os.open(target, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    try:
        if hasattr(os, "fchmod"):
            # The mode of os.open only applies to a new file: fix an existing one.
            os.fchmod(fd, 0o600)
        data = text.value.encode("utf-8")
        while data:
            written = os.write(fd, data)
            data = data[written:]
    finally:
        os.close(fd)
    return target


class KubernetesResource(Resource):
    """``client.cloud.kubernetes``: managed Kubernetes clusters and their reference data.

    Attributes:
        pools: the instance pools of a cluster.
        apiserver: API server parameters (OIDC, audit).
        ip_filters: the networks allowed to reach the API server.
    """

    def __init__(self, pipeline: Pipeline) -> None:
        super().__init__(pipeline)
        self.pools = KubernetesPoolResource(pipeline)
        self.apiserver = KubernetesApiserverResource(pipeline)
        self.ip_filters = KubernetesIpFilterResource(pipeline)

    def list(
        self,
        *,
        account_id: int | None = None,
        public_cloud_id: int | None = None,
        public_cloud_project_id: int | None = None,
        search: str | None = None,
        statuses: str | Sequence[str] | None = None,
        regions: str | Sequence[str] | None = None,
        packs: int | Sequence[int] | None = None,
        tags: int | Sequence[int] | None = None,
        order_by: str | Sequence[str] | None = None,
        order: Order | None = None,
        order_for: Mapping[str, Order] | None = None,
        with_: str | Sequence[str] | None = None,
        page: int = 1,
        per_page: int | None = None,
    ) -> plist[KubernetesService]:
        """The clusters of a whole account or of one project, a page at a time.

        Give either ``account_id``, or ``public_cloud_id`` with
        ``public_cloud_project_id``.

        Args:
            account_id: every cluster of this account.
            public_cloud_id: the Public Cloud of the project.
            public_cloud_project_id: the clusters of this project.
            search: text to look for in names and OpenStack names.
            statuses: keep clusters in these statuses (``"Active"``...).
            regions: keep clusters in these regions (``"dc4-a"``...).
            packs: keep clusters of these pack ids.
            tags: keep clusters with one of these tag ids.
            order_by: field(s) to sort on.
            order: ``"asc"`` or ``"desc"``.
            order_for: a direction per field.
            with_: relations to load (``"packs"``, ``"projects"``, ``"instances"``, ``"tags"``).
            page: the page to fetch first.
            per_page: items per page (default: the client's).

        Returns:
            The page; iterating it walks every later page.

        Raises:
            TypeError: both scopes or neither, or an argument of the wrong type.
        """
        account, cloud, project = check_scope(account_id, public_cloud_id, public_cloud_project_id)
        params = list_params(
            search=search,
            filters={
                "statuses": check_choice_list("statuses", statuses, CLUSTER_FILTER_STATUSES),
                "regions": check_str_list("regions", regions),
                "packs": check_id_list("packs", packs),
                "tags": check_id_list("tags", tags),
            },
            order_by=order_by,
            order=order,
            order_for=order_for,
            with_=with_,
        )
        if account is not None:
            path = "/1/public_clouds/kaas"
            params = {"account_id": account, **params}
        else:
            assert cloud is not None and project is not None
            path = _kaas_root(cloud, project)
        return self._list(
            path, KubernetesService, params=params, page=page, per_page=per_page
        )

    def get(
        self,
        *,
        public_cloud_id: int,
        public_cloud_project_id: int,
        kaas_id: int,
        with_: str | Sequence[str] | None = None,
    ) -> KubernetesService:
        """One cluster.

        Args:
            public_cloud_id: the Public Cloud.
            public_cloud_project_id: the project.
            kaas_id: the cluster.
            with_: relations to load (``"packs"``, ``"projects"``, ``"instances"``, ``"tags"``).

        Returns:
            The cluster.

        Raises:
            NotFoundError: no such cluster in this project.
        """
        path = _cluster_path(public_cloud_id, public_cloud_project_id, kaas_id)
        return self._get(path, KubernetesService, params=list_params(with_=with_))

    def _operation(
        self,
        envelope: Mapping[str, Any],
        public_cloud_id: int,
        public_cloud_project_id: int,
        *,
        kaas_id: int | None = None,
        deletes: bool = False,
    ) -> Operation[Any]:
        def fetch(cluster_id: int) -> KubernetesService:
            return self.get(
                public_cloud_id=public_cloud_id,
                public_cloud_project_id=public_cloud_project_id,
                kaas_id=cluster_id,
            )

        return Operation(
            self._pipeline,
            envelope,
            resource="kubernetes cluster",
            fetch=fetch,
            resource_id=kaas_id,
            deletes=deletes,
            lifecycle=_CLUSTER_DELETION if deletes else CLUSTER_LIFECYCLE,
            shared=_clusters_shared(public_cloud_id, public_cloud_project_id),
        )

    def create(
        self,
        *,
        public_cloud_id: int,
        public_cloud_project_id: int,
        name: str,
        region: str,
        kubernetes_version: str,
        kaas_pack_id: int,
    ) -> Operation[KubernetesService]:
        """Create a cluster.

        Args:
            public_cloud_id: the Public Cloud.
            public_cloud_project_id: the project.
            name: the cluster name (1 to 40 characters).
            region: the region (see ``regions()``).
            kubernetes_version: the Kubernetes version (see ``versions()``).
            kaas_pack_id: the pack (see ``packs()``).

        Returns:
            The operation (the new id in ``resource_id``); ``wait()`` returns the
            cluster once ``Active``.

        Raises:
            TypeError: an argument is missing or has the wrong type.
            ValueError: a bad value (empty or too long name, id not positive).
            infomaniak.errors.ValidationError: an unknown region, version or pack.
            infomaniak.errors.APIError: code ``kaas_pack_limit_reached`` when the
                project has as many clusters of this pack as it allows.
        """
        body = {
            "name": _name(name),
            "region": check_str("region", region, min_length=1),
            "kubernetes_version": check_str("kubernetes_version", kubernetes_version, min_length=1),
            "kaas_pack_id": check_id("kaas_pack_id", kaas_pack_id),
        }
        path = _kaas_root(public_cloud_id, public_cloud_project_id)
        envelope = self._pipeline.request("POST", path, json=body)
        return self._operation(envelope, public_cloud_id, public_cloud_project_id)

    def update(
        self,
        *,
        public_cloud_id: int,
        public_cloud_project_id: int,
        kaas_id: int,
        name: str | None = None,
        kubernetes_version: str | None = None,
        kaas_pack_id: int | None = None,
    ) -> Operation[KubernetesService]:
        """Rename a cluster, upgrade it (one minor version at a time) or change its pack.

        Args:
            public_cloud_id: the Public Cloud.
            public_cloud_project_id: the project.
            kaas_id: the cluster.
            name: a new name.
            kubernetes_version: the next Kubernetes version.
            kaas_pack_id: a new pack.

        Returns:
            The operation; ``wait()`` returns the cluster once ``Active`` again.

        Raises:
            TypeError: an argument has the wrong type.
            ValueError: nothing to change, or a bad value.
            infomaniak.errors.APIError: code ``cannot_update_kaas`` when the API
                refuses the change (a skipped minor version, a pack at its limit,
                a cluster that is not ``Active``).
        """
        path = _cluster_path(public_cloud_id, public_cloud_project_id, kaas_id)
        body = drop_none(
            [
                ("name", _name(name, optional=True)),
                (
                    "kubernetes_version",
                    check_str(
                        "kubernetes_version", kubernetes_version, min_length=1, optional=True
                    ),
                ),
                (
                    "kaas_pack_id",
                    None if kaas_pack_id is None else check_id("kaas_pack_id", kaas_pack_id),
                ),
            ]
        )
        if not body:
            raise ValueError("give at least one of name, kubernetes_version, kaas_pack_id")
        envelope = self._pipeline.request("PATCH", path, json=body)
        return self._operation(envelope, public_cloud_id, public_cloud_project_id, kaas_id=kaas_id)

    def delete(
        self, *, public_cloud_id: int, public_cloud_project_id: int, kaas_id: int
    ) -> Operation[None]:
        """Delete a cluster and its pools.

        Args:
            public_cloud_id: the Public Cloud.
            public_cloud_project_id: the project.
            kaas_id: the cluster.

        Returns:
            The operation; ``wait()`` returns ``None`` once the cluster is gone.

        Raises:
            NotFoundError: no such cluster.
        """
        path = _cluster_path(public_cloud_id, public_cloud_project_id, kaas_id)
        envelope = self._pipeline.request("DELETE", path)
        return self._operation(
            envelope, public_cloud_id, public_cloud_project_id, kaas_id=kaas_id, deletes=True
        )

    def kubeconfig(
        self,
        *,
        public_cloud_id: int,
        public_cloud_project_id: int,
        kaas_id: int,
        path: str | os.PathLike[str] | None = None,
    ) -> str:
        """The admin kubeconfig of a cluster: a credential, never logged.

        Args:
            public_cloud_id: the Public Cloud.
            public_cloud_project_id: the project.
            kaas_id: the cluster.
            path: if given, write the kubeconfig there, in a file readable by
                its owner only (mode 0600, also when the file existed), and
                return the path instead of the text.

        Returns:
            The kubeconfig (YAML), or the path it was written to.

        Raises:
            NotFoundError: no such cluster.
            OSError: the file cannot be written.
        """
        url = f"{_cluster_path(public_cloud_id, public_cloud_project_id, kaas_id)}/kube_config"
        if path is not None and not isinstance(path, (str, os.PathLike)):
            raise TypeError(f"path must be a str or os.PathLike, got {type(path).__name__}")
        # The kubeconfig is a credential: no local holds it bare (issue 17).
        text = Secret(
            decode_data(self._pipeline.request("GET", url), str, method="GET", path=url)
        )
        if not isinstance(text.value, str):
            raise TypeError("the API answered a kubeconfig that is not text")
        if path is None:
            return text.value
        return _write_secret(path, text)

    def save_kubeconfig(
        self,
        *,
        public_cloud_id: int,
        public_cloud_project_id: int,
        kaas_id: int,
        path: str | os.PathLike[str] | None = None,
        context: str | None = None,
        set_current: bool = False,
    ) -> str:
        """Merge the cluster's kubeconfig into the user's, as ``kubectl`` reads it.

        Like ``doctl kubernetes cluster kubeconfig save``: the cluster, user and
        context entries all get one name (``context``, else
        ``infomaniak-<project id>-kaas-<kaas_id>``); running it again replaces
        them, never duplicates them; every other entry of the file stays. The
        file is written atomically, mode 0600 (its folders are created).

        Args:
            public_cloud_id: the Public Cloud.
            public_cloud_project_id: the project.
            kaas_id: the cluster.
            path: the kubeconfig to merge into (default: the first file of
                ``$KUBECONFIG``, else ``~/.kube/config``).
            context: the name of the entries (default: derived from the cluster).
            set_current: make it kubectl's current context.

        Returns:
            The context name (``kubectl --context NAME``).

        Raises:
            TypeError: an argument has the wrong type.
            ValueError: an id is not positive, ``context`` is empty, or the
                existing file is not a kubeconfig (the message names the file,
                which is left unchanged).
            NotFoundError: no such cluster.
            OSError: the file cannot be read or written.
        """
        check_path(path)
        cluster_path = _cluster_path(public_cloud_id, public_cloud_project_id, kaas_id)
        name = check_str("context", context, min_length=1, optional=True)
        if not isinstance(set_current, bool):
            raise TypeError(f"set_current must be a bool, got {type(set_current).__name__}")
        if name is None:
            name = f"infomaniak-{public_cloud_project_id}-kaas-{kaas_id}"
        # The user's file is read and checked before the API is asked.
        target = KubeconfigTarget(path)
        text = Secret(
            decode_data(
                self._pipeline.request("GET", f"{cluster_path}/kube_config"),
                str,
                method="GET",
                path=f"{cluster_path}/kube_config",
            )
        )
        if not isinstance(text.value, str):
            raise TypeError("the API answered a kubeconfig that is not text")
        target.save(text, name=name, set_current=set_current)
        return name

    def api_client(
        self, *, public_cloud_id: int, public_cloud_project_id: int, kaas_id: int
    ) -> Any:
        """A client of the official Kubernetes library, configured for the cluster.

        ``kubernetes_asyncio.client.ApiClient`` from ``Client`` (the
        ``kubernetes-asyncio`` extra), ``kubernetes.client.ApiClient`` from
        ``Client`` (the ``kubernetes`` extra), built from the cluster's admin
        kubeconfig (server, CA, credentials); close it when done
        (``with`` / ``with``). Nothing is written to disk by the SDK.

        Args:
            public_cloud_id: the Public Cloud.
            public_cloud_project_id: the project.
            kaas_id: the cluster.

        Returns:
            The library's ``ApiClient``, e.g. for ``CoreV1Api(api_client)``.

        Raises:
            ImportError: the library is not installed (the message names the
                extra: ``pip install 'infomaniak-cloud[kubernetes]'``).
            TypeError: an argument has the wrong type.
            ValueError: an id is not positive.
            NotFoundError: no such cluster.
        """
        _cluster_path(public_cloud_id, public_cloud_project_id, kaas_id)

        def fetch() -> str:
            return self.kubeconfig(
                public_cloud_id=public_cloud_id,
                public_cloud_project_id=public_cloud_project_id,
                kaas_id=kaas_id,
            )

        return sync_kubernetes_api_client(fetch)

    def packs(self) -> builtins.list[KubernetesServicePack]:
        """The cluster packs (``shared``, ``dedicated``).

        Returns:
            The packs.

        Raises:
            infomaniak.errors.APIError: the API answered an error.
        """
        return self._get_list("/1/public_clouds/kaas/packs", KubernetesServicePack)

    def versions(self) -> builtins.list[str]:
        """The Kubernetes versions new clusters may use, oldest first.

        Returns:
            The versions (``"1.31"``...).

        Raises:
            infomaniak.errors.APIError: the API answered an error.
        """
        return self._get_list("/1/public_clouds/kaas/versions", str)

    def regions(self) -> builtins.list[str]:
        """The regions clusters can run in.

        Returns:
            The regions (``"dc3-a"``, ``"dc4-a"``).

        Raises:
            infomaniak.errors.APIError: the API answered an error.
        """
        return self._get_list("/1/public_clouds/kaas/regions", str)

    def availability_zones(self, *, region: str) -> builtins.list[str]:
        """The availability zones of a region.

        Args:
            region: the region.

        Returns:
            The zones (``"az-1"``...).

        Raises:
            TypeError: ``region`` is missing.
        """
        params = {"region": check_str("region", region, min_length=1)}
        return self._get_list("/1/public_clouds/kaas/availability_zones", str, params)

    def flavors(
        self,
        *,
        public_cloud_id: int,
        public_cloud_project_id: int,
        region: str,
        search: str | None = None,
        available: bool | None = None,
        cpu: int | None = None,
        ram: int | None = None,
        storage: int | None = None,
        maximum_cpu: int | None = None,
        maximum_ram: int | None = None,
        maximum_storage: int | None = None,
        memory_optimized: bool | None = None,
        iops_optimized: bool | None = None,
        gpu_optimized: bool | None = None,
        gpu_types: str | Sequence[str] | None = None,
        minimum_rate: RateBound | None = None,
        maximum_rate: RateBound | None = None,
    ) -> builtins.list[KubernetesServiceFlavor]:
        """The instance flavors pools of this project can use in a region.

        Args:
            public_cloud_id: the Public Cloud.
            public_cloud_project_id: the project.
            region: the region.
            search: text to look for in flavor names (``"a2-ram4"``).
            available: keep only flavors available (True) or not (False).
            cpu: exactly this many vCPUs.
            ram: exactly this much memory (GB).
            storage: exactly this much disk (GB).
            maximum_cpu: at most this many vCPUs.
            maximum_ram: at most this much memory (GB).
            maximum_storage: at most this much disk (GB).
            memory_optimized: keep memory-optimised flavors (or the others).
            iops_optimized: keep IOPS-optimised flavors (or the others).
            gpu_optimized: keep GPU flavors (or the others).
            gpu_types: keep GPU flavors of these types (``"L4"``...).
            minimum_rate: lowest hourly price, ``{"excluding_tax": 0.05}``.
            maximum_rate: highest hourly price, ``{"including_tax": 0.5}``.

        Returns:
            The flavors.

        Raises:
            TypeError: an argument has the wrong type.
        """
        filters: dict[str, Any] = {
            "available": check_flag("available", available),
            "memory_optimized": check_flag("memory_optimized", memory_optimized),
            "iops_optimized": check_flag("iops_optimized", iops_optimized),
            "gpu_optimized": check_flag("gpu_optimized", gpu_optimized),
            "gpu_types": check_str_list("gpu_types", gpu_types),
            "minimum_rate": check_rate("minimum_rate", minimum_rate),
            "maximum_rate": check_rate("maximum_rate", maximum_rate),
        }
        for name, value in (
            ("cpu", cpu),
            ("ram", ram),
            ("storage", storage),
            ("maximum_cpu", maximum_cpu),
            ("maximum_ram", maximum_ram),
            ("maximum_storage", maximum_storage),
        ):
            filters[name] = None if value is None else check_non_negative_int(name, value)
        params = list_params(
            search=search, filters=filters, region=check_str("region", region, min_length=1)
        )
        path = f"{_kaas_root(public_cloud_id, public_cloud_project_id)}/flavors"
        return self._get_list(path, KubernetesServiceFlavor, params)

    def flavor_filters(
        self, *, public_cloud_id: int, public_cloud_project_id: int, region: str
    ) -> KubernetesServiceFlavorFilter:
        """The values the flavor filters can take in a region.

        Args:
            public_cloud_id: the Public Cloud.
            public_cloud_project_id: the project.
            region: the region.

        Returns:
            The filter values (GPU types, vCPU, memory, disk and price ranges).

        Raises:
            TypeError: an argument has the wrong type or is missing.
            ValueError: an id is not positive or ``region`` is empty.
            infomaniak.errors.APIError: the API answered an error.
        """
        path = f"{_kaas_root(public_cloud_id, public_cloud_project_id)}/flavors/filters"
        params = {"region": check_str("region", region, min_length=1)}
        return self._get(path, KubernetesServiceFlavorFilter, params=params)

    def _get_list(
        self, path: str, model: type[Any], params: Mapping[str, Any] | None = None
    ) -> builtins.list[Any]:
        envelope = self._pipeline.request("GET", path, params=params)
        return decode_list(envelope, model, method="GET", path=path)
