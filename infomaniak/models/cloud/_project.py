from __future__ import annotations

from enum import StrEnum
from typing import Any

from attrs import Factory, define

from ._public_cloud import PublicCloudTag


class ProjectStatus(StrEnum):
    """Lifecycle of a project. Values the SDK does not know arrive as plain strings."""

    BLOCKED = "blocked"
    BLOCKING = "blocking"
    CREATING = "creating"
    DELETED = "deleted"
    DELETING = "deleting"
    DISABLED = "disabled"
    DISABLING = "disabling"
    ERROR = "error"
    OK = "ok"
    RESTORING = "restoring"
    SUSPENDED = "suspended"
    SUSPENDING = "suspending"
    UPDATING = "updating"


class UserStatus(StrEnum):
    """Lifecycle of a project (OpenStack) user. Unknown values arrive as plain strings."""

    CREATING = "creating"
    DELETING = "deleting"
    DISABLED = "disabled"
    DISABLING = "disabling"
    ERROR = "error"
    OK = "ok"
    UPDATING = "updating"


@define(kw_only=True, weakref_slot=False)
class PublicCloudProject:
    """A project (an OpenStack project) inside a Public Cloud."""

    public_cloud_project_id: int
    public_cloud_id: int | None = None
    open_stack_name: str | None = None
    name: str = ""
    price: float | None = None
    resource_level: int | None = None
    status: ProjectStatus | str = ""
    price_updated_at: int | None = None
    billing_start_at: int | None = None
    billing_end_at: int | None = None
    created_at: int | None = None
    updated_at: int | None = None
    user_count: int | None = None
    tags: list[PublicCloudTag] = Factory(list)
    meta: dict[str, Any] = Factory(dict)
    services: list[Any] | None = None
    deleted_at: int | None = None


@define(kw_only=True, weakref_slot=False)
class PublicCloudUser:
    """An OpenStack user of a project. Passwords and e-mails are write-only."""

    public_cloud_user_id: int
    public_cloud_project_id: int | None = None
    open_stack_name: str | None = None
    description: str | None = None
    status: UserStatus | str = ""
    created_at: int | None = None
    updated_at: int | None = None
