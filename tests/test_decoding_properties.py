"""Property tests: whatever JSON the API sends, decoding gives a model or a
ResponseDecodeError, never another exception. Every attrs model exported by
``infomaniak.models`` is covered without being named here."""

from __future__ import annotations

import enum
import importlib
import pkgutil
import typing
from types import UnionType
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import infomaniak.models
from infomaniak._request import decode_data, decode_list
from infomaniak.errors import ResponseDecodeError


def _models() -> list[type[Any]]:
    found: dict[str, type[Any]] = {}
    for module_info in pkgutil.walk_packages(
        infomaniak.models.__path__, infomaniak.models.__name__ + "."
    ):
        module = importlib.import_module(module_info.name)
        for name in getattr(module, "__all__", ()):
            value = getattr(module, name)
            if isinstance(value, type) and attrs.has(value):
                found[f"{value.__module__}.{value.__qualname__}"] = value
    return [found[key] for key in sorted(found)]


MODELS = _models()

JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63)
    | st.floats(allow_nan=False)
    | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=4)
    ),
    max_leaves=12,
)


def _objects(model: type[Any]) -> st.SearchStrategy[dict[str, Any]]:
    """Objects with the model's keys (required ones always, others maybe), each
    holding arbitrary JSON, plus a few unknown keys."""
    fields = attrs.fields(model)
    required = {f.name: JSON for f in fields if f.default is attrs.NOTHING}
    optional = {f.name: JSON for f in fields if f.default is not attrs.NOTHING}
    return st.fixed_dictionaries(required, optional=optional)


def _decodes_or_says_why(data: Any, model: type[Any]) -> None:
    try:
        decoded = decode_data({"result": "success", "data": data}, model, method="GET", path="/p")
    except ResponseDecodeError:
        return
    assert isinstance(decoded, model)


def test_every_exported_model_is_found() -> None:
    names = {model.__name__ for model in MODELS}
    assert {"PublicCloud", "PublicCloudProject", "PublicCloudUser", "AsyncTask"} <= names


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_json_in_any_field_decodes_or_raises_decode_error(
    model: type[Any], data: st.DataObject
) -> None:
    _decodes_or_says_why(data.draw(_objects(model)), model)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
@settings(max_examples=25, deadline=None)
@given(value=JSON)
def test_any_json_instead_of_the_object_decodes_or_raises_decode_error(
    model: type[Any], value: Any
) -> None:
    _decodes_or_says_why(value, model)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_lists_of_anything_decode_or_raise_decode_error(
    model: type[Any], data: st.DataObject
) -> None:
    items = data.draw(st.lists(_objects(model) | JSON, max_size=4))
    try:
        decoded = decode_list({"data": items}, model, method="GET", path="/p")
    except ResponseDecodeError:
        return
    assert all(isinstance(item, model) for item in decoded)


def _conforms(value: Any, tp: Any) -> bool:
    """``value`` is of the declared type ``tp`` (nested models checked field by field)."""
    if tp is Any:
        return True
    supertype = getattr(tp, "__supertype__", None)  # a NewType
    if supertype is not None:
        return _conforms(value, supertype)
    members = typing.get_args(tp) if typing.get_origin(tp) in (typing.Union, UnionType) else (tp,)
    for member in members:
        origin = typing.get_origin(member)
        args = typing.get_args(member)
        if member is type(None):
            ok = value is None
        elif member is float:
            ok = value.__class__ in (int, float)
        elif member in (str, int, bool):
            ok = value.__class__ is member
        elif origin is list:
            ok = value.__class__ is list and all(
                _conforms(v, args[0] if args else Any) for v in value
            )
        elif origin is dict:
            ok = value.__class__ is dict and all(
                _conforms(v, args[1] if args else Any) for v in value.values()
            )
        elif isinstance(member, type) and issubclass(member, enum.Enum):
            ok = isinstance(value, member)
        elif attrs.has(member):
            ok = isinstance(value, member) and _model_conforms(value)
        else:
            raise AssertionError(f"no rule for {member!r}")
        if ok:
            return True
    return False


def _model_conforms(instance: Any) -> bool:
    cls = type(instance)
    attrs.resolve_types(cls)
    return all(_conforms(getattr(instance, f.name), f.type) for f in attrs.fields(cls))


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_decoded_model_holds_only_values_of_its_declared_types(
    model: type[Any], data: st.DataObject
) -> None:
    """A value of the wrong JSON type is refused, never handed to the caller:
    a number where a string is promised, a string where a list is."""
    try:
        decoded = decode_data({"data": data.draw(_objects(model))}, model, method="GET", path="/p")
    except ResponseDecodeError:
        return
    assert _model_conforms(decoded)
