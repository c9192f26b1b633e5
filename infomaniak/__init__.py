"""Typed Python SDK for the Infomaniak Public Cloud API.

``Client`` is blocking (the standard library's http.client); ``AsyncClient``
is asyncio (aiohttp). Every public name is loaded on first use: ``import
infomaniak`` (what the command line's ``--version`` needs) reads no client
code, ``from infomaniak import Client`` never imports aiohttp, and
http.client waits for the first request.
"""

# No `from __future__ import annotations` and no bare `typing` names here:
# every module-level name is part of what `dir(infomaniak)` could show.
import typing as _typing

from ._version import __version__

if _typing.TYPE_CHECKING:
    from . import errors
    from ._async._client import AsyncClient
    from ._lifecycle import StatusChange
    from ._sync._client import Client
    from ._types import RateLimit

__all__ = ["AsyncClient", "Client", "RateLimit", "StatusChange", "__version__", "errors"]

# Where each public name lives (module, attribute; no attribute: the module itself).
_LAZY = {
    "AsyncClient": ("._async._client", "AsyncClient"),
    "Client": ("._sync._client", "Client"),
    "RateLimit": ("._types", "RateLimit"),
    "StatusChange": ("._lifecycle", "StatusChange"),
    "errors": (".errors", None),
}


def __getattr__(name: str) -> object:
    try:
        module_name, attribute = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'infomaniak' has no attribute {name!r}") from None
    import importlib

    module = importlib.import_module(module_name, __name__)
    value = module if attribute is None else getattr(module, attribute)
    globals()[name] = value  # looked up once: later uses are plain attribute reads
    return value


def __dir__() -> list[str]:
    """The public names: what ``from infomaniak import *`` gives, and nothing else."""
    return sorted(__all__)
