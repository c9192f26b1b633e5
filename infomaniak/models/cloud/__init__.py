"""Models of the Cloud section: Public Clouds, projects, users and tasks."""

from ._project import ProjectStatus, PublicCloudProject, PublicCloudUser, UserStatus
from ._public_cloud import (
    PublicCloud,
    PublicCloudAccesses,
    PublicCloudBoolResponse,
    PublicCloudConfig,
    PublicCloudData,
    PublicCloudLock,
    PublicCloudMaintenance,
    PublicCloudRights,
    PublicCloudStatus,
    PublicCloudTag,
)
from ._task import AsyncTask, TaskStatus

__all__ = [
    "AsyncTask",
    "ProjectStatus",
    "PublicCloud",
    "PublicCloudAccesses",
    "PublicCloudBoolResponse",
    "PublicCloudConfig",
    "PublicCloudData",
    "PublicCloudLock",
    "PublicCloudMaintenance",
    "PublicCloudProject",
    "PublicCloudRights",
    "PublicCloudStatus",
    "PublicCloudTag",
    "PublicCloudUser",
    "TaskStatus",
    "UserStatus",
]
