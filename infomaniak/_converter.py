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

__all__ = ["DecodeError", "converter", "json_name", "merge_objects", "structure", "structure_list"]

T = TypeVar("T")

converter = Converter(detailed_validation=False, forbid_extra_keys=False)

_JSON_LEAVES: frozenset[Any] = frozenset({str, int, float, bool, type(None), Any})


def _passthrough(value: Any, _: Any) -> Any:
    return value


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


# What a JSON value of each scalar type may arrive as. A float field takes a
# JSON integer too (``0`` for a price); an int field never takes a bool.
_SCALAR_CLASSES: dict[Any, tuple[type, ...]] = {
    str: (str,),
    int: (int,),
    float: (float, int),
    bool: (bool,),
}

_JSON_NAMES: dict[type, str] = {
    dict: "an object",
    list: "an array",
    str: "a string",
    int: "an integer",
    float: "a number",
    bool: "a boolean",
    type(None): "null",
}


def json_name(value: Any) -> str:
    """What a decoded JSON value is, never the value itself (it may be a secret)."""
    return _JSON_NAMES.get(value.__class__, type(value).__name__)


_json_name = json_name


def merge_objects(value: list[Any], where: str) -> dict[str, Any]:
    """An array of objects read as one object (the spec types some objects as
    arrays of their parts): the first value of each key wins."""
    merged: dict[str, Any] = {}
    for item in value:
        if item.__class__ is not dict:
            raise _DecodeError(
                f"{where}: expected an object or an array of objects, "
                f"got an array of {json_name(item)}"
            )
        for key, part in item.items():
            merged.setdefault(key, part)
    return merged


def _expected(classes: typing.Iterable[type]) -> str:
    kinds = set(classes)
    if float in kinds:
        kinds.discard(int)  # "a number" covers both
    return " or ".join(sorted(_JSON_NAMES.get(c, c.__name__) for c in kinds))


def _json_members(tp: Any) -> tuple[list[Any], bool]:
    members = list(_union_members(tp) or (tp,))
    nullable = type(None) in members
    return [m for m in members if m is not type(None)], nullable


def _json_classes(tp: Any) -> tuple[type, ...] | None:
    """The classes a scalar-only JSON type accepts, else None (containers, Any)."""
    members, _ = _json_members(tp)
    if not all(m in _SCALAR_CLASSES for m in members):
        return None
    classes: list[type] = []
    for member in members:
        classes.extend(c for c in _SCALAR_CLASSES[member] if c not in classes)
    return tuple(classes)


def _json_checker(tp: Any, where: str) -> Callable[[Any], Any] | None:
    """A function that returns a JSON value of type ``tp`` as it is (``[]`` read
    as ``{}`` where an object is expected) or raises ``DecodeError`` saying what
    arrived; ``None`` when any value goes (``Any``)."""
    members, nullable = _json_members(tp)
    if Any in members:
        return None
    classes: set[type] = set()
    item_check: Callable[[Any], Any] | None = None
    value_check: Callable[[Any], Any] | None = None
    for member in members:
        origin = typing.get_origin(member)
        args = typing.get_args(member)
        if member in _SCALAR_CLASSES:
            classes.update(_SCALAR_CLASSES[member])
        elif origin is list:
            classes.add(list)
            item_check = _json_checker(args[0] if args else Any, f"an item of {where}")
        elif origin is dict:
            classes.add(dict)
            value_check = _json_checker(args[1] if len(args) == 2 else Any, f"a value of {where}")
        else:  # pragma: no cover - models never declare other JSON types
            return None
    expected = _expected(classes) + (" or null" if nullable else "")
    wants_object = dict in classes

    def check(value: Any) -> Any:
        kind = value.__class__
        if kind not in classes:
            if value is None and nullable:
                return None
            if kind is list and wants_object and not value:
                return {}  # PHP serialises an empty associative array as [].
            raise _DecodeError(f"{where}: expected {expected}, got {_json_name(value)}")
        if kind is list and item_check is not None:
            for item in value:
                item_check(item)
        elif kind is dict and value_check is not None:
            for item in value.values():
                value_check(item)
        return value

    return check


def _make_json_hook(tp: Any) -> Callable[[Any, Any], Any]:
    check = _json_checker(tp, "data")
    if check is None:
        return _passthrough
    checker = check

    def structure_json(value: Any, _: Any) -> Any:
        return checker(value)

    return structure_json


# Scalars, unions of JSON types and dict/list containers of them are checked
# (and returned as they are): a number where a string is promised is a decode
# error, never a value of the wrong type handed to the caller.
for _primitive in (str, int, float, bool):
    converter.register_structure_hook(_primitive, _make_json_hook(_primitive))
converter.register_structure_hook_factory(
    lambda tp: tp is not Any and (_is_raw_union(tp) or _is_json_shape(tp)), _make_json_hook
)


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
        if value.__class__ is not str:
            raise _DecodeError(f"expected a string, got {json_name(value)}")
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
    others = [m for m in _json_members(tp)[0] if m is not model]
    scalars = frozenset(_json_classes(typing.Union[tuple(others)]) or ())  # noqa: UP007
    expected = _expected((dict, *scalars))

    def structure_model_or_scalar(value: Any, _: Any) -> Any:
        if value.__class__ is dict:
            return model_hook(value, model)
        if value.__class__ not in scalars:
            raise _DecodeError(f"expected {expected}, got {json_name(value)}")
        return value

    return structure_model_or_scalar


converter.register_structure_hook_factory(
    lambda tp: _model_or_scalar(tp) is not None, _make_model_or_scalar_hook
)


def _make_list_hook(tp: Any) -> Callable[[Any, Any], Any]:
    (item_type,) = typing.get_args(tp) or (Any,)
    if _is_json_shape(item_type):
        return _make_json_hook(tp)
    item_hook = converter.get_structure_hook(item_type)

    def structure_list_of(value: Any, _: Any) -> list[Any]:
        if value.__class__ is not list:
            raise _DecodeError(f"expected an array, got {json_name(value)}")
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


def _make_model_hook(cls: type[Any]) -> Callable[[Any, Any], Any]:
    """Generate one flat function per model: a ``dict.get`` and a type check per
    field, a nested hook call only where a field holds a model, a list of
    models or an enum.

    cattrs' own generated functions call a hook per field even for ints and
    strings; this is about three times faster on a PublicCloud and keeps the
    same tolerance: missing keys take the field's default, a ``null`` for a
    field that is not optional takes the default too, unknown keys are ignored.
    A value of the wrong JSON type (a string for an int, a number for a list)
    raises ``DecodeError`` naming the model, the field and the type that came,
    never the value (it may be a secret).

    Every value is read into a local first and the instance is made at the
    end: a decode error never leaves a half-built instance in a frame (a
    traceback formatted with its locals would fail on its unset slots).
    """
    attrs.resolve_types(cls)
    namespace: dict[str, Any] = {
        "_cls": cls,
        "_intern": sys.intern,
        "_repeat": repeat,
        "_bool_string": _bool_string,
    }
    fields = attrs.fields(cls)
    wrong: dict[int, str] = {}

    def bad(index: int, value: Any) -> typing.NoReturn:
        raise _DecodeError(
            f"{cls.__name__}.{fields[index].name}: expected {wrong[index]}, got {_json_name(value)}"
        )

    def missing(index: int, value: Any) -> typing.NoReturn:
        key = fields[index].alias or fields[index].name
        what = "missing key" if value is _ABSENT else "null for the required key"
        raise _DecodeError(f"{cls.__name__}: {what} {key!r}")

    namespace["_bad"] = bad
    namespace["_missing"] = missing
    namespace["_absent"] = _ABSENT
    body: list[str] = []
    names: list[str] = []
    for index, field in enumerate(fields):
        key = field.alias or field.name
        names.append(field.name)
        a = f"a{index}"
        convert: list[str] = []  # statements turning a non-null ``a`` into the value
        field_type = field.type
        scalar = _json_classes(field_type)
        if scalar is not None:
            wrong[index] = _expected(scalar)
            if field.metadata.get(BOOL_STRING):
                convert.append(f"if {a}.__class__ is str: {a} = _bool_string({a})")
            if len(scalar) == 1:
                # The builtin's own name: the fastest lookup.
                convert.append(f"if {a}.__class__ is not {scalar[0].__name__}: _bad({index}, {a})")
            else:
                namespace[f"_k{index}"] = frozenset(scalar)
                convert.append(f"if {a}.__class__ not in _k{index}: _bad({index}, {a})")
            if field.metadata.get(INTERN) and scalar == (str,):
                convert.append(f"{a} = _intern({a})")
        elif _is_json_shape(field_type) or _is_raw_union(field_type):
            checker = _json_checker(field_type, f"{cls.__name__}.{field.name}")
            if checker is not None:
                namespace[f"_c{index}"] = checker
                convert.append(f"{a} = _c{index}({a})")
        else:
            hook_type = field_type
            members = _union_members(hook_type)
            enum_type = _enum_or_str(hook_type)
            if members is not None and enum_type is None:
                # Optional[Model]: None is handled here, the hook gets the model.
                non_none = [m for m in members if m is not type(None)]
                if len(non_none) == 1:
                    hook_type = non_none[0]
            item_type = _list_item(hook_type)
            either_model = _model_or_scalar(hook_type)
            if enum_type is not None:
                wrong[index] = "a string"
                values: dict[Any, Any] = {member.value: member for member in enum_type}
                namespace[f"_e{index}"] = values.get
                convert.append(f"if {a}.__class__ is not str: _bad({index}, {a})")
                convert.append(f"{a} = _e{index}({a}, {a})")
            elif item_type is not None and attrs.has(item_type):
                # map() runs in C: no comprehension frame per list.
                wrong[index] = "an array"
                namespace[f"_h{index}"] = converter.get_structure_hook(item_type)
                namespace[f"_t{index}"] = item_type
                convert.append(f"if {a}.__class__ is not list: _bad({index}, {a})")
                convert.append(f"{a} = list(map(_h{index}, {a}, _repeat(_t{index})))")
            elif either_model is not None:
                others = [m for m in _json_members(hook_type)[0] if m is not either_model]
                scalar_classes = _json_classes(typing.Union[tuple(others)]) or ()  # noqa: UP007
                wrong[index] = _expected((dict, *scalar_classes))
                namespace[f"_h{index}"] = converter.get_structure_hook(either_model)
                namespace[f"_t{index}"] = either_model
                namespace[f"_k{index}"] = frozenset(scalar_classes)
                convert.append(f"if {a}.__class__ is dict: {a} = _h{index}({a}, _t{index})")
                convert.append(f"elif {a}.__class__ not in _k{index}: _bad({index}, {a})")
            else:
                namespace[f"_h{index}"] = converter.get_structure_hook(hook_type)
                namespace[f"_t{index}"] = hook_type
                convert.append(f"{a} = _h{index}({a}, _t{index})")
        if field.default is attrs.NOTHING:
            # A required key: missing or null is a decode error.
            body.append(f"    {a} = g({key!r}, _absent)")
            body.append(f"    if {a} is None or {a} is _absent: _missing({index}, {a})")
            body.extend(f"    {line}" for line in convert)
            continue
        if isinstance(field.default, attrs.Factory):  # type: ignore[arg-type]
            namespace[f"_d{index}"] = field.default.factory
            fallback = f"_d{index}()"
        else:
            namespace[f"_d{index}"] = field.default
            fallback = f"_d{index}"
        body.append(f"    {a} = g({key!r})")
        if not convert:
            if field.default is not None:
                body.append(f"    if {a} is None: {a} = {fallback}")
            continue
        if field.default is None and len(convert) == 1:
            # The common case: an optional scalar, one test when it is there.
            test = convert[0]
            if test.startswith(f"if {a}.__class__"):
                body.append(f"    if {a} is not None and {test[3:]}")
                continue
        if len(convert) == 1 and convert[0].startswith("if "):
            body.append(f"    if {a} is None: {a} = {fallback}")
            body.append(f"    el{convert[0]}")
            continue
        body.append(f"    if {a} is None:")
        body.append(f"        {a} = {fallback}")
        body.append("    else:")
        body.extend(f"        {line}" for line in convert)
    head = (
        "def structure_model(o, _):\n"
        "    if o.__class__ is not dict:\n"
        "        return _not_a_dict(o)\n"
        "    g = o.get\n"
    )
    values_tuple = "(" + "".join(f"a{index}, " for index in range(len(fields))) + ")"
    if _is_shared_value(cls):
        # Small frozen value objects (rights, flags, tags) repeat across a
        # listing: equal ones are decoded to one shared instance. Slots are
        # filled through their descriptors, which frozen classes allow.
        cache: dict[tuple[Any, ...], Any] = {}
        namespace["_cache"] = cache
        namespace["_cache_get"] = cache.get
        namespace["_limit"] = _SHARED_LIMIT
        setters = ""
        for index, name in enumerate(names):
            namespace[f"_set{index}"] = cls.__dict__[name].__set__
            setters += f"        _set{index}(s, k[{index}])\n"
        source = (
            head + "\n".join(body) + "\n" + f"    k = {values_tuple}\n"
            "    s = _cache_get(k)\n"
            "    if s is None:\n"
            "        s = _new(_cls)\n" + setters + "        if len(_cache) < _limit:\n"
            "            _cache[k] = s\n"
            "    return s\n"
        )
    else:
        # Filling the slots directly skips __init__'s keyword parsing; the
        # models have no validators, converters or post-init hooks to skip.
        assignments = "".join(f"    s.{name} = a{index}\n" for index, name in enumerate(names))
        source = head + "\n".join(body) + "\n    s = _new(_cls)\n" + assignments + "    return s\n"
    custom = getattr(cls, "_structure_from_list", None)

    def not_a_dict(value: Any) -> Any:
        if value.__class__ is list:
            if custom is not None:
                return custom(value)
            if not value:
                # PHP serialises an empty object as [].
                return generated({}, cls)
        raise _DecodeError(f"expected an object for {cls.__name__}, got {_json_name(value)}")

    namespace["_not_a_dict"] = not_a_dict
    namespace["_new"] = object.__new__
    exec(compile(source, f"<infomaniak structure {cls.__qualname__}>", "exec"), namespace)
    generated: Callable[[Any, Any], Any] = namespace["structure_model"]
    generated.__source__ = source  # type: ignore[attr-defined]
    return generated


# Marks a required key that is not in the object (``dict.get``'s default).
_ABSENT: Any = object()


INTERN = "infomaniak.intern"
"""Field metadata key: intern this string field (values that repeat across items)."""

BOOL_STRING = "infomaniak.bool_string"
"""Field metadata key: a boolean the API may send as a string (``"true"``/``"false"``,
``"1"``/``"0"``), read as the bool; any other string is kept as it came."""

_BOOL_STRINGS = {"true": True, "1": True, "false": False, "0": False}


def _bool_string(value: str) -> Any:
    return _BOOL_STRINGS.get(value.strip().lower(), value)


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
