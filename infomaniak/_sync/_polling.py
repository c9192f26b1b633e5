# Generated from infomaniak/_async/_polling.py by scripts/unasync.py.
# Do not edit: change the async source and run `python scripts/unasync.py`.
"""Shared polls: concurrent ``wait()`` calls of one client look at their resources together.

The API allows 60 requests a minute. Ten clusters waited for one by one cost
ten GETs per interval; their project (or account) list carries every status
in one answer. Each client has one ``PollHub``; a wait asks it for its next
look (``look()``) and the hub decides how to get it:

* Waits of the same kind and scope (a ``SharedList.key``: the clusters or the
  databases of a Public Cloud, the pools of a cluster, the backups of a
  service, the projects of a cloud, the users of a project, async tasks)
  register with the hub. When one of them is due, it leads a *round*: it takes
  along every wait of the key already past half its own pause (so nobody is
  looked at later than its own schedule, and at most twice as often), and
  sends one list request for all of them. Waits that come due while that
  request is in flight join it.
* A round of one wait sends nothing shared: that wait GETs its resource by id,
  exactly as without the hub ("fetch it yourself"). So does a wait whose
  resource the list did not carry (a deletion counts only after a 404 on its
  own id), and every wait of a round whose list request failed: a failing
  list is never worse than no sharing. A list route the API refuses (4xx) is
  not tried again by this client for that key.
* Each wait keeps its own deadline, callback and failure rules: the hub only
  hands back the resource's raw item; the wait decodes and judges it. A wait
  whose deadline passes while a round is in flight leaves it; if the leader's
  own deadline cuts the request, the other waits of the round lead again.

The hub is written once here; the blocking twin (generated) shares polls
between threads the same way, with a thread lock and thread events.
"""

from __future__ import annotations

import time
import weakref
from collections.abc import Hashable, Mapping
from typing import Any

from attrs import define, field

from .._deadline import DeadlineExceeded
from .._transport._sync import SyncLock, SyncSignal, SyncTransport, sync_sleep
from ..errors import APIConnectionError, APIError, ResponseDecodeError
from ._pipeline import Pipeline

__all__ = ["PollHub", "SharedList", "hub_for"]

# Items asked for per list request: one page holds the waits of a scope.
_LIST_PAGE = 100
# A wait may be looked at once it has slept this share of its own pause.
_EARLY = 0.5


def _frozen_params(params: Mapping[str, Any] | None) -> tuple[tuple[str, Any], ...]:
    return tuple(sorted((params or {}).items()))


@define(frozen=True, kw_only=True)
class SharedList:
    """How one wait's resource can be seen in a list, with others of its kind.

    Attributes:
        key: the kind and scope whose waits share their polls.
        path: the list route that holds this resource (its narrowest scope).
        id_field: the item key holding the resource's id.
        model: what an item decodes to (the type its own GET returns).
        params: query parameters of the list (sorting, say).
        paginated: the route takes ``page``/``per_page``.
        cloud_wide: ``(route, public_cloud_id)`` of an account-wide list
            filtered to the Public Cloud, for waits of one key spread over
            several ``path`` (clusters or databases in several projects).
    """

    key: tuple[Hashable, ...]
    path: str
    id_field: str
    model: type[Any]
    params: tuple[tuple[str, Any], ...] = field(default=(), converter=_frozen_params)
    paginated: bool = True
    cloud_wide: tuple[str, int] | None = None


class _Pending:
    """Marks a look not answered yet."""


_PENDING: Any = _Pending()
# "Fetch it yourself": the wait GETs its resource by id.
FETCH: Any = object()


class _Entry:
    """One wait asking for its next look."""

    __slots__ = ("deadline", "due", "event", "outcome", "resource_id", "round", "spec", "window")

    def __init__(
        self, spec: SharedList, resource_id: int | str, due: float, window: float, deadline: float
    ) -> None:
        self.spec = spec
        self.resource_id = str(resource_id)
        self.due = due
        self.window = window
        self.deadline = deadline
        self.event = SyncSignal()
        self.outcome: Any = _PENDING
        self.round: _Round | None = None


class _Round:
    """One list request, and the waits it answers.

    ``path``: the narrow list all its waits share; else ``wide``: the
    account-wide list of their Public Cloud.
    """

    __slots__ = ("entries", "leader", "path", "wide")

    def __init__(self, leader: _Entry, entries: list[_Entry], *, wide: bool) -> None:
        self.leader = leader
        self.entries = entries
        self.path: str | None = None if wide else leader.spec.path
        self.wide = leader.spec.cloud_wide if wide else None

    def covers(self, entry: _Entry) -> bool:
        if self.path is not None:
            return entry.spec.path == self.path
        return entry.spec.cloud_wide == self.wide


class _Group:
    __slots__ = ("disabled", "entries", "rounds")

    def __init__(self) -> None:
        self.entries: set[_Entry] = set()
        self.rounds: list[_Round] = []
        self.disabled = False


class PollHub:
    """The shared polls of one client (every view of it: ``with_options`` too)."""

    def __init__(self) -> None:
        self._lock = SyncLock()
        self._groups: dict[tuple[Hashable, ...], _Group] = {}
        self._accounts: dict[int, int] = {}
        # One lookup of a cloud's owner at a time: the next one reads the cache.
        self._account_lock = SyncLock()

    def look(
        self,
        pipeline: Pipeline,
        spec: SharedList,
        resource_id: int | str,
        *,
        due: float,
        window: float,
        deadline: float,
    ) -> tuple[Any, float]:
        """Wait until this resource is looked at; return ``(item, when)``.

        ``item`` is the raw list item, or ``FETCH`` when the caller must GET
        it by id now. ``due`` is when the caller's own schedule looks;
        ``window`` how much earlier a shared look may come. Raises
        ``DeadlineExceeded`` at ``deadline``.
        """
        entry = _Entry(spec, resource_id, due, window, deadline)
        with self._lock:
            group = self._groups.get(spec.key)
            if group is None:
                group = self._groups[spec.key] = _Group()
            if group.disabled:
                entry.outcome = FETCH
            else:
                group.entries.add(entry)
        if entry.outcome is FETCH:
            _sleep_until(due, deadline)
            return FETCH, time.monotonic()
        # Let the waits started together register before the first of them
        # decides who shares its poll (gather() starts them one after another).
        sync_sleep(0)
        try:
            return self._look(pipeline, group, entry)
        finally:
            with self._lock:
                group.entries.discard(entry)
                if not group.entries and not group.rounds and not group.disabled:
                    self._groups.pop(spec.key, None)

    def _look(
        self, pipeline: Pipeline, group: _Group, entry: _Entry
    ) -> tuple[Any, float]:
        while True:
            lead: _Round | None = None
            with self._lock:
                entry.event.clear()
                now = time.monotonic()
                outcome = entry.outcome
                if outcome is _PENDING and entry.round is None and now >= entry.due:
                    lead = self._start(group, entry, now)
                    outcome = entry.outcome
            if outcome is not _PENDING:
                return outcome, time.monotonic()
            if lead is not None:
                self._run(pipeline, group, lead)
                continue
            if now >= entry.deadline:
                raise DeadlineExceeded("the wait timed out")
            until = entry.deadline if entry.round is not None else min(entry.due, entry.deadline)
            entry.event.wait(until - now)

    def _start(self, group: _Group, entry: _Entry, now: float) -> _Round | None:
        """Under the lock: join a round in flight, or lead one (None: fetch alone)."""
        for running in group.rounds:
            if running.covers(entry):
                running.entries.append(entry)
                entry.round = running
                return None
        served = [entry]
        for other in group.entries:
            if (
                other is not entry
                and other.round is None
                and other.outcome is _PENDING
                and other.due - other.window <= now < other.deadline
            ):
                served.append(other)
        wide = False
        if len(served) > 1:
            narrow = [other for other in served if other.spec.path == entry.spec.path]
            spread = entry.spec.cloud_wide
            if spread is not None and len(narrow) < len(served):
                # Waits of several projects: one account-wide list of their cloud.
                served = [other for other in served if other.spec.cloud_wide == spread]
                wide = len({other.spec.path for other in served}) > 1
            if not wide:
                served = narrow
        if len(served) == 1:
            # Nobody to share with: this wait polls alone, as it always did.
            entry.outcome = FETCH
            return None
        round_ = _Round(entry, served, wide=wide)
        for other in served:
            other.round = round_
        group.rounds.append(round_)
        return round_

    def _run(self, pipeline: Pipeline, group: _Group, round_: _Round) -> None:
        """Send the round's list request and hand each wait its item."""
        items: dict[str, Any] | None = None
        retry = True
        try:
            items, complete = self._fetch(pipeline, round_)
            retry = False
            if not complete and not any(entry.resource_id in items for entry in round_.entries):
                # The first page holds none of them (a long history sorted the
                # other way): asking again would only add a request per poll.
                group.disabled = True
        except DeadlineExceeded:
            # The leader's own deadline: it times out, the others lead again.
            raise
        except APIError as exc:
            retry = False
            if 400 <= exc.status < 500 and exc.status != 429:
                group.disabled = True
        except (APIConnectionError, ResponseDecodeError):
            retry = False
        finally:
            with self._lock:
                if round_ in group.rounds:
                    group.rounds.remove(round_)
                for entry in round_.entries:
                    if entry.outcome is not _PENDING:
                        continue
                    entry.round = None
                    if retry and entry is not round_.leader:
                        pass  # leads again at once (its look is due)
                    elif items is None:
                        entry.outcome = FETCH
                    else:
                        entry.outcome = items.get(entry.resource_id, FETCH)
                    entry.event.set()

    def _fetch(self, pipeline: Pipeline, round_: _Round) -> tuple[dict[str, Any], bool]:
        """The round's list: ``{id: (path, item)}``, and whether it holds the whole scope."""
        spec = round_.leader.spec
        params: dict[str, Any] = dict(spec.params)
        if round_.path is not None:
            path = round_.path
        else:
            assert round_.wide is not None
            path, cloud = round_.wide
            params["account_id"] = self._account_of(pipeline, cloud)
            params["public_cloud_id"] = cloud
        if spec.paginated:
            params["page"] = 1
            params["per_page"] = _LIST_PAGE
        envelope = pipeline.request("GET", path, params=params)
        data = envelope.get("data")
        if data.__class__ is not list:
            raise ResponseDecodeError(
                f"expected a list in data, got {type(data).__name__}", method="GET", path=path
            )
        items: dict[str, Any] = {}
        for item in data:
            if isinstance(item, Mapping):
                key = item.get(spec.id_field)
                if key is not None:
                    items[str(key)] = (path, item)
        pages = envelope.get("pages")
        return items, not (pages.__class__ is int and pages > 1)

    def _account_of(self, pipeline: Pipeline, cloud: int) -> int:
        """The account owning a Public Cloud (asked once per client)."""
        account = self._accounts.get(cloud)
        if account is not None:
            return account
        with self._account_lock:
            return self._look_up_account(pipeline, cloud)

    def _look_up_account(self, pipeline: Pipeline, cloud: int) -> int:
        account = self._accounts.get(cloud)
        if account is None:
            path = f"/1/public_clouds/{cloud}"
            envelope = pipeline.request("GET", path)
            data = envelope.get("data")
            value = data.get("account_id") if isinstance(data, Mapping) else None
            if value.__class__ is not int:
                raise ResponseDecodeError(
                    "the Public Cloud has no account_id", method="GET", path=path
                )
            account = self._accounts[cloud] = value
        return account


def _sleep_until(due: float, deadline: float) -> None:
    left = min(due, deadline) - time.monotonic()
    if left > 0:
        sync_sleep(left)


_HUBS: weakref.WeakKeyDictionary[SyncTransport, PollHub] = weakref.WeakKeyDictionary()


def hub_for(pipeline: Pipeline) -> PollHub:
    """The hub of the client this pipeline belongs to (views of a client share one)."""
    hub = _HUBS.get(pipeline.transport)
    if hub is None:
        hub = _HUBS.setdefault(pipeline.transport, PollHub())
    return hub
