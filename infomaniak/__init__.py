"""Typed Python SDK for the Infomaniak Public Cloud API.

``Client`` is blocking (urllib3); ``AsyncClient`` is asyncio (aiohttp), loaded
only when first used so that ``from infomaniak import Client`` never imports
aiohttp.
"""

# No `from __future__ import annotations` and no bare `typing` names here:
# every module-level name is part of what `dir(infomaniak)` could show.
import typing as _typing

from . import errors
from ._lifecycle import StatusChange
from ._sync._client import Client
from ._types import RateLimit
from ._version import __version__

if _typing.TYPE_CHECKING:
    from ._async._client import AsyncClient

__all__ = ["AsyncClient", "Client", "RateLimit", "StatusChange", "__version__", "errors"]


def __getattr__(name: str) -> object:
    if name == "AsyncClient":
        from ._async._client import AsyncClient

        return AsyncClient
    raise AttributeError(f"module 'infomaniak' has no attribute {name!r}")


def __dir__() -> list[str]:
    """The public names: what ``from infomaniak import *`` gives, and nothing else."""
    return sorted(__all__)
