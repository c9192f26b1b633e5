"""A griffe extension for the docs' API reference: what a reader can use.

- The clients' signatures read ``timeout: float | None = _defaults.TIMEOUT``
  (every default lives in one module); the reference shows ``= 30.0``, the
  value a reader wants.
- Resources and operations are built by the client from its internal request
  pipeline (``CloudResource(pipeline)``): nobody calls those constructors, so
  the reference shows no signature for them.

Loaded by mkdocstrings (``mkdocs.yml``).
"""

from __future__ import annotations

import ast
from typing import Any

import griffe

from infomaniak import _defaults


class RealDefaults(griffe.Extension):
    """Replace ``_defaults.NAME`` parameter defaults by the value's repr."""

    def on_function_instance(self, *, node: Any, func: griffe.Function, **kwargs: Any) -> None:
        for parameter in func.parameters:
            text = str(parameter.default) if parameter.default is not None else ""
            prefix, _, name = text.rpartition(".")
            if prefix.endswith("_defaults") and hasattr(_defaults, name):
                value = getattr(_defaults, name)
                # Only plain literals: what the reader could type themselves.
                ast.literal_eval(repr(value))
                parameter.default = repr(value)


class HideInternalConstructors(griffe.Extension):
    """Drop ``__init__`` of classes built from the internal pipeline."""

    def on_class_members(self, *, node: Any, cls: griffe.Class, **kwargs: Any) -> None:
        init = cls.members.get("__init__")
        if isinstance(init, griffe.Function) and any(
            parameter.name == "pipeline" for parameter in init.parameters
        ):
            del cls.members["__init__"]
