"""Models of the Cloud section.

Public Clouds, projects, users, tasks, Kubernetes clusters and pools, and
managed databases.
"""

from typing import TYPE_CHECKING

from ... import _module_getattr

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

# Every model loads on first use, with its own module only: creating attrs
# classes is most of what importing a model costs (about 0.5 ms a class), so
# ``client.cloud.list()`` (and ``infomaniak cloud list``) builds PublicCloud
# and what it nests, not the projects', tasks', Kubernetes or database models.
_MODULES = {
    "_database": (
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
    ),
    "_kubernetes": (
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
        "ServiceProject",
    ),
    "_project": ("ProjectStatus", "PublicCloudProject", "PublicCloudUser", "UserStatus"),
    "_public_cloud": (
        "PublicCloud",
        "PublicCloudAccesses",
        "PublicCloudBoolResponse",
        "PublicCloudConfig",
        "PublicCloudData",
        "PublicCloudLock",
        "PublicCloudMaintenance",
        "PublicCloudRights",
        "PublicCloudStatus",
        "PublicCloudTag",
    ),
    "_task": ("AsyncTask", "TaskStatus"),
}
__getattr__ = _module_getattr(
    globals(), {name: module for module, names in _MODULES.items() for name in names}
)


def __dir__() -> list[str]:
    """The module's names, the models not loaded yet included."""
    return sorted({*globals(), *__all__})


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
