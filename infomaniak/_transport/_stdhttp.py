"""The blocking transport's HTTP, on the standard library: http.client, ssl, select, zlib.

Imported with the first connection of a ``Client``, not with ``from
infomaniak import Client`` (http.client and ssl cost ~15 ms of start-up).
No third-party HTTP library: urllib3 cost another ~40 ms to import.
"""

from __future__ import annotations

import http.client
import select
import socket
import ssl
import threading
import zlib
from collections.abc import Callable

__all__ = [
    "HTTPException",
    "UndecodableAnswer",
    "WatchedConnection",
    "WatchedTLSConnection",
    "decoded",
    "dropped_while_idle",
    "tls_context",
]

HTTPException = http.client.HTTPException


class UndecodableAnswer(HTTPException):
    """The answer's Content-Encoding could not be undone."""


class _Watched:
    """Keeps the socket it connected: the deadline watcher shuts it.

    http.client drops ``sock`` once an answer says ``Connection: close`` (the
    answer then reads from a file on the same socket), so ``sock`` alone
    would leave nothing to shut while such a body is read.
    """

    sock: socket.socket | None
    _watched_sock: socket.socket | None = None

    def _connected(self) -> None:
        self._watched_sock = self.sock


class WatchedConnection(_Watched, http.client.HTTPConnection):
    """A plain connection (TCP_NODELAY set by http.client)."""

    def connect(self) -> None:
        super().connect()
        self._connected()


class WatchedTLSConnection(_Watched, http.client.HTTPSConnection):
    """A TLS connection, certificate and host name verified (see :func:`tls_context`)."""

    def connect(self) -> None:
        super().connect()
        self._connected()


_context_lock = threading.Lock()
_context: ssl.SSLContext | None = None


def tls_context() -> ssl.SSLContext:
    """The one TLS context of the blocking clients, made at the first TLS connection.

    ``ssl.create_default_context()``: certificates and host names verified
    against the system's CAs (``SSL_CERT_FILE``/``SSL_CERT_DIR`` name others,
    as they did with urllib3), TLS 1.2 at least, ``SSLKEYLOGFILE`` honoured.
    Loading the CAs takes ~30 ms: done once per process, where urllib3 did it
    for every new connection.
    """
    global _context
    with _context_lock:
        if _context is None:
            context = ssl.create_default_context()
            context.set_alpn_protocols(["http/1.1"])
            _context = context
        return _context


if hasattr(select, "poll"):

    def dropped_while_idle(sock: socket.socket) -> bool:
        """Whether an idle connection has something to read: the server closed
        it (or sent bytes no request asked for). Either way it cannot be reused."""
        poller = select.poll()
        poller.register(sock, select.POLLIN)
        return bool(poller.poll(0))

else:  # pragma: no cover - Windows

    def dropped_while_idle(sock: socket.socket) -> bool:
        """Whether an idle connection has something to read (see above)."""
        return bool(select.select([sock], [], [], 0)[0])


# ------------------------------------------------------------- compressed answers
#
# The request says ``Accept-Encoding: identity``; a server that compresses all
# the same is decoded as urllib3 (the previous transport) did: gzip, x-gzip and
# deflate (zlib or raw), br and zstd when the library urllib3 used for them
# is installed; a coding nobody knows leaves the body as it came.


def _gzip(data: bytes) -> bytes:
    out = []
    while True:  # a gzip body may hold several members, one after the other
        decoder = zlib.decompressobj(16 + zlib.MAX_WBITS)
        out.append(decoder.decompress(data))
        out.append(decoder.flush())
        if not decoder.eof:
            raise zlib.error("the gzip stream is cut short")
        data = decoder.unused_data
        if not data:
            return b"".join(out)


def _deflate(data: bytes) -> bytes:
    # "deflate" is zlib-wrapped by the RFC; some servers send it raw.
    try:
        return zlib.decompress(data)
    except zlib.error:
        return zlib.decompress(data, -zlib.MAX_WBITS)


def _optional_decoders() -> dict[str, Callable[[bytes], bytes]]:
    found: dict[str, Callable[[bytes], bytes]] = {}
    try:
        import brotli  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        try:
            import brotlicffi as brotli  # type: ignore[import-not-found, no-redef, unused-ignore]
        except ImportError:
            brotli = None
    if brotli is not None:
        found["br"] = brotli.decompress
    try:
        import zstandard  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        pass
    else:

        def _zstd(data: bytes) -> bytes:
            out = []
            while data:  # frames, one after the other
                decoder = zstandard.ZstdDecompressor().decompressobj()
                out.append(decoder.decompress(data))
                data = decoder.unused_data
            return b"".join(out)

        found["zstd"] = _zstd
    return found


_decoders: dict[str, Callable[[bytes], bytes]] | None = None


def decoded(data: bytes, encoding: str) -> bytes:
    """The body decoded from ``encoding`` (a Content-Encoding value, codings in
    the order applied); ``data`` itself when no coding of it is known.

    Raises:
        UndecodableAnswer: a known coding could not be undone (the text names the coding).
    """
    global _decoders
    if _decoders is None:
        _decoders = {"gzip": _gzip, "x-gzip": _gzip, "deflate": _deflate, **_optional_decoders()}
    codings = [part.strip() for part in encoding.lower().split(",")]
    codings = [coding for coding in codings if coding and coding != "identity"]
    if not any(coding in _decoders for coding in codings):
        return data
    for coding in reversed(codings):
        decoder = _decoders.get(coding)
        if decoder is None:
            raise UndecodableAnswer(f"the answer's Content-Encoding {encoding!r} cannot be decoded")
        try:
            data = decoder(data)
        except Exception:  # zlib.error, brotli.error, zstandard.ZstdError...
            raise UndecodableAnswer(
                f"the answer's Content-Encoding {encoding!r} could not be decoded"
            ) from None
    return data
