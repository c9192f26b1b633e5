"""The decoding of JSON into models, and the one cattrs converter.

Every model, list of models, enum and JSON shape gets a hook generated once
and kept in this module's cache (``get_hook``): decoding does not import
cattrs. The one cattrs converter (``converter``) is built on first use, with
the same hooks, for the types they do not cover. The hooks make the models
tolerant of the API changing (DESIGN.md): unknown keys are ignored, an
unknown enum value is kept as the plain string, ``[]`` where an object was
expected reads as an empty object, and a field whose shape the sources
disagree on (an object of flags or a boolean) reads the object into its
model and keeps any of the other types the model declares.

Tolerance stops at types: a value of the wrong JSON type (a string where an
integer is declared, a number where a list is) raises ``DecodeError`` naming
the model, the field and the type that came, never the value, which may be a
secret. Nothing is coerced (a float field takes a JSON integer, and the
fields marked ``BOOL_STRING`` read "true"/"false"); a type check is one
class comparison per field, so a PublicCloud still decodes in a few
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
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

if TYPE_CHECKING:
    from cattrs import Converter

__all__ = [
    "DecodeError",
    "converter",  # noqa: F822 - built on first use, by __getattr__
    "get_hook",
    "json_name",
    "merge_objects",
    "register_hook",
    "structure",
    "structure_list",
]

T = TypeVar("T")

Hook = Callable[[Any, Any], Any]
"""A decoding function: ``hook(value, type)`` -> the decoded value."""

# Every type's hook, found without cattrs: generated once per model, list,
# enum and JSON shape, plus the models' own readers (``register_hook``).
_hooks: dict[Any, Hook] = {}
_registered: dict[Any, Hook] = {}
# Types whose hook is being generated (a model that holds itself).
_building: set[Any] = set()

_JSON_LEAVES: frozenset[Any] = frozenset({str, int, float, bool, type(None), Any})


def _passthrough(value: Any, _: Any) -> Any:
    return value


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
            if kind is list and wants_object and all(item.__class__ is dict for item in value):
                # PHP serialises an empty associative array as []; the spec
                # types some maps as arrays (price_per_hour, meta,
                # configuration): an array of objects reads as one object.
                value = merge_objects(value, where)
                kind = dict
            else:
                raise _DecodeError(f"{where}: expected {expected}, got {_json_name(value)}")
        if kind is list and item_check is not None:
            for item in value:
                item_check(item)
        elif kind is dict and value_check is not None:
            for item in value.values():
                value_check(item)
        return value

    return check


def _plain_json(tp: Any) -> tuple[frozenset[type], type | None, frozenset[type]] | None:
    """How a non-null value of the JSON type ``tp`` is known valid without
    calling its checker: ``(as_is, container, item_classes)``, where a value
    whose class is in ``as_is`` is valid as it is, and a ``container`` (list
    or dict) is valid when all its items' (values') classes are in
    ``item_classes``. None when no value can skip the checker."""
    members, _ = _json_members(tp)
    as_is: set[type] = set()
    container: type | None = None
    item_classes: frozenset[type] = frozenset()
    for member in members:
        origin = typing.get_origin(member)
        args = typing.get_args(member)
        if member in _SCALAR_CLASSES:
            as_is.update(_SCALAR_CLASSES[member])
        elif origin in (list, dict):
            item = (args[0] if args else Any) if origin is list else (args[1] if args else Any)
            item_members, nullable = _json_members(item)
            if Any in item_members:
                as_is.add(origin)
                continue
            classes = _json_classes(item)
            if classes is not None and container is None:
                container = origin
                item_classes = frozenset((*classes, type(None)) if nullable else classes)
        else:
            return None
    if not as_is and container is None:
        return None  # every value goes through the checker (list[dict[str, Any]])
    return frozenset(as_is), container, item_classes


def _make_json_hook(tp: Any) -> Callable[[Any, Any], Any]:
    check = _json_checker(tp, "data")
    if check is None:
        return _passthrough
    checker = check

    def structure_json(value: Any, _: Any) -> Any:
        return checker(value)

    return structure_json


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
    model_hook = get_hook(model)
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


def _make_list_hook(tp: Any) -> Callable[[Any, Any], Any]:
    (item_type,) = typing.get_args(tp) or (Any,)
    if _is_json_shape(item_type):
        return _make_json_hook(tp)
    item_hook = get_hook(item_type)

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


class _Absent:
    """The type of ``_ABSENT``: no JSON value has it."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<absent>"


# Marks a required key that is not in the object (``dict.get``'s default).
_ABSENT: Any = _Absent()


def _make_model_hook(cls: type[Any]) -> Hook:
    """Generate one flat function per model: a read and a type check per
    field, a nested hook call only where a field holds a model, a list of
    models or an enum.

    cattrs' own generated functions call a hook per field even for ints and
    strings; this is several times faster and keeps the same tolerance:
    missing keys take the field's default, a ``null`` for a field that is not
    optional takes the default too, unknown keys are ignored. A value of the
    wrong JSON type (a string for an int, a number for a list) raises
    ``DecodeError`` naming the model, the field and the type that came, never
    the value (it may be a secret).

    Keys are read with ``o[key]`` (the interpreter's specialised dict
    subscript, about twice as cheap as calling ``o.get``), all inside one
    ``try``. A key found missing moves, for good, to ``o.get`` (its default
    when absent): the function is compiled again without it, so an API that
    leaves some keys out costs one recompilation per key, then nothing. A
    missing required key goes to the ``o.get`` version of the whole function,
    which raises for the first field at fault, in field order.

    Every value is read into a local first and the instance is made at the
    end: a decode error never leaves a half-built instance in a frame (a
    traceback formatted with its locals would fail on its unset slots).
    """
    attrs.resolve_types(cls)
    namespace: dict[str, Any] = {
        "_cls": cls,
        "_intern": sys.intern,
        "_bool_string": _bool_string,
        "_map": map,
        "_type": type,
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
    # Per field: its key, how it is read with o.get, and the lines checking
    # and converting the value once read (``checks``; ``checks_subscript``
    # when the key was read with o[key], so it cannot be absent).
    keys: list[str] = []
    reads: list[str] = []
    checks: list[list[str]] = []
    checks_subscript: list[list[str]] = []
    required_keys: list[str] = []
    names: list[str] = []
    for index, field in enumerate(fields):
        key = field.alias or field.name
        names.append(field.name)
        keys.append(key)
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
                plain = _plain_json(field_type)
                if plain is not None:
                    # Values that need no look inside, or whose items are all
                    # of the item classes (checked in C), skip the checker's
                    # call: it runs for the others only (to raise, or to read
                    # an array of objects as one object).
                    as_is, container, item_classes = plain
                    namespace[f"_f{index}"] = as_is
                    test = f"{a}.__class__ not in _f{index}"
                    if container is not None:
                        namespace[f"_i{index}"] = item_classes
                        items = f"{a}.values()" if container is dict else a
                        test += (
                            f" and not ({a}.__class__ is {container.__name__}"
                            f" and _i{index}.issuperset(_map(_type, {items})))"
                        )
                    convert[-1] = f"if {test}: {convert[-1]}"
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
                wrong[index] = "an array"
                item_hook = get_hook(item_type)
                namespace[f"_h{index}"] = item_hook
                namespace[f"_t{index}"] = item_type
                convert.append(f"if {a}.__class__ is not list: _bad({index}, {a})")
                # A loop in this function: no frame for a comprehension, and
                # the interpreter calls the item hook directly, where map()
                # calls it from C (a third cheaper for a list of 2 tags).
                convert.append(f"l{index} = []")
                convert.append(
                    f"for i{index} in {a}: l{index}.append(_h{index}(i{index}, _t{index}))"
                )
                convert.append(f"{a} = l{index}")
            elif either_model is not None:
                others = [m for m in _json_members(hook_type)[0] if m is not either_model]
                scalar_classes = _json_classes(typing.Union[tuple(others)]) or ()  # noqa: UP007
                wrong[index] = _expected((dict, *scalar_classes))
                namespace[f"_h{index}"] = get_hook(either_model)
                namespace[f"_t{index}"] = either_model
                namespace[f"_k{index}"] = frozenset(scalar_classes)
                convert.append(f"if {a}.__class__ is dict: {a} = _h{index}({a}, _t{index})")
                convert.append(f"elif {a}.__class__ not in _k{index}: _bad({index}, {a})")
            else:
                namespace[f"_h{index}"] = get_hook(hook_type)
                namespace[f"_t{index}"] = hook_type
                convert.append(f"{a} = _h{index}({a}, _t{index})")
        if field.default is attrs.NOTHING:
            # A required key: missing or null is a decode error.
            required_keys.append(key)
            reads.append(f"    {a} = g(_key{index}, _absent)")
            checks.append([f"    if {a} is None or {a} is _absent: _missing({index}, {a})"])
            checks_subscript.append([f"    if {a} is None: _missing({index}, {a})"])
            for lines in (checks[-1], checks_subscript[-1]):
                lines.extend(f"    {line}" for line in convert)
            continue
        reads.append(f"    {a} = g(_key{index})")
        lines = []
        checks.append(lines)
        checks_subscript.append(lines)
        if isinstance(field.default, attrs.Factory):  # type: ignore[arg-type]
            namespace[f"_d{index}"] = field.default.factory
            fallback = f"_d{index}()"
        else:
            namespace[f"_d{index}"] = field.default
            fallback = f"_d{index}"
        if not convert:
            if field.default is not None:
                lines.append(f"    if {a} is None: {a} = {fallback}")
            continue
        if field.default is None and len(convert) == 1:
            # The common case: an optional scalar, one test when it is there.
            test = convert[0]
            if test.startswith(f"if {a}.__class__"):
                lines.append(f"    if {a} is not None and {test[3:]}")
                continue
        if len(convert) == 1 and convert[0].startswith("if "):
            lines.append(f"    if {a} is None: {a} = {fallback}")
            lines.append(f"    el{convert[0]}")
            continue
        lines.append(f"    if {a} is None:")
        lines.append(f"        {a} = {fallback}")
        lines.append("    else:")
        lines.extend(f"        {line}" for line in convert)

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
        make = (
            f"    k = {values_tuple}\n"
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
        make = "    s = _new(_cls)\n" + assignments + "    return s\n"

    def source(name: str, subscripted: typing.Collection[str]) -> str:
        """The function reading the keys of ``subscripted`` with o[key], the others with o.get."""
        lines = [
            f"def {name}(o, _):",
            "    if o.__class__ is not dict:",
            "        return _not_a_dict(o)",
        ]
        fetched = [index for index, key in enumerate(keys) if key in subscripted]
        if fetched:
            lines.append("    try:")
            lines.extend(f"        a{index} = o[_key{index}]" for index in fetched)
            lines.append("    except KeyError:")
            lines.append("        return _missed(o)")
        if len(fetched) < len(keys):
            lines.append("    g = o.get")
        for index, key in enumerate(keys):
            if key in subscripted:
                lines.extend(checks_subscript[index])
            else:
                lines.append(reads[index])
                lines.extend(checks[index])
        return "\n".join(lines) + "\n" + make

    # The keys looked up are the very string objects the JSON parser puts in
    # its dicts (globals: the compiler would swap constants for interned
    # copies): a lookup then matches them by identity instead of comparing
    # their characters (orjson's dicts take the generic lookup).
    same_keys = _parser_keys(keys)
    for index, key in enumerate(keys):
        namespace[f"_key{index}"] = same_keys.get(key, key)

    def compiled(name: str, subscripted: typing.Collection[str]) -> Hook:
        text = source(name, subscripted)
        exec(compile(text, f"<infomaniak structure {cls.__qualname__}>", "exec"), namespace)
        made: Hook = namespace[name]
        made.__source__ = text  # type: ignore[attr-defined]
        return made

    custom = getattr(cls, "_structure_from_list", None)

    def not_a_dict(value: Any) -> Any:
        if value.__class__ is list:
            if custom is not None:
                return custom(value)
            if not value:
                # PHP serialises an empty object as [].
                return tolerant({}, cls)
        raise _DecodeError(f"expected an object for {cls.__name__}, got {_json_name(value)}")

    # The keys read with o[key]; the set only shrinks.
    subscripted = set(keys)

    def missed(value: dict[str, Any]) -> Any:
        # One thread at a time: others may be shrinking ``subscripted`` and
        # compiling into the shared namespace.
        with _build_lock:
            gone = {key for key in subscripted if key not in value}
            if not gone or any(key in gone for key in required_keys):
                # A required key is missing: the o.get version says which, in order.
                return tolerant(value, cls)
            subscripted.difference_update(gone)
            again = compiled("structure_model", frozenset(subscripted))
            generated.__code__ = again.__code__
            generated.__source__ = again.__source__  # type: ignore[attr-defined]
            namespace["structure_model"] = generated
        return generated(value, cls)

    namespace["_not_a_dict"] = not_a_dict
    namespace["_missed"] = missed
    namespace["_new"] = object.__new__
    tolerant = compiled("structure_tolerant", ())
    generated = compiled("structure_model", frozenset(subscripted))
    return generated


def _parser_keys(keys: list[str]) -> dict[str, str]:
    """The string objects orjson gives for ``keys`` in the dicts it makes (it
    keeps one per key), by key."""
    import orjson  # a dependency; already loaded by whatever reads the answers

    parsed: dict[str, Any] = orjson.loads(orjson.dumps(dict.fromkeys(keys, 0)))
    return {key: key for key in parsed}


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


def register_hook(tp: Any, hook: Hook) -> None:
    """Decode ``tp`` with ``hook(value, tp)``: a model's own reading of a shape
    the generated hooks do not know (a ``NewType`` of a map, keys with dashes).
    Register before the first model holding ``tp`` is decoded."""
    _registered[tp] = hook
    _hooks[tp] = hook
    if _converter is not None:
        _converter.register_structure_hook(tp, hook)


def _own_maker(tp: Any) -> Callable[[Any], Hook] | None:
    """What makes the hook of ``tp`` in this module, or None for the types
    left to cattrs (an Optional model at top level, a plain Enum...)."""
    if tp in _registered:
        return _registered.__getitem__
    if tp is Any:
        return lambda _: _passthrough
    if isinstance(tp, type) and attrs.has(tp):
        return _make_model_hook
    if _is_list(tp):
        return _make_list_hook
    if _model_or_scalar(tp) is not None:
        return _make_model_or_scalar_hook
    if _enum_or_str(tp) is not None:
        return _make_enum_or_str_hook
    if _is_raw_union(tp) or _is_json_shape(tp):
        # Scalars, unions of JSON types and dict/list containers of them are
        # checked (and returned as they are): a number where a string is
        # promised is a decode error, never a value of the wrong type.
        return _make_json_hook
    return None


def _build_hook(tp: Any) -> Hook:
    maker = _own_maker(tp)
    if maker is not None:
        return maker(tp)
    hook: Hook = _cattrs().get_structure_hook(tp)
    return hook


def _handled(tp: Any) -> bool:
    """True for the types whose hooks this module makes (cattrs asks them here)."""
    return _own_maker(tp) is not None


def get_hook(tp: Any) -> Hook:
    """The hook decoding ``tp``, made once and kept (no cattrs for models,
    lists, enums and JSON shapes)."""
    hook = _hooks.get(tp)
    if hook is None:
        # Threads decoding a type for the first time at once: one builds its
        # hook, the others wait for it (they must not take the "holds itself"
        # path below, whose hook is not there yet).
        with _build_lock:
            hook = _hooks.get(tp)
            if hook is None:
                if tp in _building:
                    # A model that holds itself: its hook is looked up when used.
                    def late(value: Any, _: Any) -> Any:
                        return _hooks[tp](value, tp)

                    return late
                _building.add(tp)
                try:
                    hook = _build_hook(tp)
                finally:
                    _building.discard(tp)
                _hooks[tp] = hook
    return hook


# Reentrant: building a model's hook builds the hooks of the models it holds.
_build_lock = threading.RLock()


_converter: Converter | None = None
_converter_lock = threading.Lock()


def _cattrs() -> Converter:
    """The one cattrs converter, built on first use: decoding models does not
    need it (nor import it), types the generated hooks do not know do."""
    global _converter
    with _converter_lock:
        if _converter is None:
            from cattrs import Converter

            made = Converter(detailed_validation=False, forbid_extra_keys=False)
            made.register_structure_hook_factory(_handled, get_hook)
            for tp, hook in _registered.items():
                made.register_structure_hook(tp, hook)
            _converter = made
        return _converter


def __getattr__(name: str) -> Any:
    if name == "converter":
        return _cattrs()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def structure(data: Any, model: type[T]) -> T:
    """Decoded JSON -> ``model``."""
    hook: Callable[[Any, type[T]], T] = get_hook(model)
    return hook(data, model)


def structure_list(items: Any, model: type[T]) -> list[T]:
    """A JSON array -> ``list[model]``, with the hook looked up once.

    The cyclic garbage collector is paused meanwhile: a page allocates
    thousands of small objects that hold no cycles, and the collections they
    would trigger cost more than the decoding itself.
    """
    hook: Callable[[Any, type[T]], T] = get_hook(model)
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
