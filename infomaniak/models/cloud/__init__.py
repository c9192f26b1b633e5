"""Models of the Cloud section.

Public Clouds, projects, users, tasks, Kubernetes clusters and pools, and
managed databases.
"""

import importlib
from typing import TYPE_CHECKING, Any

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

if TYPE_CHECKING:
    from ._database import (
        DatabaseService,
        DatabaseServiceBackup,
        DatabaseServiceBackupSchedule,
        DatabaseServiceBackupStatus,
        DatabaseServiceConnection,
        DatabaseServiceCreation,
        DatabaseServicePack,
        DatabaseServicePackRates,
        DatabaseServiceProject,
        DatabaseServiceRate,
        DatabaseServiceRestore,
        DatabaseServiceStatus,
        DatabaseServiceType,
    )
    from ._kubernetes import (
        InstancePool,
        InstancePoolStatus,
        KaasApiserver,
        KubernetesService,
        KubernetesServiceFlavor,
        KubernetesServiceFlavorFilter,
        KubernetesServiceFlavorRange,
        KubernetesServiceFlavorRates,
        KubernetesServiceInstanceTotals,
        KubernetesServicePack,
        KubernetesServiceStatus,
        NodeLabels,
        ServiceProject,
    )

# The Kubernetes and database models load on first use (import time of
# ``from infomaniak import Client``); each name resolves to its module here.
_LAZY = {
    "DatabaseService": "._database",
    "DatabaseServiceBackup": "._database",
    "DatabaseServiceBackupSchedule": "._database",
    "DatabaseServiceBackupStatus": "._database",
    "DatabaseServiceConnection": "._database",
    "DatabaseServiceCreation": "._database",
    "DatabaseServicePack": "._database",
    "DatabaseServicePackRates": "._database",
    "DatabaseServiceProject": "._database",
    "DatabaseServiceRate": "._database",
    "DatabaseServiceRestore": "._database",
    "DatabaseServiceStatus": "._database",
    "DatabaseServiceType": "._database",
    "InstancePool": "._kubernetes",
    "InstancePoolStatus": "._kubernetes",
    "KaasApiserver": "._kubernetes",
    "KubernetesService": "._kubernetes",
    "KubernetesServiceFlavor": "._kubernetes",
    "KubernetesServiceFlavorFilter": "._kubernetes",
    "KubernetesServiceFlavorRange": "._kubernetes",
    "KubernetesServiceFlavorRates": "._kubernetes",
    "KubernetesServiceInstanceTotals": "._kubernetes",
    "KubernetesServicePack": "._kubernetes",
    "KubernetesServiceStatus": "._kubernetes",
    "NodeLabels": "._kubernetes",
    "ServiceProject": "._kubernetes",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


__all__ = [
    "AsyncTask",
    "DatabaseService",
    "DatabaseServiceBackup",
    "DatabaseServiceBackupSchedule",
    "DatabaseServiceBackupStatus",
    "DatabaseServiceConnection",
    "DatabaseServiceCreation",
    "DatabaseServicePack",
    "DatabaseServicePackRates",
    "DatabaseServiceProject",
    "DatabaseServiceRate",
    "DatabaseServiceRestore",
    "DatabaseServiceStatus",
    "DatabaseServiceType",
    "InstancePool",
    "InstancePoolStatus",
    "KaasApiserver",
    "KubernetesService",
    "KubernetesServiceFlavor",
    "KubernetesServiceFlavorFilter",
    "KubernetesServiceFlavorRange",
    "KubernetesServiceFlavorRates",
    "KubernetesServiceInstanceTotals",
    "KubernetesServicePack",
    "KubernetesServiceStatus",
    "NodeLabels",
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
    "ServiceProject",
    "TaskStatus",
    "UserStatus",
]
