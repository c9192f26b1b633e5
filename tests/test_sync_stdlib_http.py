"""The blocking client's HTTP on the standard library (issue 21.3): TLS that
verifies, compressed answers, odd framings, and servers that misbehave.

Each server here is a raw socket on 127.0.0.1 that writes exactly the bytes a
test needs; HTTPS tests run in a fresh interpreter, since the TLS context
(and the CAs it trusts, from ``SSL_CERT_FILE``) is made once per process.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import socket
import subprocess
import sys
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import urllib3  # in the test extra: the reference the base URL path is compared with
from hypothesis import given
from hypothesis import strategies as st

from infomaniak import Client
from infomaniak._transport._sync import SyncTransport, _path_prefix
from infomaniak.errors import APIConnectionError, APIError, APITimeoutError
from tests.rawservers import read_request, serving

CERTS = Path(__file__).resolve().parent.parent / "infomaniak" / "testing" / "certs"
BODY = b'{"result":"success","data":{"id":1332,"customer_name":"std"}}'


def _client(url: str, **options: object) -> Client:
    return Client("tok", base_url=url, rate_limit=None, max_retries=0, **options)  # type: ignore[arg-type]


@contextlib.contextmanager
def scripted(
    answer: Callable[[int], bytes], *, close: bool, later: bytes = b""
) -> Iterator[tuple[str, list[int]]]:
    """Answers request ``n`` (0, 1, ...) of every connection with ``answer(n)``
    (and ``later`` 50 ms after it); closes the connection after each answer if
    ``close``. Yields the URL and the number of requests each connection carried."""
    per_connection: list[int] = []
    lock = threading.Lock()
    counter = [0]

    def handle(conn: socket.socket, stop: threading.Event) -> None:
        with conn:
            conn.settimeout(5)
            index = len(per_connection)
            per_connection.append(0)
            with contextlib.suppress(OSError):
                while not stop.is_set():
                    if not read_request(conn):
                        return
                    with lock:
                        number = counter[0]
                        counter[0] += 1
                    per_connection[index] += 1
                    conn.sendall(answer(number))
                    if later:
                        time.sleep(0.05)
                        conn.sendall(later)
                    if close:
                        return

    with serving(handle, thread_per_connection=True) as url:
        yield url, per_connection


def _head(extra: str = "", status: str = "200 OK") -> bytes:
    return f"HTTP/1.1 {status}\r\nContent-Type: application/json\r\n{extra}\r\n".encode()


# ------------------------------------------------------------------ framings


def test_chunked_answers_are_read_whole() -> None:
    chunks = b"".join(
        f"{len(part):x}\r\n".encode() + part + b"\r\n" for part in (BODY[:10], BODY[10:])
    )
    answer = _head("Transfer-Encoding: chunked\r\n") + chunks + b"0\r\n\r\n"
    with scripted(lambda _: answer, close=False) as (url, per_connection), _client(url) as client:
        assert client.cloud.get(public_cloud_id=1332).customer_name == "std"
        assert client.cloud.get(public_cloud_id=1332).customer_name == "std"
    assert per_connection == [2]


def test_an_answer_ended_by_closing_the_connection_is_read_and_the_next_reconnects() -> None:
    answer = _head("Connection: close\r\n") + BODY
    with scripted(lambda _: answer, close=True) as (url, per_connection), _client(url) as client:
        for _ in range(3):
            assert client.cloud.get(public_cloud_id=1332).customer_name == "std"
    assert per_connection == [1, 1, 1]


def test_bytes_past_content_length_do_not_poison_the_next_answer() -> None:
    # The extra bytes wait on the kept connection: it is not reused.
    answer = _head(f"Content-Length: {len(BODY)}\r\n") + BODY
    with (
        scripted(lambda _: answer, close=False, later=b"HTTP/1.1 500 junk\r\n\r\n") as (
            url,
            per_connection,
        ),
        _client(url) as client,
    ):
        assert client.cloud.get(public_cloud_id=1332).customer_name == "std"
        time.sleep(0.1)
        assert client.cloud.get(public_cloud_id=1332).customer_name == "std"
    assert per_connection == [1, 1]


def test_a_server_closing_after_the_headers_cuts_the_answer_short() -> None:
    answer = _head("Content-Length: 500\r\n") + BODY
    with (
        scripted(lambda _: answer, close=True) as (url, _),
        _client(url) as client,
        pytest.raises(APIConnectionError) as caught,
    ):
        client.cloud.get(public_cloud_id=1332)
    assert str(caught.value).endswith("failed: the answer was cut short")


def test_a_megabyte_error_page_is_read_and_reported() -> None:
    page = b"<html>" + b"x" * 1_000_000 + b"</html>"
    answer = (
        b"HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/html\r\n"
        + f"Content-Length: {len(page)}\r\n\r\n".encode()
        + page
    )
    with (
        scripted(lambda _: answer, close=False) as (url, _),
        _client(url) as client,
        pytest.raises(APIError) as caught,
    ):
        client.cloud.get(public_cloud_id=1332)
    assert caught.value.status == 502
    assert len(str(caught.value)) < 1000


def test_the_timeout_holds_against_an_answer_without_length_dripped_to_the_end() -> None:
    # Read to the end of the connection, such a body ended when the deadline
    # watcher shut the socket: a timeout, not a truncated body.
    def handle(conn: socket.socket, stop: threading.Event) -> None:
        with conn, contextlib.suppress(OSError):
            read_request(conn)
            conn.sendall(_head("Connection: close\r\n"))
            for byte in BODY:
                if stop.wait(0.1):
                    return
                conn.sendall(bytes([byte]))

    with serving(handle, thread_per_connection=True) as url, _client(url, timeout=1.0) as client:
        started = time.monotonic()
        with pytest.raises(APITimeoutError):
            client.cloud.get(public_cloud_id=1332)
        assert time.monotonic() - started < 1.5


def test_close_from_another_thread_lets_the_request_in_flight_end() -> None:
    def answer(_: int) -> bytes:
        time.sleep(0.5)
        return _head(f"Content-Length: {len(BODY)}\r\n") + BODY

    with scripted(answer, close=False) as (url, _):
        client = _client(url)
        outcome: list[object] = []
        thread = threading.Thread(
            target=lambda: outcome.append(client.cloud.get(public_cloud_id=1332).customer_name)
        )
        thread.start()
        time.sleep(0.2)
        client.close()
        thread.join(5)
        assert outcome == ["std"]
        # Its connection was closed, not kept.
        transport = client._pipeline.transport  # type: ignore[attr-defined]
        assert not transport._idle


def test_a_header_with_a_line_break_is_refused_before_anything_is_sent() -> None:
    seen: list[bytes] = []

    def handle(conn: socket.socket, stop: threading.Event) -> None:
        with conn, contextlib.suppress(OSError):
            conn.settimeout(1)
            seen.append(conn.recv(65536))

    with serving(handle, thread_per_connection=True) as url:
        transport = SyncTransport(
            url,
            headers={"X-Note": "a\r\nX-Injected: 1"},
            connect_timeout=2,
            max_connections=1,
        )
        with pytest.raises(ValueError, match="Invalid header value"):
            transport.request("GET", "/1/x", body=None, timeout=2)
        transport.close()
        time.sleep(0.3)
    assert b"X-Injected" not in b"".join(seen)


# ------------------------------------------------------------------ compressed answers


@pytest.mark.parametrize(
    ("coding", "compress"),
    [
        ("gzip", gzip.compress),
        ("x-gzip", lambda data: gzip.compress(data[:20]) + gzip.compress(data[20:])),
        ("deflate", zlib.compress),
        ("deflate", lambda data: zlib.compress(data)[2:-4]),  # raw deflate, as some servers send
        ("gzip, deflate", lambda data: zlib.compress(gzip.compress(data))),
        ("x-unknown", lambda data: data),  # a coding nobody knows: left as it came
    ],
)
def test_an_answer_compressed_unasked_is_decoded(
    coding: str, compress: Callable[[bytes], bytes]
) -> None:
    body = compress(BODY)
    answer = _head(f"Content-Encoding: {coding}\r\nContent-Length: {len(body)}\r\n") + body
    with scripted(lambda _: answer, close=False) as (url, _), _client(url) as client:
        assert client.cloud.get(public_cloud_id=1332).customer_name == "std"


def test_a_corrupt_compressed_answer_says_so() -> None:
    body = b"\x1f\x8b not gzip at all"
    answer = _head(f"Content-Encoding: gzip\r\nContent-Length: {len(body)}\r\n") + body
    with (
        scripted(lambda _: answer, close=False) as (url, _),
        _client(url) as client,
        pytest.raises(APIConnectionError) as caught,
    ):
        client.cloud.get(public_cloud_id=1332)
    assert str(caught.value).endswith(
        "failed: the answer's Content-Encoding 'gzip' could not be decoded"
    )


# ------------------------------------------------------------------ the base URL's path


_PATH_ALPHABET = st.sampled_from([*"/.%aZ09-_~!$&'()*+,;=:@[]{}|\\^`\"<>é", "%2f", "%7E", ".."])


@given(st.lists(_PATH_ALPHABET, max_size=12).map("".join))
def test_the_base_url_path_is_sent_as_urllib3_sent_it(path: str) -> None:
    url = "https://api.example.com/" + path
    assert _path_prefix(url) == (urllib3.util.parse_url(url).path or "")


# ------------------------------------------------------------------ TLS


def _tls_probe(
    host: str, *, trust: bool, bind: str = "127.0.0.1", client: str = "Client"
) -> subprocess.CompletedProcess[str]:
    """A GET through ``client`` to a TLS server on ``bind`` serving the test
    certificate (for localhost, 127.0.0.1 and ::1), in a fresh interpreter
    that trusts the test CA (through ``SSL_CERT_FILE``) when ``trust``."""
    if client == "Client":
        call = """
with Client("tok", base_url=url, rate_limit=None, max_retries=0) as client:
    try:
        print(client.cloud.get(public_cloud_id=1332).customer_name)
    except errors.APIConnectionError as exc:
        print(exc)
"""
    else:
        call = """
import asyncio
async def main():
    async with AsyncClient("tok", base_url=url, rate_limit=None, max_retries=0) as client:
        try:
            print((await client.cloud.get(public_cloud_id=1332)).customer_name)
        except errors.APIConnectionError as exc:
            print(exc)
asyncio.run(main())
"""
    script = f"""
import socket, ssl, sys, threading
from infomaniak import AsyncClient, Client, errors
context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain({str(CERTS / "server.pem")!r}, {str(CERTS / "server-key.pem")!r})
listener = socket.socket()
listener.bind(({bind!r}, 0))
listener.listen(4)
seen = []
def serve():
    while True:
        conn, _ = listener.accept()
        try:
            conn = context.wrap_socket(conn, server_side=True)
            seen.append(conn.recv(65536))
            body = {BODY!r}
            head = b"HTTP/1.1 200 OK\\r\\nContent-Length: %d\\r\\n\\r\\n" % len(body)
            conn.sendall(head + body)
        except OSError:
            pass
        finally:
            conn.close()
threading.Thread(target=serve, daemon=True).start()
url = "https://{host}:%d" % listener.getsockname()[1]
{call}
print(len(seen), "urllib3" in sys.modules)
"""
    env = {key: value for key, value in os.environ.items() if not key.startswith("SSL_CERT")}
    if trust:
        env["SSL_CERT_FILE"] = str(CERTS / "ca.pem")
    return subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=60
    )


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1"])
def test_https_to_a_server_whose_ca_is_trusted_works(host: str) -> None:
    done = _tls_probe(host, trust=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["std", "1 False"]


@pytest.mark.parametrize("client", ["Client", "AsyncClient"])
def test_https_to_an_untrusted_server_is_refused_before_sending(client: str) -> None:
    # Both clients, in the same words.
    done = _tls_probe("127.0.0.1", trust=False, client=client)
    assert done.returncode == 0, done.stderr
    message, counts = done.stdout.splitlines()
    assert message.startswith("GET /1/public_clouds/1332: cannot connect to 127.0.0.1:")
    assert message.endswith(
        ": the server's certificate could not be verified (unable to get local issuer certificate)"
    )
    assert counts == "0 False"


def test_https_to_a_name_the_certificate_does_not_cover_is_refused() -> None:
    # The CA is trusted, but the certificate names 127.0.0.1, not 127.0.0.2.
    done = _tls_probe("127.0.0.2", trust=True, bind="127.0.0.2")
    assert done.returncode == 0, done.stderr
    message, counts = done.stdout.splitlines()
    assert "the server's certificate could not be verified (IP address mismatch" in message
    assert counts == "0 False"


def test_a_name_that_does_not_resolve_says_so() -> None:
    with (
        _client("http://no-such-host.invalid") as client,
        pytest.raises(APIConnectionError) as caught,
    ):
        client.cloud.get(public_cloud_id=1332)
    assert "cannot connect to no-such-host.invalid:80: cannot resolve the host" in str(caught.value)
    assert json.dumps(str(caught.value))  # one plain line


def test_a_name_that_cannot_be_looked_up_at_all_says_so() -> None:
    host = "a" * 64 + ".example"  # a DNS label holds 63 characters at most
    with _client(f"http://{host}") as client, pytest.raises(APIConnectionError) as caught:
        client.cloud.get(public_cloud_id=1332)
    assert str(caught.value).endswith(
        f"cannot connect to {host}:80: cannot resolve the host (not a valid name)"
    )
