"""Tiny misbehaving servers on 127.0.0.1 for what the emulator cannot do:
a server answering every request with fixed bytes, answers dripped a byte at
a time, a port whose accept queue is full (connections hang in the
handshake, as behind a dead route), a server slow to take new connections
that records when each request arrived, and the general ``serving`` (with
``read_request``) they are made of."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable, Iterator

_BODY = b'{"result":"success","data":{"id":1332,"customer_name":"slow"}}'


def read_request(conn: socket.socket) -> bytes:
    """What the client sent up to the end of its headers (less if it closed first)."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return data
        data += chunk
    return data


def _head(body: bytes, *, close: bool = False) -> bytes:
    return (
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
        + (b"Connection: close\r\n" if close else b"")
        + f"Content-Length: {len(body)}\r\n\r\n".encode()
    )


@contextlib.contextmanager
def serving(
    handle: Callable[[socket.socket, threading.Event], None],
    *,
    accept_every: float = 0.2,
    first_delay: float = 0.0,
    thread_per_connection: bool = False,
) -> Iterator[str]:
    """A listener on 127.0.0.1 whose connections go to ``handle(conn, stop)``
    (each in its own thread if asked), the first one taken only after
    ``first_delay`` s; yields the URL and stops everything on exit."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    listener.settimeout(accept_every)
    stop = threading.Event()

    def serve() -> None:
        if first_delay:
            stop.wait(first_delay)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            if thread_per_connection:
                threading.Thread(target=handle, args=(conn, stop), daemon=True).start()
            else:
                handle(conn, stop)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join(2)
        listener.close()


@contextlib.contextmanager
def answering_server(
    body: bytes, content_type: str = "application/json", status: str = "200 OK"
) -> Iterator[str]:
    """Answers every request with ``status`` and ``body``, byte for byte."""
    answer = (
        f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    ).encode() + body

    def answer_one(conn: socket.socket, stop: threading.Event) -> None:
        with conn:
            try:
                conn.settimeout(2)
                conn.recv(65536)
                conn.sendall(answer)
            except OSError:
                pass

    with serving(answer_one) as url:
        yield url


@contextlib.contextmanager
def dripping_server(interval: float = 0.1, *, connection_close: bool = False) -> Iterator[str]:
    """Answers every request with a valid JSON envelope, one byte every ``interval`` s.

    With ``connection_close``, the headers (saying ``Connection: close``) come
    at once and only the body is dripped.
    """
    body = _BODY
    head = _head(body, close=connection_close)
    answer = head + body
    at_once = len(head) if connection_close else 1

    def drip(conn: socket.socket, stop: threading.Event) -> None:
        with conn:
            try:
                conn.recv(65536)
                conn.sendall(answer[:at_once])
                for i in range(at_once, len(answer)):
                    if stop.is_set():
                        return
                    time.sleep(interval)
                    conn.sendall(answer[i : i + 1])
            except OSError:
                return

    with serving(drip, thread_per_connection=True) as url:
        yield url


@contextlib.contextmanager
def late_accepting_server(first_delay: float) -> Iterator[tuple[str, list[float]]]:
    """Takes its first connection only after ``first_delay`` s (a slow connect,
    as the API sees it), the others at once; answers each request with a JSON
    envelope and ``Connection: close``. Yields the URL and the list of the
    times (``time.monotonic()``) each request arrived, in order."""
    answer = _head(_BODY, close=True) + _BODY
    arrivals: list[float] = []

    def answer_one(conn: socket.socket, stop: threading.Event) -> None:
        with conn:
            try:
                conn.settimeout(5)
                if b"\r\n\r\n" not in read_request(conn):
                    return
                arrivals.append(time.monotonic())
                conn.sendall(answer)
            except OSError:
                return

    with serving(answer_one, accept_every=0.05, first_delay=first_delay) as url:
        yield url, arrivals


@contextlib.contextmanager
def unaccepting_server() -> Iterator[str]:
    """A port that never completes a new connection: its accept queue is full."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    address = listener.getsockname()
    fillers: list[socket.socket] = []
    # Fill the queue: once full, the kernel drops further handshakes.
    for _ in range(8):
        filler = socket.socket()
        filler.setblocking(False)
        with contextlib.suppress(BlockingIOError, OSError):
            filler.connect(address)
        fillers.append(filler)
    time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{address[1]}"
    finally:
        for filler in fillers:
            filler.close()
        listener.close()


def closed_port() -> str:
    """A URL on which nothing listens (connections are refused)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


async def async_background_work() -> list[str]:
    """Tasks still running besides the caller: look-ahead work left behind."""
    import asyncio

    await asyncio.sleep(0)
    current = asyncio.current_task()
    return [repr(task) for task in asyncio.all_tasks() if task is not current]


def sync_background_work() -> list[str]:
    """Threads the blocking client left running (it starts none but the shared
    deadline watcher, which idles)."""
    known = {"infomaniak-emulator", "infomaniak-deadlines", "MainThread"}
    return [t.name for t in threading.enumerate() if t.name not in known]
