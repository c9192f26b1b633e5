"""Managed databases backed by a real MySQL-protocol server (MariaDB or MySQL).

``Emulator(mysql="mysql://admin:pw@127.0.0.1:3306")`` hands the emulator an
administrator account on a server the user runs. Then, for each database
service:

- creating it creates a real database and an account with all privileges on
  that database only, and its ``connection`` reports the server's host and
  port, that account and its password, and the database in ``uri``'s path
  (``mysql://user:pw@host:port/database``);
- ``reset_password`` changes the account's real password (the answer is sent
  once the server has it);
- a backup copies the service's tables (structure, indexes and rows; not
  views, routines, triggers or foreign keys) into a hidden schema the account
  cannot see; a restore copies the backup's tables into the target service's
  database (a new service, or the same one, whose tables are replaced);
- deleting it drops the database, the account and its backups at once.

Names start with ``ikemu_<6 hex>_`` (random per emulator, so emulators sharing
a server never collide): database and account ``ikemu_1a2b3c_7345``, backups
``ikemu_1a2b3c_7345_b1``. Stopping the emulator drops everything it created.

TLS: by default the server is reached in plain text and the emulator has no
CA of that server to hand out: ``connection.ca`` is ``""`` (the schema
requires the key), so ``connect_kwargs()`` gives no ``ssl`` and the drivers
connect without TLS. With the server's CA in the URL
(``mysql://admin:pw@127.0.0.1:3306?ssl_ca=/path/to/ca.pem``), the emulator
talks TLS to the server (the certificate must name the URL's host), the
accounts it creates are ``REQUIRE SSL``, and ``connection.ca`` is that CA:
``connect_kwargs()`` then gives an ``ssl.SSLContext`` that trusts it.

Every SQL statement runs in one worker thread with its own PyMySQL connection,
in the order the requests asked for them: the event loop never blocks. The
answers that must reflect the server (``reset_password``, a backup's
snapshot, a deletion, a connection rendered before the account exists) wait
for their statements; the lifecycle transitions (``ready``, ``Succeeded``)
wait for theirs on the emulator's lazy clock.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import secrets
import ssl
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, quote, unquote, urlsplit

if TYPE_CHECKING:
    import pymysql

    from ._state import Item, State

logger = logging.getLogger("infomaniak.testing")

SCHEMES = ("mysql", "mariadb", "mysql+pymysql", "mariadb+pymysql")
# How often a transition waiting for the server looks again (lazy clock).
_RECHECK = 0.01


class MysqlUnavailable(RuntimeError):
    """The MySQL server given to the emulator cannot be reached or used."""


def _require_pymysql() -> Any:
    try:
        import pymysql
    except ImportError:  # pragma: no cover - depends on the environment
        raise ImportError(
            "backing the emulator with a MySQL server needs PyMySQL: "
            "pip install 'infomaniak-cloud[mysql]'"
        ) from None
    return pymysql


class Account:
    """The real database and account of one service."""

    def __init__(self, name: str, ready: Future[None]) -> None:
        self.database = name
        self.user = name
        self.ready = ready


class MysqlBackend:
    """The link to the user's server: parses the URL, runs the statements.

    Methods without a leading underscore are called by the routes under the
    state lock and never block; the ``_job_*`` methods run in the worker thread.
    """

    def __init__(self, url: str) -> None:
        if not isinstance(url, str):
            raise TypeError(f"mysql must be a URL string, not {type(url).__name__}")
        try:
            parts = urlsplit(url)
            port = parts.port or 3306
        except ValueError:
            raise ValueError("mysql must be a URL like mysql://admin:pw@127.0.0.1:3306") from None
        if parts.scheme not in SCHEMES or not parts.hostname or not parts.username:
            raise ValueError(
                "mysql must be a URL like mysql://admin:pw@127.0.0.1:3306 "
                f"(scheme one of {', '.join(SCHEMES)}, with a user and a host)"
            )
        _require_pymysql()
        options = parse_qs(parts.query, keep_blank_values=True)
        unknown = sorted(set(options) - {"ssl_ca"})
        if unknown:
            raise ValueError(f"mysql URL: unknown option {unknown[0]!r} (known: ssl_ca)")
        self.ca: str | None = None
        self._ca_file: str | None = None
        if "ssl_ca" in options:
            self._ca_file = options["ssl_ca"][-1]
            try:
                with open(self._ca_file, encoding="ascii") as pem:
                    self.ca = pem.read()
                ssl.create_default_context(cadata=self.ca)
            except (OSError, ValueError, ssl.SSLError) as exc:
                raise ValueError(
                    f"mysql URL: ssl_ca={self._ca_file!r} is not a readable PEM CA: {exc}"
                ) from None
        self.host = parts.hostname
        self.port = port
        self.admin_user = unquote(parts.username)
        self._admin_password = unquote(parts.password or "")
        self.prefix = f"ikemu_{secrets.token_hex(3)}"
        self._accounts: dict[int, Account] = {}
        self._backups: dict[tuple[int, str], str] = {}
        self._backup_numbers = itertools.count(1)
        self._executor: ThreadPoolExecutor | None = None
        # Touched in the worker thread only.
        self._conn: pymysql.connections.Connection[Any] | None = None
        self._schemas: set[str] = set()
        self._users: set[str] = set()

    def __repr__(self) -> str:
        return f"MysqlBackend({self.admin_user}@{self.host}:{self.port}, prefix={self.prefix})"

    # ------------------------------------------------------------------ worker

    def _submit(self, job: Callable[..., None], *args: Any, log: bool = True) -> Future[None]:
        if self._executor is None:
            self._executor = ThreadPoolExecutor(
                max_workers=1, thread_name_prefix="infomaniak-emulator-mysql"
            )
        if not log:
            return self._executor.submit(job, *args)
        return self._executor.submit(self._run, job, *args)

    def _run(self, job: Callable[..., None], *args: Any) -> None:
        try:
            job(*args)
        except Exception:
            logger.exception("MySQL backend: %s failed", job.__name__)
            raise

    def _connection(self) -> pymysql.connections.Connection[Any]:
        pymysql = _require_pymysql()
        if self._conn is not None:
            try:
                self._conn.ping(reconnect=False)
                return self._conn
            except pymysql.MySQLError:
                # Closed by the server (restarted, wait_timeout): a new one.
                with contextlib.suppress(pymysql.MySQLError):
                    self._conn.close()
                self._conn = None
        self._conn = pymysql.connect(
            host=self.host,
            port=self.port,
            user=self.admin_user,
            password=self._admin_password,
            ssl=None if self._ca_file is None else ssl.create_default_context(cafile=self._ca_file),
            autocommit=True,
            charset="utf8mb4",
            connect_timeout=10,
        )
        return self._conn

    def _sql(self, statement: str, args: tuple[Any, ...] | None = None) -> list[tuple[Any, ...]]:
        with self._connection().cursor() as cursor:
            cursor.execute(statement, args)
            return list(cursor.fetchall())

    # ------------------------------------------------------------------ lifecycle

    def check(self) -> Future[None]:
        """Connect once (the emulator's ``start`` waits for it)."""
        return self._submit(self._job_check, log=False)

    def _job_check(self) -> None:
        pymysql = _require_pymysql()
        try:
            self._sql("SELECT 1")
        except pymysql.MySQLError as exc:
            raise MysqlUnavailable(
                f"cannot use the MySQL server at {self.host}:{self.port} "
                f"as {self.admin_user!r}: {exc}"
            ) from None

    def close(self) -> Future[None]:
        """Drop everything this emulator created; close the connection."""
        self._accounts.clear()
        self._backups.clear()
        future = self._submit(self._job_close)
        executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=False)
        return future

    def _job_close(self) -> None:
        try:
            if self._schemas or self._users:
                for schema in sorted(self._schemas):
                    self._sql(f"DROP DATABASE IF EXISTS `{schema}`")
                for user in sorted(self._users):
                    self._sql("DROP USER IF EXISTS %s@'%%'", (user,))
        finally:
            self._schemas.clear()
            self._users.clear()
            conn, self._conn = self._conn, None
            if conn is not None:
                with contextlib.suppress(Exception):
                    conn.close()

    # ------------------------------------------------------------------ services

    def account(self, service: Item) -> Account:
        """The service's account, created on the server on first use.

        Services created through the API get theirs at once; the seeded ones
        when something first needs it.
        """
        found = self._accounts.get(service["id"])
        if found is None:
            name = f"{self.prefix}_{service['id']}"
            ready = self._submit(self._job_create, name, service["_password"])
            found = self._accounts[service["id"]] = Account(name, ready)
        return found

    def _job_create(self, name: str, password: str) -> None:
        self._schemas.add(name)
        self._users.add(name)
        self._sql(f"CREATE DATABASE IF NOT EXISTS `{name}` CHARACTER SET utf8mb4")
        self._sql("DROP USER IF EXISTS %s@'%%'", (name,))
        # With the server's CA, the service is TLS-only, as a managed one would be.
        tls = "" if self.ca is None else " REQUIRE SSL"
        self._sql(f"CREATE USER %s@'%%' IDENTIFIED BY %s{tls}", (name, password))
        # "_" is a wildcard in a GRANT's database name: escaped, it means this one only.
        pattern = name.replace("_", "\\_")
        self._sql(f"GRANT ALL PRIVILEGES ON `{pattern}`.* TO %s@'%%'", (name,))

    def connection(self, state: State, service: Item) -> Item:
        """The service's ``connection``; the answer waits for the account to exist."""
        account = self.account(service)
        hold(state, account.ready)
        password = service["_password"]
        user, database = account.user, account.database
        host = f"[{self.host}]" if ":" in self.host else self.host
        return {
            "host": self.host,
            "port": str(self.port),
            "user": user,
            "password": password,
            "uri": f"mysql://{user}:{quote(password, safe='')}@{host}:{self.port}/{database}",
            "command": f"mysql -h {self.host} -P {self.port} -u {user} -p {database}",
            # The server's CA, when the URL gave it (see the module docstring).
            "ca": self.ca or "",
        }

    def reset_password(self, service: Item) -> Future[None]:
        """Give the account the service's (new) password."""
        account = self.account(service)
        return self._submit(self._job_password, account.user, service["_password"])

    def _job_password(self, user: str, password: str) -> None:
        self._sql("ALTER USER %s@'%%' IDENTIFIED BY %s", (user, password))

    def delete(self, service: Item) -> Future[None] | None:
        """Drop the service's database, account and backups (``None``: it had none)."""
        account = self._accounts.pop(service["id"], None)
        schemas = [self._backups.pop(key) for key in list(self._backups) if key[0] == service["id"]]
        if account is None and not schemas:
            return None
        return self._submit(self._job_drop, account.user if account else None, schemas)

    def _job_drop(self, user: str | None, schemas: list[str]) -> None:
        for schema in [user, *schemas]:
            if schema is not None:
                self._sql(f"DROP DATABASE IF EXISTS `{schema}`")
                self._schemas.discard(schema)
        if user is not None:
            self._sql("DROP USER IF EXISTS %s@'%%'", (user,))
            self._users.discard(user)

    # ------------------------------------------------------------------ backups

    def backup(self, service: Item, backup_id: str) -> Future[None]:
        """Snapshot the service's tables into a hidden schema."""
        account = self.account(service)
        schema = f"{account.database}_b{next(self._backup_numbers)}"
        self._backups[(service["id"], backup_id)] = schema
        return self._submit(self._job_copy, account.database, schema)

    def delete_backup(self, service: Item, backup_id: str) -> Future[None] | None:
        """Drop a backup's schema (``None``: it had none)."""
        schema = self._backups.pop((service["id"], backup_id), None)
        if schema is None:
            return None
        return self._submit(self._job_drop, None, [schema])

    def restore(self, source: Item, backup_id: str, target: Item) -> Future[None]:
        """Replace the target service's tables by those of a backup of ``source``.

        A backup the server never saw (the seeded ones) restores as empty.
        """
        schema = self._backups.get((source["id"], backup_id))
        return self._submit(self._job_copy, schema, self.account(target).database)

    def _job_copy(self, source: str | None, target: str) -> None:
        self._schemas.add(target)
        self._sql(f"CREATE DATABASE IF NOT EXISTS `{target}` CHARACTER SET utf8mb4")
        self._sql("SET FOREIGN_KEY_CHECKS = 0")
        try:
            for (table,) in self._tables(target):
                self._sql(f"DROP TABLE `{target}`.`{_ident(table)}`")
            if source is None:
                return
            for (table,) in self._tables(source):
                name = _ident(table)
                self._sql(f"CREATE TABLE `{target}`.`{name}` LIKE `{source}`.`{name}`")
                self._sql(f"INSERT INTO `{target}`.`{name}` SELECT * FROM `{source}`.`{name}`")
        finally:
            self._sql("SET FOREIGN_KEY_CHECKS = 1")

    def _tables(self, schema: str) -> list[tuple[Any, ...]]:
        return self._sql(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = %s AND table_type = 'BASE TABLE' ORDER BY table_name",
            (schema,),
        )


def _ident(name: Any) -> str:
    """A table name as MySQL listed it, escaped for backquotes."""
    if isinstance(name, bytes):
        name = name.decode()
    return str(name).replace("`", "``")


# ---------------------------------------------------------------------------- hooks


def backend(state: State) -> MysqlBackend | None:
    """The server behind the emulator's databases, if any."""
    found: MysqlBackend | None = state.mysql
    return found


def hold(state: State, future: Future[None] | None) -> None:
    """Send the answer of the request being handled only once ``future`` is done."""
    if future is not None:
        state.waits.append(future)


def once_done(
    state: State, future: Future[None] | None, event: Callable[[float, bool], None]
) -> Callable[[float], None]:
    """An event of the lazy clock that runs ``event(at, ok)`` once ``future`` is done.

    Until then it puts itself back on the clock: a transition never shows
    before the server did the work (``ok`` is False when the work failed).
    """

    def check(at: float) -> None:
        if future is None:
            event(at, True)
        elif future.done():
            event(at, future.exception() is None)
        else:
            state.schedule(state.now() + _RECHECK, check)

    return check
