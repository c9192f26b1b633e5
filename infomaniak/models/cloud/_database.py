"""Models of the managed databases (DBaaS): services, packs, backups, schedules, restores.

Secrets (passwords, connection strings, CA material) are ``repr=False``: they
never show in a repr, a log line or an exception message.
"""

from __future__ import annotations

import re
import ssl
from enum import StrEnum
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from attrs import Factory, define, field

from ..._converter import INTERN, DecodeError, json_name, merge_objects, structure
from .._model import Model
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


@define(kw_only=True, frozen=True, weakref_slot=False, repr=False)
class DatabaseServiceRate(Model):
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


@define(kw_only=True, weakref_slot=False, repr=False)
class DatabaseServicePackRates(Model):
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


@define(kw_only=True, weakref_slot=False, repr=False)
class DatabaseServicePack(Model):
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


@define(kw_only=True, weakref_slot=False, repr=False)
class DatabaseServiceType(Model):
    """A database engine and the versions that can be created.

    Attributes:
        name: engine, e.g. ``"mysql"``.
        versions: versions, e.g. ``["8.0.42"]`` (oldest first as the API lists them).
    """

    name: str
    versions: list[str] = Factory(list)


@define(kw_only=True, weakref_slot=False, repr=False)
class DatabaseServiceProject(Model):
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


@define(kw_only=True, weakref_slot=False, repr=False)
class DatabaseServiceConnection(Model):
    """How to connect to a service. Its repr shows host, port and user only.

    ``connect_kwargs()`` gives the arguments of a MySQL driver's ``connect()``
    (PyMySQL, aiomysql) and ``url()`` a SQLAlchemy URL, so the next line of a
    program talks to the database::

        conn = pymysql.connect(**service.connection.connect_kwargs())

    Attributes:
        host: host name.
        port: port, as a string (``"3306"``) like the API sends it.
        user: user name (``"root"``).
        password: the password (secret: not in the repr).
        uri: a connection URI with the password (secret: not in the repr).
        command: a command line to connect.
        ca: the CA certificate, PEM (not in the repr); empty or ``None`` when
            there is none to trust (the emulator backed by a MySQL server
            without TLS).
    """

    host: str = ""
    port: str = field(default="", metadata={INTERN: True})
    user: str = field(default="", metadata={INTERN: True})
    password: str | None = field(default=None, repr=False)
    uri: str | None = field(default=None, repr=False)
    command: str | None = field(default=None, repr=False)
    ca: str | None = field(default=None, repr=False, metadata={INTERN: True})

    @property
    def database(self) -> str | None:
        """The database named in ``uri`` (its path), if any.

        The live API's URI names none (its user is ``root``: create your own);
        the emulator backed by a real MySQL server names the one database its
        account may use.
        """
        if not self.uri:
            return None
        try:
            path = urlsplit(self.uri).path
        except ValueError:
            return None
        name = unquote(path.lstrip("/"))
        return name or None

    def ssl_context(self) -> ssl.SSLContext | None:
        """An ``ssl.SSLContext`` that trusts the service's CA, or ``None`` without a CA.

        Returns:
            A context verifying the server's certificate and host name against
            ``ca``; ``None`` when the API gave no CA.

        Raises:
            ValueError: ``ca`` is not a PEM certificate.
        """
        if not self.ca or not self.ca.strip():
            return None
        try:
            return ssl.create_default_context(cadata=self.ca)
        except (ssl.SSLError, ValueError) as exc:
            # The PEM is not secret, but its text is long: name the field only.
            raise ValueError(f"connection.ca is not a usable PEM certificate: {exc}") from None

    def connect_kwargs(self, *, db: str | None = None) -> dict[str, Any]:
        """The keyword arguments of a MySQL driver's ``connect()``.

        The keys are ones PyMySQL (``pymysql.connect``) and aiomysql
        (``aiomysql.connect``, ``create_pool``) both take as they are:
        ``host``, ``port`` (an int), ``user``, ``password``, then ``ssl`` (an
        ``ssl.SSLContext`` trusting ``ca``) when the API gave a CA, and ``db``
        when one is given or named in ``uri``. The result holds the password:
        do not log it.

        Args:
            db: The database to select on connection (default: the one
                ``uri`` names, else none).

        Returns:
            A new dict, e.g. ``pymysql.connect(**connection.connect_kwargs())``.

        Raises:
            TypeError: ``db`` is not a string.
            ValueError: ``port`` is not a number, or ``ca`` is not a PEM certificate.
        """
        if db is not None and not isinstance(db, str):
            raise TypeError(f"db must be a string, not {type(db).__name__}")
        # What can fail comes first: no frame of an error holds the password.
        port = self._port()
        context = self.ssl_context()
        kwargs: dict[str, Any] = {
            "host": self.host,
            "port": port,
            "user": self.user,
            "password": self.password or "",
        }
        if context is not None:
            kwargs["ssl"] = context
        database = db if db is not None else self.database
        if database:
            kwargs["db"] = database
        return kwargs

    def url(self, driver: str | None = "pymysql", *, db: str | None = None) -> str:
        """A SQLAlchemy URL: ``mysql+pymysql://user:password@host:port/db``.

        User and password are percent-escaped. A URL cannot carry the CA
        itself: with a CA, pass ``connect_args={"ssl": connection.ssl_context()}``
        to ``create_engine``. The result holds the password: do not log it.

        Args:
            driver: The SQLAlchemy dialect's driver (``"pymysql"``,
                ``"aiomysql"``, ``"mysqldb"``...); ``None`` for a plain
                ``mysql://`` URL.
            db: The database of the URL (default: the one ``uri`` names, else none).

        Returns:
            The URL, as a string.

        Raises:
            TypeError: ``driver`` or ``db`` is not a string.
            ValueError: ``driver`` is not a driver name, or ``port`` is not a number.
        """
        if driver is not None:
            if not isinstance(driver, str):
                raise TypeError(f"driver must be a string or None, not {type(driver).__name__}")
            if not re.fullmatch(r"[a-z][a-z0-9_]*", driver):
                raise ValueError(f"driver must be a driver name like 'pymysql', got {driver!r}")
        if db is not None and not isinstance(db, str):
            raise TypeError(f"db must be a string, not {type(db).__name__}")
        scheme = "mysql" if driver is None else f"mysql+{driver}"
        host = f"[{self.host}]" if ":" in self.host else self.host
        # What can fail comes first: no frame of an error holds the password.
        port = self._port()
        database = db if db is not None else self.database
        path = "/" + quote(database, safe="") if database else ""
        credentials = quote(self.user, safe="")
        if self.password:
            return f"{scheme}://{credentials}:{quote(self.password, safe='')}@{host}:{port}{path}"
        return f"{scheme}://{credentials}@{host}:{port}{path}"

    def _port(self) -> int:
        raw = str(self.port).strip()
        if not raw:
            return 3306  # MySQL's port, when the API leaves it out
        if not raw.isdigit() or not 0 < int(raw) < 65536:
            raise ValueError(f"connection.port is not a port number: {self.port!r}")
        return int(raw)

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


@define(kw_only=True, weakref_slot=False, repr=False)
class DatabaseServiceBackup(Model):
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


@define(kw_only=True, weakref_slot=False, repr=False)
class DatabaseServiceBackupSchedule(Model):
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


@define(kw_only=True, weakref_slot=False, repr=False)
class DatabaseServiceCreation(Model):
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


@define(kw_only=True, weakref_slot=False, repr=False)
class DatabaseServiceRestore(Model):
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


@define(kw_only=True, weakref_slot=False, repr=False)
class DatabaseService(Model):
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
