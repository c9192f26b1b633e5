# Generated from infomaniak/_async/resources/database.py by scripts/unasync.py.
# Do not edit: change the async source and run `python scripts/unasync.py`.
"""``client.cloud.database``: managed databases (DBaaS).

Also their backups, backup schedules, restores, configuration and IP filters.

Services, backups and restores are created at once (HTTP 201) and then
converge through their ``status``: ``create``, ``update``, ``delete``,
``backups.create`` and ``restores.create`` return operation handles whose
``wait()`` is the one waiting loop of the SDK, driven by the lifecycles below.
"""

from __future__ import annotations

import builtins
import re
import time
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Generic, Literal, TypeVar

from ..._lifecycle import Lifecycle
from ..._listing import Order, list_params
from ..._request import decode_data, decode_list, drop_none
from ..._validate import (
    check_choice,
    check_choice_list,
    check_flag,
    check_id,
    check_id_list,
    check_ip_networks,
    check_non_negative_int,
    check_number,
    check_path_segment,
    check_rate,
    check_scope,
    check_seconds,
    check_str,
    check_str_list,
)
from ...errors import APIError, ResponseDecodeError, WaitTimeoutError
from ...models.cloud import (
    DatabaseService,
    DatabaseServiceBackup,
    DatabaseServiceBackupSchedule,
    DatabaseServiceConnection,
    DatabaseServiceCreation,
    DatabaseServicePack,
    DatabaseServiceRestore,
    DatabaseServiceType,
)
from .._operations import Operation, OnStatus
from .._pagination import plist
from .._pipeline import Pipeline
from .._polling import SharedList
from ._base import Resource

__all__ = [
    "BACKUP_LIFECYCLE",
    "RESTORE_LIFECYCLE",
    "SERVICE_LIFECYCLE",
    "DatabaseOperation",
    "DatabaseResource",
    "DatabaseRestoreOperation",
]

# A service is ready at "ready" (TF polls until then, also after a PATCH).
SERVICE_LIFECYCLE = Lifecycle(ready={"ready"}, failed={"error"})
# Backups: Starting -> Running -> Succeeded | Failed | Error (the filter enum).
BACKUP_LIFECYCLE = Lifecycle(ready={"Succeeded"}, failed={"Failed", "Error"})
# Restores: the catalogue documents no status values of their own; its example
# of a finished restore reads "Succeeded" and it infers the backups' set, so a
# restore is done at "Succeeded" and failed at "Failed" or "Error".
RESTORE_LIFECYCLE = Lifecycle(ready={"Succeeded"}, failed={"Failed", "Error"})

T = TypeVar("T")

Currency = Literal["CHF", "EUR"]
_CURRENCIES = ("CHF", "EUR")
_NAME_MAX = 40
_HHMM = re.compile(r"([01][0-9]|2[0-3]):[0-5][0-9]")  # ASCII digits only
# RFC 3339 date-time with a mandatory offset, ASCII digits (datetime.fromisoformat
# alone takes naive, date-only and ISO week forms).
_RFC3339 = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{1,9})?"
    r"(?:[Zz]|[+-][0-9]{2}:[0-9]{2})"
)
_SCHEDULE_KEYS = ("scheduled_at", "retention", "is_pitr_enabled", "add_default_schedule")
_NEW_SERVICE_KEYS = ("name", "pack_id", "region", "version", "backup_schedule")


# ---------------------------------------------------------------------------- paths

# The documented filter[statuses][] enums (CATALOG §5.5 #44/#45 and #54): the
# API answers 422 for any other value, so they are refused before sending.
SERVICE_FILTER_STATUSES = ("error", "initializing", "paused", "ready", "stopping", "unknown")
BACKUP_FILTER_STATUSES = ("Error", "Failed", "Running", "Starting", "Succeeded", "Unknown")


def _services_path(public_cloud_id: int, public_cloud_project_id: int) -> str:
    cloud = check_id("public_cloud_id", public_cloud_id)
    project = check_id("public_cloud_project_id", public_cloud_project_id)
    return f"/1/public_clouds/{cloud}/projects/{project}/dbaas"


def _service_path(public_cloud_id: int, public_cloud_project_id: int, dbaas_id: int) -> str:
    base = _services_path(public_cloud_id, public_cloud_project_id)
    return f"{base}/{check_id('dbaas_id', dbaas_id)}"


# ---------------------------------------------------------------------------- checks


def _services_shared(public_cloud_id: int, public_cloud_project_id: int) -> SharedList:
    """Waits on services of one Public Cloud share their project's list (or the account's)."""
    return SharedList(
        key=("dbaas", public_cloud_id),
        path=_services_path(public_cloud_id, public_cloud_project_id),
        id_field="id",
        model=DatabaseService,
        cloud_wide=("/1/public_clouds/dbaas", public_cloud_id),
    )


def _scheduled_at(name: str, value: Any, *, optional: bool = False) -> str | None:
    text = check_str(name, value, optional=optional)
    if text is not None and not _HHMM.fullmatch(text):
        raise ValueError(f"{name} must be a time 'HH:MM' between 00:00 and 23:59, got {text!r}")
    return text


def _retention(name: str, value: Any) -> int | None:
    if value is None:
        return None
    count = check_non_negative_int(name, value)
    if not 1 <= count <= 60:
        raise ValueError(f"{name} must be between 1 and 60 backups, got {count}")
    return count


def _name(name: str, value: Any, *, optional: bool = False) -> str | None:
    return check_str(name, value, min_length=1, max_length=_NAME_MAX, optional=optional)


def _backup_schedule(name: str, value: Any) -> dict[str, Any] | None:
    """The optional ``backup_schedule`` object of a creation or of a new service."""
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise TypeError(f"{name} must be a mapping with keys {', '.join(_SCHEDULE_KEYS)}")
    unknown = sorted(set(value) - set(_SCHEDULE_KEYS))
    if unknown:
        raise TypeError(f"{name} has unknown keys {unknown}; allowed: {', '.join(_SCHEDULE_KEYS)}")
    return drop_none(
        [
            (
                "scheduled_at",
                _scheduled_at(f"{name}.scheduled_at", value.get("scheduled_at"), optional=True),
            ),
            ("retention", _retention(f"{name}.retention", value.get("retention"))),
            (
                "is_pitr_enabled",
                check_flag(f"{name}.is_pitr_enabled", value.get("is_pitr_enabled")),
            ),
            (
                "add_default_schedule",
                check_flag(f"{name}.add_default_schedule", value.get("add_default_schedule")),
            ),
        ]
    )


def _new_service(value: Any) -> dict[str, Any] | None:
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise TypeError(f"new_service must be a mapping with keys {', '.join(_NEW_SERVICE_KEYS)}")
    unknown = sorted(set(value) - set(_NEW_SERVICE_KEYS))
    if unknown:
        raise TypeError(
            f"new_service has unknown keys {unknown}; allowed: {', '.join(_NEW_SERVICE_KEYS)}"
        )
    pack_id = value.get("pack_id")
    return drop_none(
        [
            ("name", _name("new_service.name", value.get("name"), optional=True)),
            ("pack_id", None if pack_id is None else check_id("new_service.pack_id", pack_id)),
            ("region", check_str("new_service.region", value.get("region"), optional=True)),
            ("version", check_str("new_service.version", value.get("version"), optional=True)),
            (
                "backup_schedule",
                _backup_schedule("new_service.backup_schedule", value.get("backup_schedule")),
            ),
        ]
    )


def _point_in_time(value: Any) -> str | None:
    """``pitr_restore_date``: an aware datetime or an ISO 8601 / RFC 3339 string."""
    if value is None:
        return None
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("pitr_restore_date must be timezone-aware (e.g. tzinfo=UTC)")
        return value.isoformat()
    text = check_str("pitr_restore_date", value, min_length=1)
    assert text is not None
    try:
        if _RFC3339.fullmatch(text) is None:
            raise ValueError
        datetime.fromisoformat(text.upper().replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(
            f"pitr_restore_date must be an RFC 3339 date-time with an offset like "
            f"'2025-08-15T15:52:01+00:00' or '2025-08-15T15:52:01Z', got {text!r}"
        ) from None
    return text


def _rate_bound(name: str, value: Any) -> dict[str, float] | None:
    # A bare number is the bound excluding tax.
    if isinstance(value, bool):
        raise TypeError(f"{name} must be a number or a mapping, got bool")
    if isinstance(value, (int, float)):
        return {"excluding_tax": check_number(name, value)}
    return check_rate(name, value)


def _number(name: str, value: Any) -> float | None:
    return None if value is None else check_number(name, value)


def _currency(value: Any) -> str | None:
    return check_choice("currency", value, _CURRENCIES)


# ---------------------------------------------------------------------------- handles


class DatabaseOperation(Operation[T], Generic[T]):
    """An operation handle that also carries what a creation answered once.

    Attributes:
        admin_password: the root password of the new service, returned by the
            API only in this answer (``None`` if there was none). It is never
            in the handle's repr.
        kube_identifier: the new service's identifier (``"pcdb-12345"``).
        data: the API's answer, decoded (its secrets stay out of its repr).

    ``wait()`` works as for every operation handle.
    """

    def __init__(
        self,
        pipeline: Pipeline,
        envelope: Mapping[str, Any],
        *,
        resource: str,
        fetch: Any,
        lifecycle: Lifecycle,
        resource_id: int | str | None = None,
        creation: DatabaseServiceCreation | None = None,
        data: Any = None,
        shared: SharedList | None = None,
    ) -> None:
        super().__init__(
            pipeline,
            envelope,
            resource=resource,
            fetch=fetch,
            resource_id=resource_id,
            lifecycle=lifecycle,
            shared=shared,
        )
        # The raw answer holds the password: keep the decoded model instead.
        self.data = data
        self.admin_password: str | None = None if creation is None else creation.admin_password
        self.kube_identifier: str | None = None if creation is None else creation.kube_identifier

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(resource={self.resource!r}, result={self.result!r}, "
            f"resource_id={self.resource_id!r}, kube_identifier={self.kube_identifier!r})"
        )


class DatabaseRestoreOperation(DatabaseOperation[DatabaseServiceRestore]):
    """The handle of a restore.

    ``wait()`` returns the ``DatabaseServiceRestore`` once it has
    succeeded; for a restore into a new service it then also waits, within
    the same ``timeout``, for that service to be ``ready`` and keeps it in
    ``service``.

    Attributes:
        new_service_id: the id of the new service, for a restore into one.
        admin_password: the new service's root password (not in the repr).
        kube_identifier: the new service's identifier.
        service: the new service once ``wait()`` saw it ready, else ``None``.
    """

    def __init__(
        self,
        pipeline: Pipeline,
        envelope: Mapping[str, Any],
        *,
        restore: DatabaseServiceRestore,
        fetch: Any,
        new_service: Operation[DatabaseService] | None,
    ) -> None:
        super().__init__(
            pipeline,
            envelope,
            resource="database restore",
            fetch=fetch,
            lifecycle=RESTORE_LIFECYCLE,
            resource_id=restore.id,
            creation=restore.new_service,
            data=restore,
        )
        self._new_service = new_service
        self.new_service_id: int | None = (
            None if restore.new_service is None else restore.new_service.id
        )
        self.service: DatabaseService | None = None

    def wait(
        self,
        *,
        timeout: float | None = None,
        poll_interval: float | None = None,
        on_status: OnStatus | None = None,
        heartbeats: bool = False,
        shared: bool = True,
    ) -> DatabaseServiceRestore:
        """Poll until the restore has succeeded (and a new service is ready).

        Args:
            timeout: seconds for the whole wait, restore and new service
                together (default: the client's ``wait_timeout``).
            poll_interval: the first pause between polls, in seconds.
            on_status: called with each status change (the restore's, then
                the new service's).
            heartbeats: also call ``on_status`` while nothing changes (see
                ``Operation.wait``).
            shared: share polls with concurrent waits (see ``Operation.wait``).

        Returns:
            The restore, once ``Succeeded``.

        Raises:
            OperationFailedError: the restore failed, or the new service
                ended in ``error``.
            WaitTimeoutError: time ran out.
        """
        total = (
            self._pipeline.wait_timeout if timeout is None else check_seconds("timeout", timeout)
        )
        started = time.monotonic()
        restore: DatabaseServiceRestore = super().wait(
            timeout=total,
            poll_interval=poll_interval,
            on_status=on_status,
            heartbeats=heartbeats,
            shared=shared,
        )
        if self._new_service is not None:
            left = total - (time.monotonic() - started)
            if left <= 0:
                raise WaitTimeoutError(
                    f"database restore {self.resource_id} succeeded, but the wait timed out "
                    f"after {total:g} s before database service {self.new_service_id} was ready",
                    resource="database service",
                    resource_id=self.new_service_id,
                )
            self.service = self._new_service.wait(
                timeout=left,
                poll_interval=poll_interval,
                on_status=on_status,
                heartbeats=heartbeats,
                shared=shared,
            )
        return restore


# ---------------------------------------------------------------------------- sub-resources


class DatabaseBackupResource(Resource):
    """``client.cloud.database.backups``: the backups of a database service."""

    def list(
        self,
        *,
        public_cloud_id: int,
        public_cloud_project_id: int,
        dbaas_id: int,
        search: str | None = None,
        statuses: str | Sequence[str] | None = None,
        order_by: str | Sequence[str] | None = None,
        order: Order | None = None,
        order_for: Mapping[str, Order] | None = None,
    ) -> builtins.list[DatabaseServiceBackup]:
        """The backups of a service (the API does not paginate them).

        Args:
            public_cloud_id: the Public Cloud.
            public_cloud_project_id: the project.
            dbaas_id: the database service.
            search: filter on the backup id or location.
            statuses: one or more statuses (``"Succeeded"``, ``"Failed"``...).
            order_by: field(s) to sort on (``"created_at"``...).
            order: default direction, ``"asc"`` or ``"desc"``.
            order_for: direction per field.

        Returns:
            The backups.

        Raises:
            NotFoundError: no such service.
        """
        path = f"{_service_path(public_cloud_id, public_cloud_project_id, dbaas_id)}/backups"
        params = list_params(
            search=search,
            filters={"statuses": check_choice_list("statuses", statuses, BACKUP_FILTER_STATUSES)},
            order_by=order_by,
            order=order,
            order_for=order_for,
        )
        envelope = self._pipeline.request("GET", path, params=params)
        return decode_list(envelope, DatabaseServiceBackup, method="GET", path=path)

    def get(
        self, *, public_cloud_id: int, public_cloud_project_id: int, dbaas_id: int, backup_id: str
    ) -> DatabaseServiceBackup:
        """One backup.

        Args:
            public_cloud_id: the Public Cloud.
            public_cloud_project_id: the project.
            dbaas_id: the database service.
            backup_id: the backup (a string id).

        Returns:
            The backup.

        Raises:
            NotFoundError: no such service or backup.
        """
        base = _service_path(public_cloud_id, public_cloud_project_id, dbaas_id)
        path = f"{base}/backups/{check_path_segment('backup_id', backup_id)}"
        return self._get(path, DatabaseServiceBackup)

    def create(
        self, *, public_cloud_id: int, public_cloud_project_id: int, dbaas_id: int
    ) -> DatabaseOperation[DatabaseServiceBackup]:
        """Start an on-demand backup; ``.wait()`` returns it once ``Succeeded``.

        Args:
            public_cloud_id: the Public Cloud.
            public_cloud_project_id: the project.
            dbaas_id: the database service.

        Returns:
            The operation handle; ``data`` is the backup as first answered.

        Raises:
            NotFoundError: no such service.
        """
        path = f"{_service_path(public_cloud_id, public_cloud_project_id, dbaas_id)}/backups"
        envelope = self._pipeline.request("POST", path)
        backup = decode_data(envelope, DatabaseServiceBackup, method="POST", path=path)

        def fetch(backup_id: str) -> DatabaseServiceBackup:
            return self.get(
                public_cloud_id=public_cloud_id,
                public_cloud_project_id=public_cloud_project_id,
                dbaas_id=dbaas_id,
                backup_id=backup_id,
            )

        return DatabaseOperation(
            self._pipeline,
            envelope,
            resource="database backup",
            fetch=fetch,
            lifecycle=BACKUP_LIFECYCLE,
            resource_id=backup.id,
            data=backup,
            # Waits on backups of one service share its backup list (not paginated).
            shared=SharedList(
                key=("backup", public_cloud_id, public_cloud_project_id, dbaas_id),
                path=path,
                id_field="id",
                model=DatabaseServiceBackup,
                paginated=False,
            ),
        )

    def delete(
        self, *, public_cloud_id: int, public_cloud_project_id: int, dbaas_id: int, backup_id: str
    ) -> bool:
        """Delete a backup.

        Args:
            public_cloud_id: the Public Cloud.
            public_cloud_project_id: the project.
            dbaas_id: the database service.
            backup_id: the backup.

        Returns:
            The API's answer (``True``).

        Raises:
            NotFoundError: no such service or backup.
        """
        base = _service_path(public_cloud_id, public_cloud_project_id, dbaas_id)
        path = f"{base}/backups/{check_path_segment('backup_id', backup_id)}"
        return self._send_bool("DELETE", path)


class DatabaseBackupScheduleResource(Resource):
    """``client.cloud.database.backup_schedules``: daily backup schedules of a service."""

    def list(
        self, *, public_cloud_id: int, public_cloud_project_id: int, dbaas_id: int
    ) -> builtins.list[DatabaseServiceBackupSchedule]:
        """The backup schedules of a service.

        Args:
            public_cloud_id: the Public Cloud.
            public_cloud_project_id: the project.
            dbaas_id: the database service.

        Returns:
            The schedules.

        Raises:
            NotFoundError: no such service.
        """
        base = _service_path(public_cloud_id, public_cloud_project_id, dbaas_id)
        path = f"{base}/backup_schedules"
        envelope = self._pipeline.request("GET", path)
        return decode_list(envelope, DatabaseServiceBackupSchedule, method="GET", path=path)

    def _path(
        self,
        public_cloud_id: int,
        public_cloud_project_id: int,
        dbaas_id: int,
        backup_schedule_id: int,
    ) -> str:
        base = _service_path(public_cloud_id, public_cloud_project_id, dbaas_id)
        return f"{base}/backup_schedules/{check_id('backup_schedule_id', backup_schedule_id)}"

    def get(
        self,
        *,
        public_cloud_id: int,
        public_cloud_project_id: int,
        dbaas_id: int,
        backup_schedule_id: int,
    ) -> DatabaseServiceBackupSchedule:
        """One backup schedule.

        Args:
            public_cloud_id: the Public Cloud.
            public_cloud_project_id: the project.
            dbaas_id: the database service.
            backup_schedule_id: the schedule.

        Returns:
            The schedule.

        Raises:
            NotFoundError: no such service or schedule (the API answers an
                unknown schedule with a 400 ``backup_schedule_does_not_exist``).
        """
        path = self._path(public_cloud_id, public_cloud_project_id, dbaas_id, backup_schedule_id)
        return self._get(path, DatabaseServiceBackupSchedule)

    def create(
        self,
        *,
        public_cloud_id: int,
        public_cloud_project_id: int,
        dbaas_id: int,
        scheduled_at: str,
        retention: int | None = None,
        is_pitr_enabled: bool | None = None,
    ) -> int:
        """Add a daily backup schedule.

        Args:
            public_cloud_id: the Public Cloud.
            public_cloud_project_id: the project.
            dbaas_id: the database service.
            scheduled_at: time of the daily backup, ``"HH:MM"`` (UTC), 00:00-23:59.
            retention: backups to keep, 1-60.
            is_pitr_enabled: enable point-in-time recovery.

        Returns:
            The id of the new schedule.

        Raises:
            ValueError: ``scheduled_at`` or ``retention`` out of range (nothing sent).
            APIError: e.g. ``backup_schedule_already_exists``.
        """
        base = _service_path(public_cloud_id, public_cloud_project_id, dbaas_id)
        body = drop_none(
            [
                ("scheduled_at", _scheduled_at("scheduled_at", scheduled_at)),
                ("retention", _retention("retention", retention)),
                ("is_pitr_enabled", check_flag("is_pitr_enabled", is_pitr_enabled)),
            ]
        )
        path = f"{base}/backup_schedules"
        envelope = self._pipeline.request("POST", path, json=body)
        schedule_id: int = decode_data(envelope, int, method="POST", path=path)
        return schedule_id

    def update(
        self,
        *,
        public_cloud_id: int,
        public_cloud_project_id: int,
        dbaas_id: int,
        backup_schedule_id: int,
        scheduled_at: str | None = None,
        retention: int | None = None,
        is_pitr_enabled: bool | None = None,
    ) -> bool:
        """Change a backup schedule; what is not given stays as it is.

        The API requires ``scheduled_at`` on every update: when it is not
        given, the schedule's current time is read first and sent again.

        Args:
            public_cloud_id: the Public Cloud.
            public_cloud_project_id: the project.
            dbaas_id: the database service.
            backup_schedule_id: the schedule.
            scheduled_at: new time, ``"HH:MM"`` (UTC).
            retention: backups to keep, 1-60.
            is_pitr_enabled: point-in-time recovery on or off.

        Returns:
            The API's answer (``True``).

        Raises:
            ValueError: nothing to change, or a value out of range (nothing sent).
            NotFoundError: no such service or schedule.
        """
        path = self._path(public_cloud_id, public_cloud_project_id, dbaas_id, backup_schedule_id)
        body = drop_none(
            [
                ("scheduled_at", _scheduled_at("scheduled_at", scheduled_at, optional=True)),
                ("retention", _retention("retention", retention)),
                ("is_pitr_enabled", check_flag("is_pitr_enabled", is_pitr_enabled)),
            ]
        )
        if not body:
            raise ValueError("give at least one of scheduled_at, retention, is_pitr_enabled")
        if "scheduled_at" not in body:
            current = self._get(path, DatabaseServiceBackupSchedule)
            body = {"scheduled_at": current.scheduled_at, **body}
        return self._send_bool("PATCH", path, body)

    def delete(
        self,
        *,
        public_cloud_id: int,
        public_cloud_project_id: int,
        dbaas_id: int,
        backup_schedule_id: int,
    ) -> bool:
        """Delete a backup schedule.

        Args:
            public_cloud_id: the Public Cloud.
            public_cloud_project_id: the project.
            dbaas_id: the database service.
            backup_schedule_id: the schedule.

        Returns:
            The API's answer (``True``).

        Raises:
            NotFoundError: no such service or schedule.
        """
        path = self._path(public_cloud_id, public_cloud_project_id, dbaas_id, backup_schedule_id)
        return self._send_bool("DELETE", path)


class DatabaseRestoreResource(Resource):
    """``client.cloud.database.restores``: restores of backups.

    The routes that list and delete restores appear only in an older export
    of the API and are not offered here.
    """

    def __init__(self, pipeline: Pipeline, services: DatabaseResource) -> None:
        super().__init__(pipeline)
        self._services = services

    def get(
        self, *, public_cloud_id: int, public_cloud_project_id: int, dbaas_id: int, restore_id: str
    ) -> DatabaseServiceRestore:
        """One restore, with its progress.

        Args:
            public_cloud_id: the Public Cloud.
            public_cloud_project_id: the project.
            dbaas_id: the service the backup was restored from.
            restore_id: the restore (a string id).

        Returns:
            The restore.

        Raises:
            NotFoundError: no such service or restore.
        """
        base = _service_path(public_cloud_id, public_cloud_project_id, dbaas_id)
        path = f"{base}/restores/{check_path_segment('restore_id', restore_id)}"
        return self._get(path, DatabaseServiceRestore)

    def create(
        self,
        *,
        public_cloud_id: int,
        public_cloud_project_id: int,
        dbaas_id: int,
        backup_id: str | None = None,
        pitr_restore_date: str | datetime | None = None,
        new_service: Mapping[str, Any] | None = None,
    ) -> DatabaseRestoreOperation:
        """Restore a backup: in place, into a new service, or to a point in time.

        Args:
            public_cloud_id: the Public Cloud.
            public_cloud_project_id: the project.
            dbaas_id: the service whose backup is restored.
            backup_id: the backup to restore (sent in the body).
            pitr_restore_date: a point in time to restore to, an aware
                ``datetime`` or an ISO 8601 string.
            new_service: restore into a new service with these options:
                ``name`` (at most 40 characters), ``pack_id``, ``region``,
                ``version``, ``backup_schedule`` (``scheduled_at``,
                ``retention``, ``is_pitr_enabled``, ``add_default_schedule``).

        Returns:
            The restore's handle; for a new service it carries
            ``new_service_id``, ``kube_identifier`` and ``admin_password``.

        Raises:
            TypeError: neither ``backup_id`` nor ``pitr_restore_date`` (nothing sent).
            ValueError: a bad date, a name over 40 characters... (nothing sent).
            NotFoundError: no such service, or no backup to restore
                (``cannot_restore_no_backup_found``).
        """
        base = _service_path(public_cloud_id, public_cloud_project_id, dbaas_id)
        body = drop_none(
            [
                (
                    "backup_id",
                    None if backup_id is None else check_path_segment("backup_id", backup_id),
                ),
                ("pitr_restore_date", _point_in_time(pitr_restore_date)),
                ("new_service", _new_service(new_service)),
            ]
        )
        if "backup_id" not in body and "pitr_restore_date" not in body:
            raise TypeError("give backup_id (a backup) or pitr_restore_date (a point in time)")
        path = f"{base}/restores"
        envelope = self._pipeline.request("POST", path, json=body)
        restore = decode_data(envelope, DatabaseServiceRestore, method="POST", path=path)

        def fetch(restore_id: str) -> DatabaseServiceRestore:
            return self.get(
                public_cloud_id=public_cloud_id,
                public_cloud_project_id=public_cloud_project_id,
                dbaas_id=dbaas_id,
                restore_id=restore_id,
            )

        target = None
        if restore.new_service is not None:
            target = self._services._operation(
                {"result": envelope.get("result"), "data": True},
                public_cloud_id,
                public_cloud_project_id,
                restore.new_service.id,
            )
        return DatabaseRestoreOperation(
            self._pipeline, envelope, restore=restore, fetch=fetch, new_service=target
        )


class DatabaseConfigurationResource(Resource):
    """``client.cloud.database.configuration``: the engine variables of a service.

    For example MySQL's ``max_connections`` or ``sql_mode``.
    """

    def get(
        self, *, public_cloud_id: int, public_cloud_project_id: int, dbaas_id: int
    ) -> dict[str, Any]:
        """The variables set on a service, as the API sends them.

        Numbers may come back as strings; empty when none is set.

        Args:
            public_cloud_id: the Public Cloud.
            public_cloud_project_id: the project.
            dbaas_id: the database service.

        Returns:
            Variable name -> value.

        Raises:
            NotFoundError: no such service.
        """
        path = f"{_service_path(public_cloud_id, public_cloud_project_id, dbaas_id)}/configurations"
        envelope = self._pipeline.request("GET", path)
        data = envelope.get("data")
        if data == []:
            return {}  # PHP's empty map
        if not isinstance(data, dict):
            raise ResponseDecodeError(
                f"expected an object of variables, got {type(data).__name__}",
                method="GET",
                path=path,
            )
        return data

    def replace(
        self,
        *,
        public_cloud_id: int,
        public_cloud_project_id: int,
        dbaas_id: int,
        values: Mapping[str, Any],
    ) -> bool:
        """Set the service's variables to ``values`` (the API checks names and ranges).

        Args:
            public_cloud_id: the Public Cloud.
            public_cloud_project_id: the project.
            dbaas_id: the database service.
            values: variable name -> value, e.g. ``{"max_connections": 200}``.

        Returns:
            The API's answer (``True``).

        Raises:
            ValueError: ``values`` is empty (nothing sent).
            ValidationError: the API rejected a variable (named in ``fields``).
        """
        if not isinstance(values, Mapping):
            raise TypeError("values must be a mapping of variable name to value")
        if not values:
            raise ValueError("values is empty: give at least one variable (reset() removes all)")
        for key in values:
            if not isinstance(key, str) or not key:
                raise TypeError("values keys must be variable names (non-empty str)")
        path = f"{_service_path(public_cloud_id, public_cloud_project_id, dbaas_id)}/configurations"
        return self._send_bool("PUT", path, dict(values))

    def reset(
        self, *, public_cloud_id: int, public_cloud_project_id: int, dbaas_id: int
    ) -> bool:
        """Remove every variable set on the service (back to the defaults).

        Args:
            public_cloud_id: the Public Cloud.
            public_cloud_project_id: the project.
            dbaas_id: the database service.

        Returns:
            The API's answer (``True``).

        Raises:
            NotFoundError: no such service.
        """
        path = f"{_service_path(public_cloud_id, public_cloud_project_id, dbaas_id)}/configurations"
        return self._send_bool("DELETE", path)


class DatabaseIpFilterResource(Resource):
    """``client.cloud.database.ip_filters``: the networks allowed to connect to a service."""

    def list(
        self, *, public_cloud_id: int, public_cloud_project_id: int, dbaas_id: int
    ) -> builtins.list[str]:
        """The allowed networks (CIDRs).

        Args:
            public_cloud_id: the Public Cloud.
            public_cloud_project_id: the project.
            dbaas_id: the database service.

        Returns:
            The CIDRs, e.g. ``["192.0.2.0/24"]``.

        Raises:
            NotFoundError: no such service.
        """
        path = f"{_service_path(public_cloud_id, public_cloud_project_id, dbaas_id)}/ip_filters"
        envelope = self._pipeline.request("GET", path)
        return decode_list(envelope, str, method="GET", path=path)

    def replace(
        self,
        *,
        public_cloud_id: int,
        public_cloud_project_id: int,
        dbaas_id: int,
        ip_filters: Sequence[str],
    ) -> bool:
        """Replace the allowed networks.

        Args:
            public_cloud_id: the Public Cloud.
            public_cloud_project_id: the project.
            dbaas_id: the database service.
            ip_filters: IPv4/IPv6 networks in CIDR form (a bare address is one host).

        Returns:
            The API's answer (``True``).

        Raises:
            ValueError: an entry is not a network (nothing sent).
        """
        networks = check_ip_networks("ip_filters", ip_filters)
        path = f"{_service_path(public_cloud_id, public_cloud_project_id, dbaas_id)}/ip_filters"
        return self._send_bool("PUT", path, {"ip_filters": networks})

    def clear(
        self, *, public_cloud_id: int, public_cloud_project_id: int, dbaas_id: int
    ) -> bool:
        """Remove every IP filter.

        Args:
            public_cloud_id: the Public Cloud.
            public_cloud_project_id: the project.
            dbaas_id: the database service.

        Returns:
            The API's answer (``True``).

        Raises:
            NotFoundError: no such service.
        """
        path = f"{_service_path(public_cloud_id, public_cloud_project_id, dbaas_id)}/ip_filters"
        return self._send_bool("DELETE", path)


# ---------------------------------------------------------------------------- services


class DatabaseResource(Resource):
    """``client.cloud.database``: managed database services (DBaaS).

    Attributes:
        backups: on-demand backups of a service.
        backup_schedules: daily backup schedules.
        restores: restores of backups.
        configuration: engine variables.
        ip_filters: networks allowed to connect.
    """

    def __init__(self, pipeline: Pipeline) -> None:
        super().__init__(pipeline)
        self.backups = DatabaseBackupResource(pipeline)
        self.backup_schedules = DatabaseBackupScheduleResource(pipeline)
        self.restores = DatabaseRestoreResource(pipeline, self)
        self.configuration = DatabaseConfigurationResource(pipeline)
        self.ip_filters = DatabaseIpFilterResource(pipeline)
        # The method reset_password was answered with, once known (see there).
        self._reset_password_method: str | None = None

    # -------------------------------------------------------------- services

    def list(
        self,
        *,
        account_id: int | None = None,
        public_cloud_id: int | None = None,
        public_cloud_project_id: int | None = None,
        search: str | None = None,
        statuses: str | Sequence[str] | None = None,
        region: str | Sequence[str] | None = None,
        type: str | Sequence[str] | None = None,
        tags: int | Sequence[int] | None = None,
        currency: Currency | None = None,
        order_by: str | Sequence[str] | None = None,
        order: Order | None = None,
        order_for: Mapping[str, Order] | None = None,
        with_: str | Sequence[str] | None = None,
        page: int = 1,
        per_page: int | None = None,
    ) -> plist[DatabaseService]:
        """The database services of a whole account, or of one project, a page at a time.

        Give either ``account_id`` alone, or ``public_cloud_id`` with
        ``public_cloud_project_id``. Iterating the result walks every page.

        Args:
            account_id: every service of this account.
            public_cloud_id: the Public Cloud of the project.
            public_cloud_project_id: the project.
            search: filter on the name or identifier.
            statuses: one or more statuses (``"ready"``, ``"error"``...).
            region: one or more regions.
            type: one or more engines (``"mysql"``).
            tags: one or more tag ids.
            currency: currency of the pack rates (``"CHF"`` or ``"EUR"``).
            order_by: field(s) to sort on (``"name"``, ``"status"``, ``"region"``).
            order: default direction.
            order_for: direction per field.
            with_: relations to load (``"packs"``, ``"projects"``, ``"tags"``,
                ``"connection"``, ``"backups"``, ``"backup_schedules"``).
            page: first page to fetch.
            per_page: items per page (default: the client's).

        Returns:
            The first page; iterate it for every service.

        Raises:
            TypeError: both scopes, or neither (nothing sent).
        """
        account, cloud, project = check_scope(account_id, public_cloud_id, public_cloud_project_id)
        params = list_params(
            search=search,
            filters={
                "statuses": check_choice_list("statuses", statuses, SERVICE_FILTER_STATUSES),
                "regions": check_str_list("region", region),
                "types": check_str_list("type", type),
                "tags": check_id_list("tags", tags),
                "currency": _currency(currency),
            },
            order_by=order_by,
            order=order,
            order_for=order_for,
            with_=with_,
            account_id=account,
        )
        if account is not None:
            path = "/1/public_clouds/dbaas"
        else:
            assert cloud is not None and project is not None
            path = _services_path(cloud, project)
        return self._list(path, DatabaseService, params=params, page=page, per_page=per_page)

    def get(
        self,
        *,
        public_cloud_id: int,
        public_cloud_project_id: int,
        dbaas_id: int,
        with_: str | Sequence[str] | None = None,
        currency: Currency | None = None,
    ) -> DatabaseService:
        """One database service.

        Args:
            public_cloud_id: the Public Cloud.
            public_cloud_project_id: the project.
            dbaas_id: the service.
            with_: relations to load (``"packs"``, ``"projects"``, ``"tags"``,
                ``"connection"``, ``"backups"``, ``"backup_schedules"``).
            currency: currency of the pack rates.

        Returns:
            The service.

        Raises:
            NotFoundError: no such service.
        """
        path = _service_path(public_cloud_id, public_cloud_project_id, dbaas_id)
        params = list_params(with_=with_, filters={"currency": _currency(currency)})
        return self._get(path, DatabaseService, params=params)

    def _operation(
        self,
        envelope: Mapping[str, Any],
        public_cloud_id: int,
        public_cloud_project_id: int,
        dbaas_id: int,
        *,
        deletes: bool = False,
    ) -> Operation[Any]:
        def fetch(service_id: int) -> DatabaseService:
            return self.get(
                public_cloud_id=public_cloud_id,
                public_cloud_project_id=public_cloud_project_id,
                dbaas_id=service_id,
            )

        return Operation(
            self._pipeline,
            envelope,
            resource="database service",
            fetch=fetch,
            resource_id=dbaas_id,
            deletes=deletes,
            lifecycle=SERVICE_LIFECYCLE,
            shared=_services_shared(public_cloud_id, public_cloud_project_id),
        )

    def create(
        self,
        *,
        public_cloud_id: int,
        public_cloud_project_id: int,
        name: str,
        type: str,
        version: str,
        region: str,
        pack_id: int,
        backup_schedule: Mapping[str, Any] | None = None,
    ) -> DatabaseOperation[DatabaseService]:
        """Create a database service; ``.wait()`` returns it once ``ready``.

        Args:
            public_cloud_id: the Public Cloud.
            public_cloud_project_id: the project.
            name: service name, at most 40 characters.
            type: engine, from ``types()`` (``"mysql"``).
            version: engine version, from ``types()``.
            region: region, from ``regions()`` (``"dc4-a"``).
            pack_id: pack id, from ``packs()``.
            backup_schedule: an initial schedule: ``scheduled_at``
                (``"HH:MM"``), ``retention`` (1-60), ``is_pitr_enabled``,
                ``add_default_schedule``.

        Returns:
            The handle; it carries ``admin_password`` (returned only now) and
            ``kube_identifier``.

        Raises:
            ValueError: a bad argument (nothing sent).
            ValidationError: the API rejected a field.
        """
        path = _services_path(public_cloud_id, public_cloud_project_id)
        body = drop_none(
            [
                ("name", _name("name", name)),
                ("type", check_str("type", type, min_length=1)),
                ("version", check_str("version", version, min_length=1)),
                ("region", check_str("region", region, min_length=1)),
                ("pack_id", check_id("pack_id", pack_id)),
                ("backup_schedule", _backup_schedule("backup_schedule", backup_schedule)),
            ]
        )
        envelope = self._pipeline.request("POST", path, json=body)
        creation = decode_data(envelope, DatabaseServiceCreation, method="POST", path=path)

        def fetch(service_id: int) -> DatabaseService:
            return self.get(
                public_cloud_id=public_cloud_id,
                public_cloud_project_id=public_cloud_project_id,
                dbaas_id=service_id,
            )

        return DatabaseOperation(
            self._pipeline,
            envelope,
            resource="database service",
            fetch=fetch,
            lifecycle=SERVICE_LIFECYCLE,
            resource_id=creation.id,
            creation=creation,
            data=creation,
            shared=_services_shared(public_cloud_id, public_cloud_project_id),
        )

    def update(
        self,
        *,
        public_cloud_id: int,
        public_cloud_project_id: int,
        dbaas_id: int,
        name: str | None = None,
        pack_id: int | None = None,
    ) -> Operation[DatabaseService]:
        """Rename a service or change its pack.

        ``.wait()`` returns it once ``ready`` again (a pack change re-provisions it).

        Args:
            public_cloud_id: the Public Cloud.
            public_cloud_project_id: the project.
            dbaas_id: the service.
            name: new name, at most 40 characters.
            pack_id: new pack.

        Returns:
            The operation handle.

        Raises:
            ValueError: nothing to change (nothing sent).
            NotFoundError: no such service.
        """
        path = _service_path(public_cloud_id, public_cloud_project_id, dbaas_id)
        body = drop_none(
            [
                ("name", _name("name", name, optional=True)),
                ("pack_id", None if pack_id is None else check_id("pack_id", pack_id)),
            ]
        )
        if not body:
            raise ValueError("give at least one of name, pack_id")
        envelope = self._pipeline.request("PATCH", path, json=body)
        return self._operation(envelope, public_cloud_id, public_cloud_project_id, dbaas_id)

    def delete(
        self,
        *,
        public_cloud_id: int,
        public_cloud_project_id: int,
        dbaas_id: int,
        keep_backup_files: bool | None = None,
    ) -> Operation[None]:
        """Delete a service; ``.wait()`` returns once it is gone.

        Args:
            public_cloud_id: the Public Cloud.
            public_cloud_project_id: the project.
            dbaas_id: the service.
            keep_backup_files: keep its backup files.

        Returns:
            The operation handle.

        Raises:
            NotFoundError: no such service.
        """
        path = _service_path(public_cloud_id, public_cloud_project_id, dbaas_id)
        keep = check_flag("keep_backup_files", keep_backup_files)
        body = None if keep is None else {"keep_backup_files": keep}
        envelope = self._pipeline.request("DELETE", path, json=body)
        return self._operation(
            envelope, public_cloud_id, public_cloud_project_id, dbaas_id, deletes=True
        )

    def reset_password(
        self, *, public_cloud_id: int, public_cloud_project_id: int, dbaas_id: int
    ) -> DatabaseServiceConnection:
        """Give the service's root user a new password and return how to connect.

        The sources disagree on the method (the official spec says GET, the
        clients that run against the API use POST). The SDK sends POST and,
        only when the API answers 405 (the request did nothing), GET; it then
        remembers, for this client, the method the API took.

        Args:
            public_cloud_id: the Public Cloud.
            public_cloud_project_id: the project.
            dbaas_id: the service.

        Returns:
            The connection; its repr shows host, port and user, never the password.

        Raises:
            NotFoundError: no such service.
            APIError: e.g. ``cannot_retrieve_connection_information`` while
                the service is not ready.
        """
        path = f"{_service_path(public_cloud_id, public_cloud_project_id, dbaas_id)}/reset_password"
        method = self._reset_password_method or "POST"
        try:
            envelope = self._pipeline.request(method, path)
        except APIError as exc:
            if exc.status != 405 or self._reset_password_method is not None:
                raise
            method = "GET"
            envelope = self._pipeline.request(method, path)
        self._reset_password_method = method
        return decode_data(envelope, DatabaseServiceConnection, method=method, path=path)

    def toggle_slow_logs(
        self, *, public_cloud_id: int, public_cloud_project_id: int, dbaas_id: int
    ) -> bool:
        """Switch the MySQL slow query log on or off.

        A newer route, seen in one client only; its answer is taken as the API's boolean.

        Args:
            public_cloud_id: the Public Cloud.
            public_cloud_project_id: the project.
            dbaas_id: the service.

        Returns:
            The API's answer.

        Raises:
            NotFoundError: no such service.
        """
        base = _service_path(public_cloud_id, public_cloud_project_id, dbaas_id)
        envelope = self._pipeline.request("POST", f"{base}/toggle_slow_logs")
        return bool(envelope.get("data"))

    # -------------------------------------------------------------- reference data

    def types(self) -> builtins.list[DatabaseServiceType]:
        """The engines and their versions.

        Returns:
            The engine types, e.g. ``mysql`` with ``["8.0.42"]``.

        Raises:
            infomaniak.errors.APIError: the API answered an error.
        """
        path = "/1/public_clouds/dbaas/types"
        envelope = self._pipeline.request("GET", path)
        return decode_list(envelope, DatabaseServiceType, method="GET", path=path)

    def regions(self) -> builtins.list[str]:
        """The regions where services can be created.

        Returns:
            Region names, e.g. ``["dc4-a"]``.

        Raises:
            infomaniak.errors.APIError: the API answered an error.
        """
        path = "/1/public_clouds/dbaas/regions"
        envelope = self._pipeline.request("GET", path)
        return decode_list(envelope, str, method="GET", path=path)

    def packs(
        self,
        *,
        type: str | None = None,
        search: str | None = None,
        names: str | Sequence[str] | None = None,
        groups: str | Sequence[str] | None = None,
        available: bool | None = None,
        instances: int | None = None,
        cpu: int | None = None,
        ram: int | None = None,
        storage: int | None = None,
        maximum_instances: int | None = None,
        maximum_cpu: int | None = None,
        maximum_ram: int | None = None,
        maximum_storage: int | None = None,
        rate: float | None = None,
        minimum_rate: float | Mapping[str, float] | None = None,
        maximum_rate: float | Mapping[str, float] | None = None,
        currency: Currency | None = None,
    ) -> builtins.list[DatabaseServicePack]:
        """The packs (sizes) a service can have, filtered.

        Args:
            type: engine (``"mysql"``).
            search: filter on the name.
            names: exact pack names (``"essential-db-4"``).
            groups: ``"essential"``, ``"business"``, ``"enterprise"``.
            available: only packs that can be ordered now.
            instances: exact instance count.
            cpu: exact vCPUs.
            ram: exact memory (GB).
            storage: exact storage (GB).
            maximum_instances: at most this many instances.
            maximum_cpu: at most this many vCPUs.
            maximum_ram: at most this much memory.
            maximum_storage: at most this much storage.
            rate: hourly rate at least this (VAT excluded).
            minimum_rate: hourly rate at least this: a number (VAT excluded)
                or ``{"excluding_tax": x}`` / ``{"including_tax": x}``.
            maximum_rate: hourly rate at most this, same forms.
            currency: currency of the rates (``"CHF"`` or ``"EUR"``).

        Returns:
            The matching packs.

        Raises:
            TypeError: an argument has the wrong type.
            ValueError: a bad value (nothing sent).
            infomaniak.errors.APIError: the API answered an error.
        """
        counts = {
            name: None if value is None else check_non_negative_int(name, value)
            for name, value in (
                ("instances", instances),
                ("cpu", cpu),
                ("ram", ram),
                ("storage", storage),
                ("maximum_instances", maximum_instances),
                ("maximum_cpu", maximum_cpu),
                ("maximum_ram", maximum_ram),
                ("maximum_storage", maximum_storage),
            )
        }
        params = list_params(
            search=search,
            filters={
                "names": check_str_list("names", names),
                "groups": check_str_list("groups", groups),
                "available": check_flag("available", available),
                **counts,
                "rate": _number("rate", rate),
                "minimum_rate": _rate_bound("minimum_rate", minimum_rate),
                "maximum_rate": _rate_bound("maximum_rate", maximum_rate),
                "currency": _currency(currency),
            },
            type=check_str("type", type, min_length=1, optional=True),
        )
        path = "/1/public_clouds/dbaas/packs"
        envelope = self._pipeline.request("GET", path, params=params)
        return decode_list(envelope, DatabaseServicePack, method="GET", path=path)

    def pack_filters(self, *, currency: Currency | None = None) -> builtins.list[str]:
        """The names of the filters ``packs()`` accepts, as the API lists them.

        Args:
            currency: currency of the rates.

        Returns:
            Filter names.

        Raises:
            ValueError: ``currency`` is not CHF or EUR (nothing sent).
            infomaniak.errors.APIError: the API answered an error.
        """
        path = "/1/public_clouds/dbaas/packs/filters"
        params = list_params(filters={"currency": _currency(currency)})
        envelope = self._pipeline.request("GET", path, params=params)
        return decode_list(envelope, str, method="GET", path=path)

    def configuration_options(
        self, *, currency: Currency | None = None
    ) -> dict[str, Any] | builtins.list[Any]:
        """What can be configured: the settable variables and object-storage rates.

        As the API sends them (the shape is undocumented).

        Args:
            currency: currency of the rates.

        Returns:
            The API's data, unchanged.

        Raises:
            ValueError: ``currency`` is not CHF or EUR (nothing sent).
            infomaniak.errors.APIError: the API answered an error.
        """
        path = "/1/public_clouds/dbaas/configurations"
        params = list_params(filters={"currency": _currency(currency)})
        envelope = self._pipeline.request("GET", path, params=params)
        data: dict[str, Any] | builtins.list[Any] = envelope.get("data")
        return data
