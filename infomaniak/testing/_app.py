"""The emulator server: HTTP plumbing, auth, fault injection, recording, threads."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import math
import random
import threading
import time
from collections import deque
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from types import TracebackType
from typing import Any, TypeVar, overload

import orjson
from aiohttp import web

from . import (
    _mysql,
    _routes_cloud,
    _routes_database,
    _routes_kubernetes,
    _routes_projects,
    _routes_tasks,
    _routes_users,
)
from ._http import ApiError, Ctx, JsonReply, Reply, Router, TextReply, status_error
from ._realism import Profile, Realism, Timings, durations
from ._schemas import validate_response
from ._state import AsyncMode, Item, State

__all__ = ["Emulator", "Fault", "RecordedRequest"]

logger = logging.getLogger("infomaniak.testing")
ACCESS_LOGGER = logging.getLogger("infomaniak.testing.access")
"""One INFO line per answered request: method, path, status, milliseconds (never
a token, a query value or a body). ``python -m infomaniak.testing --access-log``
prints it on stderr."""

# Bodies larger than this are not kept in ``Emulator.requests`` when the request
# was refused (a 4xx/5xx answer): a long run of refused uploads must not pile up.
_KEPT_REFUSED_BODY = 64 * 1024

_T = TypeVar("_T")

# Route modules, in no particular order (the router sorts by specificity).
ROUTE_MODULES = (
    _routes_cloud,
    _routes_projects,
    _routes_users,
    _routes_tasks,
    _routes_kubernetes,
    _routes_database,
)

_router: Router | None = None


def build_router() -> Router:
    global _router
    if _router is None:
        router = Router()
        for module in ROUTE_MODULES:
            module.register(router)
        _router = router
    return _router


# ---------------------------------------------------------------------------- public types


@dataclass(frozen=True)
class Fault:
    """One scripted misbehaviour, consumed by the next matching request.

    ``status``: answer this status with the API's error envelope (``html``: an
    nginx-style HTML page instead; html without a status answers 502).
    ``retry_after``: add a ``Retry-After`` header. ``drop``: close the connection
    without any response. ``delay``: wait this long first (alone: a slow but
    normal answer). ``json``: answer this JSON body as it is (with ``status``,
    default 200), e.g. a 422 envelope or a list answer without pagination keys.
    """

    status: int | None = None
    retry_after: float | str | None = None
    html: bool = False
    drop: bool = False
    delay: float = 0.0
    json: Any = None


class Headers(dict[str, str]):
    """The received headers with their names as sent; lookups ignore case."""

    def _real_key(self, key: str) -> str:
        if dict.__contains__(self, key):
            return key
        lowered = key.lower()
        for name in self:
            if name.lower() == lowered:
                return name
        return key

    def __getitem__(self, key: str) -> str:
        return super().__getitem__(self._real_key(key))

    def __contains__(self, key: object) -> bool:
        return super().__contains__(self._real_key(key) if isinstance(key, str) else key)

    @overload
    def get(self, key: str, default: None = None, /) -> str | None: ...
    @overload
    def get(self, key: str, default: str, /) -> str: ...
    @overload
    def get(self, key: str, default: _T, /) -> str | _T: ...
    def get(self, key: str, default: object = None, /) -> object:
        real = self._real_key(key)
        return super().__getitem__(real) if super().__contains__(real) else default


@dataclass(frozen=True)
class RecordedRequest:
    """A request as the emulator received it (faulted ones included)."""

    method: str
    path: str
    query: list[tuple[str, str]]  # decoded pairs, in order: ("filter[search]", "x")
    headers: dict[str, str]  # a case-insensitive ``Headers`` mapping
    body: bytes
    json: Any  # the decoded JSON body, or None (no body / not JSON)
    received_at: float = 0.0  # time.monotonic() on arrival, to check pacing


@dataclass
class _FaultRule:
    method: str | None
    path: str | None
    query: dict[str, str] | None
    faults: deque[Fault] = field(default_factory=deque)

    def matches(self, method: str, path: str, query: list[tuple[str, str]]) -> bool:
        if self.method is not None and self.method.upper() != method:
            return False
        if self.path is not None and self.path != path:
            return False
        return all((key, value) in query for key, value in (self.query or {}).items())


@dataclass
class _Chaos:
    rule: _FaultRule
    faults: tuple[Fault, ...]
    rate: float
    rng: random.Random


_HTML = (
    "<html>\r\n<head><title>{code} {phrase}</title></head>\r\n<body>\r\n"
    "<center><h1>{code} {phrase}</h1></center>\r\n<hr><center>nginx</center>\r\n"
    "</body>\r\n</html>\r\n"
)


class _Dropped(web.Response):
    """The stand-in answer of a dropped connection (nothing reaches the client)."""


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def _retry_after(value: float | str) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _decode_json(body: bytes) -> Any:
    if not body.strip():
        return None
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError:
        return None


# ---------------------------------------------------------------------------- emulator


class Emulator:
    """A stateful fake of the Infomaniak Public Cloud API on 127.0.0.1.

    See the package docstring for the behaviour; everything a test may touch
    from another thread (``inject``, ``latency``, ``rate_limit``, ``requests``,
    ``fail_next_*``, the state dicts) is safe to use while the server runs in
    ``in_thread()``.

    Realism: ``profile="realistic"`` (default) sends, on some items chosen from
    ``seed``, every alternative shape the live API is documented to send (nulls,
    booleans for objects, ``[]`` for empty objects, unknown keys, statuses
    outside the spec's enum, 202s with ``result`` "success" or "delayed");
    ``profile="tidy"`` sends none of them (docs/emulator.md lists the few places
    where it still differs from the exported spec, and why). ``timings="fast"`` (default)
    runs each transition in 0.05 s, ``timings="real"`` in the live API's orders
    of magnitude; ``time_scale`` multiplies either (``timings="real",
    time_scale=0.001``: a 5-minute cluster creation takes 0.3 s). An explicit
    ``task_duration`` / ``provision_duration`` is taken as given.

    ``mysql="mysql://admin:pw@127.0.0.1:3306"`` backs the database services
    with a real MySQL or MariaDB server (an account that may create databases
    and users): each service gets a real database and account there, which
    its ``connection`` reports (see ``infomaniak.testing._mysql``). Needs
    PyMySQL (``pip install 'infomaniak-cloud[mysql]'``).
    ``record_requests``: how many of the newest requests ``requests`` keeps
    (default 1000; None: all of them, which grows without bound in a long run).
    """

    def __init__(
        self,
        *,
        token: str = "emulator-token",
        account_id: int = 42,
        clouds: int = 37,
        projects_per_cloud: int | None = None,
        task_duration: float | None = None,
        provision_duration: float | None = None,
        async_mode: AsyncMode = "task",
        validate_responses: bool = True,
        seed: int = 0,
        profile: Profile = "realistic",
        timings: Timings = "fast",
        time_scale: float = 1.0,
        mysql: str | None = None,
        record_requests: int | None = 1000,
    ) -> None:
        if record_requests is not None and (
            isinstance(record_requests, bool)
            or not isinstance(record_requests, int)
            or record_requests < 0
        ):
            raise ValueError(
                f"record_requests must be an int >= 0 or None, not {record_requests!r}"
            )
        for name, seconds in (
            ("task_duration", task_duration),
            ("provision_duration", provision_duration),
        ):
            if seconds is not None and (
                isinstance(seconds, bool)
                or not isinstance(seconds, int | float)
                or not math.isfinite(seconds)
                or seconds < 0
            ):
                raise ValueError(f"{name} must be a finite number >= 0, not {seconds!r}")
        if async_mode not in ("task", "id"):
            raise ValueError(f"async_mode must be 'task' or 'id', not {async_mode!r}")
        if clouds < 0 or (projects_per_cloud is not None and projects_per_cloud < 0):
            raise ValueError("clouds and projects_per_cloud must be >= 0")
        self.token = token
        self.account_id = account_id
        self.async_mode: AsyncMode = async_mode
        self.validate_responses = validate_responses
        self.latency: float = 0.0
        self.rate_limit: int | None = None
        self.schema_errors: list[str] = []
        # Realism (see _realism): the data profile and the timing profile.
        self.profile: Profile = profile
        self.timings: Timings = timings
        self.time_scale = time_scale
        self.durations: dict[str, float] = durations(timings, time_scale)
        """Seconds of each transition in this timing profile (``_realism.DURATIONS``)."""
        self._state = State(
            account_id=account_id,
            clouds=clouds,
            projects_per_cloud=projects_per_cloud,
            task_duration=self.durations["task"] if task_duration is None else task_duration,
            provision_duration=(
                self.durations["provision"] if provision_duration is None else provision_duration
            ),
            async_mode=async_mode,
            seed=seed,
            realism=Realism(profile, seed),
            durations=self.durations,
        )
        self._mysql = _mysql.MysqlBackend(mysql) if mysql is not None else None
        self._state.mysql = self._mysql
        self._router = build_router()
        self._lock = threading.Lock()
        # The newest ``record_requests`` requests (None: all of them).
        self._requests: deque[RecordedRequest] = deque(maxlen=record_requests)
        self._faults: list[_FaultRule] = []
        self._chaos: _Chaos | None = None
        self._hits: deque[float] = deque()
        self._runner: web.AppRunner | None = None
        self._url: str | None = None
        self._thread: threading.Thread | None = None
        self._thread_loop: asyncio.AbstractEventLoop | None = None

    # ------------------------------------------------------------------ lifecycle

    @property
    def url(self) -> str:
        if self._url is None:
            raise RuntimeError("the emulator is not running")
        return self._url

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        if self._runner is not None:
            raise RuntimeError("the emulator is already running")
        if self._mysql is not None:
            # Fail now, with the reason, rather than at the first database.
            await asyncio.wrap_future(self._mysql.check())
        app = web.Application(client_max_size=16 * 1024 * 1024)
        app.router.add_route("*", "/{tail:.*}", self._handle)
        # A short shutdown timeout: a test stopping the emulator must not wait for
        # a request stuck in a scripted delay.
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.2)
        await runner.setup()
        try:
            await web.TCPSite(runner, host, port).start()
        except BaseException:
            await runner.cleanup()
            raise
        bound_port = runner.addresses[0][1]
        self._runner = runner
        # An IPv6 literal goes in brackets in a URL (RFC 3986): http://[::1]:8080.
        shown = f"[{host}]" if ":" in host and not host.startswith("[") else host
        self._url = f"http://{shown}:{bound_port}"
        return self._url

    async def stop(self) -> None:
        runner, self._runner = self._runner, None
        self._url = None
        if runner is not None:
            await runner.cleanup()
        if self._mysql is not None:
            # Drop the databases, accounts and backups this emulator created.
            with self._state.lock:
                closing = self._mysql.close()
            try:
                await asyncio.wrap_future(closing)
            except Exception:
                logger.warning("could not drop the MySQL databases of the emulator")

    async def __aenter__(self) -> Emulator:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    def start_in_thread(self, host: str = "127.0.0.1", port: int = 0) -> str:
        """Serve from a daemon thread with its own event loop; return the URL."""
        if self._thread is not None:
            raise RuntimeError("the emulator is already running in a thread")
        loop = asyncio.new_event_loop()
        started = threading.Event()
        failure: list[BaseException] = []

        def run() -> None:
            asyncio.set_event_loop(loop)
            try:
                try:
                    loop.run_until_complete(self.start(host, port))
                except BaseException as exc:
                    failure.append(exc)
                    return
                finally:
                    started.set()
                loop.run_forever()
                loop.run_until_complete(self.stop())
            finally:
                # Handlers still sleeping in a scripted delay: end them here
                # rather than leave "Task was destroyed" noise at exit.
                pending = [task for task in asyncio.all_tasks(loop) if not task.done()]
                for task in pending:
                    task.cancel()
                if pending:
                    loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
                loop.run_until_complete(loop.shutdown_asyncgens())
                loop.close()

        thread = threading.Thread(target=run, name="infomaniak-emulator", daemon=True)
        thread.start()
        started.wait()
        if failure:
            thread.join()
            raise failure[0]
        self._thread, self._thread_loop = thread, loop
        return self.url

    def stop_in_thread(self, timeout: float = 10.0) -> None:
        thread, loop = self._thread, self._thread_loop
        self._thread = self._thread_loop = None
        if thread is None or loop is None:
            return
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout)

    @contextlib.contextmanager
    def in_thread(self, host: str = "127.0.0.1", port: int = 0) -> Iterator[Emulator]:
        self.start_in_thread(host, port)
        try:
            yield self
        finally:
            self.stop_in_thread()

    # ------------------------------------------------------------------ test controls

    def inject(
        self,
        *faults: Fault,
        method: str | None = None,
        path: str | None = None,
        query: Mapping[str, Any] | None = None,
    ) -> None:
        """Queue ``faults`` for the requests that match.

        Each fault is consumed, in order, by the next matching request.

        Args:
            *faults: The misbehaviours, in the order they happen.
            method: Only requests with this method (default: any).
            path: Only requests to exactly this path (default: any).
            query: Only requests whose query holds every key=value of this.

        Raises:
            ValueError: no fault given.
        """
        if not faults:
            raise ValueError("inject() needs at least one Fault")
        rule = _FaultRule(
            method=method,
            path=path,
            query={key: str(value) for key, value in query.items()} if query else None,
            faults=deque(faults),
        )
        with self._lock:
            self._faults.append(rule)

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()
            self._chaos = None

    @property
    def requests(self) -> list[RecordedRequest]:
        """The newest received requests, oldest first (at most ``record_requests``)."""
        with self._lock:
            return list(self._requests)

    def clear_requests(self) -> None:
        with self._lock:
            self._requests.clear()

    def chaos(
        self,
        *faults: Fault,
        rate: float,
        seed: int = 0,
        method: str | None = None,
        path: str | None = None,
    ) -> None:
        """Misbehave at random from now on.

        Each request matching ``method``/``path`` gets, with probability
        ``rate``, one of ``faults`` (chosen at random, reproducibly from
        ``seed``). Scripted faults from ``inject()`` come first. ``rate=0``
        (or ``clear_faults()``) stops it.
        """
        if not faults or not 0.0 <= rate <= 1.0:
            raise ValueError("chaos() needs at least one Fault and a rate in [0, 1]")
        with self._lock:
            self._chaos = _Chaos(
                rule=_FaultRule(method=method, path=path, query=None),
                faults=faults,
                rate=rate,
                rng=random.Random(seed),
            )

    def fail_next_task(
        self, code: str = "unexpected_error", description: str = "Something failed"
    ) -> None:
        """The next spawned task ends ``failed`` and has no effect."""
        with self._state.lock:
            self._state.fail_next_task(code, description)

    def fail_next_provisioning(self) -> None:
        """The next created project or user goes ``creating`` -> ``error``."""
        with self._state.lock:
            self._state.fail_next_provisioning()

    def _snapshot(self, name: str) -> Any:
        with self._state.lock:
            self._state.advance()
            return getattr(self._state, name)

    @property
    def task_duration(self) -> float:
        """Seconds a new task takes from spooled to executed (settable any time)."""
        return self._state.task_duration

    @task_duration.setter
    def task_duration(self, seconds: float) -> None:
        with self._state.lock:
            self._state.task_duration = seconds

    @property
    def provision_duration(self) -> float:
        """Seconds a new project or user stays ``creating`` (settable any time)."""
        return self._state.provision_duration

    @provision_duration.setter
    def provision_duration(self, seconds: float) -> None:
        with self._state.lock:
            self._state.provision_duration = seconds

    @property
    def clouds(self) -> dict[int, Item]:
        result: dict[int, Item] = self._snapshot("clouds")
        return result

    @property
    def projects(self) -> dict[int, Item]:
        result: dict[int, Item] = self._snapshot("projects")
        return result

    @property
    def users(self) -> dict[int, Item]:
        result: dict[int, Item] = self._snapshot("users")
        return result

    @property
    def tasks(self) -> dict[str, Item]:
        result: dict[str, Item] = self._snapshot("tasks")
        return result

    # ------------------------------------------------------------------ KaaS (Kubernetes)

    def _kaas(self) -> _routes_kubernetes.KaasState:
        return _routes_kubernetes.kaas_state(self._state)

    @property
    def kaas_duration(self) -> float:
        """Seconds a cluster stays ``Creating``, ``Updating`` or ``Deleting`` (settable)."""
        with self._state.lock:
            return self._kaas().kaas_duration

    @kaas_duration.setter
    def kaas_duration(self, seconds: float) -> None:
        with self._state.lock:
            self._kaas().kaas_duration = seconds

    @property
    def pool_duration(self) -> float:
        """Seconds an instance pool takes to create, resize, update or delete (settable)."""
        with self._state.lock:
            return self._kaas().pool_duration

    @pool_duration.setter
    def pool_duration(self, seconds: float) -> None:
        with self._state.lock:
            self._kaas().pool_duration = seconds

    @property
    def project_cores_quota(self) -> int:
        """How many vCPUs the pools of one project may use together (settable).

        A pool that would go past it ends ``FailedQuota`` with "Quota exceeded for cores".
        """
        with self._state.lock:
            return self._kaas().project_cores_quota

    @project_cores_quota.setter
    def project_cores_quota(self, cores: int) -> None:
        with self._state.lock:
            self._kaas().project_cores_quota = cores

    def fail_next_kaas(self) -> None:
        """The next created cluster goes ``Creating`` -> ``Failed``."""
        with self._state.lock:
            self._kaas().fail_next()

    @property
    def clusters(self) -> dict[int, Item]:
        """The Kubernetes clusters, by ``kaas_id`` (live state: read, don't keep)."""
        with self._state.lock:
            self._state.advance()
            return self._kaas().clusters

    @property
    def pools(self) -> dict[int, Item]:
        """The instance pools, by ``instance_pool_id`` (live state: read, don't keep)."""
        with self._state.lock:
            self._state.advance()
            return self._kaas().pools

    # ------------------------------------------------------------------ DBaaS

    @property
    def dbaas_duration(self) -> float:
        """Seconds a new (or resized) database service stays ``initializing``.

        A deleted one stays ``stopping`` as long (settable any time).
        """
        return _routes_database.dbaas_state(self._state).dbaas_duration

    @dbaas_duration.setter
    def dbaas_duration(self, seconds: float) -> None:
        with self._state.lock:
            _routes_database.dbaas_state(self._state).dbaas_duration = seconds

    @property
    def backup_duration(self) -> float:
        """Seconds a new backup takes from ``Starting`` to ``Succeeded`` (settable any time)."""
        return _routes_database.dbaas_state(self._state).backup_duration

    @backup_duration.setter
    def backup_duration(self, seconds: float) -> None:
        with self._state.lock:
            _routes_database.dbaas_state(self._state).backup_duration = seconds

    @property
    def restore_duration(self) -> float:
        """Seconds a restore takes from ``Starting`` to ``Succeeded`` (settable any time)."""
        return _routes_database.dbaas_state(self._state).restore_duration

    @restore_duration.setter
    def restore_duration(self, seconds: float) -> None:
        with self._state.lock:
            _routes_database.dbaas_state(self._state).restore_duration = seconds

    @property
    def dbaas_reset_password_methods(self) -> tuple[str, ...]:
        """The methods ``.../dbaas/{id}/reset_password`` answers.

        By default GET and POST, as the sources disagree; the others get a 405.
        """
        return _routes_database.dbaas_state(self._state).reset_password_methods

    @dbaas_reset_password_methods.setter
    def dbaas_reset_password_methods(self, methods: tuple[str, ...]) -> None:
        with self._state.lock:
            _routes_database.dbaas_state(self._state).reset_password_methods = tuple(
                method.upper() for method in methods
            )

    def fail_next_dbaas(self) -> None:
        """The next created database service goes ``initializing`` -> ``error``."""
        with self._state.lock:
            _routes_database.dbaas_state(self._state).fail_dbaas += 1

    def fail_next_backup(self) -> None:
        """The next backup goes ``Starting`` -> ``Running`` -> ``Failed``."""
        with self._state.lock:
            _routes_database.dbaas_state(self._state).fail_backup += 1

    def fail_next_restore(self) -> None:
        """The next restore ends ``Failed`` (and its new service, if any, ``error``)."""
        with self._state.lock:
            _routes_database.dbaas_state(self._state).fail_restore += 1

    @property
    def dbaas(self) -> dict[int, Item]:
        """The database services by id.

        Keys starting with ``_`` are the emulator's own (pack, password,
        backups, schedules, restores...).
        """
        with self._state.lock:
            self._state.advance()
            return _routes_database.dbaas_state(self._state).services

    # ------------------------------------------------------------------ serving

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        started = time.perf_counter()
        status = "failed"
        try:
            response = await self._answer(request)
            status = "dropped" if isinstance(response, _Dropped) else str(response.status)
            return response
        except web.HTTPException as exc:  # e.g. 413: a body over client_max_size
            status = str(exc.status)
            raise
        finally:
            if ACCESS_LOGGER.isEnabledFor(logging.INFO):
                ACCESS_LOGGER.info(
                    "%s %s %s %.1f ms",
                    request.method,
                    request.path,
                    status,
                    (time.perf_counter() - started) * 1000,
                )

    def _forget_body(self, recorded: RecordedRequest) -> None:
        """Drop the large body of a refused request from the record (memory stays flat)."""
        with self._lock:
            for index in range(len(self._requests) - 1, -1, -1):
                if self._requests[index] is recorded:
                    self._requests[index] = dataclasses.replace(recorded, body=b"", json=None)
                    return

    async def _answer(self, request: web.Request) -> web.StreamResponse:
        body = await request.read()
        query = list(request.rel_url.query.items())
        headers = Headers()
        for name, value in request.headers.items():
            headers[name] = f"{headers[name]}, {value}" if name in headers else value
        recorded = RecordedRequest(
            method=request.method,
            path=request.path,
            query=query,
            headers=headers,
            body=body,
            json=_decode_json(body),
            received_at=time.monotonic(),
        )
        with self._lock:
            self._requests.append(recorded)
            fault = self._take_fault(request.method, request.path, query)

        delay = self.latency + (fault.delay if fault is not None else 0.0)
        if delay > 0:
            await asyncio.sleep(delay)

        extra_headers: dict[str, str] = {}
        if fault is not None:
            if fault.retry_after is not None:
                extra_headers["Retry-After"] = _retry_after(fault.retry_after)
            if fault.drop:
                if request.transport is not None:
                    request.transport.close()
                # Nothing reaches the client: the transport is already closed.
                return _Dropped(status=204)
            if fault.html:
                status = fault.status or 502
                page = _HTML.format(code=status, phrase=_phrase(status))
                return web.Response(
                    status=status, text=page, content_type="text/html", headers=extra_headers
                )
            if fault.json is not None:
                scripted = JsonReply(fault.status or 200, orjson.dumps(fault.json))
                return self._respond(scripted, extra_headers)
            if fault.status is not None:
                return self._respond(status_error(fault.status), extra_headers)

        reply = self._dispatch(request, body, query)
        # Work on the MySQL server behind the databases this answer depends on.
        for work in self._state.take_waits():
            try:
                await asyncio.wrap_future(work)
            except Exception:
                reply = status_error(500, "Something wrong happened in the MySQL server")
        if reply.status >= 400 and len(body) > _KEPT_REFUSED_BODY:
            self._forget_body(recorded)
        return self._respond(reply, extra_headers)

    def _take_fault(self, method: str, path: str, query: list[tuple[str, str]]) -> Fault | None:
        for rule in self._faults:
            if rule.faults and rule.matches(method, path, query):
                fault = rule.faults.popleft()
                if not rule.faults:
                    self._faults.remove(rule)
                return fault
        chaos = self._chaos
        if (
            chaos is not None
            and chaos.rule.matches(method, path, query)
            and chaos.rng.random() < chaos.rate
        ):
            return chaos.rng.choice(chaos.faults)
        return None

    def _rate_limited(self) -> bool:
        limit = self.rate_limit
        if limit is None:
            return False
        now = time.monotonic()
        with self._lock:
            while self._hits and self._hits[0] <= now - 60.0:
                self._hits.popleft()
            if len(self._hits) >= limit:
                return True
            self._hits.append(now)
            return False

    def _authorized(self, request: web.Request) -> bool:
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        return scheme.lower() == "bearer" and token.strip() == self.token

    def _dispatch(self, request: web.Request, body: bytes, query: list[tuple[str, str]]) -> Reply:
        method = request.method.upper()
        if method == "POST":
            # DEVDOC (CATALOG §3.2): DELETE-with-body is sent as POST with an
            # ``X-HTTP-METHOD-OVERRIDE: DELETE`` header or a ``_method=DELETE``
            # parameter. Only DELETE is documented: any other override is ignored
            # and the request stays a POST.
            # A repeated query key: the last value wins (PHP).
            methods = request.query.getall("_method", [])
            override = request.headers.get("X-HTTP-Method-Override") or (
                methods[-1] if methods else None
            )
            if override and override.strip().upper() == "DELETE":
                method = "DELETE"
        path = request.path
        if self._rate_limited():
            # No rate-limit headers are documented (CATALOG §3.10): a bare 429.
            return self._checked(method, None, status_error(429, "Too many requests"))
        if not self._authorized(request):
            return self._checked(
                method, None, JsonReply(401, _error("not_authorized", "Authorization required"))
            )
        match = self._router.match(method, path)
        if match is None:
            return self._checked(
                method, None, JsonReply(404, _error("method_not_found", "Method not found"))
            )
        route, params = match
        state = self._state
        with state.lock:
            state.advance()
            ctx = Ctx(method, path, route.template, params, query, body, state)
            try:
                reply = route.handler(ctx)
            except ApiError as exc:
                reply = exc.reply()
            except Exception as exc:
                logger.exception("emulator failure on %s %s", method, path)
                with self._lock:
                    self.schema_errors.append(f"emulator bug on {method} {path}: {exc!r}")
                reply = status_error(500, "Something wrong happened in the emulator")
            # Checked (and later serialised) under the lock: the payload is live state.
            return self._checked(method, route.template, reply)

    def _checked(self, method: str, template: str | None, reply: Reply) -> Reply:
        if self.validate_responses and isinstance(reply, JsonReply):
            problems = validate_response(method, template, reply.status, reply.payload)
            if problems:
                with self._lock:
                    self.schema_errors.extend(problems)
        if isinstance(reply, JsonReply):
            # Freeze the payload now, while the state lock (if any) is still held.
            return JsonReply(reply.status, orjson.dumps(reply.payload), reply.headers)
        return reply

    def _respond(self, reply: Reply, extra_headers: Mapping[str, str]) -> web.Response:
        headers = {**reply.headers, **extra_headers}
        if isinstance(reply, TextReply):
            if not reply.content_type.startswith("text/"):
                # A file (openrc, clouds.yaml): its bytes, with no charset parameter.
                return web.Response(
                    status=reply.status,
                    body=reply.text.encode(),
                    content_type=reply.content_type,
                    headers=headers,
                )
            return web.Response(
                status=reply.status,
                text=reply.text,
                content_type=reply.content_type,
                charset="utf-8",
                headers=headers,
            )
        payload = reply.payload
        data = payload if isinstance(payload, bytes) else orjson.dumps(payload)
        return web.Response(
            status=reply.status, body=data, content_type="application/json", headers=headers
        )


def _error(code: str, description: str) -> dict[str, Any]:
    return {"result": "error", "error": {"code": code, "description": description, "errors": []}}
