"""Every model prints exactly as attrs' own generated ``__repr__`` would, with
the secrets (fields declared ``repr=False``) left out: the models share one
``__repr__`` instead of compiling one per class at import."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import attrs
import orjson

import infomaniak.models.cloud as models
from infomaniak._converter import structure


def _attrs_twin(cls: type) -> type:
    """The same fields, repr settings and name, with attrs' generated __repr__."""
    fields = {f.name: attrs.field(default=None, repr=f.repr) for f in attrs.fields(cls)}
    twin: type = attrs.make_class(cls.__name__, fields, kw_only=True)
    twin.__qualname__ = cls.__qualname__
    return twin


def _as_twin(value: Any) -> Any:
    if attrs.has(type(value)):
        fields = attrs.fields(type(value))
        twin = _attrs_twin(type(value))
        return twin(**{f.name: _as_twin(getattr(value, f.name)) for f in fields})
    if isinstance(value, list):
        return [_as_twin(item) for item in value]
    return value


def _model_classes() -> list[type]:
    return [getattr(models, name) for name in models.__all__ if attrs.has(getattr(models, name))]


def test_every_model_prints_as_attrs_would() -> None:
    classes = _model_classes()
    assert len(classes) >= 30
    for cls in classes:
        values = {f.name: f"value-{index}" for index, f in enumerate(attrs.fields(cls))}
        instance = cls(**{f.alias or f.name: values[f.name] for f in attrs.fields(cls)})
        assert repr(instance) == repr(_attrs_twin(cls)(**values)), cls
        hidden = [f.name for f in attrs.fields(cls) if f.repr is False]
        for name in hidden:
            assert values[name] not in repr(instance)


def test_decoded_nested_models_print_as_attrs_would() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
    try:
        import bench
    finally:
        sys.path.pop(0)
    kinds = [
        (bench.make_cloud, models.PublicCloud),
        (bench.make_cluster, models.KubernetesService),
        (bench.make_database, models.DatabaseService),
    ]
    for make, model in kinds:
        for item in range(1, 40):
            decoded = structure(orjson.loads(bench._dumps(make(item))), model)
            assert repr(decoded) == repr(_as_twin(decoded))


def test_a_model_holding_itself_prints_dots() -> None:
    tag = models.PublicCloudData()
    tag.price_updated_at = tag  # type: ignore[assignment]
    assert "price_updated_at=..." in repr(tag)
