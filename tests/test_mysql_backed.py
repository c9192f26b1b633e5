"""Managed databases backed by a real MySQL-protocol server, end to end.

The SDK creates, backs up, restores, re-passwords and deletes database
services on the emulator; the emulator does it for real on a MariaDB/MySQL
server (``--infomaniak-mysql URL`` or ``$INFOMANIAK_TEST_MYSQL``; ``.ci/run``
starts one); the programs talk to it with PyMySQL, aiomysql and SQLAlchemy
from ``connect_kwargs()`` and ``url()``. Without a server these tests skip,
saying why; in CI they fail instead.
"""

from __future__ import annotations

import asyncio
import os
import re
import ssl
import subprocess
import sys
from pathlib import Path
from typing import Any

import pymysql
import pytest

from infomaniak import AsyncClient, Client
from infomaniak.models.cloud import DatabaseServiceConnection
from infomaniak.testing import Emulator
from infomaniak.testing._mysql import MysqlBackend, MysqlUnavailable
from infomaniak.testing.pytest_plugin import mysql_url

CLOUD = 1332
PROJECT = 25454
IDS = {"public_cloud_id": CLOUD, "public_cloud_project_id": PROJECT}
NEW = {"type": "mysql", "version": "8.0.42", "region": "dc4-a", "pack_id": 1}

backed = pytest.mark.infomaniak_mysql

# connect_kwargs() says ``db``, the one key aiomysql and PyMySQL both take (the
# issue's choice); PyMySQL >= 1.1 warns that it prefers ``database``.
pytestmark = pytest.mark.filterwarnings("ignore:'db' is deprecated:DeprecationWarning")


def _rows(kwargs: dict[str, Any], sql: str) -> list[tuple[Any, ...]]:
    conn = pymysql.connect(**kwargs)
    try:
        with conn.cursor() as cursor:
            cursor.execute(sql)
            return list(cursor.fetchall())
    finally:
        conn.close()


def _admin(emulator: Emulator) -> dict[str, Any]:
    """The admin account the emulator uses (to look at the server from outside)."""
    backend = emulator._mysql
    assert backend is not None
    return {
        "host": backend.host,
        "port": backend.port,
        "user": backend.admin_user,
        "password": backend._admin_password,
    }


def _databases(emulator: Emulator) -> set[str]:
    return {name for (name,) in _rows(_admin(emulator), "SHOW DATABASES")}


# ---------------------------------------------------------------------------- the flow


@backed
def test_blocking_client_create_backup_restore_reset_delete(
    emulator: Emulator, client_options: dict[str, Any]
) -> None:
    with Client(emulator.token, base_url=emulator.url, **client_options) as client:
        db = client.cloud.database
        service = db.create(**IDS, name="orders", **NEW).wait(timeout=30)
        ids = {**IDS, "dbaas_id": service.id}
        connection = db.get(**ids, with_="connection").connection
        assert isinstance(connection, DatabaseServiceConnection)
        assert connection.password and connection.password not in repr(connection)
        kwargs = connection.connect_kwargs()
        assert isinstance(kwargs["port"], int) and kwargs["db"]

        conn = pymysql.connect(**kwargs)
        with conn.cursor() as cursor:
            cursor.execute("CREATE TABLE orders (id INT PRIMARY KEY, item VARCHAR(40))")
            cursor.execute("INSERT INTO orders VALUES (1, 'backed up')")
        conn.commit()

        backup = db.backups.create(**ids).wait(timeout=30)
        assert backup.status == "Succeeded"
        with conn.cursor() as cursor:
            cursor.execute("INSERT INTO orders VALUES (2, 'after the backup')")
        conn.commit()
        conn.close()
        assert _rows(kwargs, "SELECT id FROM orders ORDER BY id") == [(1,), (2,)]

        restore = db.restores.create(**ids, backup_id=backup.id, new_service={"name": "copy"})
        restore.wait(timeout=30)
        assert restore.new_service_id is not None
        copy_ids = {**IDS, "dbaas_id": restore.new_service_id}
        copy = db.get(**copy_ids, with_="connection").connection
        assert copy is not None and copy.connect_kwargs()["db"] != kwargs["db"]
        assert _rows(copy.connect_kwargs(), "SELECT id, item FROM orders") == [(1, "backed up")]
        # The source service still has both rows, which the copy's account cannot read.
        assert _rows(kwargs, "SELECT COUNT(*) FROM orders") == [(2,)]
        with pytest.raises(pymysql.err.OperationalError) as denied:
            _rows(copy.connect_kwargs(), f"SELECT COUNT(*) FROM `{kwargs['db']}`.orders")
        assert denied.value.args[0] in (1044, 1142)  # access denied to that database / table

        fresh = db.reset_password(**ids)
        assert fresh.password and fresh.password != connection.password
        with pytest.raises(pymysql.err.OperationalError) as refused:
            _rows(kwargs, "SELECT 1")
        assert refused.value.args[0] == 1045  # access denied
        assert _rows(fresh.connect_kwargs(), "SELECT COUNT(*) FROM orders") == [(2,)]

        assert kwargs["db"] in _databases(emulator)
        db.delete(**ids).wait(timeout=30)
        assert kwargs["db"] not in _databases(emulator)
        with pytest.raises(pymysql.err.OperationalError):
            _rows(fresh.connect_kwargs(), "SELECT 1")
        # The other service is untouched.
        assert _rows(copy.connect_kwargs(), "SELECT COUNT(*) FROM orders") == [(1,)]


@backed
async def test_async_client_with_aiomysql_and_in_place_restore(
    emulator: Emulator, client_options: dict[str, Any]
) -> None:
    aiomysql = pytest.importorskip("aiomysql")
    async with AsyncClient(emulator.token, base_url=emulator.url, **client_options) as client:
        db = client.cloud.database
        service = await (await db.create(**IDS, name="events", **NEW)).wait(timeout=30)
        ids = {**IDS, "dbaas_id": service.id}
        got = await db.get(**ids, with_="connection")
        assert got.connection is not None
        kwargs = got.connection.connect_kwargs()

        conn = await aiomysql.connect(**kwargs, autocommit=True)
        async with conn.cursor() as cursor:
            await cursor.execute("CREATE TABLE events (id INT PRIMARY KEY)")
            await cursor.execute("INSERT INTO events VALUES (1)")
        backup = await (await db.backups.create(**ids)).wait(timeout=30)
        async with conn.cursor() as cursor:
            await cursor.execute("INSERT INTO events VALUES (2)")
            await cursor.execute("CREATE TABLE later (id INT)")
        conn.close()

        # In place: the service's tables become the backup's.
        await (await db.restores.create(**ids, backup_id=backup.id)).wait(timeout=30)
        conn = await aiomysql.connect(**kwargs)
        async with conn.cursor() as cursor:
            await cursor.execute("SELECT id FROM events")
            assert await cursor.fetchall() == ((1,),)
            await cursor.execute("SHOW TABLES")
            assert await cursor.fetchall() == (("events",),)
        conn.close()

        fresh = await db.reset_password(**ids)
        with pytest.raises(pymysql.err.OperationalError):
            await aiomysql.connect(**kwargs)
        conn = await aiomysql.connect(**fresh.connect_kwargs())
        conn.close()


@backed
def test_sqlalchemy_url_connects(emulator: Emulator, client_options: dict[str, Any]) -> None:
    sqlalchemy = pytest.importorskip("sqlalchemy")
    with Client(emulator.token, base_url=emulator.url, **client_options) as client:
        db = client.cloud.database
        service = db.create(**IDS, name="reports", **NEW).wait(timeout=30)
        connection = db.get(**IDS, dbaas_id=service.id, with_="connection").connection
        assert connection is not None
        engine = sqlalchemy.create_engine(connection.url())
        try:
            with engine.connect() as conn:
                assert conn.execute(sqlalchemy.text("SELECT DATABASE()")).scalar() == (
                    connection.database
                )
        finally:
            engine.dispose()


@backed
def test_seeded_services_get_real_databases_and_stop_drops_everything(
    emulator: Emulator, client_options: dict[str, Any]
) -> None:
    with Client(emulator.token, base_url=emulator.url, **client_options) as client:
        seeded = client.cloud.database.get(**IDS, dbaas_id=7341, with_="connection").connection
        assert seeded is not None and seeded.ca == "" and seeded.ssl_context() is None
        assert "ssl" not in seeded.connect_kwargs()
        assert _rows(seeded.connect_kwargs(), "SELECT 1") == [(1,)]
    backend = emulator._mysql
    assert backend is not None
    prefix = backend.prefix
    admin = _admin(emulator)
    assert any(name.startswith(prefix) for name in _databases(emulator))
    emulator.stop_in_thread()
    assert not [name for (name,) in _rows(admin, "SHOW DATABASES") if name.startswith(prefix)]
    users = _rows(admin, f"SELECT User FROM mysql.user WHERE User LIKE '{prefix}%'")
    assert users == []


DOCS = Path(__file__).resolve().parent.parent / "docs"
_DOC_BLOCK = re.compile(
    r"<!-- illustration: needs a MySQL server; tests/test_mysql_backed.py runs it[^>]*-->\s*"
    r"```python\n(?P<code>.*?)\n```",
    re.DOTALL,
)
DOC_BLOCKS = [
    pytest.param(match["code"], id=f"{path.name}:{number}")
    for path in sorted(DOCS.rglob("*.md"))
    for number, match in enumerate(_DOC_BLOCK.finditer(path.read_text(encoding="utf-8")), 1)
]


def test_the_docs_have_the_mysql_examples() -> None:
    assert len(DOC_BLOCKS) >= 2


@backed
@pytest.mark.parametrize("code", DOC_BLOCKS)
def test_docs_example_runs_against_a_real_server(
    code: str, emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INFOMANIAK_API_TOKEN", emulator.token)
    monkeypatch.setenv("INFOMANIAK_BASE_URL", emulator.url)
    for cls in (Client, AsyncClient):
        # The examples wait with the clients' defaults (first poll after 1 s).
        defaults = dict(cls.__init__.__kwdefaults__ or {})
        monkeypatch.setattr(cls.__init__, "__kwdefaults__", {**defaults, "poll_interval": 0.01})
    exec(compile(code, "docs example", "exec"), {"__name__": "__main__"})
    assert emulator.requests


def _tls_ca() -> str:
    """The CA of the test server's certificate (``$INFOMANIAK_TEST_MYSQL_CA``, set by .ci/run)."""
    ca_file = os.environ.get("INFOMANIAK_TEST_MYSQL_CA")
    if not ca_file:
        reason = "needs INFOMANIAK_TEST_MYSQL_CA: the CA file of the MySQL server's TLS certificate"
        if os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no"):
            pytest.fail(f"CI is set and this test {reason}", pytrace=False)
        pytest.skip(reason)
    return ca_file


def _tls_status(kwargs: dict[str, Any]) -> str:
    rows = _rows(kwargs, "SHOW SESSION STATUS LIKE 'Ssl_version'")
    return str(rows[0][1])


@backed
def test_server_ca_in_the_url_gives_tls_to_both_drivers(
    emulator: Emulator, request: pytest.FixtureRequest, client_options: dict[str, Any]
) -> None:
    ca_file = _tls_ca()
    url = mysql_url(request.config)
    assert url is not None
    tls = Emulator(mysql=f"{url}{'&' if '?' in url else '?'}ssl_ca={ca_file}")
    with tls.in_thread(), Client(tls.token, base_url=tls.url, **client_options) as client:
        db = client.cloud.database
        service = db.create(**IDS, name="secure", **NEW).wait(timeout=30)
        connection = db.get(**IDS, dbaas_id=service.id, with_="connection").connection
        assert connection is not None and connection.ca == Path(ca_file).read_text()
        assert connection.ca not in repr(connection)
        kwargs = connection.connect_kwargs()
        assert isinstance(kwargs["ssl"], ssl.SSLContext)
        assert _tls_status(kwargs).startswith("TLS")
        # The accounts of a TLS server are TLS-only (PyMySQL tries TLS unless told not to).
        plain = {key: value for key, value in kwargs.items() if key != "ssl"}
        plain["ssl_disabled"] = True
        with pytest.raises(pymysql.err.OperationalError) as refused:
            _rows(plain, "SELECT 1")
        assert refused.value.args[0] == 1045

        aiomysql = pytest.importorskip("aiomysql")

        async def cipher() -> str:
            conn = await aiomysql.connect(**kwargs)
            try:
                async with conn.cursor() as cursor:
                    await cursor.execute("SHOW SESSION STATUS LIKE 'Ssl_cipher'")
                    row = await cursor.fetchone()
                    return str(row[1])
            finally:
                conn.close()

        assert asyncio.run(cipher())
        fresh = db.reset_password(**IDS, dbaas_id=service.id)
        assert _tls_status(fresh.connect_kwargs()).startswith("TLS")
    assert tls.schema_errors == []


def test_ssl_ca_option_is_checked(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown option 'sslmode'"):
        MysqlBackend("mysql://admin:pw@127.0.0.1:3306?sslmode=require")
    with pytest.raises(ValueError, match="not a readable PEM CA"):
        MysqlBackend(f"mysql://admin:pw@127.0.0.1:3306?ssl_ca={tmp_path / 'missing.pem'}")
    pem = _cert(tmp_path)
    backend = MysqlBackend(f"mysql://admin:pw@127.0.0.1:3306?ssl_ca={tmp_path / 'ca.pem'}")
    assert backend.ca == pem


# ---------------------------------------------------------------------------- configuration


def test_mysql_url_is_checked_when_the_emulator_is_built() -> None:
    with pytest.raises(ValueError, match=re.escape("mysql://admin:pw@127.0.0.1:3306")):
        Emulator(mysql="postgres://admin:pw@127.0.0.1")
    with pytest.raises(ValueError, match="mysql must be a URL"):
        Emulator(mysql="mysql://127.0.0.1:3306")  # no user
    with pytest.raises(TypeError, match="mysql"):
        MysqlBackend(3306)  # type: ignore[arg-type]
    backend = MysqlBackend("mysql://adm%40in:p%40ss@db.example:3307")
    assert (backend.admin_user, backend.port) == ("adm@in", 3307)
    assert "p@ss" not in repr(backend)


def test_missing_pymysql_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pymysql", None)  # what an absent package gives
    with pytest.raises(ImportError, match=re.escape("pip install 'infomaniak-cloud[mysql]'")):
        Emulator(mysql="mysql://admin:pw@127.0.0.1:3306")
    Emulator()  # without mysql=, PyMySQL is not needed


def test_unreachable_server_fails_start_with_the_reason() -> None:
    emulator = Emulator(mysql="mysql://admin:secret-pw@127.0.0.1:1")
    with pytest.raises(MysqlUnavailable, match=re.escape("127.0.0.1:1")) as failure:
        emulator.start_in_thread()
    assert "secret-pw" not in str(failure.value)


@backed
def test_command_line_mysql_option_serves_real_databases(
    emulator: Emulator, request: pytest.FixtureRequest
) -> None:
    url = mysql_url(request.config)
    assert url is not None
    server = subprocess.Popen(
        [sys.executable, "-m", "infomaniak.testing", "--port", "0", "--mysql", url],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        lines = dict(
            server.stdout.readline().strip().removeprefix("export ").split("=", 1) for _ in range(2)
        )
        with Client(
            lines["INFOMANIAK_API_TOKEN"],
            base_url=lines["INFOMANIAK_BASE_URL"],
            poll_interval=0.01,
        ) as client:
            db = client.cloud.database
            service = db.create(**IDS, name="cli", **NEW).wait(timeout=30)
            connection = db.get(**IDS, dbaas_id=service.id, with_="connection").connection
            assert connection is not None
            assert _rows(connection.connect_kwargs(), "SELECT DATABASE()") == [
                (connection.database,)
            ]
        assert connection.database in _databases(emulator)
    finally:
        server.terminate()
        server.wait(timeout=30)
    # Stopped: its databases are dropped.
    assert connection.database not in _databases(emulator)


def test_command_line_mysql_option_refuses_a_bad_url() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "infomaniak.testing", "--mysql", "http://x"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2 and "--mysql: mysql must be a URL like" in done.stderr


def test_command_line_mysql_option_reports_an_unreachable_server() -> None:
    done = subprocess.run(
        [
            *(sys.executable, "-m", "infomaniak.testing", "--port", "0"),
            *("--mysql", "mysql://admin:secret-pw@127.0.0.1:1"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert "127.0.0.1:1" in done.stderr and "secret-pw" not in done.stderr + done.stdout


def test_marked_test_without_server_skips_locally_and_fails_in_ci(tmp_path: Path) -> None:
    (tmp_path / "test_needs.py").write_text(
        "import pytest\n\n"
        "@pytest.mark.infomaniak_mysql\n"
        "def test_needs_mysql(emulator):\n"
        "    pass\n"
    )
    command = [sys.executable, "-m", "pytest", "-p", "infomaniak.testing.pytest_plugin"]
    command += ["-p", "no:cacheprovider", "-rs", "test_needs.py"]
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "INFOMANIAK_TEST_MYSQL")}
    local = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True)
    assert "1 skipped" in local.stdout, local.stdout
    assert "needs a MySQL or MariaDB server: give --infomaniak-mysql URL" in local.stdout
    ci = subprocess.run(
        command, cwd=tmp_path, env={**env, "CI": "true"}, capture_output=True, text=True
    )
    assert ci.returncode != 0 and "1 error" in ci.stdout, ci.stdout
    assert "CI is set and this test needs a MySQL or MariaDB server" in ci.stdout


# ---------------------------------------------------------------------------- the model


def _cert(tmp_path: Path) -> str:
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"),
            *("-subj", "/CN=test CA", "-keyout", str(tmp_path / "k.pem")),
            *("-out", str(tmp_path / "ca.pem")),
        ],
        check=True,
        capture_output=True,
    )
    return (tmp_path / "ca.pem").read_text()


def test_connect_kwargs_and_url_from_the_api_shape(tmp_path: Path) -> None:
    pem = _cert(tmp_path)
    connection = DatabaseServiceConnection(
        host="pcdb-12345.dc4-a.example.infomaniak.cloud",
        port="3306",
        user="root",
        password="p@ss:w/rd%?#",
        uri="mysql://root:p%40ss%3Aw%2Frd%25%3F%23@pcdb-12345.dc4-a.example.infomaniak.cloud:3306",
        ca=pem,
    )
    kwargs = connection.connect_kwargs()
    context = kwargs.pop("ssl")
    assert isinstance(context, ssl.SSLContext)
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    assert [c["subject"] for c in context.get_ca_certs()] == [((("commonName", "test CA"),),)]
    assert kwargs == {
        "host": "pcdb-12345.dc4-a.example.infomaniak.cloud",
        "port": 3306,
        "user": "root",
        "password": "p@ss:w/rd%?#",
    }
    assert connection.connect_kwargs(db="app")["db"] == "app"
    assert "p@ss" not in repr(connection) and "BEGIN CERTIFICATE" not in repr(connection)

    url = connection.url()
    assert url == (
        "mysql+pymysql://root:p%40ss%3Aw%2Frd%25%3F%23"
        "@pcdb-12345.dc4-a.example.infomaniak.cloud:3306"
    )
    assert connection.url(None, db="app").startswith("mysql://root:") and url.count("@") == 1
    sqlalchemy = pytest.importorskip("sqlalchemy")
    parsed = sqlalchemy.make_url(connection.url("aiomysql", db="app"))
    assert (parsed.drivername, parsed.password, parsed.port) == (
        "mysql+aiomysql",
        "p@ss:w/rd%?#",
        3306,
    )
    assert (parsed.host, parsed.database) == (connection.host, "app")


def test_connection_arguments_are_checked() -> None:
    connection = DatabaseServiceConnection(host="h", port="33o6", user="u", password="pw", ca="x")
    with pytest.raises(ValueError, match="port"):
        connection.url()
    with pytest.raises(ValueError, match=r"connection\.ca"):
        DatabaseServiceConnection(host="h", port="1", ca="not a certificate").connect_kwargs()
    ok = DatabaseServiceConnection(host="::1", port="", user="u")
    assert ok.connect_kwargs() == {"host": "::1", "port": 3306, "user": "u", "password": ""}
    assert ok.url() == "mysql+pymysql://u@[::1]:3306"
    with pytest.raises(ValueError, match="driver"):
        ok.url("pymysql://evil")
    with pytest.raises(TypeError, match="driver"):
        ok.url(3)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="db"):
        ok.connect_kwargs(db=1)  # type: ignore[arg-type]
