"""How close to the live API the emulator's data and timings are: the one place that decides.

**Data profile.** ``"realistic"`` (the default) sends, on some items, every
shape the reference material (CATALOG.md) records the live API sending besides
the tidy one: nulls where the spec shows values, booleans where it shows
objects, ``[]`` for empty objects, optional keys present on some items only,
keys no model knows, statuses outside the spec's enum, 202 answers whose
``result`` is ``"success"`` or ``"delayed"``. ``"tidy"`` keeps every item in
the spec's own shape (the emulator as it was before these variants).

Which item gets which variant is decided here and nowhere else:
:meth:`Realism.picks` hashes the seed, the variant's name and the item's key
(its id), so the same seed always gives the same data, and a variant touches
about :attr:`Variant.share` of the items it applies to. :data:`VARIANTS` lists
them all, each with the catalogue passage it comes from.

**Timings.** ``"fast"`` (the default) runs every transition in 0.05 s;
``"real"`` uses the orders of magnitude of the live API (tasks and projects:
seconds to a minute; clusters and databases: minutes). Both are multiplied by
one ``time_scale``: ``timings="real", time_scale=0.001`` runs a 5-minute
cluster creation in 0.3 s. :data:`DURATIONS` is the table.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

Profile = Literal["realistic", "tidy"]
Timings = Literal["fast", "real"]
PROFILES: tuple[Profile, ...] = ("realistic", "tidy")
TIMINGS: tuple[Timings, ...] = ("fast", "real")


@dataclass(frozen=True)
class Variant:
    """One documented alternative shape.

    Attributes:
        name: ``"<what>.<how>"``, the key :meth:`Realism.picks` is asked about.
        share: the part of the eligible items that get it (1.0: all of them).
        source: where the reference material documents it.
    """

    name: str
    share: float
    source: str


VARIANTS: dict[str, Variant] = {
    variant.name: variant
    for variant in (
        # ------------------------------------------------------------ account config
        Variant(
            "config.open_period",
            1.0,
            "§5.1 #3 (TF-PC): valid_from / valid_to are null on the wire",
        ),
        # ------------------------------------------------------------ Public Cloud products
        Variant(
            "cloud.price_null",
            0.2,
            "§4 PublicCloud: public_cloud.price is number|null (price_updated_at null with it)",
        ),
        Variant(
            "cloud.billing_ended",
            0.15,
            "§4 PublicCloud / §3.11: public_cloud.billing_end_at is a timestamp|null",
        ),
        Variant("cloud.deleted_at", 0.1, "§4 PublicCloud: deleted_at, optional"),
        Variant(
            "cloud.bill_reference_null",
            0.5,
            "§5.1 example: bill_reference is null for a cloud without one (spec: string)",
        ),
        Variant(
            "cloud.status_booleans",
            0.4,
            "§4 ProductStatus: maintenance / locked are objects (SPEC) or booleans (XLL)",
        ),
        Variant(
            "cloud.activated_by_id",
            0.3,
            "§4 ProductStatus: activated_by is an array (SPEC) or integer|null (XLL)",
        ),
        Variant(
            "cloud.rights_empty",
            0.1,
            "§3.11: an empty object arrives as [] (PHP); every Right flag is optional",
        ),
        Variant(
            "tag.product_count",
            0.5,
            "§4 Tag: product_count, optional (on the tags of some products)",
        ),
        # ------------------------------------------------------------ projects and users
        Variant(
            "project.status_outside_enum",
            0.12,
            "§5.2 #6: the list's filter[status][] enum has blocked/suspended/restoring/... "
            "which the project's status enum lacks",
        ),
        Variant("project.deleted_at", 0.3, "§4 PublicCloudProject: deleted_at (null), early TF"),
        Variant(
            "project.meta_object",
            0.2,
            "§4 PublicCloudProject: meta is a map, an object when filled (XLL: dict | list); "
            "the spec only allows an array, which PHP sends for an empty map",
        ),
        Variant(
            "project.billing_ended",
            0.1,
            "§4 PublicCloudProject: billing_end_at is a timestamp|null",
        ),
        Variant(
            "item.unknown_key",
            0.25,
            "§6 / DESIGN: models keep working when the API adds keys (extra keys allowed)",
        ),
        # ------------------------------------------------------------ Kubernetes (KaaS)
        Variant(
            "kaas_pack.is_active_string",
            1.0,
            "§4 KubernetesServicePack: is_active is the string 'true' per the spec, a "
            "boolean in the examples (one pack each way)",
        ),
        Variant(
            "pool.labels_empty_list",
            0.5,
            "§3.11 / §4 InstancePool: an empty labels map arrives as [] (PHP)",
        ),
        Variant(
            "pool.no_error_messages",
            0.3,
            "§4 InstancePool: error_messages is optional (left out when empty)",
        ),
        # ------------------------------------------------------------ databases (DBaaS)
        Variant(
            "dbaas.total_backup_size",
            0.5,
            "§4 DatabaseService: total_backup_size, only in XLL's model (outside the spec)",
        ),
        Variant(
            "dbaas.inline_configuration",
            0.5,
            "§4 DatabaseService / §6: configuration, optional, an object map with numbers "
            "as strings (TF), [] when empty",
        ),
        # connection: [] while not ready and configurations' numbers as strings are
        # sent in both profiles (the DBaaS routes follow TF there, see their module).
        # ------------------------------------------------------------ 202 answers
        Variant(
            "reply.delayed",
            0.3,
            "§3.3 / §3.8: result 'delayed' with a task UUID, handled like 'asynchronous' "
            "(TF-PC, XLL); in task mode only",
        ),
        Variant(
            "reply.success_202",
            1.0,
            "§5.3 #17 / #18: DELETE user and the user re-invitation answer 202 with "
            "result 'success'",
        ),
    )
}

# A key no model knows, on some items: user code must ignore keys it does not
# know, as the API adds fields without notice. Its name says where it comes from.
UNKNOWN_KEY = "emulator_unknown_field"
UNKNOWN_VALUE: Mapping[str, str] = {
    "why": "the live API adds keys without notice; decoders must ignore the ones they do not know"
}

# Seconds per transition: (fast, real). "real" follows the catalogue's orders of
# magnitude (§3.8): TF-PC polls tasks for up to 10 minutes and says projects
# "normally finish under a minute"; clusters, pools and databases take minutes.
DURATIONS: dict[str, tuple[float, float]] = {
    # a task: spooled -> running (half-way) -> executed
    "task": (0.05, 10.0),
    # a project or user: creating -> ok, after its task
    "provision": (0.05, 30.0),
    # a Kubernetes cluster: Creating -> Active, Updating -> Active, Deleting -> gone
    "kaas": (0.05, 300.0),
    # an instance pool: Creating / Scaling* / Updating -> Active, Deleting -> gone
    "pool": (0.05, 180.0),
    # a database service: initializing -> ready
    "dbaas": (0.05, 240.0),
    # a database backup: Starting -> Running -> Succeeded
    "backup": (0.05, 60.0),
    # a database restore
    "restore": (0.05, 180.0),
}


def durations(timings: Timings, time_scale: float) -> dict[str, float]:
    """Every duration of :data:`DURATIONS` for ``timings``, times ``time_scale``."""
    if timings not in TIMINGS:
        raise ValueError(f"timings must be one of {list(TIMINGS)}, not {timings!r}")
    if (
        isinstance(time_scale, bool)
        or not isinstance(time_scale, int | float)
        or not math.isfinite(time_scale)
        or time_scale < 0
    ):
        raise ValueError(f"time_scale must be a finite number >= 0, not {time_scale!r}")
    column = TIMINGS.index(timings)
    return {name: pair[column] * time_scale for name, pair in DURATIONS.items()}


class Realism:
    """The data profile of one emulator and the choice of the items that get each variant."""

    def __init__(self, profile: Profile, seed: int) -> None:
        if profile not in PROFILES:
            raise ValueError(f"profile must be one of {list(PROFILES)}, not {profile!r}")
        self.profile: Profile = profile
        self.seed = seed

    @property
    def on(self) -> bool:
        """True for the realistic profile."""
        return self.profile == "realistic"

    def picks(self, variant: str, key: object) -> bool:
        """Whether the item identified by ``key`` gets ``variant`` (never in "tidy")."""
        if not self.on:
            return False
        share = VARIANTS[variant].share
        if share >= 1.0:
            return True
        digest = hashlib.blake2b(f"{self.seed}/{variant}/{key}".encode(), digest_size=8).digest()
        return int.from_bytes(digest, "big") / 2**64 < share

    def choose(self, variant: str, key: object, options: tuple[str, ...]) -> str:
        """A deterministic pick among ``options`` for an item that gets ``variant``."""
        digest = hashlib.blake2b(f"{self.seed}/{variant}/{key}/choice".encode(), digest_size=8)
        return options[int.from_bytes(digest.digest(), "big") % len(options)]

    def add_unknown_key(self, item: dict[str, object], key: object) -> None:
        """Add :data:`UNKNOWN_KEY` to ``item`` if it is picked for it."""
        if self.picks("item.unknown_key", key):
            item[UNKNOWN_KEY] = dict(UNKNOWN_VALUE)

    def async_result(self, key: object, *, async_mode: str, success_documented: bool) -> str:
        """The ``result`` of a 202 answer about the item ``key``.

        ``success_documented``: the catalogue's example for this route says
        ``"success"`` (user deletion and re-invitation).
        """
        if success_documented and self.picks("reply.success_202", key):
            return "success"
        # "delayed" always carries a task UUID (§3.3): only in task mode.
        if async_mode == "task" and self.picks("reply.delayed", key):
            return "delayed"
        return "asynchronous"
