"""Typed Python SDK for the Infomaniak Public Cloud API.

``Client`` is blocking (urllib3); ``AsyncClient`` is asyncio (aiohttp), loaded
only when first used so that ``from infomaniak import Client`` never imports
aiohttp.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import errors
from ._lifecycle import StatusChange
from ._sync._client import Client
from ._types import RateLimit
from ._version import __version__

if TYPE_CHECKING:
    from ._async._client import AsyncClient

__all__ = ["AsyncClient", "Client", "RateLimit", "StatusChange", "__version__", "errors"]


def __getattr__(name: str) -> Any:
    if name == "AsyncClient":
        from ._async._client import AsyncClient

        return AsyncClient
    raise AttributeError(f"module 'infomaniak' has no attribute {name!r}")
