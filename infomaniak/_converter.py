"""The one cattrs converter that turns decoded JSON into models.

Built once at import. Its hooks make the models tolerant of the API changing
(DESIGN.md): unknown keys are ignored, an unknown enum value is kept as the
plain string, ``[]`` where an object was expected reads as an empty object,
and a field whose shape the sources disagree on (an object of flags or a
boolean) reads the object into its model and keeps any other value as it is.

The API's JSON already has the right primitive types, so primitives pass
through without coercion: this keeps decoding a PublicCloud to a few
microseconds.
"""

from __future__ import annotations

import enum
import gc
import sys
import threading
import types
import typing
from collections.abc import Callable
from itertools import repeat
from typing import Any, TypeVar

import attrs
from cattrs import Converter

__all__ = ["DecodeError", "converter", "structure", "structure_list"]

T = TypeVar("T")

converter = Converter(detailed_validation=False, forbid_extra_keys=False)

_JSON_LEAVES: frozenset[Any] = frozenset({str, int, float, bool, type(None), Any})


def _passthrough(value: Any, _: Any) -> Any:
    return value


for _primitive in (str, int, float, bool):
    converter.register_structure_hook(_primitive, _passthrough)
converter.register_structure_hook(Any, _passthrough)


def _union_members(tp: Any) -> tuple[Any, ...] | None:
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        return typing.get_args(tp)
    return None


def _is_json_shape(tp: Any) -> bool:
    """True for JSON leaves and dict/list containers of them (kept as they arrive)."""
    if tp in _JSON_LEAVES:
        return True
    origin = typing.get_origin(tp)
    if origin in (dict, list):
        return all(_is_json_shape(arg) for arg in typing.get_args(tp))
    return False


def _is_raw_union(tp: Any) -> bool:
    members = _union_members(tp)
    return members is not None and all(_is_json_shape(m) for m in members)


converter.register_structure_hook_func(_is_raw_union, _passthrough)


def _enum_or_str(tp: Any) -> type[enum.Enum] | None:
    members = _union_members(tp)
    if members is None:
        return None
    enums = [m for m in members if isinstance(m, type) and issubclass(m, enum.Enum)]
    rest = [m for m in members if m not in enums and m is not type(None)]
    if len(enums) == 1 and rest == [str]:
        return enums[0]
    return None


def _make_enum_or_str_hook(tp: Any) -> Callable[[Any, Any], Any]:
    enum_type = _enum_or_str(tp)
    assert enum_type is not None
    values: dict[Any, Any] = {member.value: member for member in enum_type}
    get = values.get

    def structure_enum_or_str(value: Any, _: Any) -> Any:
        return get(value, value)

    return structure_enum_or_str


converter.register_structure_hook_factory(
    lambda tp: _enum_or_str(tp) is not None, _make_enum_or_str_hook
)


def _model_or_scalar(tp: Any) -> type[Any] | None:
    """The model of a union like ``Flags | bool | None`` (shapes the sources disagree on)."""
    members = _union_members(tp)
    if members is None:
        return None
    models = [m for m in members if attrs.has(m)]
    others = [m for m in members if m not in models]
    if len(models) == 1 and others and all(_is_scalar(m) for m in others):
        return models[0]
    return None


def _make_model_or_scalar_hook(tp: Any) -> Callable[[Any, Any], Any]:
    model = _model_or_scalar(tp)
    model_hook = converter.get_structure_hook(model)

    def structure_model_or_scalar(value: Any, _: Any) -> Any:
        if value.__class__ is dict:
            return model_hook(value, model)
        return value

    return structure_model_or_scalar


converter.register_structure_hook_factory(
    lambda tp: _model_or_scalar(tp) is not None, _make_model_or_scalar_hook
)


def _is_str_dict(tp: Any) -> bool:
    return typing.get_origin(tp) is dict and _is_json_shape(tp)


def _structure_json_object(value: Any, _: Any) -> Any:
    # PHP serialises an empty associative array as [].
    if value.__class__ is list and not value:
        return {}
    return value


converter.register_structure_hook_func(_is_str_dict, _structure_json_object)


def _make_list_hook(tp: Any) -> Callable[[Any, Any], Any]:
    (item_type,) = typing.get_args(tp) or (Any,)
    if _is_json_shape(item_type):
        return _passthrough
    item_hook = converter.get_structure_hook(item_type)

    def structure_list_of(value: Any, _: Any) -> list[Any]:
        return [item_hook(item, item_type) for item in value]

    return structure_list_of


def _list_item(tp: Any) -> Any:
    """The item type of ``list[X]``, else None."""
    if typing.get_origin(tp) is list:
        args = typing.get_args(tp)
        return args[0] if args else Any
    return None


def _is_list(tp: Any) -> bool:
    return _list_item(tp) is not None


converter.register_structure_hook_factory(_is_list, _make_list_hook)


def _needs_hook(tp: Any) -> bool:
    if typing.get_origin(tp) is dict:
        return True  # to read [] as {}
    return not (_is_json_shape(tp) or _is_raw_union(tp))


def _make_model_hook(cls: type[Any]) -> Callable[[Any, Any], Any]:
    """Generate one flat function per model: a ``dict.get`` per field, a nested
    hook call only where a field holds a model, a list of models or an enum.

    cattrs' own generated functions call a hook per field even for ints and
    strings; this is about three times faster on a PublicCloud and keeps the
    same tolerance: missing keys take the field's default, a ``null`` for a
    field that is not optional takes the default too, unknown keys are ignored.
    """
    attrs.resolve_types(cls)
    namespace: dict[str, Any] = {"_cls": cls, "_intern": sys.intern, "_repeat": repeat}
    expressions: list[tuple[str, str]] = []
    for index, field in enumerate(attrs.fields(cls)):
        key = field.alias or field.name
        value = f"_v{index}"
        if _needs_hook(field.type):
            hook_type = field.type
            members = _union_members(hook_type)
            if members is not None and _enum_or_str(hook_type) is None:
                # Optional[Model]: None is handled here, the hook gets the model.
                non_none = [m for m in members if m is not type(None)]
                if len(non_none) == 1:
                    hook_type = non_none[0]
            # Lists of models and "model or scalar" unions are inlined: one
            # call less per item on the hottest path.
            item_type = _list_item(hook_type)
            either_model = _model_or_scalar(hook_type)
            if item_type is not None and attrs.has(item_type):
                hook_type = item_type
            elif either_model is not None:
                hook_type = either_model
            namespace[f"_h{index}"] = converter.get_structure_hook(hook_type)
            namespace[f"_t{index}"] = hook_type
            converted = f"_h{index}({value}, _t{index})"
            if hook_type is item_type:
                # map() runs in C: no comprehension frame per list.
                converted = f"list(map(_h{index}, {value}, _repeat(_t{index})))"
            elif hook_type is either_model:
                converted = f"({converted} if {value}.__class__ is dict else {value})"
        elif field.metadata.get(INTERN):
            converted = f"(_intern({value}) if {value}.__class__ is str else {value})"
        else:
            converted = value
        if field.default is attrs.NOTHING:
            # A missing required key raises KeyError, reported as a decode error.
            expressions.append((field.name, converted.replace(value, f"o[{key!r}]")))
            continue
        if isinstance(field.default, attrs.Factory):  # type: ignore[arg-type]
            namespace[f"_d{index}"] = field.default.factory
            fallback = f"_d{index}()"
        else:
            namespace[f"_d{index}"] = field.default
            fallback = f"_d{index}"
        if converted == value and field.default is None:
            expressions.append((field.name, f"g({key!r})"))
        else:
            read = f"({value} := g({key!r}))"
            expressions.append((field.name, f"({fallback} if {read} is None else {converted})"))
    head = (
        "def structure_model(o, _):\n"
        "    if o.__class__ is not dict:\n"
        "        return _not_a_dict(o)\n"
        "    g = o.get\n"
    )
    if _is_shared_value(cls):
        # Small frozen value objects (rights, flags, tags) repeat across a
        # listing: equal ones are decoded to one shared instance. Slots are
        # filled through their descriptors, which frozen classes allow.
        cache: dict[tuple[Any, ...], Any] = {}
        namespace["_cache"] = cache
        namespace["_cache_get"] = cache.get
        namespace["_limit"] = _SHARED_LIMIT
        setters = ""
        for index, (name, _) in enumerate(expressions):
            namespace[f"_set{index}"] = cls.__dict__[name].__set__
            setters += f"        _set{index}(s, k[{index}])\n"
        values = ", ".join(expression for _, expression in expressions)
        source = head + (
            f"    k = ({values},)\n"
            "    try:\n"
            "        s = _cache_get(k)\n"
            "    except TypeError:  # a value that is not a scalar: not shared\n"
            "        return _build(k)\n"
            "    if s is None:\n"
            "        s = _new(_cls)\n" + setters + "        if len(_cache) < _limit:\n"
            "            _cache[k] = s\n"
            "    return s\n"
        )
        names = tuple(name for name, _ in expressions)

        def build(values: tuple[Any, ...]) -> Any:
            return cls(**dict(zip(names, values, strict=True)))

        namespace["_build"] = build
    else:
        # Filling the slots directly skips __init__'s keyword parsing; the
        # models have no validators, converters or post-init hooks to skip.
        assignments = "".join(f"    s.{name} = {expression}\n" for name, expression in expressions)
        source = head + "    s = _new(_cls)\n" + assignments + "    return s\n"
    custom = getattr(cls, "_structure_from_list", None)

    def not_a_dict(value: Any) -> Any:
        if value.__class__ is list:
            if custom is not None:
                return custom(value)
            if not value:
                # PHP serialises an empty object as [].
                return generated({}, cls)
        raise _DecodeError(f"expected an object for {cls.__name__}, got {type(value).__name__}")

    namespace["_not_a_dict"] = not_a_dict
    namespace["_new"] = object.__new__
    exec(compile(source, f"<infomaniak structure {cls.__qualname__}>", "exec"), namespace)
    generated: Callable[[Any, Any], Any] = namespace["structure_model"]
    return generated


INTERN = "infomaniak.intern"
"""Field metadata key: intern this string field (values that repeat across items)."""


def _is_scalar(tp: Any) -> bool:
    """A JSON scalar type, or a union of them (hashable once decoded)."""
    members = _union_members(tp) or (tp,)
    return all(m in _JSON_LEAVES and m is not Any for m in members)


def _is_shared_value(cls: type[Any]) -> bool:
    frozen = getattr(cls.__setattr__, "__name__", "") == "_frozen_setattrs"
    return frozen and all(_is_scalar(f.type) for f in attrs.fields(cls))


# Distinct instances kept per shared-value model; past it, new values are
# decoded without being shared (memory stays bounded, nothing is evicted).
_SHARED_LIMIT = 4096


class _DecodeError(ValueError):
    """A required key is missing or null, or a value has the wrong JSON type."""


converter.register_structure_hook_factory(attrs.has, _make_model_hook)


def structure(data: Any, model: type[T]) -> T:
    """Decoded JSON -> ``model``."""
    return converter.structure(data, model)


def structure_list(items: Any, model: type[T]) -> list[T]:
    """A JSON array -> ``list[model]``, with the hook looked up once.

    The cyclic garbage collector is paused meanwhile: a page allocates
    thousands of small objects that hold no cycles, and the collections they
    would trigger cost more than the decoding itself.
    """
    hook = converter.get_structure_hook(model)
    _pause_gc()
    try:
        return [hook(item, model) for item in items]
    finally:
        _resume_gc()


# Threads decoding at once share one pause: the first one in records whether
# the collector was on and turns it off, the last one out restores it. Reading
# and switching under one lock keeps a thread from restoring "off" for good.
_gc_lock = threading.Lock()
_gc_pauses = 0
_gc_restore = False


def _pause_gc() -> None:
    global _gc_pauses, _gc_restore
    with _gc_lock:
        if _gc_pauses == 0:
            _gc_restore = gc.isenabled()
            gc.disable()
        _gc_pauses += 1


def _resume_gc() -> None:
    global _gc_pauses
    with _gc_lock:
        _gc_pauses -= 1
        if _gc_pauses == 0 and _gc_restore:
            gc.enable()


DecodeError = _DecodeError
