"""How a resource's status says that a long operation is done.

Pure data shared by both clients: the waiting loop in ``_async/_operations.py``
(and its generated twin) reads a ``Lifecycle`` to decide, after each poll,
whether the resource is ready, has failed, is gone, or must be polled again.
Each kind of resource (projects and users, clusters, pools, databases,
backups, restores) describes itself once here or next to its resource.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from attrs import define, field

__all__ = ["PROJECT_LIFECYCLE", "Lifecycle", "StatusChange", "status_of"]


def _frozen(values: Any) -> frozenset[str]:
    return frozenset(values)


@define(frozen=True, kw_only=True)
class Lifecycle:
    """The statuses that end a wait.

    ``ready``: a change is done when the status is one of these and
    ``settled(resource)`` (if given) is true. ``failed``: the change failed.
    ``gone``: a deletion is done (as is a 404). ``problems(resource)``, if
    given, returns messages that mean failure whatever the status (a pool's
    ``error_messages``); ``failed_when_problems`` limits that to some statuses
    (empty: any status).
    """

    ready: frozenset[str] = field(converter=_frozen)
    failed: frozenset[str] = field(converter=_frozen)
    gone: frozenset[str] = field(converter=_frozen, factory=frozenset)
    settled: Callable[[Any], bool] | None = None
    problems: Callable[[Any], Sequence[str]] | None = None


PROJECT_LIFECYCLE = Lifecycle(ready={"ok"}, failed={"error"}, gone={"deleted"})


@define(frozen=True, kw_only=True)
class StatusChange:
    """What ``wait(on_status=...)`` is told each time the status it follows changes.

    Attributes:
        resource: what is followed (``"task"``, ``"project"``, ``"kubernetes cluster"``...).
        resource_id: its id (a task's UUID, a resource's integer id), if known.
        status: the new status, as the API sent it.
        previous: the status before, or ``None`` at the first poll.
        waited: seconds since ``wait()`` started.
        heartbeat: ``True`` when nothing changed: the wait only says it is
            still waiting (``status == previous``). Sent only to a
            ``wait(heartbeats=True)``.
    """

    resource: str
    resource_id: int | str | None
    status: str
    previous: str | None
    waited: float
    heartbeat: bool = False


def status_of(resource: Any) -> str:
    """A resource's ``status`` as a plain string ("" when it has none)."""
    status = getattr(resource, "status", None)
    return "" if status is None else str(status)
