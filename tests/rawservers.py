"""Tiny misbehaving servers on 127.0.0.1 for what the emulator cannot do:
answers dripped a byte at a time, and a port whose accept queue is full
(connections hang in the handshake, as behind a dead route)."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator


@contextlib.contextmanager
def dripping_server(interval: float = 0.1) -> Iterator[str]:
    """Answers every request with a valid JSON envelope, one byte every ``interval`` s."""
    body = b'{"result":"success","data":{"id":1332,"customer_name":"slow"}}'
    answer = (
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
        + f"Content-Length: {len(body)}\r\n\r\n".encode()
        + body
    )
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    listener.settimeout(0.2)
    stop = threading.Event()

    def drip(conn: socket.socket) -> None:
        with conn:
            try:
                conn.recv(65536)
                for i in range(len(answer)):
                    if stop.is_set():
                        return
                    conn.sendall(answer[i : i + 1])
                    time.sleep(interval)
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
