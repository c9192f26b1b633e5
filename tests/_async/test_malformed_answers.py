"""Malformed successful answers (issue 17, points 1 and 11-14), over real HTTP:
decode errors that never quote a secret, lists that never end quietly with
items missing, wrong JSON types refused with ``ResponseDecodeError`` naming
the request, tracebacks that format with their locals, and the spec's own
array shapes read like the live API's objects."""

from __future__ import annotations

import pickle
import traceback
from typing import Any

import pytest

from infomaniak import AsyncClient
from infomaniak.errors import ResponseDecodeError, ServerError
from infomaniak.testing import Emulator, Fault
from tests.rawservers import answering_server

CLOUD = 1332
PROJECT = 25454
SCOPE = {"public_cloud_id": CLOUD, "public_cloud_project_id": PROJECT}
DBAAS = 7341
DB_PATH = f"/1/public_clouds/{CLOUD}/projects/{PROJECT}/dbaas/{DBAAS}"
KAAS = 4821
KAAS_PATH = f"/1/public_clouds/{CLOUD}/projects/{PROJECT}/kaas/{KAAS}"
SECRET = "S3cret-Adm1n-Pa55w0rd"
TOKEN = "emulator-token"


def _options(**extra: Any) -> dict[str, Any]:
    return {"rate_limit": None, "max_retries": 0, "timeout": 5.0, **extra}


def _formats_with_locals(error: BaseException) -> str:
    """What an error reporter that records locals (Sentry) renders: must not fail."""
    summary = traceback.TracebackException.from_exception(error, capture_locals=True)
    return "".join(summary.format())


def _assert_no_secret(error: BaseException, secret: str = SECRET) -> None:
    assert secret not in str(error)
    assert secret not in repr(error)
    assert secret.encode() not in pickle.dumps(error)
    assert secret not in str(pickle.loads(pickle.dumps(error)))


# ------------------------------------------------------------------ 17.1: no body text in messages

CREATION = (
    b'{"result":"success","data":{"id":5,"kube_identifier":"pcdb-5",'
    b'"admin_password":"' + SECRET.encode() + b'"}}'
)
NOTICE = (
    b'<br />\n<b>Notice</b>:  Undefined index: admin_password = "'
    + SECRET.encode()
    + b'" in <b>/srv/api/Dbaas.php</b> on line <b>42</b><br />\n'
)


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (CREATION + NOTICE, "JSON followed by other text from character"),
        (CREATION[: CREATION.index(SECRET.encode()) + 8], "ends inside its JSON"),
        (NOTICE + CREATION, "not JSON"),
    ],
    ids=["trailing-notice", "truncated", "leading-notice"],
)
async def test_a_broken_answer_holding_a_password_never_shows_it(body: bytes, words: str) -> None:
    assert SECRET.encode()[:5] in body
    with answering_server(body, content_type="text/html; charset=UTF-8") as url:
        async with AsyncClient(TOKEN, base_url=url, **_options()) as client:
            with pytest.raises(ResponseDecodeError) as caught:
                await client.cloud.database.reset_password(**SCOPE, dbaas_id=DBAAS)
    error = caught.value
    message = str(error)
    assert words in message
    assert f"{len(body)} bytes" in message and "text/html" in message
    assert f"{DB_PATH}/reset_password" in message
    assert error.length == len(body) and error.position is not None
    assert error.body == body  # kept for debugging, out of message, repr and pickle
    assert error.__cause__ is None and error.__context__ is None
    for part in (SECRET, SECRET[:8], "Undefined index", "admin_password"):
        assert part not in message and part not in repr(error)
    _assert_no_secret(error)
    assert pickle.loads(pickle.dumps(error)).body is None
    summary = traceback.TracebackException.from_exception(error, capture_locals=True)
    for frame in summary.stack:
        if "/infomaniak/" in frame.filename:
            assert SECRET not in repr(frame.locals), frame.name


async def test_a_broken_error_answer_holding_a_password_is_described_not_quoted() -> None:
    body = CREATION + NOTICE
    with answering_server(body, status="500 Internal Server Error") as url:
        async with AsyncClient(TOKEN, base_url=url, **_options()) as client:
            with pytest.raises(ServerError) as caught:
                await client.cloud.database.reset_password(**SCOPE, dbaas_id=DBAAS)
    assert f"broken JSON ({len(body)} bytes)" in str(caught.value)
    assert caught.value.body_excerpt is None
    assert SECRET not in str(caught.value) and SECRET not in repr(caught.value)


# ------------------------------------------------------------------ 17.11: no quiet page loss


async def _walk(client: AsyncClient) -> list[int]:
    clouds = await client.cloud.list(account_id=42, per_page=10)
    return [cloud.id async for cloud in clouds]


def _account_total(emulator: Emulator) -> int:
    return sum(1 for c in emulator.clouds.values() if c["account_id"] == 42)


@pytest.mark.parametrize(
    "counts",
    [
        {"pages": 3, "page": 2, "items_per_page": 10},  # says more follow
        {"page": 2, "items_per_page": 10},  # no pages at all
        {"pages": "3", "total": 30, "page": 2, "items_per_page": 10},  # not an integer
        {"pages": 3.0, "total": 30, "page": 2, "items_per_page": 10},
    ],
    ids=["empty-but-more", "no-pages", "pages-as-string", "pages-as-float"],
)
async def test_an_empty_or_countless_later_page_raises_instead_of_ending_the_list(
    async_client: AsyncClient, emulator: Emulator, counts: dict[str, Any]
) -> None:
    assert _account_total(emulator) > 20
    body = {"result": "success", "data": [], "total": _account_total(emulator), **counts}
    emulator.inject(Fault(json=body), path="/1/public_clouds", query={"page": "2"})
    with pytest.raises(ResponseDecodeError) as caught:
        await _walk(async_client)
    assert "/1/public_clouds" in str(caught.value) and "page 2" in str(caught.value)
    assert "ResponseDecodeError" in _formats_with_locals(caught.value)


async def test_a_later_page_with_items_but_no_counts_raises(
    async_client: AsyncClient, emulator: Emulator
) -> None:
    first = await async_client.cloud.list(account_id=42, per_page=10)
    body = {"result": "success", "data": [{"id": 1, "customer_name": "x"}]}
    emulator.inject(Fault(json=body), path="/1/public_clouds", query={"page": "2"})
    with pytest.raises(ResponseDecodeError, match="carries no pages"):
        await first.to_list()


async def test_a_list_that_really_shrank_ends_normally(
    async_client: AsyncClient, emulator: Emulator
) -> None:
    first = await async_client.cloud.list(account_id=42, per_page=10)
    assert first.pages >= 3
    # Page 2 now says the list has one page of 10 items: it shrank.
    shrunk = {
        "result": "success",
        "data": [],
        "total": 10,
        "page": 2,
        "pages": 1,
        "items_per_page": 10,
    }
    emulator.inject(Fault(json=shrunk), path="/1/public_clouds", query={"page": "2"})
    items = await first.to_list()
    assert [c.id for c in items] == [c.id for c in first.data]


# ------------------------------------------------------------------ 17.12: wrong JSON types


def _pool(emulator: Emulator, **changes: Any) -> dict[str, Any]:
    pool_id, pool = next((k, p) for k, p in emulator.pools.items() if p["kaas_id"] == KAAS)
    return {**pool, "instance_pool_id": pool_id, **changes}


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"minimum_instances": "2"}, "InstancePool.minimum_instances: expected an integer, got a"),
        ({"error_messages": 5}, "InstancePool.error_messages: expected an array, got an integer"),
        ({"error_messages": "Quota exceeded"}, "expected an array, got a string"),
        ({"error_messages": ["ok", 3]}, "an item of InstancePool.error_messages"),
        ({"has_autoscaling": "yes"}, "InstancePool.has_autoscaling: expected a boolean"),
        ({"status": 3}, "InstancePool.status: expected a string, got an integer"),
        ({"labels": "tier: web"}, "InstancePool.labels: expected an object, got a string"),
        ({"labels": {"tier": 3}}, "InstancePool.labels: expected string values"),
        ({"instance_pool_id": None}, "null for the required key 'instance_pool_id'"),
    ],
)
async def test_a_pool_of_the_wrong_types_is_a_decode_error_naming_the_request(
    async_client: AsyncClient, emulator: Emulator, changes: dict[str, Any], words: str
) -> None:
    pool = _pool(emulator, **changes)
    pool_id = _pool(emulator)["instance_pool_id"]
    path = f"{KAAS_PATH}/instance_pools/{pool_id}"
    emulator.inject(Fault(json={"result": "success", "data": pool}), path=path)
    with pytest.raises(ResponseDecodeError) as caught:
        await async_client.cloud.kubernetes.pools.get(
            **SCOPE, kaas_id=KAAS, instance_pool_id=pool_id
        )
    assert words in str(caught.value)
    assert f"GET {path}" in str(caught.value)
    assert "ResponseDecodeError" in _formats_with_locals(caught.value)


async def test_a_pool_wait_that_reads_a_string_count_raises_a_decode_error(
    async_client: AsyncClient, emulator: Emulator
) -> None:
    pool_id = _pool(emulator)["instance_pool_id"]
    op = await async_client.cloud.kubernetes.pools.update(
        **SCOPE, kaas_id=KAAS, instance_pool_id=pool_id, minimum_instances=2
    )
    path = f"{KAAS_PATH}/instance_pools/{pool_id}"
    bad = _pool(emulator, status="ScalingUp", minimum_instances="2")
    emulator.inject(Fault(json={"result": "success", "data": bad}), method="GET", path=path)
    with pytest.raises(ResponseDecodeError) as caught:
        await op.wait(timeout=5)
    assert "InstancePool.minimum_instances" in str(caught.value)
    assert "ResponseDecodeError" in _formats_with_locals(caught.value)


async def test_a_kubeconfig_that_is_a_number_is_a_decode_error(
    async_client: AsyncClient, emulator: Emulator
) -> None:
    emulator.inject(Fault(json={"result": "success", "data": 12345}))
    with pytest.raises(ResponseDecodeError) as caught:
        await async_client.cloud.kubernetes.kubeconfig(**SCOPE, kaas_id=KAAS)
    assert "expected a string, got an integer" in str(caught.value)
    assert f"GET {KAAS_PATH}/" in str(caught.value)


async def test_a_backup_whose_id_is_a_number_is_a_decode_error(
    async_client: AsyncClient, emulator: Emulator
) -> None:
    backup = {"id": 20251201, "created_at": 1, "status": "Starting"}
    emulator.inject(
        Fault(json={"result": "success", "data": backup}), method="POST", path=f"{DB_PATH}/backups"
    )
    with pytest.raises(ResponseDecodeError) as caught:
        await async_client.cloud.database.backups.create(**SCOPE, dbaas_id=DBAAS)
    assert "DatabaseServiceBackup.id: expected a string, got an integer" in str(caught.value)
    assert f"POST {DB_PATH}/backups" in str(caught.value)


@pytest.mark.parametrize(
    ("data", "call"),
    [
        ([1, 2], "regions"),
        ([{"name": "mysql", "versions": "8.0"}], "types"),
        ([{"id": "1", "name": "essential-db-4"}], "packs"),
    ],
)
async def test_reference_data_of_the_wrong_types_is_a_decode_error(
    async_client: AsyncClient, emulator: Emulator, data: Any, call: str
) -> None:
    emulator.inject(Fault(json={"result": "success", "data": data}))
    with pytest.raises(ResponseDecodeError):
        await getattr(async_client.cloud.database, call)()


# ------------------------------------------------------------------ 17.13: tracebacks with locals


def _service(emulator: Emulator, **changes: Any) -> dict[str, Any]:
    raw = emulator.dbaas[DBAAS]
    service = {k: v for k, v in raw.items() if not k.startswith("_")}
    connection = {
        "host": "db.example",
        "port": "3306",
        "user": "root",
        "password": SECRET,
        "uri": f"mysql://root:{SECRET}@db.example:3306",
        "ca": "PEM",
    }
    return {**service, "connection": connection, **changes}


@pytest.mark.parametrize(
    "changes",
    [
        {"connection_extra": {"command": 5}},  # a field after the password has the wrong type
        {"connection_extra": {"port": {"n": 3306}}},
        {"backups": [{"id": 7}]},
        {"pack": {"id": None}},
        {"pack": {"name": "essential-db-4"}},  # no id: the hook stops half-way
        {"tags": "not a list"},
        {"id": "7341"},
    ],
    ids=["command", "port", "backup-id", "pack-id", "pack-no-id", "tags", "id"],
)
async def test_decode_errors_format_with_their_locals_and_hold_no_secret(
    async_client: AsyncClient, emulator: Emulator, changes: dict[str, Any]
) -> None:
    extra = changes.pop("connection_extra", {})
    service = _service(emulator, **changes)
    service["connection"] = {**service["connection"], **extra}
    emulator.inject(Fault(json={"result": "success", "data": service}), path=DB_PATH)
    with pytest.raises(ResponseDecodeError) as caught:
        await async_client.cloud.database.get(**SCOPE, dbaas_id=DBAAS, with_="connection")
    summary = traceback.TracebackException.from_exception(caught.value, capture_locals=True)
    assert "ResponseDecodeError" in _formats_with_locals(caught.value)
    # The SDK's frames (this test's own frame holds the answer it injected).
    sdk = [frame for frame in summary.stack if "/infomaniak/" in frame.filename]
    assert len(sdk) >= 2
    for frame in sdk:
        assert SECRET not in repr(frame.locals)
    _assert_no_secret(caught.value)


@pytest.mark.parametrize(
    ("route", "data", "call"),
    [
        (
            "",
            {"id": 5, "kube_identifier": 12345, "admin_password": SECRET},
            lambda c: c.cloud.database.create(
                **SCOPE, name="orders", type="mysql", version="8.0.42", region="dc4-a", pack_id=1
            ),
        ),
        (
            f"/{DBAAS}/reset_password",
            {"host": "db.example", "password": SECRET, "port": {"n": 3306}},
            lambda c: c.cloud.database.reset_password(**SCOPE, dbaas_id=DBAAS),
        ),
        (
            f"/{DBAAS}/restores",
            {"id": "r1", "new_service": {"id": "x", "admin_password": SECRET}},
            lambda c: c.cloud.database.restores.create(
                **SCOPE, dbaas_id=DBAAS, backup_id="b1", new_service={"name": "copy"}
            ),
        ),
    ],
    ids=["creation", "reset-password", "restore-into-new-service"],
)
async def test_a_malformed_answer_with_a_password_leaves_it_in_no_frame(
    async_client: AsyncClient, emulator: Emulator, route: str, data: Any, call: Any
) -> None:
    path = f"/1/public_clouds/{CLOUD}/projects/{PROJECT}/dbaas{route}"
    emulator.inject(Fault(json={"result": "success", "data": data}), method="POST", path=path)
    with pytest.raises(ResponseDecodeError) as caught:
        await call(async_client)
    summary = traceback.TracebackException.from_exception(caught.value, capture_locals=True)
    sdk = [frame for frame in summary.stack if "/infomaniak/" in frame.filename]
    assert len(sdk) >= 2
    for frame in sdk:
        assert SECRET not in repr(frame.locals)
    _assert_no_secret(caught.value)


# ------------------------------------------------------------------ 17.14: the spec's array shapes


async def test_connection_and_pack_rates_in_the_spec_array_shapes_decode(
    async_client: AsyncClient, emulator: Emulator
) -> None:
    service = _service(emulator)
    service["connection"] = [service["connection"]]
    service["pack"] = {
        "id": 1,
        "name": "essential-db-4",
        "rates": [
            {"CHF": [{"hour_excl_tax": 0.044, "hour_incl_tax": 0.0476}]},
            {"EUR": {"hour_excl_tax": 0.0458, "hour_incl_tax": 0.0493}},
            {"hour_excl_tax": 0.044, "hour_incl_tax": 0.0476},
        ],
    }
    emulator.inject(Fault(json={"result": "success", "data": service}), path=DB_PATH)
    got = await async_client.cloud.database.get(
        **SCOPE, dbaas_id=DBAAS, with_=["connection", "packs"]
    )
    assert got.connection is not None
    assert (got.connection.host, got.connection.port, got.connection.password) == (
        "db.example",
        "3306",
        SECRET,
    )
    assert got.pack is not None and got.pack.rates is not None
    assert got.pack.rates.chf is not None and got.pack.rates.chf.hour_excl_tax == 0.044
    assert got.pack.rates.eur is not None and got.pack.rates.eur.hour_incl_tax == 0.0493
    assert got.pack.rates.hour_excl_tax == 0.044


async def test_an_array_connection_of_something_else_is_a_decode_error(
    async_client: AsyncClient, emulator: Emulator
) -> None:
    service = _service(emulator, connection=["db.example", 3306])
    emulator.inject(Fault(json={"result": "success", "data": service}), path=DB_PATH)
    with pytest.raises(ResponseDecodeError, match="DatabaseServiceConnection"):
        await async_client.cloud.database.get(**SCOPE, dbaas_id=DBAAS, with_="connection")


async def test_maps_the_spec_types_as_arrays_read_an_array_of_objects(
    async_client: AsyncClient, emulator: Emulator
) -> None:
    pack = {"kaas_pack_id": 1, "name": "shared", "price_per_hour": [{"CHF": 0.11}, {"EUR": 0.12}]}
    emulator.inject(Fault(json={"result": "success", "data": [pack]}))
    (got,) = await async_client.cloud.kubernetes.packs()
    assert got.price_per_hour == {"CHF": 0.11, "EUR": 0.12}
    pack["price_per_hour"] = ["0.11 CHF"]
    emulator.inject(Fault(json={"result": "success", "data": [pack]}))
    with pytest.raises(ResponseDecodeError, match="price_per_hour"):
        await async_client.cloud.kubernetes.packs()
