"""Database Service (DBaaS) routes (CATALOG §5.7-§5.13): services, backups,
backup schedules, restores, configuration, IP filters and reference data.

The area keeps its own state (:class:`DbaasState`, one per emulator ``State``,
created on first use) and moves on the emulator's lazy clock:

- a service goes ``initializing`` -> ``ready`` after ``dbaas_duration`` (or
  ``error`` after :meth:`DbaasState.fail_next_dbaas`); a pack change goes
  through ``initializing`` again; a deletion is ``stopping`` then gone;
- a backup goes ``Starting`` -> ``Running`` (half-way) -> ``Succeeded`` (or
  ``Failed``) over ``backup_duration``;
- a restore goes the same way over ``restore_duration``; a restore into a new
  service creates that service at once (``initializing``), which becomes
  ``ready`` ``dbaas_duration`` after the restore succeeded (``error`` at once
  when it fails).

Where the sources disagree the emulator follows the catalogue: reset_password
answers GET and POST (``reset_password_methods`` narrows it, to test the
SDK's fallback), DELETE takes ``keep_backup_files`` in the body or the query,
a restore takes ``backup_id`` in the body or the query (TF-OLD), an unknown
backup schedule is a 400 ``backup_schedule_does_not_exist`` (spec), and the
legacy routes only older material shows (GET password, list and delete
restores, POST backups) are served too.
"""

from __future__ import annotations

import ipaddress
import random
import re
import string
import weakref
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from . import _mysql
from ._certs import CA_PEM
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
    integral,
    not_found,
    numeric_error,
    paginate,
    php_number,
    query_int,
    search,
    sort_items,
    status_error,
    success,
    validation_failed,
)
from ._routes_cloud import get_cloud
from ._routes_projects import get_project
from ._state import MAIN_CLOUD_ID, SEED_EPOCH, TAGS, State

SERVICE_STATUSES = ("error", "initializing", "paused", "ready", "stopping", "unknown")
JOB_STATUSES = ("Error", "Failed", "Running", "Starting", "Succeeded", "Unknown")
REGIONS = ("dc4-a",)
TYPE_NAMES = ("mysql",)
VERSIONS = ("8.0.42",)
TYPES = ({"name": "mysql", "versions": list(VERSIONS)},)
CURRENCIES = ("CHF", "EUR")
NAME_MAX = 40
FIRST_SERVICE_ID = 7341
FIRST_SCHEDULE_ID = 12
SERVICE_SORT = {
    "name": by_key("name"),
    "status": by_key("status"),
    "region": by_key("region"),
    # The spec's order_by enum names the pack as "configuration".
    "configuration.name": lambda item: item["_pack"]["name"],
    "configuration.storage": lambda item: item["_pack"]["storage"],
}
BACKUP_SORT = {name: by_key(name) for name in ("created_at", "completed_at", "status", "id")}
SERVICE_RELATIONS = ("packs", "projects", "tags", "connection", "backups", "backup_schedules")
_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
# The test CA shipped with the emulator (_certs.py): drivers load it as a real one.
# (Its PEM text has no braces, so _CA.format(...) below returns it unchanged.)
_CA = CA_PEM


def _pack(
    pack_id: int, group: str, name: str, instances: int, cpu: int, ram: int, storage: int
) -> Item:
    hour = round(0.012 * cpu + 0.006 * ram + 0.0004 * storage, 4) * instances
    return {
        "id": pack_id,
        "type": "mysql",
        "group": group,
        "name": name,
        "instances": instances,
        "cpu": cpu,
        "ram": ram,
        "storage": storage,
        # TF decodes {CHF: {...}, EUR: {...}}; the spec's array is relaxed.
        "rates": {
            "CHF": {"hour_excl_tax": round(hour, 4), "hour_incl_tax": round(hour * 1.081, 4)},
            "EUR": {"hour_excl_tax": round(hour * 1.04, 4), "hour_incl_tax": round(hour * 1.12, 4)},
        },
    }


PACKS: tuple[Item, ...] = (
    _pack(1, "essential", "essential-db-4", 1, 1, 4, 20),
    _pack(2, "essential", "essential-db-8", 1, 2, 8, 40),
    _pack(3, "business", "business-db-16", 3, 4, 16, 80),
    _pack(4, "business", "business-db-32", 3, 8, 32, 160),
    _pack(5, "enterprise", "enterprise-db-64", 3, 16, 64, 320),
)
PACK_FILTERS = (
    "available",
    "cpu",
    "currency",
    "groups",
    "instances",
    "maximum_cpu",
    "maximum_instances",
    "maximum_ram",
    "maximum_rate",
    "maximum_storage",
    "minimum_rate",
    "names",
    "ram",
    "rate",
    "search",
    "storage",
    "type",
)

# (type, minimum, maximum) or ("enum", values) per MySQL variable of PUT
# /configurations (CATALOG §5.11, from the spec's request body).
_BIG = 9223372036854775807
CONFIG_VARIABLES: dict[str, tuple[Any, ...]] = {
    "auto_increment_increment": ("int", 1, 65535),
    "auto_increment_offset": ("int", 1, 65535),
    "character_set_server": ("str", r"^[0-9a-z_]+$"),
    "connect_timeout": ("int", 2, 31536000),
    "group_concat_max_len": ("int", 4, _BIG),
    "information_schema_stats_expiry": ("int", 0, 31536000),
    "innodb_change_buffer_max_size": ("int", 0, 50),
    "innodb_flush_neighbors": ("enum", ("0", "1", "2")),
    "innodb_ft_max_token_size": ("int", 10, 84),
    "innodb_ft_min_token_size": ("int", 0, 16),
    "innodb_ft_server_stopword_table": ("str", r"^[0-9A-Za-z_\/]+$"),
    "innodb_lock_wait_timeout": ("int", 1, 1073741824),
    "innodb_log_buffer_size": ("int", 1048576, 4294967295),
    "innodb_online_alter_log_max_size": ("int", 65536, _BIG),
    "innodb_print_all_deadlocks": ("enum", ("OFF", "ON")),
    "innodb_read_io_threads": ("int", 1, 64),
    "innodb_rollback_on_timeout": ("enum", ("OFF", "ON")),
    "innodb_stats_persistent_sample_pages": ("int", 1, _BIG),
    "innodb_thread_concurrency": ("int", 0, 1000),
    "innodb_write_io_threads": ("int", 1, 64),
    "interactive_timeout": ("int", 1, 31536000),
    "lock_wait_timeout": ("int", 1, 31536000),
    "log_bin_trust_function_creators": ("enum", ("OFF", "ON")),
    "long_query_time": ("number",),
    "max_allowed_packet": ("int", 1024, 1073741824),
    "max_connections": ("int", 1, 5000),
    "max_digest_length": ("int", 0, 1048576),
    "max_heap_table_size": ("int", 16384, _BIG),
    "max_prepared_stmt_count": ("int", 0, 4194304),
    "min_examined_row_limit": ("int", 0, _BIG),
    "net_buffer_length": ("int", 1024, 1048576),
    "net_read_timeout": ("int", 1, 31536000),
    "net_write_timeout": ("int", 1, 31536000),
    "performance_schema_max_digest_length": ("int", 0, 1048576),
    "require_secure_transport": ("enum", ("OFF", "ON")),
    "sort_buffer_size": ("int", 32768, _BIG),
    "sql_mode": (
        "set",
        (
            "ALLOW_INVALID_DATES",
            "ANSI_QUOTES",
            "ERROR_FOR_DIVISION_BY_ZERO",
            "HIGH_NOT_PRECEDENCE",
            "IGNORE_SPACE",
            "NO_AUTO_VALUE_ON_ZERO",
            "NO_BACKSLASH_ESCAPES",
            "NO_DIR_IN_CREATE",
            "NO_ENGINE_SUBSTITUTION",
            "NO_UNSIGNED_SUBTRACTION",
            "NO_ZERO_DATE",
            "NO_ZERO_IN_DATE",
            "ONLY_FULL_GROUP_BY",
            "PAD_CHAR_TO_FULL_LENGTH",
            "PIPES_AS_CONCAT",
            "REAL_AS_FLOAT",
            "STRICT_ALL_TABLES",
            "STRICT_TRANS_TABLES",
            "TIME_TRUNCATE_FRACTIONAL",
        ),
    ),
    "table_definition_cache": ("int", 400, 524288),
    "table_open_cache": ("int", 1, 524288),
    "table_open_cache_instances": ("int", 1, 64),
    "thread_stack": ("int", 131072, _BIG),
    "transaction_isolation": (
        "enum",
        ("READ-COMMITTED", "READ-UNCOMMITTED", "REPEATABLE-READ", "SERIALIZABLE"),
    ),
    "wait_timeout": ("int", 1, 31536000),
}


# ---------------------------------------------------------------------------- state


class DbaasState:
    """Database services, their backups, schedules, restores, configuration and
    IP filters, and the knobs of the area (durations, fault hooks, the methods
    reset_password accepts). Guarded by the emulator's state lock."""

    def __init__(self, state: State) -> None:
        self.state = state
        # The timing profile's values (see _realism.DURATIONS), settable afterwards.
        self.dbaas_duration = state.durations.get("dbaas", 0.05)
        self.backup_duration = state.durations.get("backup", 0.05)
        self.restore_duration = state.durations.get("restore", 0.05)
        self.reset_password_methods: tuple[str, ...] = ("GET", "POST")
        self.services: dict[int, Item] = {}
        self.fail_dbaas = 0
        self.fail_backup = 0
        self.fail_restore = 0
        self._next_service_id = FIRST_SERVICE_ID
        self._next_schedule_id = FIRST_SCHEDULE_ID
        self._rng = random.Random(f"dbaas-{state.account_id}")
        self._seed()

    # ------------------------------------------------------------------ factories

    def password(self) -> str:
        alphabet = string.ascii_letters + string.digits
        core = "".join(self._rng.choice(alphabet) for _ in range(20))
        return f"{core[:10]}-{core[10:]}9A"

    def new_service(
        self,
        *,
        cloud_id: int,
        project_id: int,
        name: str,
        pack_id: int,
        region: str,
        version: str,
        created: int,
    ) -> Item:
        service_id = self._next_service_id
        self._next_service_id += 1
        kube = f"pcdb-{service_id + 5004:05d}"
        service: Item = {
            "id": service_id,
            "name": name,
            "kube_identifier": kube,
            "region": region,
            "status": "initializing",
            "type": "mysql",
            "version": version,
            "last_backup_at": None,
            "_cloud_id": cloud_id,
            "_project_id": project_id,
            "_pack": next(p for p in PACKS if p["id"] == pack_id),
            "_tags": [],
            "_password": self.password(),
            "_created_at": created,
            "_backups": {},
            "_schedules": {},
            "_restores": {},
            "_configuration": {},
            "_ip_filters": [],
        }
        self.services[service_id] = service
        return service

    def add_schedule(
        self, service: Item, *, scheduled_at: str, retention: int, is_pitr_enabled: bool
    ) -> Item:
        schedule_id = self._next_schedule_id
        self._next_schedule_id += 1
        schedule = {
            "id": schedule_id,
            # TF docs: "The backup schedule generated name".
            "name": f"daily-{scheduled_at.replace(':', '')}",
            "scheduled_at": scheduled_at,
            "retention": retention,
            "is_pitr_enabled": is_pitr_enabled,
        }
        service["_schedules"][schedule_id] = schedule
        return schedule

    def backup_id(self, service: Item, at: int) -> str:
        stamp = datetime.fromtimestamp(at).strftime("%Y%m%d-%H%M%S")
        base = f"{stamp}-{service['kube_identifier']}"
        candidate, number = base, 1
        while candidate in service["_backups"]:
            number += 1
            candidate = f"{base}-{number}"
        return candidate

    def restore_id(self) -> str:
        return "rst-" + "".join(self._rng.choice("0123456789abcdef") for _ in range(6))

    def make_backup(self, service: Item, at: int, status: str) -> Item:
        backup_id = self.backup_id(service, at)
        backup = {
            "id": backup_id,
            "location": f"{service['kube_identifier']}/{backup_id[:15]}",
            "endpoint": "https://s3.pub1.infomaniak.cloud",
            "created_at": at,
            "completed_at": None,
            "status": status,
        }
        service["_backups"][backup_id] = backup
        return backup

    # ------------------------------------------------------------------ lifecycle

    def provision(self, service: Item, due: float, *, fail: bool) -> None:
        # Backed by a real server: not ready before its database and account exist.
        mysql = _mysql.backend(self.state)
        created = mysql.account(service).ready if mysql is not None and not fail else None

        def done(at: float, ok: bool) -> None:
            if service["status"] == "initializing":
                service["status"] = "error" if fail or not ok else "ready"

        self.state.schedule(due, _mysql.once_done(self.state, created, done))

    # ------------------------------------------------------------------ seeding

    def _seed(self) -> None:
        state = self.state
        main = sorted(
            p["public_cloud_project_id"]
            for p in state.projects.values()
            if p["public_cloud_id"] == MAIN_CLOUD_ID
        )
        others = sorted(
            (p["public_cloud_project_id"], p["public_cloud_id"])
            for p in state.projects.values()
            if p["public_cloud_id"] != MAIN_CLOUD_ID
        )
        plan: list[tuple[int, int, str, int, str]] = []
        if main:
            plan.append((MAIN_CLOUD_ID, main[0], "My Database Service", 1, "ready"))
            plan.append((MAIN_CLOUD_ID, main[0], "analytics-replica", 3, "paused"))
        if len(main) > 1:
            plan.append((MAIN_CLOUD_ID, main[1], "orders-legacy", 2, "ready"))
        if others:
            plan.append((others[0][1], others[0][0], "crm", 1, "ready"))
        for index, (cloud_id, project_id, name, pack_id, status) in enumerate(plan):
            created = SEED_EPOCH + 200_000 + index * 86_400
            service = self.new_service(
                cloud_id=cloud_id,
                project_id=project_id,
                name=name,
                pack_id=pack_id,
                region="dc4-a",
                version="8.0.42",
                created=created,
            )
            service["status"] = status
            service["_tags"] = [dict(TAGS[index % len(TAGS)])] if index % 2 == 0 else []
            self.add_schedule(service, scheduled_at="12:00", retention=7, is_pitr_enabled=True)
            for day in range(2):
                at = created + 86_400 * (day + 1) + 43_200
                backup = self.make_backup(service, at, "Succeeded")
                backup["completed_at"] = at + 70
                service["last_backup_at"] = at + 70
            if index == 0:
                service["_configuration"] = {"max_connections": "200", "wait_timeout": "28800"}
                service["_ip_filters"] = ["192.0.2.0/24"]


_STATES: weakref.WeakKeyDictionary[State, DbaasState] = weakref.WeakKeyDictionary()


def dbaas_state(state: State) -> DbaasState:
    """The DBaaS part of an emulator's state, created (and seeded) on first use."""
    with state.lock:
        found = _STATES.get(state)
        if found is None:
            found = _STATES[state] = DbaasState(state)
        return found


# ---------------------------------------------------------------------------- rendering


def _connection(state: State, service: Item) -> Item:
    mysql = _mysql.backend(state)
    if mysql is not None:
        return mysql.connection(state, service)
    host = f"{service['kube_identifier']}.{service['region']}.example.infomaniak.cloud"
    password = service["_password"]
    return {
        "host": host,
        "port": "3306",
        "user": "root",
        "password": password,
        "uri": f"mysql://root:{password}@{host}:3306",
        "command": f"mysql -h {host} -P 3306 -u root -p",
        "ca": _CA.format(kube=service["kube_identifier"]),
    }


def _project_relation(ctx: Ctx, service: Item) -> Item:
    project = ctx.state.projects.get(service["_project_id"], {})
    return {
        "id": service["_project_id"],
        "public_cloud_id": service["_cloud_id"],
        "name": project.get("name", ""),
        "open_stack_name": project.get("open_stack_name", ""),
    }


def render_service(ctx: Ctx, service: Item) -> Item:
    """The API shape: public fields, plus the relations asked with ``with``."""
    out = {key: value for key, value in service.items() if not key.startswith("_")}
    wanted = ctx.with_relations()
    if "packs" in wanted:
        out["pack"] = service["_pack"]
    if "projects" in wanted:
        out["project"] = _project_relation(ctx, service)
    if "tags" in wanted:
        out["tags"] = service["_tags"]
    if "connection" in wanted:
        # TF: [] (a PHP empty array) while the connection is not available yet.
        out["connection"] = _connection(ctx.state, service) if service["status"] == "ready" else []
    if "backups" in wanted:
        out["backups"] = list(service["_backups"].values())
    if "backup_schedules" in wanted:
        out["backup_schedules"] = list(service["_schedules"].values())
    _vary_service(ctx, service, out)
    return out


# Bytes per stored backup, for ``total_backup_size``.
_BACKUP_SIZE = 52_428_800


def _vary_service(ctx: Ctx, service: Item, out: Item) -> None:
    """The realistic profile's variants (see _realism): on some services, the
    XLL-only ``total_backup_size``, the optional ``configuration`` inline (numbers
    as strings, ``[]`` when empty, CATALOG §4 DatabaseService / §6), and a key no
    model knows."""
    realism, service_id = ctx.state.realism, service["id"]
    if realism.picks("dbaas.total_backup_size", service_id):
        out["total_backup_size"] = _BACKUP_SIZE * len(service["_backups"])
    if realism.picks("dbaas.inline_configuration", service_id):
        values = service["_configuration"]
        out["configuration"] = dict(values) if values else []
    realism.add_unknown_key(out, ("dbaas", service_id))


# ---------------------------------------------------------------------------- lookups


def get_service(ctx: Ctx) -> Item:
    project = get_project(ctx)
    service = dbaas_state(ctx.state).services.get(ctx.int_param("dbaas_id"))
    if service is None or service["_project_id"] != project["public_cloud_project_id"]:
        raise not_found()
    return service


def _get_backup(ctx: Ctx, service: Item) -> Item:
    backup: Item | None = service["_backups"].get(ctx.params["backup_id"])
    if backup is None:
        raise not_found()
    return backup


def _get_schedule(ctx: Ctx, service: Item) -> Item:
    raw = ctx.params["backup_schedule_id"]
    schedule: Item | None = service["_schedules"].get(int(raw)) if raw.isdigit() else None
    if schedule is None:
        # Spec: an unknown schedule is a 400 with this code, not a 404.
        raise ApiError(400, "backup_schedule_does_not_exist", "Backup schedule does not exist")
    return schedule


def _account(ctx: Ctx) -> None:
    account_id = query_int(ctx, "account_id", required=True)
    if account_id != ctx.state.account_id:
        raise not_found()


# ---------------------------------------------------------------------------- bodies


def _bool(body: Body, name: str, *, attribute: str | None = None) -> bool | None:
    value = body.data.get(name)
    if value is None:
        label = attribute or name
        body.sent_null(
            name, "validation_rule_boolean", f"The {label} field must be true or false.", label
        )
        return None
    if not isinstance(value, bool):
        label = attribute or name
        body.errors.append(
            field_error(
                label, "validation_rule_boolean", f"The {label} field must be true or false."
            )
        )
        return None
    return value


def _int(
    body: Body,
    name: str,
    *,
    attribute: str | None = None,
    minimum: int | None = None,
    maximum: int | None = None,
    required: bool = False,
) -> int | None:
    value = body.data.get(name)
    label = attribute or name
    if value is None:
        if required:
            body.errors.append(
                field_error(label, "validation_rule_required", f"The {label} field is required.")
            )
        else:
            body.sent_null(
                name, "validation_rule_integer", f"The {label} must be an integer.", label
            )
        return None
    if isinstance(value, str) and value.isascii() and value.isdigit():
        value = int(value)  # pack_id: string in SPEC-DEC, integer in SPEC-NOV and TF
    value = integral(value)
    if value is None:
        body.errors.append(
            field_error(label, "validation_rule_integer", f"The {label} must be an integer.")
        )
        return None
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        body.errors.append(
            field_error(
                label,
                "validation_rule_between",
                f"The {label} must be between {minimum} and {maximum}.",
                min=minimum,
                max=maximum,
            )
        )
        return None
    return value


def _choice(
    body: Body, name: str, choices: Iterable[str], *, attribute: str | None = None
) -> str | None:
    allowed = list(choices)
    value = body.string(name, required=attribute is None)
    if value is not None and value not in allowed:
        label = attribute or name
        body.errors.append(
            field_error(
                label, "validation_rule_in", f"The selected {label} is invalid.", values=allowed
            )
        )
        return None
    return value


def _pack_id(body: Body, *, attribute: str = "pack_id", required: bool) -> int | None:
    pack_id = _int(body, "pack_id", attribute=attribute, required=required)
    if pack_id is not None and all(p["id"] != pack_id for p in PACKS):
        body.errors.append(
            field_error(
                attribute, "validation_rule_exists", f"The selected {attribute} is invalid."
            )
        )
        return None
    return pack_id


def _scheduled_at(body: Body, *, attribute: str | None = None, required: bool) -> str | None:
    label = attribute or "scheduled_at"
    value = body.data.get("scheduled_at")
    if value is None:
        if required:
            body.errors.append(
                field_error(label, "validation_rule_required", f"The {label} field is required.")
            )
        return None
    if not isinstance(value, str) or not _HHMM.match(value):
        body.errors.append(
            field_error(
                label, "validation_rule_date_format", f"The {label} does not match the format H:i."
            )
        )
        return None
    return value


def _schedule_body(data: Any, prefix: str, body: Body) -> Item | None:
    """The optional ``backup_schedule`` object of a creation (or a restore's new service)."""
    if data is None:
        if prefix == "backup_schedule":  # sent as null at the top level: not "absent"
            body.sent_null(prefix, "validation_rule_array", f"The {prefix} must be an object.")
        return None
    if not isinstance(data, dict):
        body.errors.append(
            field_error(prefix, "validation_rule_array", f"The {prefix} must be an object.")
        )
        return None
    nested = Body(data)
    add_default = _bool(nested, "add_default_schedule", attribute=f"{prefix}.add_default_schedule")
    pitr = _bool(nested, "is_pitr_enabled", attribute=f"{prefix}.is_pitr_enabled")
    retention = _int(nested, "retention", attribute=f"{prefix}.retention", minimum=1, maximum=60)
    scheduled_at = _scheduled_at(nested, attribute=f"{prefix}.scheduled_at", required=False)
    body.errors.extend(nested.errors)
    return {
        "add_default_schedule": add_default,
        "is_pitr_enabled": pitr,
        "retention": retention,
        "scheduled_at": scheduled_at,
    }


def _apply_schedule(dbaas: DbaasState, service: Item, wanted: Item | None) -> None:
    if wanted is None:
        return
    if wanted["scheduled_at"] is not None:
        dbaas.add_schedule(
            service,
            scheduled_at=wanted["scheduled_at"],
            retention=wanted["retention"] or 7,
            is_pitr_enabled=bool(wanted["is_pitr_enabled"]),
        )
    elif wanted["add_default_schedule"]:
        # "random hh:mm once a day, keeps 7 days of backups".
        at = f"{dbaas._rng.randrange(24):02d}:{dbaas._rng.randrange(60):02d}"
        dbaas.add_schedule(
            service, scheduled_at=at, retention=7, is_pitr_enabled=bool(wanted["is_pitr_enabled"])
        )


def _config_errors(values: Mapping[str, Any]) -> list[Item]:
    errors: list[Item] = []
    for name, value in values.items():
        rule = CONFIG_VARIABLES.get(name)
        if rule is None:
            # The emulator rejects names the spec's body does not list, so a typo
            # fails loudly instead of being silently dropped.
            errors.append(
                field_error(name, "validation_rule_not_allowed", f"The {name} is not a variable.")
            )
            continue
        kind = rule[0]
        ok = True
        if kind == "int":
            number = integral(value)
            ok = number is not None and rule[1] <= number <= rule[2]
        elif kind == "number":
            ok = isinstance(value, int | float) and not isinstance(value, bool)
        elif kind == "str":
            ok = isinstance(value, str) and 3 <= len(value) <= 256
            ok = ok and re.match(rule[1], value) is not None
        elif kind == "enum":
            ok = value in rule[1]
        elif kind == "set":
            # The spec's array of modes; MySQL's own comma-separated string too.
            modes = value.split(",") if isinstance(value, str) else value
            ok = isinstance(modes, list) and all(item in rule[1] for item in modes)
        if not ok:
            errors.append(field_error(name, "validation_rule_invalid", f"The {name} is invalid."))
    return errors


def _stored_config(values: Mapping[str, Any]) -> Item:
    # TF compares after turning ints into strings: the API answers numbers as
    # strings (CATALOG §5.11 example); lists and strings come back as they went.
    return {
        name: str(integral(value) if CONFIG_VARIABLES[name][0] == "int" else value)
        if isinstance(value, int | float) and not isinstance(value, bool)
        else value
        for name, value in values.items()
    }


def _pack_matches(pack: Item, filters: Mapping[str, Any], currency: str) -> bool:
    def number(name: str) -> float | None:
        raw = filters.get(name)
        if raw is None or raw == "":
            return None
        value = php_number(raw)
        if value is None:
            raise numeric_error(f"filter.{name}")
        return value

    def listed(name: str) -> list[str]:
        raw = filters.get(name)
        if raw is None:
            return []
        return raw if isinstance(raw, list) else str(raw).split(",")

    kind = filters.get("type")
    if kind and pack["type"] != kind:
        return False
    if listed("names") and pack["name"] not in listed("names"):
        return False
    if listed("groups") and pack["group"] not in listed("groups"):
        return False
    term = filters.get("search")
    if term and str(term).casefold() not in f"{pack['name']} {pack['group']}".casefold():
        return False
    for name in ("instances", "cpu", "ram", "storage"):
        exact = number(name)
        if exact is not None and pack[name] != exact:
            return False
        most = number(f"maximum_{name}")
        if most is not None and pack[name] > most:
            return False
    rates = pack["rates"][currency]
    rate = number("rate")
    if rate is not None and rates["hour_excl_tax"] < rate:
        return False
    taxes = (("excluding_tax", "hour_excl_tax"), ("including_tax", "hour_incl_tax"))
    for bound, sign in (("minimum_rate", 1), ("maximum_rate", -1)):
        limits = filters.get(bound)
        if isinstance(limits, dict):
            for tax, key in taxes:
                raw = limits.get(tax)
                if raw in (None, ""):
                    continue
                value = php_number(raw)
                if value is None:
                    raise numeric_error(f"filter.{bound}.{tax}")
                if sign * (rates[key] - value) < 0:
                    return False
    return True


def _currency(ctx: Ctx) -> str:
    currency = ctx.deep("filter").get("currency") or "CHF"
    if currency not in CURRENCIES:
        raise validation_failed(
            [
                field_error(
                    "filter.currency",
                    "validation_rule_in",
                    "The selected filter.currency is invalid.",
                    values=list(CURRENCIES),
                )
            ]
        )
    return str(currency)


def _select_services(ctx: Ctx, services: Iterable[Item]) -> list[Item]:
    filters = ctx.deep("filter")
    _currency(ctx)
    items = search(services, filters.get("search"), ("name", "kube_identifier"))
    items = filter_in(
        items,
        filters.get("statuses"),
        field="status",
        attribute="statuses",
        allowed=SERVICE_STATUSES,
    )
    items = filter_in(
        items, filters.get("regions"), field="region", attribute="regions", allowed=REGIONS
    )
    items = filter_in(
        items, filters.get("types"), field="type", attribute="types", allowed=("mysql",)
    )
    tags = filters.get("tags")
    if tags:
        wanted = {str(t) for t in (tags if isinstance(tags, list) else [tags])}
        items = [s for s in items if wanted & {str(t["id"]) for t in s["_tags"]}]
    return sort_items(ctx, items, SERVICE_SORT)


# ---------------------------------------------------------------------------- routes

_SERVICE = "/1/public_clouds/{public_cloud_id}/projects/{public_cloud_project_id}/dbaas/{dbaas_id}"


def register(router: Router) -> None:
    # -------------------------------------------------------------- reference data

    @router.add("GET", "/1/public_clouds/dbaas/regions")
    def regions(ctx: Ctx) -> JsonReply:
        return success(list(REGIONS))

    @router.add("GET", "/1/public_clouds/dbaas/types")
    def types(ctx: Ctx) -> JsonReply:
        return success([dict(t) for t in TYPES])

    @router.add("GET", "/1/public_clouds/dbaas/packs")
    def packs(ctx: Ctx) -> JsonReply:
        filters = dict(ctx.deep("filter"))
        kind = ctx.query_get("type")
        if kind is not None:
            filters["type"] = kind
        if filters.get("type") not in (None, "", "mysql"):
            raise validation_failed(
                [field_error("type", "validation_rule_in", "The selected type is invalid.")]
            )
        currency = _currency(ctx)
        return success([p for p in PACKS if _pack_matches(p, filters, currency)])

    @router.add("GET", "/1/public_clouds/dbaas/packs/filters")
    def pack_filters(ctx: Ctx) -> JsonReply:
        _currency(ctx)
        return success(list(PACK_FILTERS))

    @router.add("GET", "/1/public_clouds/dbaas/configurations")
    def configuration_options(ctx: Ctx) -> JsonReply:
        currency = _currency(ctx)
        # Shape undocumented (spec: array<string>); the catalogue's placeholder:
        # the settable variables with their constraints, and object-storage rates.
        parameters: Item = {}
        for name, rule in CONFIG_VARIABLES.items():
            if rule[0] == "int":
                parameters[name] = {"type": "integer", "minimum": rule[1], "maximum": rule[2]}
            elif rule[0] == "number":
                parameters[name] = {"type": "number"}
            elif rule[0] == "str":
                parameters[name] = {"type": "string", "pattern": rule[1]}
            elif rule[0] == "enum":
                parameters[name] = {"type": "string", "enum": list(rule[1])}
            else:
                parameters[name] = {"type": "array", "items": list(rule[1])}
        return success(
            {
                "parameters": parameters,
                "object_storage_rates": {currency: {"hour_excl_tax": 0.0, "hour_incl_tax": 0.0}},
            }
        )

    # -------------------------------------------------------------- services

    @router.add("GET", "/1/public_clouds/dbaas")
    def list_account(ctx: Ctx) -> JsonReply:
        _account(ctx)
        services = list(dbaas_state(ctx.state).services.values())
        cloud_id = query_int(ctx, "public_cloud_id")
        if cloud_id is not None:
            services = [s for s in services if s["_cloud_id"] == cloud_id]
        items = _select_services(ctx, services)
        return paginate(ctx, [render_service(ctx, s) for s in items])

    @router.add(
        "GET", "/1/public_clouds/{public_cloud_id}/projects/{public_cloud_project_id}/dbaas"
    )
    def list_project(ctx: Ctx) -> JsonReply:
        project_id = get_project(ctx)["public_cloud_project_id"]
        services = [
            s for s in dbaas_state(ctx.state).services.values() if s["_project_id"] == project_id
        ]
        items = _select_services(ctx, services)
        return paginate(ctx, [render_service(ctx, s) for s in items])

    @router.add(
        "POST", "/1/public_clouds/{public_cloud_id}/projects/{public_cloud_project_id}/dbaas"
    )
    def create(ctx: Ctx) -> JsonReply:
        state = ctx.state
        dbaas = dbaas_state(state)
        project = get_project(ctx)
        body = Body(ctx.json_body())
        name = body.string("name", required=True, max_length=NAME_MAX)
        pack_id = _pack_id(body, required=True)
        region = _choice(body, "region", REGIONS)
        _choice(body, "type", TYPE_NAMES)
        version = _choice(body, "version", VERSIONS)
        schedule = _schedule_body(body.data.get("backup_schedule"), "backup_schedule", body)
        body.check()
        assert name is not None and pack_id is not None and region and version
        service = dbaas.new_service(
            cloud_id=get_cloud(ctx)["id"],
            project_id=project["public_cloud_project_id"],
            name=name,
            pack_id=pack_id,
            region=region,
            version=version,
            created=state.wall(),
        )
        _apply_schedule(dbaas, service, schedule)
        fail = dbaas.fail_dbaas > 0
        dbaas.fail_dbaas -= fail
        dbaas.provision(service, state.now() + dbaas.dbaas_duration, fail=fail)
        creation = {
            "id": service["id"],
            "admin_password": service["_password"],
            "kube_identifier": service["kube_identifier"],
        }
        return success(creation, status=201)

    @router.add("GET", _SERVICE)
    def get_one(ctx: Ctx) -> JsonReply:
        _currency(ctx)
        return success(render_service(ctx, get_service(ctx)))

    @router.add("PATCH", _SERVICE)
    def update(ctx: Ctx) -> JsonReply:
        state = ctx.state
        dbaas = dbaas_state(state)
        service = get_service(ctx)
        body = Body(ctx.json_body())
        name = body.string("name", max_length=NAME_MAX)
        pack_id = _pack_id(body, required=False)
        if name is None and pack_id is None and not body.errors:
            body.errors.append(
                field_error("name", "validation_rule_required_without", "Give name or pack_id.")
            )
        body.check()
        if name is not None:
            service["name"] = name
        if pack_id is not None and pack_id != service["_pack"]["id"]:
            # A resize re-provisions the service (TF polls until ready again).
            service["_pack"] = next(p for p in PACKS if p["id"] == pack_id)
            service["status"] = "initializing"
            dbaas.provision(service, state.now() + dbaas.dbaas_duration, fail=False)
        return success(True)

    @router.add("DELETE", _SERVICE)
    def delete(ctx: Ctx) -> JsonReply:
        state = ctx.state
        dbaas = dbaas_state(state)
        service = get_service(ctx)
        body = Body(ctx.json_body())
        # Body per SPEC-DEC, query per XLL: both are read.
        keep = _bool(body, "keep_backup_files")
        body.check()
        if keep is None and ctx.query_get("keep_backup_files") is not None:
            keep = ctx.query_get("keep_backup_files") in ("1", "true", "True")
        service["_kept_backup_files"] = bool(keep)
        service["status"] = "stopping"
        service_id = service["id"]
        mysql = _mysql.backend(state)
        if mysql is not None:
            # Dropped at once: the answer comes once the server has done it.
            _mysql.hold(state, mysql.delete(service))

        def remove(at: float) -> None:
            dbaas.services.pop(service_id, None)

        state.schedule(state.now() + dbaas.dbaas_duration, remove)
        return success(True)

    def reset_password(ctx: Ctx) -> JsonReply:
        dbaas = dbaas_state(ctx.state)
        if ctx.method not in dbaas.reset_password_methods:
            # What a server that only routes the other method answers.
            return status_error(405, "Method not allowed")
        service = get_service(ctx)
        if service["status"] != "ready":
            raise ApiError(
                400,
                "cannot_retrieve_connection_information",
                "Cannot retrieve connection information",
            )
        service["_password"] = dbaas.password()
        mysql = _mysql.backend(ctx.state)
        if mysql is not None:
            # The answer comes once the server has the new password.
            _mysql.hold(ctx.state, mysql.reset_password(service))
        return success(_connection(ctx.state, service))

    # SPEC-DEC says GET, XLL and MCP use POST: both are served.
    router.add("GET", f"{_SERVICE}/reset_password")(reset_password)
    router.add("POST", f"{_SERVICE}/reset_password")(reset_password)

    @router.add("GET", f"{_SERVICE}/password")
    def legacy_password(ctx: Ctx) -> JsonReply:
        # LEGACY (SPEC-NOV, TF-OLD): connection information without resetting it.
        connection = _connection(ctx.state, get_service(ctx))
        connection.pop("ca")
        return success(connection)

    @router.add("POST", f"{_SERVICE}/toggle_slow_logs")
    def toggle_slow_logs(ctx: Ctx) -> JsonReply:
        # Only MCP shows this route; body and answer undocumented: a boolean.
        service = get_service(ctx)
        service["_slow_logs"] = not service.get("_slow_logs", False)
        return success(True)

    # -------------------------------------------------------------- backups

    @router.add("GET", f"{_SERVICE}/backups")
    def list_backups(ctx: Ctx) -> JsonReply:
        service = get_service(ctx)
        filters = ctx.deep("filter")
        items = search(service["_backups"].values(), filters.get("search"), ("id", "location"))
        items = filter_in(
            items,
            filters.get("statuses"),
            field="status",
            attribute="statuses",
            allowed=JOB_STATUSES,
        )
        return success(sort_items(ctx, items, BACKUP_SORT))

    @router.add("POST", f"{_SERVICE}/backups")
    def create_backup(ctx: Ctx) -> JsonReply:
        # In SPEC-NOV and TF-OLD (POST without a body, 201 with the backup).
        state = ctx.state
        dbaas = dbaas_state(state)
        service = get_service(ctx)
        if service["status"] != "ready":
            raise ApiError(400, "cannot_create_backup", "Cannot create backup")
        now = state.now()
        backup = dbaas.make_backup(service, state.wall(now), "Starting")
        fail = dbaas.fail_backup > 0
        dbaas.fail_backup -= fail
        mysql = _mysql.backend(state)
        snapshot = None
        if mysql is not None and not fail:
            # The data as it is now: the answer comes once it is copied.
            snapshot = mysql.backup(service, backup["id"])
            _mysql.hold(state, snapshot)

        def run(at: float) -> None:
            if backup["status"] == "Starting":
                backup["status"] = "Running"

        def finish(at: float, ok: bool) -> None:
            backup["status"] = "Failed" if fail or not ok else "Succeeded"
            backup["completed_at"] = state.wall(at)
            if backup["status"] == "Succeeded":
                service["last_backup_at"] = backup["completed_at"]

        state.schedule(now + dbaas.backup_duration / 2, run)
        state.schedule(now + dbaas.backup_duration, _mysql.once_done(state, snapshot, finish))
        return success(dict(backup), status=201)

    @router.add("GET", f"{_SERVICE}/backups/{{backup_id}}")
    def get_backup(ctx: Ctx) -> JsonReply:
        return success(_get_backup(ctx, get_service(ctx)))

    @router.add("DELETE", f"{_SERVICE}/backups/{{backup_id}}")
    def delete_backup(ctx: Ctx) -> JsonReply:
        service = get_service(ctx)
        backup = _get_backup(ctx, service)
        del service["_backups"][backup["id"]]
        mysql = _mysql.backend(ctx.state)
        if mysql is not None:
            _mysql.hold(ctx.state, mysql.delete_backup(service, backup["id"]))
        return success(True)

    # -------------------------------------------------------------- schedules

    @router.add("GET", f"{_SERVICE}/backup_schedules")
    def list_schedules(ctx: Ctx) -> JsonReply:
        return success(list(get_service(ctx)["_schedules"].values()))

    @router.add("POST", f"{_SERVICE}/backup_schedules")
    def create_schedule(ctx: Ctx) -> JsonReply:
        dbaas = dbaas_state(ctx.state)
        service = get_service(ctx)
        body = Body(ctx.json_body())
        scheduled_at = _scheduled_at(body, required=True)
        retention = _int(body, "retention", minimum=1, maximum=60)
        pitr = _bool(body, "is_pitr_enabled")
        body.check()
        assert scheduled_at is not None
        if any(s["scheduled_at"] == scheduled_at for s in service["_schedules"].values()):
            raise ApiError(400, "backup_schedule_already_exists", "Backup schedule already exists")
        schedule = dbaas.add_schedule(
            service,
            scheduled_at=scheduled_at,
            retention=7 if retention is None else retention,
            is_pitr_enabled=bool(pitr),
        )
        return success(schedule["id"], status=201)

    @router.add("GET", f"{_SERVICE}/backup_schedules/{{backup_schedule_id}}")
    def get_schedule(ctx: Ctx) -> JsonReply:
        return success(_get_schedule(ctx, get_service(ctx)))

    @router.add("PATCH", f"{_SERVICE}/backup_schedules/{{backup_schedule_id}}")
    def update_schedule(ctx: Ctx) -> JsonReply:
        service = get_service(ctx)
        schedule = _get_schedule(ctx, service)
        body = Body(ctx.json_body())
        # The spec marks scheduled_at required on PATCH too.
        scheduled_at = _scheduled_at(body, required=True)
        retention = _int(body, "retention", minimum=1, maximum=60)
        pitr = _bool(body, "is_pitr_enabled")
        body.check()
        schedule["scheduled_at"] = scheduled_at
        if retention is not None:
            schedule["retention"] = retention
        if pitr is not None:
            schedule["is_pitr_enabled"] = pitr
        return success(True)

    @router.add("DELETE", f"{_SERVICE}/backup_schedules/{{backup_schedule_id}}")
    def delete_schedule(ctx: Ctx) -> JsonReply:
        service = get_service(ctx)
        schedule = _get_schedule(ctx, service)
        del service["_schedules"][schedule["id"]]
        return success(True)

    # -------------------------------------------------------------- restores

    @router.add("POST", f"{_SERVICE}/restores")
    def create_restore(ctx: Ctx) -> JsonReply:
        state = ctx.state
        dbaas = dbaas_state(state)
        service = get_service(ctx)
        body = Body(ctx.json_body())
        backup_id = body.string("backup_id")
        if backup_id is None:
            backup_id = ctx.query_get("backup_id")  # TF-OLD sent it in the query
        pitr_date = body.string("pitr_restore_date")
        if pitr_date is not None:
            try:
                datetime.fromisoformat(pitr_date)
            except ValueError:
                body.errors.append(
                    field_error(
                        "pitr_restore_date",
                        "validation_rule_date",
                        "The pitr_restore_date is not a valid date.",
                    )
                )
        if backup_id is None and pitr_date is None and not body.errors:
            body.errors.append(
                field_error(
                    "backup_id",
                    "validation_rule_required_without",
                    "The backup_id field is required when pitr_restore_date is not present.",
                )
            )
        raw_new = body.data.get("new_service")
        new_options: Item | None = None
        body.sent_null("new_service", "validation_rule_array", "Must be an object.")
        if raw_new is not None:
            if not isinstance(raw_new, dict):
                body.errors.append(
                    field_error("new_service", "validation_rule_array", "Must be an object.")
                )
            else:
                nested = Body(raw_new)
                new_options = {
                    "name": nested.string("name", max_length=NAME_MAX),
                    "pack_id": _pack_id(nested, attribute="new_service.pack_id", required=False),
                    "region": _choice(nested, "region", REGIONS, attribute="new_service.region"),
                    "version": _choice(
                        nested, "version", VERSIONS, attribute="new_service.version"
                    ),
                    "schedule": _schedule_body(
                        raw_new.get("backup_schedule"), "new_service.backup_schedule", nested
                    ),
                }
                for error in nested.errors:
                    attribute = error["context"]["attribute"]
                    if not attribute.startswith("new_service."):
                        error["context"]["attribute"] = f"new_service.{attribute}"
                body.errors.extend(nested.errors)
        body.check()
        succeeded = [b for b in service["_backups"].values() if b["status"] == "Succeeded"]
        if backup_id is not None:
            backup = service["_backups"].get(backup_id)
            if backup is None or backup["status"] != "Succeeded":
                raise ApiError(
                    400, "cannot_restore_no_backup_found", "Cannot restore no backup found"
                )
        elif not succeeded or not any(s["is_pitr_enabled"] for s in service["_schedules"].values()):
            # A point in time needs a base backup and point-in-time recovery enabled.
            raise ApiError(400, "cannot_restore_no_backup_found", "Cannot restore no backup found")
        else:
            backup = max(succeeded, key=lambda b: b["created_at"])
        now = state.now()
        target: Item | None = None
        if new_options is not None:
            pack_id = new_options["pack_id"] or service["_pack"]["id"]
            if (
                next(p for p in PACKS if p["id"] == pack_id)["storage"]
                < service["_pack"]["storage"]
            ):
                raise ApiError(
                    400,
                    "cannot_restore_to_downgraded_dbaas",
                    "Cannot restore to downgraded dbaas",
                )
            target = dbaas.new_service(
                cloud_id=service["_cloud_id"],
                project_id=service["_project_id"],
                name=new_options["name"] or f"{service['name'][: NAME_MAX - 8]}-restore",
                pack_id=pack_id,
                region=new_options["region"] or service["region"],
                version=new_options["version"] or service["version"],
                created=state.wall(now),
            )
            _apply_schedule(dbaas, target, new_options["schedule"])
        fail = dbaas.fail_restore > 0
        dbaas.fail_restore -= fail
        mysql = _mysql.backend(state)
        copied = None
        if mysql is not None and not fail:
            # The backup's tables into the target (the new service, or this one).
            copied = mysql.restore(service, backup["id"], service if target is None else target)
        restore: Item = {
            "id": dbaas.restore_id(),
            "backup_id": backup["id"],
            "backup_source": service["kube_identifier"],
            "created_at": state.wall(now),
            "pitr_date": pitr_date,
            "status": "Starting",
            "new_service": None
            if target is None
            else {
                "id": target["id"],
                "kube_identifier": target["kube_identifier"],
                "admin_password": target["_password"],
            },
        }
        service["_restores"][restore["id"]] = restore

        def run(at: float) -> None:
            if restore["status"] == "Starting":
                restore["status"] = "Running"

        def finish(at: float, ok: bool) -> None:
            restore["status"] = "Failed" if fail or not ok else "Succeeded"
            if target is not None and target["status"] == "initializing":
                if fail or not ok:
                    target["status"] = "error"
                else:
                    # The restored data is in: the service starts (dbaas_duration).
                    dbaas.provision(target, at + dbaas.dbaas_duration, fail=False)

        state.schedule(now + dbaas.restore_duration / 2, run)
        state.schedule(now + dbaas.restore_duration, _mysql.once_done(state, copied, finish))
        return success(dict(restore), status=201)

    @router.add("GET", f"{_SERVICE}/restores/{{restore_id}}")
    def get_restore(ctx: Ctx) -> JsonReply:
        restore = get_service(ctx)["_restores"].get(ctx.params["restore_id"])
        if restore is None:
            raise not_found()
        return success(restore)

    @router.add("GET", f"{_SERVICE}/restores")
    def legacy_list_restores(ctx: Ctx) -> JsonReply:
        # LEGACY (SPEC-NOV only).
        return success(list(get_service(ctx)["_restores"].values()))

    @router.add("DELETE", f"{_SERVICE}/restores/{{restore_id}}")
    def legacy_delete_restore(ctx: Ctx) -> JsonReply:
        # LEGACY (SPEC-NOV only).
        restores = get_service(ctx)["_restores"]
        if restores.pop(ctx.params["restore_id"], None) is None:
            raise not_found()
        return success(True)

    # -------------------------------------------------------------- configuration

    @router.add("GET", f"{_SERVICE}/configurations")
    def get_configuration(ctx: Ctx) -> JsonReply:
        values = get_service(ctx)["_configuration"]
        # PHP answers an empty map as [].
        return success(dict(values) if values else [])

    @router.add("PUT", f"{_SERVICE}/configurations")
    def put_configuration(ctx: Ctx) -> JsonReply:
        service = get_service(ctx)
        values = ctx.json_body()
        if not values:
            raise validation_failed(
                [field_error("configuration", "validation_rule_required", "Give a variable.")]
            )
        errors = _config_errors(values)
        if errors:
            raise validation_failed(errors)
        service["_configuration"] = _stored_config(values)
        return success(True)

    @router.add("DELETE", f"{_SERVICE}/configurations")
    def reset_configuration(ctx: Ctx) -> JsonReply:
        get_service(ctx)["_configuration"] = {}
        return success(True)

    # -------------------------------------------------------------- IP filters

    @router.add("GET", f"{_SERVICE}/ip_filters")
    def get_ip_filters(ctx: Ctx) -> JsonReply:
        return success(list(get_service(ctx)["_ip_filters"]))

    @router.add("PUT", f"{_SERVICE}/ip_filters")
    def put_ip_filters(ctx: Ctx) -> JsonReply:
        service = get_service(ctx)
        raw = ctx.json_body().get("ip_filters", [])
        if not isinstance(raw, list):
            raise validation_failed(
                [
                    field_error(
                        "ip_filters", "validation_rule_array", "The ip_filters must be a list."
                    )
                ]
            )
        errors = []
        for index, entry in enumerate(raw):
            try:
                # Strings only: ip_network() would also take 12 or False.
                if not isinstance(entry, str):
                    raise TypeError(entry)
                ipaddress.ip_network(entry, strict=False)
            except (TypeError, ValueError):
                errors.append(
                    field_error(
                        f"ip_filters.{index}", "validation_rule_cidr", "Must be an IP or a CIDR."
                    )
                )
        if errors:
            raise validation_failed(errors)
        service["_ip_filters"] = list(dict.fromkeys(raw))
        return success(True)

    @router.add("DELETE", f"{_SERVICE}/ip_filters")
    def clear_ip_filters(ctx: Ctx) -> JsonReply:
        get_service(ctx)["_ip_filters"] = []
        return success(True)
