"""Models of the managed databases (DBaaS): services, packs, backups, schedules, restores.

Secrets (passwords, connection strings, CA material) are ``repr=False``: they
never show in a repr, a log line or an exception message.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from attrs import Factory, define, field

from ..._converter import INTERN, DecodeError, json_name, merge_objects, structure
from ._public_cloud import PublicCloudTag


class DatabaseServiceStatus(StrEnum):
    """Lifecycle of a database service. Unknown values arrive as plain strings."""

    ERROR = "error"
    INITIALIZING = "initializing"
    PAUSED = "paused"
    READY = "ready"
    STOPPING = "stopping"
    UNKNOWN = "unknown"


class DatabaseServiceBackupStatus(StrEnum):
    """Lifecycle of a backup (and, as far as is known, of a restore).

    ``Starting`` -> ``Running`` -> ``Succeeded`` | ``Failed`` | ``Error``.
    Unknown values arrive as plain strings.
    """

    ERROR = "Error"
    FAILED = "Failed"
    RUNNING = "Running"
    STARTING = "Starting"
    SUCCEEDED = "Succeeded"
    UNKNOWN = "Unknown"


@define(kw_only=True, frozen=True, weakref_slot=False)
class DatabaseServiceRate:
    """An hourly price.

    Attributes:
        hour_excl_tax: price per hour, VAT excluded.
        hour_incl_tax: price per hour, VAT included.
    """

    hour_excl_tax: float | None = None
    hour_incl_tax: float | None = None

    @staticmethod
    def _structure_from_list(value: list[Any]) -> DatabaseServiceRate:
        # The spec types each currency's prices as an array of their parts.
        return structure(merge_objects(value, "DatabaseServiceRate"), DatabaseServiceRate)


@define(kw_only=True, weakref_slot=False)
class DatabaseServicePackRates:
    """The hourly prices of a pack, per currency.

    Attributes:
        chf: prices in CHF (the API's ``CHF`` key).
        eur: prices in EUR (the API's ``EUR`` key).
        hour_excl_tax: price in the currency asked with ``currency=``, VAT excluded.
        hour_incl_tax: same, VAT included.
    """

    chf: DatabaseServiceRate | None = field(default=None, alias="CHF")
    eur: DatabaseServiceRate | None = field(default=None, alias="EUR")
    hour_excl_tax: float | None = None
    hour_incl_tax: float | None = None

    @staticmethod
    def _structure_from_list(value: list[Any]) -> DatabaseServicePackRates:
        # The live API sends {"CHF": {...}, "EUR": {...}}; the spec types rates
        # as an array of those parts: both read as one object.
        return structure(merge_objects(value, "DatabaseServicePackRates"), DatabaseServicePackRates)


@define(kw_only=True, weakref_slot=False)
class DatabaseServicePack:
    """A size of database service (``essential-db-4``...).

    Attributes:
        id: pack id, to give as ``pack_id``.
        type: engine (``"mysql"``).
        group: ``"essential"``, ``"business"`` or ``"enterprise"``.
        name: pack name, e.g. ``"essential-db-4"``.
        instances: number of database instances.
        cpu: vCPUs per instance.
        ram: memory in GB.
        storage: storage in GB.
        rates: hourly prices.
    """

    id: int
    type: str = field(default="", metadata={INTERN: True})
    group: str = field(default="", metadata={INTERN: True})
    name: str = field(default="", metadata={INTERN: True})
    instances: int | None = None
    cpu: int | None = None
    ram: int | None = None
    storage: int | None = None
    rates: DatabaseServicePackRates | None = None


@define(kw_only=True, weakref_slot=False)
class DatabaseServiceType:
    """A database engine and the versions that can be created.

    Attributes:
        name: engine, e.g. ``"mysql"``.
        versions: versions, e.g. ``["8.0.42"]`` (oldest first as the API lists them).
    """

    name: str
    versions: list[str] = Factory(list)


@define(kw_only=True, weakref_slot=False)
class DatabaseServiceProject:
    """The project a service belongs to (the API's ``ServiceProject``, with ``with_="projects"``).

    Attributes:
        id: project id (``public_cloud_project_id``).
        public_cloud_id: the Public Cloud of the project.
        name: project name.
        open_stack_name: OpenStack name, e.g. ``"PCP-XXXX"``.
    """

    id: int
    public_cloud_id: int | None = None
    name: str = ""
    open_stack_name: str | None = None


@define(kw_only=True, weakref_slot=False)
class DatabaseServiceConnection:
    """How to connect to a service. Its repr shows host, port and user only.

    Attributes:
        host: host name.
        port: port, as a string (``"3306"``) like the API sends it.
        user: user name (``"root"``).
        password: the password (secret: not in the repr).
        uri: a connection URI with the password (secret: not in the repr).
        command: a command line to connect.
        ca: the CA certificate, PEM (not in the repr).
    """

    host: str = ""
    port: str = field(default="", metadata={INTERN: True})
    user: str = field(default="", metadata={INTERN: True})
    password: str | None = field(default=None, repr=False)
    uri: str | None = field(default=None, repr=False)
    command: str | None = field(default=None, repr=False)
    ca: str | None = field(default=None, repr=False, metadata={INTERN: True})

    @staticmethod
    def _structure_from_list(value: list[Any]) -> DatabaseServiceConnection | None:
        # The API sends [] (a PHP empty array) while the connection is not
        # available; the spec types the connection as an array: a non-empty
        # one holds the object (its parts are read as one object).
        if not value:
            return None
        return structure(
            merge_objects(value, "DatabaseServiceConnection"), DatabaseServiceConnection
        )


@define(kw_only=True, weakref_slot=False)
class DatabaseServiceBackup:
    """A backup of a service.

    Attributes:
        id: backup id (a string, e.g. ``"20251201-120000-pcdb-12345"``).
        location: where it is stored in the bucket.
        endpoint: the object storage endpoint.
        created_at: unix time it started.
        completed_at: unix time it finished, ``None`` until then.
        status: ``Starting``, ``Running``, ``Succeeded``, ``Failed``...
    """

    id: str
    location: str | None = None
    endpoint: str | None = None
    created_at: int | None = None
    completed_at: int | None = None
    status: DatabaseServiceBackupStatus | str = ""


@define(kw_only=True, weakref_slot=False)
class DatabaseServiceBackupSchedule:
    """A daily backup schedule of a service.

    Attributes:
        id: schedule id.
        name: the name the API generated.
        scheduled_at: time of the daily backup, ``"HH:MM"`` UTC.
        retention: number of backups kept (1-60).
        is_pitr_enabled: point-in-time recovery is on.
    """

    id: int
    name: str | None = None
    scheduled_at: str = field(default="", metadata={INTERN: True})
    retention: int | None = None
    is_pitr_enabled: bool | None = None


@define(kw_only=True, weakref_slot=False)
class DatabaseServiceCreation:
    """The API's answer to a creation (of a service, or of a restore into a new one).

    Attributes:
        id: the new service's id.
        kube_identifier: its identifier, e.g. ``"pcdb-12345"``.
        admin_password: the root password, returned only here (secret: not in the repr).
    """

    id: int
    kube_identifier: str | None = None
    admin_password: str | None = field(default=None, repr=False)

    @staticmethod
    def _structure_from_list(value: list[Any]) -> DatabaseServiceCreation | None:
        # The spec types a restore's new_service as an array: [] means none, and a
        # one-element array holds the object.
        if not value:
            return None
        if len(value) == 1 and isinstance(value[0], dict):
            return structure(value[0], DatabaseServiceCreation)
        kinds = ", ".join(sorted({json_name(item) for item in value}))
        raise DecodeError(
            f"expected an object for DatabaseServiceCreation, "
            f"got an array of {len(value)} ({kinds})"
        )


@define(kw_only=True, weakref_slot=False)
class DatabaseServiceRestore:
    """A restore of a backup (in place, into a new service, or to a point in time).

    Attributes:
        id: restore id (a string).
        backup_id: the backup restored.
        backup_source: the identifier of the service the backup comes from.
        created_at: unix time it started.
        pitr_date: the point in time restored to, if any.
        status: ``Starting``, ``Running``, ``Succeeded``, ``Failed``...
        new_service: the new service (id, identifier, admin password) for a
            restore into a new service, else ``None``.
    """

    id: str
    backup_id: str | None = None
    backup_source: str | None = None
    created_at: int | None = None
    pitr_date: str | None = None
    status: DatabaseServiceBackupStatus | str = ""
    new_service: DatabaseServiceCreation | None = None


@define(kw_only=True, weakref_slot=False)
class DatabaseService:
    """A managed database service.

    The relations are ``None`` unless asked with ``with_=`` on ``get``/``list``.

    Attributes:
        id: service id (``dbaas_id``).
        name: service name.
        kube_identifier: identifier, e.g. ``"pcdb-12345"``.
        region: region, e.g. ``"dc4-a"``.
        status: ``initializing``, ``ready``, ``error``...
        type: engine (``"mysql"``).
        version: engine version.
        project: its project (``with_="projects"``).
        pack: its pack (``with_="packs"``).
        tags: its tags (``with_="tags"``).
        connection: how to connect (``with_="connection"``); ``None`` while not
            available (the API sends ``[]``).
        backup_schedules: its schedules (``with_="backup_schedules"``).
        configuration: its engine variables, when sent (else empty).
        backups: its backups (``with_="backups"``).
        last_backup_at: unix time of the last backup.
        total_backup_size: size of its backups, when sent.
    """

    id: int
    name: str = ""
    kube_identifier: str | None = None
    region: str | None = field(default=None, metadata={INTERN: True})
    status: DatabaseServiceStatus | str = ""
    type: str | None = field(default=None, metadata={INTERN: True})
    version: str | None = field(default=None, metadata={INTERN: True})
    project: DatabaseServiceProject | None = None
    pack: DatabaseServicePack | None = None
    tags: list[PublicCloudTag] | None = None
    connection: DatabaseServiceConnection | None = None
    backup_schedules: list[DatabaseServiceBackupSchedule] | None = None
    configuration: dict[str, Any] = Factory(dict)
    backups: list[DatabaseServiceBackup] | None = None
    last_backup_at: int | None = None
    total_backup_size: int | None = None
