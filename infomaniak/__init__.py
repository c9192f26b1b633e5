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


def _module_getattr(
    namespace: dict[str, object], where: dict[str, str]
) -> _typing.Callable[[str], object]:
    """The ``__getattr__`` (PEP 562) of a package that loads its names on first use.

    Shared with ``infomaniak.models.cloud``, whose attrs classes cost ~0.5 ms
    each to make.

    Args:
        namespace: The package's ``globals()``; a name, once loaded, is kept
            there, so later uses are plain attribute reads.
        where: For each name, the module of ``from .{module} import {name}``
            (``""`` for a submodule of the package itself).

    Returns:
        The function to bind as the package's ``__getattr__``.
    """
    package = namespace["__name__"]

    def __getattr__(name: str) -> object:
        module = where.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        # The import statement's machinery (not importlib.import_module): the
        # module then shows under its own name in `python -X importtime`.
        if module:
            value = getattr(__import__(module, namespace, None, (name,), 1), name)
            namespace[name] = value
            return value
        # A submodule: importing it binds it in the package's namespace (a
        # fromlist here would ask this very function for it again).
        __import__(name, namespace, None, (), 1)
        return namespace[name]

    return __getattr__


# Where each public name lives: ``from .{module} import {name}``.
__getattr__ = _module_getattr(
    globals(),
    {
        "AsyncClient": "_async._client",
        "Client": "_sync._client",
        "RateLimit": "_types",
        "StatusChange": "_lifecycle",
        "errors": "",
    },
)


def __dir__() -> list[str]:
    """The public names: what ``from infomaniak import *`` gives, and nothing else."""
    return sorted(__all__)
