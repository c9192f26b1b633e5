"""The official libraries each client hands off to, and the emulator's real certificates.

``api_client`` gives ``kubernetes_asyncio`` from ``AsyncClient`` and ``kubernetes``
from ``Client``, so these tests are written per client. The cluster's kubeconfig
is proven complete by a real mutual-TLS exchange: a server on 127.0.0.1 with the
emulator's server certificate, requiring a client certificate of the same CA,
answers the library's ``list_namespace`` call.
"""

from __future__ import annotations

import contextlib
import json
import ssl
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from infomaniak import AsyncClient, Client
from infomaniak.testing import Emulator
from infomaniak.testing._certs import CA_PEM, SERVER_CERT_PEM, SERVER_KEY_PEM

CLOUD = 1332
PROJECT = 25454
CLUSTER = {"public_cloud_id": CLOUD, "public_cloud_project_id": PROJECT, "kaas_id": 4821}
DATABASE_SERVICE = 7341  # ready, in 1332/25454
USER = {"public_cloud_id": CLOUD, "public_cloud_project_id": PROJECT, "public_cloud_user_id": 56321}


class _Seen:
    def __init__(self) -> None:
        self.authorization: list[str | None] = []
        self.client_names: list[str] = []


@contextlib.contextmanager
def kube_apiserver(tmp_path: Path) -> Iterator[tuple[str, _Seen]]:
    """A stand-in API server: TLS with the emulator's server certificate, client
    certificates of the emulator's CA required; answers a namespace list."""
    (tmp_path / "server.pem").write_text(SERVER_CERT_PEM + SERVER_KEY_PEM, encoding="ascii")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(tmp_path / "server.pem")
    context.load_verify_locations(cadata=CA_PEM)
    context.verify_mode = ssl.CERT_REQUIRED
    seen = _Seen()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            peer = self.connection.getpeercert()  # type: ignore[attr-defined]
            subject = dict(item[0] for item in peer["subject"])
            seen.client_names.append(subject["commonName"])
            seen.authorization.append(self.headers.get("Authorization"))
            body = json.dumps(
                {
                    "kind": "NamespaceList",
                    "apiVersion": "v1",
                    "metadata": {},
                    "items": [{"metadata": {"name": "default"}}],
                }
            ).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"https://127.0.0.1:{server.server_address[1]}", seen
    finally:
        server.shutdown()
        server.server_close()
        thread.join(2)


def _token(kubeconfig: str) -> str:
    return kubeconfig.rsplit("token: ", 1)[1].strip()


async def test_async_client_gives_a_working_kubernetes_asyncio_client(
    emulator: Emulator, tmp_path: Path
) -> None:
    from kubernetes_asyncio.client import ApiClient, CoreV1Api

    async with AsyncClient(emulator.token, base_url=emulator.url) as client:
        token = _token(await client.cloud.kubernetes.kubeconfig(**CLUSTER))
        api = await client.cloud.kubernetes.api_client(**CLUSTER)
    assert type(api) is ApiClient
    assert api.configuration.host.startswith("https://") and ".kaas.example" in (
        api.configuration.host
    )
    with kube_apiserver(tmp_path) as (url, seen):
        api.configuration.host = url  # the emulated cluster's host does not exist
        async with api:
            namespaces = await CoreV1Api(api).list_namespace()
    assert [ns.metadata.name for ns in namespaces.items] == ["default"]
    assert seen.client_names == ["kubernetes-admin"]
    assert seen.authorization == [f"Bearer {token}"]


def test_client_gives_a_working_kubernetes_client(emulator: Emulator, tmp_path: Path) -> None:
    from kubernetes.client import ApiClient, CoreV1Api

    with Client(emulator.token, base_url=emulator.url) as client:
        token = _token(client.cloud.kubernetes.kubeconfig(**CLUSTER))
        api = client.cloud.kubernetes.api_client(**CLUSTER)
    assert type(api) is ApiClient
    with kube_apiserver(tmp_path) as (url, seen):
        # The emulated cluster's host does not exist. (The library reloads the
        # kubeconfig before each call, host included, through this hook.)
        api.configuration.refresh_api_key_hook = None
        api.configuration.host = url
        with api:
            namespaces = CoreV1Api(api).list_namespace()
    assert [ns.metadata.name for ns in namespaces.items] == ["default"]
    assert seen.client_names == ["kubernetes-admin"]
    assert seen.authorization == [f"Bearer {token}"]


def _hide(monkeypatch: pytest.MonkeyPatch, *modules: str) -> None:
    """Make ``import`` fail for these modules, as when they are not installed."""
    for name in list(sys.modules):
        if any(name == m or name.startswith(m + ".") for m in modules):
            monkeypatch.delitem(sys.modules, name)
    for module in modules:
        monkeypatch.setitem(sys.modules, module, None)


async def test_a_missing_library_names_the_extra_before_any_request(
    emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    _hide(monkeypatch, "kubernetes", "kubernetes_asyncio", "openstack")
    async with AsyncClient(emulator.token, base_url=emulator.url) as client:
        with pytest.raises(ImportError, match=r"infomaniak-cloud\[kubernetes-asyncio\]"):
            await client.cloud.kubernetes.api_client(**CLUSTER)
        with pytest.raises(ImportError, match=r"infomaniak-cloud\[openstack\]"):
            await client.cloud.projects.users.openstack_connection(**USER, password="pw")
    with Client(emulator.token, base_url=emulator.url) as blocking:
        with pytest.raises(ImportError, match=r"infomaniak-cloud\[kubernetes\]'"):
            blocking.cloud.kubernetes.api_client(**CLUSTER)
        with pytest.raises(ImportError, match=r"infomaniak-cloud\[openstack\]"):
            blocking.cloud.projects.users.openstack_connection(**USER, password="pw")
    assert emulator.requests == []


def test_the_database_ca_is_a_real_ca_for_its_hosts(emulator: Emulator, tmp_path: Path) -> None:
    with Client(emulator.token, base_url=emulator.url) as client:
        service = client.cloud.database.get(
            public_cloud_id=CLOUD,
            public_cloud_project_id=PROJECT,
            dbaas_id=DATABASE_SERVICE,
            with_="connection",
        )
    assert service.connection is not None and service.connection.ca is not None
    trusting = ssl.create_default_context(cadata=service.connection.ca)
    (tmp_path / "server.pem").write_text(SERVER_CERT_PEM + SERVER_KEY_PEM, encoding="ascii")
    serving = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    serving.load_cert_chain(tmp_path / "server.pem")
    # A TLS handshake in memory, checking the name the emulator gives the service.
    client_in, client_out, server_in, server_out = (ssl.MemoryBIO() for _ in range(4))
    tls_client = trusting.wrap_bio(client_in, client_out, server_hostname=service.connection.host)
    tls_server = serving.wrap_bio(server_in, server_out, server_side=True)
    for _ in range(10):
        done = 0
        for end in (tls_client, tls_server):
            try:
                end.do_handshake()
                done += 1
            except ssl.SSLWantReadError:
                pass
        server_in.write(client_out.read())
        client_in.write(server_out.read())
        if done == 2:
            break
    assert tls_client.getpeercert()["subject"] == ((("commonName", "infomaniak emulator server"),),)
