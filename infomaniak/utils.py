"""``plist``, the page type of the blocking client, and ``AsyncPList``, its async twin.

``AsyncPList`` is loaded on first use: it needs nothing from aiohttp, but this
keeps ``import infomaniak.utils`` as light as ``plist`` alone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._sync._pagination import plist

if TYPE_CHECKING:
    from ._async._pagination import AsyncPList

__all__ = ["AsyncPList", "plist"]


def __getattr__(name: str) -> Any:
    if name == "AsyncPList":
        from ._async._pagination import AsyncPList

        return AsyncPList
    raise AttributeError(f"module 'infomaniak.utils' has no attribute {name!r}")
