"""Tiny misbehaving servers on 127.0.0.1 for what the emulator cannot do:
answers dripped a byte at a time, a port whose accept queue is full
(connections hang in the handshake, as behind a dead route), and a server
slow to take new connections that records when each request arrived."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator

_BODY = b'{"result":"success","data":{"id":1332,"customer_name":"slow"}}'


def _head(body: bytes, *, close: bool = False) -> bytes:
    return (
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
        + (b"Connection: close\r\n" if close else b"")
        + f"Content-Length: {len(body)}\r\n\r\n".encode()
    )


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
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    listener.settimeout(0.2)
    stop = threading.Event()

    def drip(conn: socket.socket) -> None:
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

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            threading.Thread(target=drip, args=(conn,), daemon=True).start()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join(2)
        listener.close()


@contextlib.contextmanager
def late_accepting_server(first_delay: float) -> Iterator[tuple[str, list[float]]]:
    """Takes its first connection only after ``first_delay`` s (a slow connect,
    as the API sees it), the others at once; answers each request with a JSON
    envelope and ``Connection: close``. Yields the URL and the list of the
    times (``time.monotonic()``) each request arrived, in order."""
    answer = _head(_BODY, close=True) + _BODY
    arrivals: list[float] = []
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    listener.settimeout(0.05)
    stop = threading.Event()

    def answer_one(conn: socket.socket) -> None:
        with conn:
            try:
                conn.settimeout(5)
                received = b""
                while b"\r\n\r\n" not in received:
                    chunk = conn.recv(65536)
                    if not chunk:
                        return
                    received += chunk
                arrivals.append(time.monotonic())
                conn.sendall(answer)
            except OSError:
                return

    def serve() -> None:
        first = True
        while not stop.is_set():
            if first:
                stop.wait(first_delay)
                first = False
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            answer_one(conn)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}", arrivals
    finally:
        stop.set()
        thread.join(2)
        listener.close()


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
