"""The base of every model class: one ``__repr__`` shared by all of them.

attrs writes a ``__repr__`` per class and compiles it when the class is
made: about 40 % of the cost of making a model class, paid by every command
line start that reads a model (10 classes for ``cloud list``). The models are
declared with ``repr=False`` and inherit this one, which prints what attrs'
would: ``ClassName(field=value!r, ...)``, fields marked ``repr=False``
(secrets) left out, a field's own ``repr`` callable used where it has one.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import attrs

__all__ = ["Model"]

# Per class: (name, formatter) of each field shown; formatter None is repr().
_SHOWN: dict[type, tuple[tuple[str, Callable[[Any], str] | None], ...]] = {}
_in_progress = threading.local()


def _shown(cls: type) -> tuple[tuple[str, Callable[[Any], str] | None], ...]:
    shown = _SHOWN.get(cls)
    if shown is None:
        shown = _SHOWN[cls] = tuple(
            (field.name, None if field.repr is True else field.repr)
            for field in attrs.fields(cls)
            if field.repr is not False
        )
    return shown


class Model:
    """Base class of the attrs models (adds no slot and no field)."""

    __slots__ = ()

    def __repr__(self) -> str:
        # A model that holds itself prints "..." there, as attrs' repr does.
        seen: set[int] | None = getattr(_in_progress, "seen", None)
        if seen is None:
            seen = _in_progress.seen = set()
        if id(self) in seen:
            return "..."
        seen.add(id(self))
        try:
            parts = []
            for name, formatter in _shown(type(self)):
                value = getattr(self, name, attrs.NOTHING)
                parts.append(
                    f"{name}={value!r}" if formatter is None else f"{name}={formatter(value)}"
                )
            return f"{type(self).__qualname__.rsplit('>.', 1)[-1]}({', '.join(parts)})"
        finally:
            seen.discard(id(self))
