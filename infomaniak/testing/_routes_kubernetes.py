"""Managed Kubernetes (KaaS) routes (CATALOG §5.4-5.6): clusters, instance pools,
API server parameters, IP filters, kubeconfig and the reference data.

Clusters and pools answer at once (201 + id, 200 + true) and then converge
through their ``status`` on the lazy clock of :class:`~._state.State`:

- cluster: ``Creating`` -> ``Active`` (or ``Failed`` after :meth:`KaasState.fail_next`)
  over ``kaas_duration``; an upgrade or pack change ``Updating`` -> ``Active``;
  ``Deleting`` -> gone (404), its pools with it.
- pool: ``Creating`` -> ``Active``, a resize ``ScalingUp``/``ScalingDown`` -> ``Active``,
  another change ``Updating`` -> ``Active``, ``Deleting`` -> gone, over
  ``pool_duration``. A pool whose instances would take the project past its cores
  quota ends ``FailedQuota`` with ``error_messages`` ``["Quota exceeded for cores"]``.

The KaaS state lives here, one :class:`KaasState` per emulator state, seeded on
first use from its own random generator (so the projects' seed is unchanged).
"""

from __future__ import annotations

import base64
import ipaddress
import random
import re
import string
import weakref
from typing import Any

from ._certs import CA_PEM, CLIENT_CERT_PEM, CLIENT_KEY_PEM
from ._http import (
    ApiError,
    Body,
    Ctx,
    Item,
    JsonReply,
    Router,
    by_key,
    field_error,
    filter_in,
    integer_error,
    integral,
    not_found,
    numeric_error,
    paginate,
    php_int,
    php_number,
    query_choice,
    query_int,
    search,
    sort_items,
    success,
    validation_failed,
)
from ._routes_projects import get_project
from ._state import MAIN_CLOUD_ID, TAGS, State

# ---------------------------------------------------------------------------- reference table

# One table for every piece of reference data: versions, regions with their
# availability zones, packs and flavors (CATALOG §5.6; zone-to-region mapping
# inferred there from the Terraform example).
VERSIONS = ("1.32", "1.33", "1.34", "1.35")
REGIONS: dict[str, tuple[str, ...]] = {
    "dc3-a": ("dc3-a-04", "dc3-a-09", "dc3-a-10"),
    "dc4-a": ("az-1", "az-2", "az-3"),
}
ALL_ZONES = tuple(zone for zones in REGIONS.values() for zone in zones)
PACKS: tuple[Item, ...] = (
    {
        "kaas_pack_id": 1,
        "name": "shared",
        "description": "Shared control plane",
        "price_per_hour": {"CHF": 0, "EUR": 0},
        "limit_per_project": 1,
        "is_active": True,
    },
    {
        "kaas_pack_id": 2,
        "name": "dedicated",
        "description": "Dedicated control plane",
        "price_per_hour": {"CHF": 0.11, "EUR": 0.11},
        "limit_per_project": None,
        "is_active": True,
    },
)
PACK_IDS = tuple(pack["kaas_pack_id"] for pack in PACKS)
# Instances a cluster of each pack may run (``instances.total``; null = no limit).
PACK_INSTANCE_LIMITS = {1: 30, 2: None}
GPU_TYPES = ("A2", "L4", "T4")


def _flavor(cpu: int, ram: int, disk: int, price: float, **extra: Any) -> Item:
    name = extra.pop("name", f"a{cpu}-ram{ram}-disk{disk}-perf1")
    return {
        "name": name,
        "cpu": cpu,
        "ram": ram,
        "storage": disk,
        "is_available": True,
        "is_memory_optimized": False,
        "is_iops_optimized": False,
        "is_gpu_optimized": False,
        "rates": {"hour_excl_tax": price, "hour_incl_tax": round(price * 1.081, 4)},
        **extra,
    }


FLAVORS: tuple[Item, ...] = (
    _flavor(1, 2, 20, 0.0171),
    _flavor(2, 4, 20, 0.0342),
    _flavor(4, 8, 50, 0.0684),
    _flavor(4, 16, 50, 0.0912),
    _flavor(8, 32, 50, 0.1824),
    _flavor(16, 64, 100, 0.3648),
    _flavor(4, 32, 50, 0.1368, name="a4-ram32-disk50-perf1", is_memory_optimized=True),
    _flavor(8, 16, 200, 0.2052, name="a8-ram16-disk200-perf2", is_iops_optimized=True),
    _flavor(
        8, 32, 50, 0.95, name="nvl4-a8-ram32-disk50-perf1", is_gpu_optimized=True, gpu_type="L4"
    ),
    _flavor(
        8, 32, 50, 0.81, name="nvt4-a8-ram32-disk50-perf1", is_gpu_optimized=True, gpu_type="T4"
    ),
)
FLAVORS_BY_NAME = {flavor["name"]: flavor for flavor in FLAVORS}
# GPU flavors exist in both regions but are only available in dc4-a.
GPU_REGIONS = ("dc4-a",)

CLUSTER_STATUSES = ("Active", "Creating", "Deleting", "Failed", "Suspended", "Unknown", "Updating")
POOL_STATUSES = (
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
CLUSTER_RELATIONS = ("packs", "projects", "instances", "tags")
CLUSTER_SORT = {
    name: by_key(name)
    for name in (
        "kaas_id",
        "name",
        "open_stack_name",
        "region",
        "kubernetes_version",
        "status",
        "kaas_pack_id",
    )
}
POOL_SORT = {
    name: by_key(name)
    for name in (
        "instance_pool_id",
        "name",
        "availability_zone",
        "flavor",
        "status",
        "minimum_instances",
        "target_instances",
    )
}
NAME_MAX = 40
PREFIX_MAX = 16
PREFIX = re.compile(r"^[a-z0-9][a-z0-9-]*$")
MAX_INSTANCES = 1000
RATE_FILTERS = (("excluding_tax", "hour_excl_tax"), ("including_tax", "hour_incl_tax"))
QUOTA_MESSAGE = "Quota exceeded for cores"
DEFAULT_CORES_QUOTA = 1000
DEFAULT_DURATION = 0.05

FIRST_KAAS_ID = 4821  # the catalogue examples' ids
FIRST_POOL_ID = 9312
MAIN_PROJECT_CLUSTERS = 12  # more than a page of 10
MAIN_CLUSTER_POOLS = 12

CLUSTER_NAMES = (
    "My Kubernetes Service",
    "prod-eu",
    "staging",
    "ci",
    "analytics",
    "edge",
    "gitlab-runners",
    "ml-training",
    "observability",
    "payments",
    "search",
    "sandbox",
)

# OIDC flags the API documents, with their rules (CATALOG §5.4 #29).
OIDC_USERNAME_CLAIMS = ("email", "name", "sub")
OIDC_SIGNING_ALGS = (
    "ES256",
    "ES384",
    "ES512",
    "PS256",
    "PS384",
    "PS512",
    "RS256",
    "RS384",
    "RS512",
)
OIDC_PREFIX = re.compile(r"^[-a-zA-Z0-9:]*$")

# ---------------------------------------------------------------------------- state


class KaasState:
    """Clusters, pools and their settings for one emulator. Guarded by the State's lock."""

    def __init__(self, state: State) -> None:
        self.state = state
        # The timing profile's values (see _realism.DURATIONS), settable afterwards.
        self.kaas_duration = state.durations.get("kaas", DEFAULT_DURATION)
        self.pool_duration = state.durations.get("pool", DEFAULT_DURATION)
        self.project_cores_quota = DEFAULT_CORES_QUOTA
        self.clusters: dict[int, Item] = {}
        self.pools: dict[int, Item] = {}
        # Per cluster: project id, API server parameters, IP filters, kubeconfig token.
        self.project_of: dict[int, int] = {}
        self.apiservers: dict[int, Item] = {}
        self.ip_filters: dict[int, list[str]] = {}
        self.secrets: dict[int, str] = {}
        self._failures = 0
        self._next_kaas_id = FIRST_KAAS_ID
        self._next_pool_id = FIRST_POOL_ID
        self._pool_numbers: dict[int, int] = {}
        # Its own generator: seeding KaaS lazily must not shift the projects' one.
        self.rng = random.Random("infomaniak-kaas")
        self._seed()

    # ------------------------------------------------------------------ failures

    def fail_next(self) -> None:
        self._failures += 1

    def _take_failure(self) -> bool:
        if self._failures:
            self._failures -= 1
            return True
        return False

    # ------------------------------------------------------------------ factories

    def _open_stack_name(self) -> str:
        alphabet = string.ascii_lowercase + string.digits
        taken = {cluster["open_stack_name"] for cluster in self.clusters.values()}
        while True:
            name = "pck-" + "".join(self.rng.choice(alphabet) for _ in range(7))
            if name not in taken:
                return name

    def new_cluster(
        self,
        project_id: int,
        *,
        name: str,
        region: str,
        version: str,
        pack_id: int,
        status: str,
    ) -> Item:
        kaas_id = self._next_kaas_id
        self._next_kaas_id += 1
        cluster: Item = {
            "kaas_id": kaas_id,
            "name": name,
            "open_stack_name": self._open_stack_name(),
            "region": region,
            "kubernetes_version": version,
            "status": status,
            # Not in the spec's schema; the Terraform provider reads it at top level.
            "kaas_pack_id": pack_id,
            "tags": [],
        }
        self.state.realism.add_unknown_key(cluster, ("kaas", kaas_id))
        self.clusters[kaas_id] = cluster
        self.project_of[kaas_id] = project_id
        self.apiservers[kaas_id] = {
            "apiserver_params": {},
            "oidc_ca": None,
            "audit-policy": None,
            "audit-webhook-config": None,
        }
        self.ip_filters[kaas_id] = []
        self.secrets[kaas_id] = base64.b64encode(self.rng.randbytes(24)).decode()
        self._pool_numbers[kaas_id] = 0
        return cluster

    def new_pool(
        self,
        cluster: Item,
        *,
        name: str,
        flavor: str,
        zone: str,
        minimum: int,
        maximum: int,
        prefix: str,
        labels: dict[str, str],
        status: str,
    ) -> Item:
        pool_id = self._next_pool_id
        self._next_pool_id += 1
        kaas_id = cluster["kaas_id"]
        self._pool_numbers[kaas_id] += 1
        pool: Item = {
            "instance_pool_id": pool_id,
            "kaas_id": kaas_id,
            "name": name,
            "open_stack_name": f"{cluster['open_stack_name']}-p{self._pool_numbers[kaas_id]}",
            "availability_zone": zone,
            "flavor": flavor,
            "status": status,
            "error_messages": [],
            "minimum_instances": minimum,
            "maximum_instances": maximum,
            "target_instances": minimum,
            "available_instances": minimum if status == "Active" else 0,
            "has_autoscaling": maximum > minimum,
            "prefix": prefix,
            "labels": labels,
        }
        self.state.realism.add_unknown_key(pool, ("pool", pool_id))
        self.pools[pool_id] = pool
        return pool

    # ------------------------------------------------------------------ queries

    def pools_of(self, kaas_id: int) -> list[Item]:
        return [pool for pool in self.pools.values() if pool["kaas_id"] == kaas_id]

    def cores_used(self, project_id: int, *, besides: int | None = None) -> int:
        """Cores the project's pools run or are converging to (``besides``: one pool left out)."""
        total = 0
        for pool in self.pools.values():
            if pool["instance_pool_id"] == besides or pool["status"] == "Deleting":
                continue
            if self.project_of.get(pool["kaas_id"]) != project_id:
                continue
            if pool["status"] in ("FailedQuota", "Failed"):
                cores = pool["available_instances"]
            else:
                cores = max(pool["target_instances"], pool["available_instances"])
            total += cores * FLAVORS_BY_NAME[pool["flavor"]]["cpu"]
        return int(total)

    def over_quota(self, project_id: int, pool_id: int | None, flavor: str, target: int) -> bool:
        wanted: int = target * FLAVORS_BY_NAME[flavor]["cpu"]
        return self.cores_used(project_id, besides=pool_id) + wanted > self.project_cores_quota

    # ------------------------------------------------------------------ transitions

    def converge_cluster(self, cluster: Item, *, fail: bool = False, **changes: Any) -> None:
        """After ``kaas_duration``: ``Active`` with ``changes`` applied (or ``Failed``)."""
        state = self.state
        kaas_id = cluster["kaas_id"]

        def done(at: float) -> None:
            if self.clusters.get(kaas_id) is not cluster or cluster["status"] == "Deleting":
                return
            cluster.update(changes)
            cluster["status"] = "Failed" if fail else "Active"

        state.schedule(state.now() + self.kaas_duration, done)

    def converge_pool(self, pool: Item, *, quota_exceeded: bool) -> None:
        """After ``pool_duration``: the pool reaches its target (``Active``), or
        ``FailedQuota`` with the quota message when the project has no cores left."""
        state = self.state
        pool_id = pool["instance_pool_id"]
        target = pool["target_instances"]

        def done(at: float) -> None:
            if self.pools.get(pool_id) is not pool or pool["status"] == "Deleting":
                return
            if pool["target_instances"] != target:
                return  # superseded by a later change
            if quota_exceeded:
                pool["status"] = "FailedQuota"
                pool["error_messages"] = [QUOTA_MESSAGE]
                # Instances already running stay; none are added.
                pool["available_instances"] = min(pool["available_instances"], target)
            else:
                pool["status"] = "Active"
                pool["error_messages"] = []
                pool["available_instances"] = target

        state.schedule(state.now() + self.pool_duration, done)

    def delete_cluster(self, cluster: Item) -> None:
        state = self.state
        kaas_id = cluster["kaas_id"]
        cluster["status"] = "Deleting"
        for pool in self.pools_of(kaas_id):
            pool["status"] = "Deleting"
            pool["error_messages"] = []

        def gone(at: float) -> None:
            self.remove_cluster(kaas_id)

        state.schedule(state.now() + self.kaas_duration, gone)

    def remove_cluster(self, kaas_id: int) -> None:
        self.clusters.pop(kaas_id, None)
        for pool in self.pools_of(kaas_id):
            del self.pools[pool["instance_pool_id"]]
        self.project_of.pop(kaas_id, None)
        self.apiservers.pop(kaas_id, None)
        self.ip_filters.pop(kaas_id, None)
        self.secrets.pop(kaas_id, None)
        self._pool_numbers.pop(kaas_id, None)

    def delete_pool(self, pool: Item) -> None:
        state = self.state
        pool_id = pool["instance_pool_id"]
        pool["status"] = "Deleting"
        pool["error_messages"] = []

        def gone(at: float) -> None:
            self.pools.pop(pool_id, None)

        state.schedule(state.now() + self.pool_duration, gone)

    # ------------------------------------------------------------------ seeding

    def _seed(self) -> None:
        """Active clusters in the first projects: 12 in the spec's project 25454 of
        cloud 1332 (all ``dedicated``, so that a ``shared`` one can still be created
        there), one in the next two projects and in the first project of a few
        other clouds; the first cluster (4821) has 12 pools."""
        state = self.state
        main = sorted(
            pid
            for pid, project in state.projects.items()
            if project["public_cloud_id"] == MAIN_CLOUD_ID and project["status"] == "ok"
        )
        others: list[int] = []
        for cloud_id in sorted(state.clouds):
            if cloud_id == MAIN_CLOUD_ID:
                continue
            ids = sorted(
                pid
                for pid, project in state.projects.items()
                if project["public_cloud_id"] == cloud_id and project["status"] == "ok"
            )
            if ids:
                others.append(ids[0])
        plan: list[tuple[int, int]] = []
        if main:
            plan.append((main[0], MAIN_PROJECT_CLUSTERS))
            plan.extend((pid, 1) for pid in main[1:3])
        plan.extend((pid, 1) for pid in others[:3])
        position = 0
        for project_id, count in plan:
            for _ in range(count):
                region = ("dc4-a", "dc3-a")[position % 3 == 2]
                status = "Active"
                if position == 5:
                    status = "Failed"
                elif position == 9:
                    status = "Suspended"
                cluster = self.new_cluster(
                    project_id,
                    name=CLUSTER_NAMES[position % len(CLUSTER_NAMES)]
                    + ("" if position < len(CLUSTER_NAMES) else f"-{position}"),
                    region=region,
                    version=VERSIONS[1 + position % (len(VERSIONS) - 1)],
                    pack_id=2 if project_id == plan[0][0] else PACK_IDS[position % 2],
                    status=status,
                )
                if position % 4 == 1:
                    cluster["tags"] = [dict(TAGS[1 + position % 4])]
                pools = MAIN_CLUSTER_POOLS if position == 0 else position % 3
                for number in range(pools):
                    zones = REGIONS[region]
                    self.new_pool(
                        cluster,
                        name=f"pool-{number + 1}",
                        flavor=FLAVORS[number % 3]["name"],
                        zone=zones[number % len(zones)],
                        minimum=1 + number % 2,
                        maximum=(1 + number % 2) + (number % 3 == 0),
                        prefix=f"pool{number + 1}",
                        labels={"node-role.kubernetes.io/worker": "high"} if number == 0 else {},
                        status="Active",
                    )
                position += 1
        if self.clusters:
            first = self.clusters[FIRST_KAAS_ID]
            self.apiservers[FIRST_KAAS_ID]["apiserver_params"] = {
                "--oidc-issuer-url": "https://login.example.com",
                "--oidc-client-id": "kubernetes",
                "--oidc-username-claim": "email",
                "--oidc-signing-algs": "RS256",
            }
            self.ip_filters[FIRST_KAAS_ID] = ["192.0.2.0/24", "203.0.113.7/32"]
            first["tags"] = [dict(TAGS[0])]


_STATES: weakref.WeakKeyDictionary[State, KaasState] = weakref.WeakKeyDictionary()


def kaas_state(state: State) -> KaasState:
    """The KaaS part of ``state``, created (and seeded) on first use. Call under the lock."""
    found = _STATES.get(state)
    if found is None:
        found = _STATES[state] = KaasState(state)
    return found


# ---------------------------------------------------------------------------- helpers


def _kaas(ctx: Ctx) -> KaasState:
    return kaas_state(ctx.state)


def _account(ctx: Ctx) -> int:
    account_id = query_int(ctx, "account_id", required=True)
    assert account_id is not None
    if account_id != ctx.state.account_id:
        raise not_found()
    return account_id


def get_cluster(ctx: Ctx) -> Item:
    project = get_project(ctx)
    kaas = _kaas(ctx)
    kaas_id = ctx.int_param("kaas_id")
    cluster = kaas.clusters.get(kaas_id)
    if cluster is None or kaas.project_of.get(kaas_id) != project["public_cloud_project_id"]:
        raise not_found()
    return cluster


def get_pool(ctx: Ctx) -> tuple[Item, Item]:
    cluster = get_cluster(ctx)
    pool = _kaas(ctx).pools.get(ctx.int_param("kaas_worker_pool_id"))
    if pool is None or pool["kaas_id"] != cluster["kaas_id"]:
        raise not_found()
    return cluster, pool


def _instance_totals(kaas: KaasState, cluster: Item) -> Item:
    # The spec names these counts without defining them; the emulator sums its pools.
    pools = [pool for pool in kaas.pools_of(cluster["kaas_id"]) if pool["status"] != "Deleting"]
    fixed = [pool for pool in pools if not pool["has_autoscaling"]]
    scaled = [pool for pool in pools if pool["has_autoscaling"]]
    return {
        "total": PACK_INSTANCE_LIMITS.get(cluster["kaas_pack_id"]),
        "used": sum(pool["available_instances"] for pool in pools),
        "fixed": sum(pool["minimum_instances"] for pool in fixed),
        "minimum_autoscaled": sum(pool["minimum_instances"] for pool in scaled),
        "maximum_autoscaled": sum(pool["maximum_instances"] for pool in scaled),
        "minimum_available_instances": sum(pool["minimum_instances"] for pool in pools),
        "maximum_available_instances": sum(
            max(pool["maximum_instances"], pool["minimum_instances"]) for pool in pools
        ),
    }


def render_packs(ctx: Ctx) -> list[Item]:
    """The packs; in the realistic profile one of them says ``is_active: "true"``,
    the spec's string (CATALOG §4 KubernetesServicePack), the other a boolean."""
    realism = ctx.state.realism
    string_one = realism.choose("kaas_pack.is_active_string", "packs", PACK_IDS)
    packs = [dict(pack) for pack in PACKS]
    for pack in packs:
        if pack["kaas_pack_id"] == string_one and realism.picks(
            "kaas_pack.is_active_string", "packs"
        ):
            pack["is_active"] = "true" if pack["is_active"] else "false"
    return packs


def render_pool(ctx: Ctx, pool: Item) -> Item:
    """A pool; in the realistic profile some pools send an empty label map as
    ``[]`` (PHP) and leave out an empty ``error_messages`` (optional, CATALOG §4)."""
    realism = ctx.state.realism
    pool_id = pool["instance_pool_id"]
    out = dict(pool)
    if not pool["labels"] and realism.picks("pool.labels_empty_list", pool_id):
        out["labels"] = []
    if not pool["error_messages"] and realism.picks("pool.no_error_messages", pool_id):
        del out["error_messages"]
    return out


def render_cluster(ctx: Ctx, cluster: Item) -> Item:
    """Without ``with``, only the cluster's own fields (CATALOG §3.7)."""
    kaas = _kaas(ctx)
    wanted = ctx.with_relations()
    out = {key: value for key, value in cluster.items() if key != "tags"}
    if "packs" in wanted:
        out["pack"] = next(
            p for p in render_packs(ctx) if p["kaas_pack_id"] == cluster["kaas_pack_id"]
        )
    if "projects" in wanted:
        project = ctx.state.projects[kaas.project_of[cluster["kaas_id"]]]
        out["project"] = {
            "id": project["public_cloud_project_id"],
            "public_cloud_id": project["public_cloud_id"],
            "name": project["name"],
            "open_stack_name": project["open_stack_name"],
        }
    if "tags" in wanted:
        out["tags"] = cluster["tags"]
    if "instances" in wanted:
        out["instances"] = _instance_totals(kaas, cluster)
    return out


def _list_clusters(ctx: Ctx, clusters: list[Item]) -> JsonReply:
    filters = ctx.deep("filter")
    selected = search(clusters, filters.get("search"), ("name", "open_stack_name"))
    selected = filter_in(
        selected,
        filters.get("statuses"),
        field="status",
        attribute="statuses",
        allowed=CLUSTER_STATUSES,
    )
    selected = filter_in(
        selected,
        filters.get("regions"),
        field="region",
        attribute="regions",
        allowed=tuple(REGIONS),
    )
    packs = filters.get("packs")
    if packs:
        wanted = packs if isinstance(packs, list) else str(packs).split(",")
        if any(value not in {str(p) for p in PACK_IDS} for value in wanted):
            raise _invalid("filter.packs", [str(p) for p in PACK_IDS])
        selected = [c for c in selected if str(c["kaas_pack_id"]) in wanted]
    tags = filters.get("tags")
    if tags:
        wanted_tags = tags if isinstance(tags, list) else str(tags).split(",")
        selected = [c for c in selected if any(str(tag["id"]) in wanted_tags for tag in c["tags"])]
    ordered = sort_items(ctx, selected, CLUSTER_SORT)
    return paginate(ctx, [render_cluster(ctx, cluster) for cluster in ordered])


def _invalid(attribute: str, values: list[Any] | None = None) -> ApiError:
    context: dict[str, Any] = {} if values is None else {"values": values}
    return validation_failed(
        [
            field_error(
                attribute, "validation_rule_in", f"The selected {attribute} is invalid.", **context
            )
        ]
    )


def _region(ctx: Ctx) -> str:
    if ctx.query_get("region") is None:
        raise validation_failed(
            [field_error("region", "validation_rule_required", "The region field is required.")]
        )
    region = query_choice(ctx, "region", tuple(REGIONS))
    assert region is not None
    return region


def _instances(body: Body, name: str, *, required: bool, minimum: int) -> int | None:
    maximum = MAX_INSTANCES
    raw = body.data.get(name)
    if raw is None:
        if required:
            body.errors.append(
                field_error(name, "validation_rule_required", f"The {name} field is required.")
            )
        else:
            body.sent_null(name, "validation_rule_integer", f"The {name} must be an integer.")
        return None
    value = integral(raw)
    if value is None:
        body.errors.append(
            field_error(name, "validation_rule_integer", f"The {name} must be an integer.")
        )
        return None
    if value < minimum:
        body.errors.append(
            field_error(
                name, "validation_rule_min", f"The {name} must be at least {minimum}.", min=minimum
            )
        )
        return None
    if value > maximum:
        body.errors.append(
            field_error(
                name,
                "validation_rule_max",
                f"The {name} may not be greater than {maximum}.",
                max=maximum,
            )
        )
        return None
    return value


def _choice(body: Body, name: str, choices: tuple[Any, ...], *, required: bool) -> Any:
    value = body.data.get(name)
    if value is None:
        if required:
            body.errors.append(
                field_error(name, "validation_rule_required", f"The {name} field is required.")
            )
        else:
            body.sent_null(name, "validation_rule_in", f"The selected {name} is invalid.")
        return None
    if isinstance(value, float) and integral(value) is not None:
        value = integral(value)
    if isinstance(value, bool) or value not in choices:
        body.errors.append(
            field_error(
                name,
                "validation_rule_in",
                f"The selected {name} is invalid.",
                values=list(choices),
            )
        )
        return None
    return value


def _labels(body: Body) -> dict[str, str] | None:
    """Labels as a map (the Terraform provider's shape) or as the spec's
    ``"key: value"`` strings; stored and answered as a map."""
    value = body.data.get("labels")
    if value is None:
        body.sent_null("labels", "validation_rule_array", "The labels must be a map of strings.")
        return None
    labels: dict[str, str] = {}
    if isinstance(value, dict):
        items = list(value.items())
    elif isinstance(value, list):
        items = []
        for entry in value:
            if not isinstance(entry, str) or ":" not in entry:
                items = None
                break
            key, _, label = entry.partition(":")
            items.append((key.strip(), label.strip()))
    else:
        items = None
    if items is None or not all(isinstance(k, str) and isinstance(v, str) for k, v in items):
        body.errors.append(
            field_error("labels", "validation_rule_array", "The labels must be a map of strings.")
        )
        return None
    for key, label in items:
        labels[key] = label
    return labels


def _default_prefix(name: str) -> str:
    cleaned = re.sub(r"[^a-z0-9-]", "", name.lower()).lstrip("-")[:PREFIX_MAX]
    return cleaned or "pool"


def _kubeconfig(cluster: Item, token: str) -> str:
    name = cluster["open_stack_name"]
    # Real certificates (a test CA shipped with the emulator, _certs.py), so that
    # kubectl and the kubernetes libraries load the kubeconfig as a real one.
    ca, cert, key = (
        base64.b64encode(pem.encode()).decode() for pem in (CA_PEM, CLIENT_CERT_PEM, CLIENT_KEY_PEM)
    )
    return (
        "apiVersion: v1\n"
        "kind: Config\n"
        "clusters:\n"
        "- cluster:\n"
        f"    certificate-authority-data: {ca}\n"
        f"    server: https://{name}.{cluster['region']}.kaas.example:6443\n"
        f"  name: {name}\n"
        "contexts:\n"
        "- context:\n"
        f"    cluster: {name}\n"
        f"    user: {name}-admin\n"
        f"  name: {name}\n"
        f"current-context: {name}\n"
        "preferences: {}\n"
        "users:\n"
        f"- name: {name}-admin\n"
        "  user:\n"
        f"    client-certificate-data: {cert}\n"
        f"    client-key-data: {key}\n"
        f"    token: {token}\n"
    )


def _check_apiserver_params(body: Body) -> dict[str, Any] | None:
    params = body.data.get("apiserver_params")
    if params is None:
        body.sent_null(
            "apiserver_params", "validation_rule_array", "The apiserver_params must be an object."
        )
        return None
    if isinstance(params, list) and not params:
        return {}
    if not isinstance(params, dict):
        body.errors.append(
            field_error(
                "apiserver_params",
                "validation_rule_array",
                "The apiserver_params must be an object.",
            )
        )
        return None
    for key, value in params.items():
        attribute = f"apiserver_params.{key}"
        if value is None:
            continue  # null removes the flag
        if not isinstance(value, str):
            body.errors.append(
                field_error(
                    attribute, "validation_rule_string", f"The {attribute} must be a string."
                )
            )
        elif key == "--oidc-username-claim" and value not in OIDC_USERNAME_CLAIMS:
            body.errors.append(
                field_error(
                    attribute,
                    "validation_rule_in",
                    f"The selected {attribute} is invalid.",
                    values=list(OIDC_USERNAME_CLAIMS),
                )
            )
        elif key == "--oidc-signing-algs" and not all(
            alg.strip() in OIDC_SIGNING_ALGS for alg in value.split(",")
        ):
            body.errors.append(
                field_error(
                    attribute,
                    "validation_rule_in",
                    f"The selected {attribute} is invalid.",
                    values=list(OIDC_SIGNING_ALGS),
                )
            )
        elif (
            key in ("--oidc-username-prefix", "--oidc-groups-prefix")
            and not OIDC_PREFIX.match(value)
        ) or (key == "--oidc-required-claim" and "=" not in value):
            body.errors.append(
                field_error(
                    attribute, "validation_rule_regex", f"The {attribute} format is invalid."
                )
            )
    return params


# ---------------------------------------------------------------------------- routes

KAAS = "/1/public_clouds/{public_cloud_id}/projects/{public_cloud_project_id}/kaas"
CLUSTER = KAAS + "/{kaas_id}"
POOLS = CLUSTER + "/instance_pools"
POOL = POOLS + "/{kaas_worker_pool_id}"


def register(router: Router) -> None:
    # ------------------------------------------------------------------ reference data

    @router.add("GET", "/1/public_clouds/kaas/packs")
    def packs(ctx: Ctx) -> JsonReply:
        return success(render_packs(ctx))

    @router.add("GET", "/1/public_clouds/kaas/versions")
    def versions(ctx: Ctx) -> JsonReply:
        return success(list(VERSIONS))

    @router.add("GET", "/1/public_clouds/kaas/regions")
    def regions(ctx: Ctx) -> JsonReply:
        return success(list(REGIONS))

    @router.add("GET", "/1/public_clouds/kaas/availability_zones")
    def availability_zones(ctx: Ctx) -> JsonReply:
        return success(list(REGIONS[_region(ctx)]))

    @router.add("GET", KAAS + "/flavors")
    def flavors(ctx: Ctx) -> JsonReply:
        get_project(ctx)
        region = _region(ctx)
        filters = ctx.deep("filter")
        items = [
            {**flavor, "is_available": not flavor["is_gpu_optimized"] or region in GPU_REGIONS}
            for flavor in FLAVORS
        ]
        items = search(items, filters.get("search"), ("name",))

        def flag(name: str) -> bool | None:
            raw = filters.get(name)
            if raw is None:
                return None
            if raw not in ("true", "false", "1", "0"):
                raise _invalid(f"filter.{name}")
            return raw in ("true", "1")

        def number(name: str) -> int | None:
            raw = filters.get(name)
            if raw is None:
                return None
            value = php_int(raw)
            if value is None:
                raise integer_error(f"filter.{name}")
            return value

        for key, flavor_field in (
            ("available", "is_available"),
            ("memory_optimized", "is_memory_optimized"),
            ("iops_optimized", "is_iops_optimized"),
            ("gpu_optimized", "is_gpu_optimized"),
        ):
            wanted = flag(key)
            if wanted is not None:
                items = [item for item in items if item[flavor_field] is wanted]
        for key in ("cpu", "ram", "storage"):
            exact = number(key)
            if exact is not None:
                items = [item for item in items if item[key] == exact]
            most = number(f"maximum_{key}")
            if most is not None:
                items = [item for item in items if item[key] <= most]
        gpu_types = filters.get("gpu_types")
        if gpu_types:
            wanted_gpus = gpu_types if isinstance(gpu_types, list) else [gpu_types]
            if any(gpu not in GPU_TYPES for gpu in wanted_gpus):
                raise _invalid("filter.gpu_types", list(GPU_TYPES))
            items = [item for item in items if item.get("gpu_type") in wanted_gpus]
        for bound, keep in (("minimum_rate", float.__ge__), ("maximum_rate", float.__le__)):
            rate = filters.get(bound)
            if isinstance(rate, dict):
                for tax, key in RATE_FILTERS:
                    if rate.get(tax) is not None:
                        limit = php_number(rate[tax])
                        if limit is None:
                            raise numeric_error(f"filter.{bound}.{tax}")
                        items = [item for item in items if keep(float(item["rates"][key]), limit)]
        # Not paginated in the response (CATALOG §3.5), whatever page/per_page say.
        return success(items)

    @router.add("GET", KAAS + "/flavors/filters")
    def flavor_filters(ctx: Ctx) -> JsonReply:
        get_project(ctx)
        region = _region(ctx)
        usable = [f for f in FLAVORS if not f["is_gpu_optimized"] or region in GPU_REGIONS]

        def span(key: str) -> Item:
            values = sorted({flavor[key] for flavor in usable})
            return {"min": values[0], "max": values[-1], "values": values}

        prices = sorted(flavor["rates"]["hour_excl_tax"] for flavor in usable)
        gpus = sorted({f["gpu_type"] for f in usable if f.get("gpu_type")})
        return success(
            {
                "gpu_types": gpus,
                "cpu": span("cpu"),
                "ram": span("ram"),
                "storage": span("storage"),
                "rates": {"min": prices[0], "max": prices[-1]},
            }
        )

    # ------------------------------------------------------------------ clusters

    @router.add("GET", "/1/public_clouds/kaas")
    def list_account_clusters(ctx: Ctx) -> JsonReply:
        _account(ctx)
        kaas = _kaas(ctx)
        cloud_id = query_int(ctx, "public_cloud_id", minimum=1)
        projects = ctx.state.projects
        clusters = []
        for kaas_id, cluster in kaas.clusters.items():
            project = projects.get(kaas.project_of[kaas_id])
            if project is None:
                continue  # the project was deleted
            if cloud_id is not None and project["public_cloud_id"] != cloud_id:
                continue
            clusters.append(cluster)
        return _list_clusters(ctx, clusters)

    @router.add("GET", KAAS)
    def list_clusters(ctx: Ctx) -> JsonReply:
        project_id = get_project(ctx)["public_cloud_project_id"]
        kaas = _kaas(ctx)
        clusters = [c for k, c in kaas.clusters.items() if kaas.project_of[k] == project_id]
        return _list_clusters(ctx, clusters)

    @router.add("POST", KAAS)
    def create_cluster(ctx: Ctx) -> JsonReply:
        project_id = get_project(ctx)["public_cloud_project_id"]
        kaas = _kaas(ctx)
        body = Body(ctx.json_body())
        name = body.string("name", required=True, max_length=NAME_MAX)
        region = _choice(body, "region", tuple(REGIONS), required=True)
        version = _choice(body, "kubernetes_version", VERSIONS, required=True)
        pack_id = _choice(body, "kaas_pack_id", PACK_IDS, required=True)
        body.check()
        pack = next(p for p in PACKS if p["kaas_pack_id"] == pack_id)
        limit = pack["limit_per_project"]
        same_pack = [
            c
            for k, c in kaas.clusters.items()
            if kaas.project_of[k] == project_id and c["kaas_pack_id"] == pack_id
        ]
        if limit is not None and len(same_pack) >= limit:
            raise ApiError(400, "kaas_pack_limit_reached", "Kaas pack limit reached")
        cluster = kaas.new_cluster(
            project_id,
            name=str(name),
            region=region,
            version=version,
            pack_id=pack_id,
            status="Creating",
        )
        kaas.converge_cluster(cluster, fail=kaas._take_failure())
        return success(cluster["kaas_id"], status=201)

    @router.add("GET", CLUSTER)
    def get_one_cluster(ctx: Ctx) -> JsonReply:
        return success(render_cluster(ctx, get_cluster(ctx)))

    @router.add("PATCH", CLUSTER)
    def update_cluster(ctx: Ctx) -> JsonReply:
        cluster = get_cluster(ctx)
        kaas = _kaas(ctx)
        body = Body(ctx.json_body())
        name = body.string("name", max_length=NAME_MAX)
        if name == "":
            body.errors.append(
                field_error("name", "validation_rule_required", "The name field is required.")
            )
        version = _choice(body, "kubernetes_version", VERSIONS, required=False)
        pack_id = _choice(body, "kaas_pack_id", PACK_IDS, required=False)
        if "region" in body.data:
            # The region of a cluster cannot change (CATALOG §5.4 #25).
            body.errors.append(
                field_error("region", "validation_rule_prohibited", "The region cannot be changed.")
            )
        body.check()
        changes: dict[str, Any] = {}
        if version is not None and version != cluster["kubernetes_version"]:
            current = VERSIONS.index(cluster["kubernetes_version"])
            # Upgrades go one minor version at a time, never down.
            if VERSIONS.index(version) != current + 1:
                raise ApiError(400, "cannot_update_kaas", "Cannot update kaas")
            changes["kubernetes_version"] = version
        if pack_id is not None and pack_id != cluster["kaas_pack_id"]:
            limit = next(p for p in PACKS if p["kaas_pack_id"] == pack_id)["limit_per_project"]
            project_id = kaas.project_of[cluster["kaas_id"]]
            same = [
                c
                for k, c in kaas.clusters.items()
                if kaas.project_of[k] == project_id and c["kaas_pack_id"] == pack_id
            ]
            if limit is not None and len(same) >= limit:
                raise ApiError(400, "cannot_update_kaas", "Cannot update kaas")
            changes["kaas_pack_id"] = pack_id
        if changes and cluster["status"] != "Active":
            raise ApiError(400, "cannot_update_kaas", "Cannot update kaas")
        if name is not None:
            cluster["name"] = name
        if changes:
            cluster["status"] = "Updating"
            kaas.converge_cluster(cluster, **changes)
        return success(True)

    @router.add("DELETE", CLUSTER)
    def delete_cluster(ctx: Ctx) -> JsonReply:
        cluster = get_cluster(ctx)
        if cluster["status"] != "Deleting":
            _kaas(ctx).delete_cluster(cluster)
        return success(True)

    @router.add("GET", CLUSTER + "/kube_config")
    def kube_config(ctx: Ctx) -> JsonReply:
        cluster = get_cluster(ctx)
        # Enveloped JSON, data = the YAML as one string (the Terraform provider
        # decodes it so), not a raw file download.
        return success(_kubeconfig(cluster, _kaas(ctx).secrets[cluster["kaas_id"]]))

    # ------------------------------------------------------------------ API server

    @router.add("GET", CLUSTER + "/apiserver")
    def get_apiserver(ctx: Ctx) -> JsonReply:
        cluster = get_cluster(ctx)
        current = _kaas(ctx).apiservers[cluster["kaas_id"]]
        params = current["apiserver_params"]
        # The catalogue's (Terraform's) object, not the spec's array<string>; PHP
        # sends an empty map as [].
        return success({**current, "apiserver_params": dict(params) if params else []})

    @router.add("PATCH", CLUSTER + "/apiserver")
    def update_apiserver(ctx: Ctx) -> JsonReply:
        cluster = get_cluster(ctx)
        body = Body(ctx.json_body())
        params = _check_apiserver_params(body)
        texts: dict[str, str | None] = {}
        for name in ("oidc_ca", "audit-policy", "audit-webhook-config"):
            if name in body.data:
                value = body.data[name]
                if value is not None and not isinstance(value, str):
                    body.errors.append(
                        field_error(name, "validation_rule_string", f"The {name} must be a string.")
                    )
                    continue
                texts[name] = value or None
        ca = texts.get("oidc_ca")
        if ca is not None and "-----BEGIN CERTIFICATE-----" not in ca:
            body.errors.append(
                field_error(
                    "oidc_ca",
                    "validation_rule_certificate",
                    "The oidc_ca is not a valid X509 certificate.",
                )
            )
        body.check()
        current = _kaas(ctx).apiservers[cluster["kaas_id"]]
        if params is not None:
            merged = dict(current["apiserver_params"])
            for key, value in params.items():
                if value is None:
                    merged.pop(key, None)
                else:
                    merged[key] = value
            current["apiserver_params"] = merged
        current.update(texts)
        return success(True)

    # ------------------------------------------------------------------ IP filters

    @router.add("GET", CLUSTER + "/ip_filters")
    def list_ip_filters(ctx: Ctx) -> JsonReply:
        cluster = get_cluster(ctx)
        return success(list(_kaas(ctx).ip_filters[cluster["kaas_id"]]))

    @router.add("PUT", CLUSTER + "/ip_filters")
    def replace_ip_filters(ctx: Ctx) -> JsonReply:
        cluster = get_cluster(ctx)
        body = Body(ctx.json_body())
        value = body.data.get("ip_filters")
        if value is None:
            body.errors.append(
                field_error(
                    "ip_filters", "validation_rule_required", "The ip_filters field is required."
                )
            )
        elif not isinstance(value, list):
            body.errors.append(
                field_error(
                    "ip_filters", "validation_rule_array", "The ip_filters must be an array."
                )
            )
        else:
            for index, entry in enumerate(value):
                try:
                    # Strings only: ip_network() would also take 12 or False.
                    if not isinstance(entry, str):
                        raise TypeError(entry)
                    ipaddress.ip_network(entry, strict=False)
                except (TypeError, ValueError):
                    body.errors.append(
                        field_error(
                            f"ip_filters.{index}",
                            "validation_rule_cidr",
                            f"The ip_filters.{index} must be a valid IP range.",
                        )
                    )
        body.check()
        _kaas(ctx).ip_filters[cluster["kaas_id"]] = list(value or [])
        return success(True)

    @router.add("DELETE", CLUSTER + "/ip_filters")
    def clear_ip_filters(ctx: Ctx) -> JsonReply:
        cluster = get_cluster(ctx)
        _kaas(ctx).ip_filters[cluster["kaas_id"]] = []
        return success(True)

    # ------------------------------------------------------------------ pools

    @router.add("GET", POOLS)
    def list_pools(ctx: Ctx) -> JsonReply:
        cluster = get_cluster(ctx)
        filters = ctx.deep("filter")
        pools = _kaas(ctx).pools_of(cluster["kaas_id"])
        items = search(pools, filters.get("search"), ("name", "open_stack_name", "flavor"))
        items = filter_in(
            items,
            filters.get("statuses"),
            field="status",
            attribute="statuses",
            allowed=POOL_STATUSES,
        )
        items = filter_in(
            items,
            filters.get("availability_zones"),
            field="availability_zone",
            attribute="availability_zones",
            allowed=ALL_ZONES,
        )
        ordered = sort_items(ctx, items, POOL_SORT)
        return paginate(ctx, [render_pool(ctx, pool) for pool in ordered])

    @router.add("POST", POOLS)
    def create_pool(ctx: Ctx) -> JsonReply:
        cluster = get_cluster(ctx)
        kaas = _kaas(ctx)
        body = Body(ctx.json_body())
        name = body.string("name", required=True, max_length=NAME_MAX)
        flavor = _choice(body, "flavor", tuple(FLAVORS_BY_NAME), required=True)
        minimum = _instances(body, "minimum_instances", required=True, minimum=1)
        maximum = _instances(body, "maximum_instances", required=False, minimum=0)
        zone = _choice(body, "availability_zone", REGIONS[cluster["region"]], required=False)
        prefix = body.string("prefix", max_length=PREFIX_MAX)
        if prefix is not None and not PREFIX.match(prefix):
            body.errors.append(
                field_error("prefix", "validation_rule_regex", "The prefix format is invalid.")
            )
        labels = _labels(body)
        if minimum is not None and maximum and maximum < minimum:
            body.errors.append(
                field_error(
                    "maximum_instances",
                    "validation_rule_gte",
                    "The maximum_instances must be greater than or equal to minimum_instances.",
                )
            )
        body.check()
        assert name is not None and minimum is not None
        if cluster["status"] != "Active":
            raise ApiError(400, "cannot_create_worker_pool", "Cannot create worker pool")
        pool = kaas.new_pool(
            cluster,
            name=name,
            flavor=flavor,
            zone=zone or REGIONS[cluster["region"]][0],
            minimum=minimum,
            # Absent or 0: the minimum, no autoscaling (CATALOG §4 InstancePool).
            maximum=maximum or minimum,
            prefix=prefix or _default_prefix(name),
            labels=labels or {},
            status="Creating",
        )
        project_id = kaas.project_of[cluster["kaas_id"]]
        quota = kaas.over_quota(project_id, pool["instance_pool_id"], flavor, minimum)
        kaas.converge_pool(pool, quota_exceeded=quota)
        return success(pool["instance_pool_id"], status=201)

    @router.add("GET", POOL)
    def get_one_pool(ctx: Ctx) -> JsonReply:
        return success(render_pool(ctx, get_pool(ctx)[1]))

    @router.add("PATCH", POOL)
    def update_pool(ctx: Ctx) -> JsonReply:
        cluster, pool = get_pool(ctx)
        kaas = _kaas(ctx)
        body = Body(ctx.json_body())
        name = body.string("name", max_length=NAME_MAX)
        minimum = _instances(body, "minimum_instances", required=False, minimum=1)
        maximum = _instances(body, "maximum_instances", required=False, minimum=0)
        labels = _labels(body)
        new_min = pool["minimum_instances"] if minimum is None else minimum
        new_max = pool["maximum_instances"] if maximum is None else (maximum or new_min)
        if minimum is not None and maximum is None and pool["maximum_instances"] < new_min:
            new_max = new_min if not pool["has_autoscaling"] else pool["maximum_instances"]
        if new_max < new_min:
            body.errors.append(
                field_error(
                    "maximum_instances",
                    "validation_rule_gte",
                    "The maximum_instances must be greater than or equal to minimum_instances.",
                )
            )
        body.check()
        if pool["status"] in ("Deleting", "Creating"):
            raise ApiError(400, "cannot_update_worker_pool", "Cannot update worker pool")
        if name is not None:
            pool["name"] = name
        sizes_changed = (new_min, new_max) != (pool["minimum_instances"], pool["maximum_instances"])
        if labels is None and not sizes_changed:
            return success(True)
        if labels is not None:
            pool["labels"] = labels
        pool["minimum_instances"], pool["maximum_instances"] = new_min, new_max
        pool["has_autoscaling"] = new_max > new_min
        target = min(max(pool["target_instances"], new_min), new_max)
        pool["target_instances"] = target
        pool["error_messages"] = []
        available = pool["available_instances"]
        if target > available:
            pool["status"] = "ScalingUp"
        elif target < available:
            pool["status"] = "ScalingDown"
        else:
            pool["status"] = "Updating"
        project_id = kaas.project_of[cluster["kaas_id"]]
        quota = target > available and kaas.over_quota(
            project_id, pool["instance_pool_id"], pool["flavor"], target
        )
        kaas.converge_pool(pool, quota_exceeded=quota)
        return success(True)

    @router.add("DELETE", POOL)
    def delete_pool(ctx: Ctx) -> JsonReply:
        _, pool = get_pool(ctx)
        if pool["status"] != "Deleting":
            _kaas(ctx).delete_pool(pool)
        return success(True)
