"""Derive the emulator's response schemas from the official OpenAPI exports.

Reads ``../shared/openapi/*.json`` (relative to the repository root), keeps the
routes the emulator serves, inlines every ``$ref``, drops prose, translates the
few OpenAPI-3.0 leftovers of the export into JSON Schema 2020-12, relaxes the
parts where the live API is known to differ from the spec (each relaxation says
why), and writes ``infomaniak/testing/schemas/responses.json``.

The emulator only reads the generated file; it never opens the specs.

Usage: ``python scripts/derive_schemas.py [--check]``
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

# The project list's filter[status][] enum: one list, next to the emulator route
# that enforces it.
from infomaniak.testing._routes_projects import PROJECT_FILTER_STATUSES

ROOT = Path(__file__).resolve().parents[1]
SPEC_DIR = ROOT.parent / "shared" / "openapi"
OUT = ROOT / "infomaniak" / "testing" / "schemas" / "responses.json"
SPEC_FILES = ("public-cloud.json", "async-tasks.json")

HTTP_METHODS = ("get", "post", "put", "patch", "delete")

# Annotation keywords: they carry no constraint, and keeping them would bloat the
# committed file and copy prose we do not need.
DROP_KEYWORDS = frozenset(
    {
        "description",
        "example",
        "examples",
        "summary",
        "title",
        "default",
        "deprecated",
        "externalDocs",
        "readOnly",
        "writeOnly",
        "xml",
    }
)
# Keywords whose value is a single subschema / a list of them / a map of them.
SUBSCHEMA_KEYS = ("items", "additionalProperties", "not", "contains", "propertyNames")
SUBSCHEMA_LIST_KEYS = ("allOf", "anyOf", "oneOf", "prefixItems")
SUBSCHEMA_MAP_KEYS = ("properties", "patternProperties", "$defs")

UUID_PATTERN = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
UUID_STRING: dict[str, Any] = {"type": "string", "pattern": UUID_PATTERN}

Schema = dict[str, Any]


def in_scope(path: str) -> bool:
    """Every route of the Cloud section and the async tasks: the emulator serves them all."""
    return path.startswith(("/1/public_clouds", "/1/async/tasks"))


# --------------------------------------------------------------------------- cleaning


def clean(schema: Any) -> Any:
    """Drop annotations and translate OpenAPI-3.0 ``nullable`` into JSON Schema."""
    if isinstance(schema, list):
        return [clean(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out: Schema = {}
    for key, value in schema.items():
        if key in DROP_KEYWORDS or key.startswith("x-"):
            continue
        # The exporter writes a meaningless ``"schema": []`` next to most $refs.
        if key == "schema" and "$ref" in schema:
            continue
        if key in SUBSCHEMA_KEYS:
            out[key] = clean(value)
        elif key in SUBSCHEMA_LIST_KEYS and isinstance(value, list):
            out[key] = [clean(item) for item in value]
        elif key in SUBSCHEMA_MAP_KEYS and isinstance(value, dict):
            out[key] = {name: clean(sub) for name, sub in value.items()}
        else:
            out[key] = value
    if out.pop("nullable", False):
        # The export declares openapi 3.1 but still uses 3.0's ``nullable``,
        # which a 2020-12 validator ignores: null would be rejected.
        make_nullable(out)
    return out


def make_nullable(schema: Schema) -> None:
    kind = schema.get("type")
    if isinstance(kind, str):
        schema["type"] = [kind, "null"]
    elif isinstance(kind, list) and "null" not in kind:
        schema["type"] = [*kind, "null"]
    if "enum" in schema and None not in schema["enum"]:
        schema["enum"] = [*schema["enum"], None]


def fix_integer_enums(schema: Any) -> None:
    """Integer enums exported as strings (``{"type": "integer", "enum": ["1", ...]}``).

    No integer can match a string enum, so the schema would reject every value;
    the live API sends integers (TF-PC decodes ``account_resource_level`` as int).
    """
    for node in walk(schema):
        if node.get("type") == "integer" and "enum" in node:
            node["enum"] = [int(v) if isinstance(v, str) else v for v in node["enum"]]


def walk(schema: Any) -> Iterator[Schema]:
    if isinstance(schema, list):
        for item in schema:
            yield from walk(item)
    elif isinstance(schema, dict):
        yield schema
        for value in schema.values():
            if isinstance(value, dict | list):
                yield from walk(value)


def inline_refs(schema: Any, components: dict[str, Schema], seen: tuple[str, ...] = ()) -> Any:
    if isinstance(schema, list):
        return [inline_refs(item, components, seen) for item in schema]
    if not isinstance(schema, dict):
        return schema
    ref = schema.get("$ref")
    if isinstance(ref, str):
        prefix = "#/components/schemas/"
        if not ref.startswith(prefix):
            raise SystemExit(f"unsupported $ref {ref!r}")
        name = ref[len(prefix) :]
        if name in seen:
            raise SystemExit(f"recursive schema {name!r} cannot be inlined")
        target = inline_refs(copy.deepcopy(components[name]), components, (*seen, name))
        siblings = {k: v for k, v in schema.items() if k != "$ref"}
        if not siblings:
            return target
        return {"allOf": [target, inline_refs(siblings, components, seen)]}
    return {key: inline_refs(value, components, seen) for key, value in schema.items()}


# --------------------------------------------------------------------------- relaxations
#
# Each function below changes the official schema where the live API is known to
# answer differently (per CATALOG.md, which follows the Terraform provider and other
# clients that run against the real API), or where the emulator models a state the
# spec does not describe. Each one asserts the spec shape it patches, so a new
# export that fixes (or moves) the part fails loudly instead of silently drifting.


def _require(schema: Schema, path: str) -> Schema:
    node: Any = schema
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            raise SystemExit(f"spec changed: {path!r} not found")
        node = node[part]
    if not isinstance(node, dict):
        raise SystemExit(f"spec changed: {path!r} is not an object")
    return node


def relax_components(components: dict[str, Schema]) -> None:
    cloud = components.get("1a4921f4_PublicCloud")
    if cloud is not None:
        # The spec also requires price/billing_*/project_count/updated_at at top level
        # but only defines them inside ``public_cloud``; the live payload nests them
        # (CATALOG §6, XLL's model parses real answers that way).
        nested = {
            "price",
            "price_updated_at",
            "billing_start_at",
            "billing_end_at",
            "project_count",
            "updated_at",
        }
        assert nested <= set(cloud["required"]), "spec changed: PublicCloud.required"
        cloud["required"] = [name for name in cloud["required"] if name not in nested]
        # CATALOG §5.1 example answers ``"bill_reference": null`` for clouds without one.
        make_nullable(_require(cloud, "properties.bill_reference"))

    status = components.get("1a4921f4_Productstatus")
    if status is not None:
        # The exporter flattened the nested maintenance/locked flags into the
        # top-level ``required`` list; they are properties of the nested objects.
        flattened = {"technical", "superuser", "infomaniak"}
        assert flattened <= set(status["required"]), "spec changed: Productstatus.required"
        status["required"] = [name for name in status["required"] if name not in flattened]
        # CATALOG §4 ProductStatus: activated_at is null for never-activated products.
        make_nullable(_require(status, "properties.activated_at"))
        # CATALOG §4 ProductStatus (SPEC vs XLL): maintenance and locked arrive as
        # objects of flags or as plain booleans; activated_by as an array or as the
        # activating user's id (or null). The emulator's realistic profile sends both.
        for name in ("maintenance", "locked"):
            flags = _require(status, f"properties.{name}")
            assert flags.get("type") == "object", f"spec changed: Productstatus.{name}"
            _replace(flags, {"anyOf": [dict(flags), {"type": "boolean"}]})
        activated_by = _require(status, "properties.activated_by")
        assert activated_by.get("type") == "array", "spec changed: Productstatus.activated_by"
        activated_by["type"] = ["array", "integer", "null"]

    right = components.get("1a4921f4_Right")
    if right is not None:
        # CATALOG §3.11: PHP serialises an empty object as ``[]``; every Right flag is
        # optional, so a product where the user has none answers ``"rights": []``.
        assert right.get("type") == "object", "spec changed: Right"
        _replace(right, {"anyOf": [dict(right), {"type": "array", "maxItems": 0}]})

    config = components.get("1a4921f4_PublicCloudConfig")
    if config is not None:
        # TF-PC: valid_from / valid_to are null on the wire for accounts without a period.
        make_nullable(_require(config, "properties.valid_from"))
        make_nullable(_require(config, "properties.valid_to"))

    project = components.get("1a4921f4_PublicCloudProject")
    if project is not None:
        # PHP serialises an empty map as ``[]`` and a filled one as ``{}`` (XLL types
        # ``meta`` as dict | list); the spec only allows the array.
        meta = _require(project, "properties.meta")
        assert meta.get("type") == "array", "spec changed: PublicCloudProject.meta"
        meta["type"] = ["array", "object"]
        # CATALOG §5.2 #6: the project list's own filter[status][] enum names states
        # the status enum lacks (blocked, suspended, restoring...): the API has
        # projects in those states, and the realistic profile seeds a few.
        status = _require(project, "properties.status")
        assert "enum" in status, "spec changed: PublicCloudProject.status"
        extra = [v for v in PROJECT_FILTER_STATUSES if v not in status["enum"]]
        status["enum"] = [*status["enum"], *extra]

    # --- KaaS (CATALOG §4, §5.4-5.6) ---------------------------------------------
    pack = components.get("1a4921f4_KubernetesServicePack")
    if pack is not None:
        # Spec: is_active a string ("true") and price_per_hour an array; the catalogue
        # (XLL, TF) reads a boolean and a per-currency object {"CHF": .., "EUR": ..}.
        is_active = _require(pack, "properties.is_active")
        assert is_active.get("type") == "string", "spec changed: KubernetesServicePack.is_active"
        is_active["type"] = ["string", "boolean"]
        price = _require(pack, "properties.price_per_hour")
        assert price.get("type") == "array", "spec changed: KubernetesServicePack.price_per_hour"
        price["type"] = ["array", "object"]

    flavor = components.get("1a4921f4_KubernetesServiceFlavor")
    if flavor is not None:
        # The exporter flattened the properties of ``rates`` into its ``items`` (not a
        # schema) and into the flavor's ``required``; the catalogue's answers carry
        # rates as one object {hour_excl_tax, hour_incl_tax}.
        flattened = {"hour_excl_tax", "hour_incl_tax"}
        assert flattened <= set(flavor["required"]), "spec changed: KubernetesServiceFlavor"
        flavor["required"] = [name for name in flavor["required"] if name not in flattened]
        rates = _require(flavor, "properties.rates")
        assert rates.get("type") == "array", "spec changed: KubernetesServiceFlavor.rates"
        rate = {
            "type": "object",
            "properties": {name: {"type": "number"} for name in sorted(flattened)},
        }
        _replace(rates, {"anyOf": [{"type": "array", "items": rate}, rate]})

    flavor_filter = components.get("1a4921f4_KubernetesServiceFlavorFilter")
    if flavor_filter is not None:
        # ``max``/``min``/``values`` are required but are no property of the filter:
        # they describe the (string-typed) cpu/ram/storage/rates entries, which the
        # emulator sends as {min, max, values} objects.
        flattened = {"max", "min", "values"}
        assert flattened <= set(flavor_filter["required"]), "spec changed: FlavorFilter"
        flavor_filter["required"] = [n for n in flavor_filter["required"] if n not in flattened]
        for name in ("cpu", "ram", "storage", "rates"):
            entry = _require(flavor_filter, f"properties.{name}")
            assert entry.get("type") == "string", f"spec changed: FlavorFilter.{name}"
            entry["type"] = ["string", "object"]

    pool = components.get("1a4921f4_InstancePool")
    if pool is not None:
        # Spec: labels is an array of "key: value" strings; the Terraform provider
        # (since 2025-05) sends and reads a map, and PHP sends an empty map as [].
        labels = _require(pool, "properties.labels")
        assert labels.get("type") == "array", "spec changed: InstancePool.labels"
        labels["type"] = ["array", "object"]
    # ---- DBaaS (CATALOG §4 / §5.7-§5.13)
    service = components.get("1a4921f4_DatabaseService")
    if service is not None:
        # TF: ``connection`` is [] (PHP empty array) until available, then an object
        # {host, port, user, password, ca}; the spec only allows the array.
        connection = _require(service, "properties.connection")
        assert connection.get("type") == "array", "spec changed: DatabaseService.connection"
        connection["type"] = ["array", "object"]
        # XLL types ``configuration`` array | object: a map of variables, [] when empty.
        configuration = _require(service, "properties.configuration")
        assert configuration.get("type") == "array", "spec changed: DatabaseService.configuration"
        configuration["type"] = ["array", "object"]

    pack = components.get("1a4921f4_DatabaseServicePack")
    if pack is not None:
        # TF decodes ``rates`` as {CHF: {hour_excl_tax, hour_incl_tax}, EUR: {...}}; the
        # export writes an "array" whose ``items`` are really those properties.
        rates = _require(pack, "properties.rates")
        assert rates.get("type") == "array", "spec changed: DatabaseServicePack.rates"
        price = {"type": "object", "properties": {k: {"type": "number"} for k in _TAXES}}
        _replace(
            rates,
            {
                "type": "object",
                "properties": {"CHF": price, "EUR": price, **price["properties"]},
            },
        )

    backup = components.get("1a4921f4_DatabaseServiceBackup")
    if backup is not None:
        # CATALOG §4: completed_at is null until the backup has finished (TF-OLD, XLL).
        make_nullable(_require(backup, "properties.completed_at"))

    restore = components.get("1a4921f4_DatabaseServiceRestore")
    if restore is not None:
        # CATALOG §4: new_service is null for an in-place restore and the object
        # {id, kube_identifier, admin_password} for a new service (TF-OLD decodes an
        # object; the export writes an "array" whose ``items`` are those properties).
        new_service = _require(restore, "properties.new_service")
        assert new_service.get("type") == "array", (
            "spec changed: DatabaseServiceRestore.new_service"
        )
        _replace(
            new_service,
            {
                "type": ["object", "array", "null"],
                "properties": {
                    "id": {"type": "integer"},
                    "kube_identifier": {"type": "string"},
                    "admin_password": {"type": "string"},
                },
            },
        )
        # §5.10 example: pitr_date is null for a restore from a backup; backup_id is
        # the base backup of a point-in-time restore (null if the API has none).
        make_nullable(_require(restore, "properties.pitr_date"))
        make_nullable(_require(restore, "properties.backup_id"))

    task = components.get("087adaad_AsyncTask")
    if task is not None:
        # The spec describes a finished task only. While a task is spooled/running the
        # emulator has no execution/finish time and no response yet and sends null
        # (clients — TF-PC, the SDK — read them only once the task is finished).
        for name in ("executed_at", "finished_at", "response"):
            make_nullable(_require(task, f"properties.{name}"))


_TAXES = ("hour_excl_tax", "hour_incl_tax")


def _data_schema(response: Schema) -> Schema:
    """The ``data`` property of an ``allOf: [envelope, {properties: {data}}, ...]``."""
    for part in response.get("allOf", []):
        data = part.get("properties", {}).get("data")
        if isinstance(data, dict):
            return data
    raise SystemExit("spec changed: response has no data property")


def _replace(schema: Schema, new: Schema) -> None:
    schema.clear()
    schema.update(new)


def relax_route(method: str, path: str, status: str, schema: Schema) -> None:
    if method == "get" and path == "/1/public_clouds/accesses" and status == "200":
        # Spec: array<string>. TF-PC decodes ``{"is_maintenance_ongoing": bool}``
        # ("despite the endpoint name, the response carries maintenance status").
        data = _data_schema(schema)
        assert data.get("type") == "array", "spec changed: accesses data"
        _replace(
            data,
            {
                "type": "object",
                "required": ["is_maintenance_ongoing"],
                "properties": {"is_maintenance_ongoing": {"type": "boolean"}},
            },
        )
        return

    if method == "get" and path.endswith("/kaas/{kaas_id}/apiserver") and status == "200":
        # Spec: array<string>. The Terraform provider decodes an object (CATALOG §4
        # KaasApiserver); PHP sends an empty apiserver_params map as [].
        data = _data_schema(schema)
        assert data.get("type") == "array", "spec changed: apiserver data"
        nullable_text = {"type": ["string", "null"]}
        _replace(
            data,
            {
                "type": "object",
                "required": ["apiserver_params"],
                "properties": {
                    "apiserver_params": {
                        "type": ["object", "array"],
                        "additionalProperties": {"type": "string"},
                    },
                    "oidc_ca": nullable_text,
                    "audit-policy": nullable_text,
                    "audit-webhook-config": nullable_text,
                },
            },
        )
    if (
        method == "get"
        and status == "200"
        and "/dbaas" in path
        and path.endswith("/configurations")
    ):
        # Spec: array<string>. The per-service route answers a map of variables
        # (TF decodes map[string]any), [] when none is set; the account-level one
        # has an undocumented shape (CATALOG §5.11): both may be an object.
        data = _data_schema(schema)
        assert data.get("type") == "array", f"spec changed: {path} data"
        _replace(data, {"type": ["object", "array"]})
        return

    if status == "202" and schema.get("allOf"):
        for part in schema["allOf"]:
            result = part.get("properties", {}).get("result", {})
            if "enum" in result and "delayed" not in result["enum"]:
                # CATALOG §3.3: "delayed" (data: a task UUID) is not in the spec's
                # enum, but TF-PC and XLL handle it from the live API like
                # "asynchronous"; the realistic profile answers it on some items.
                result["enum"] = [*result["enum"], "delayed"]
        data = _data_schema(schema)
        if data.get("type") in ("integer", "boolean"):
            # Spec: the new id (create) or a boolean (update/delete). TF-PC and XLL
            # show the live API answers a task UUID to poll on /1/async/tasks/{uuid};
            # the emulator serves either (async_mode "task" or "id").
            _replace(data, {"anyOf": [dict(data), UUID_STRING]})
        return

    if method == "get" and status == "200" and "/{" not in path.rsplit("/", 1)[-1]:
        parts = schema.get("allOf", [])
        paginated = any(set(p.get("properties", {})) >= {"total", "pages"} for p in parts)
        if paginated:
            # ``return=total`` (spec parameter ``Return``) turns ``data`` into the
            # item count; the spec response only describes the item array.
            data = _data_schema(schema)
            assert data.get("type") == "array", f"spec changed: {path} data"
            _replace(data, {"anyOf": [dict(data), {"type": "integer", "minimum": 0}]})


# The spec documents only a few error statuses per route (and not 401/404/422/429
# on most). Every error the emulator sends has the shape of §3.4 / ErrorResponse,
# so it is checked against this when the route has no schema for that status.
DEFAULT_ERROR: Schema = {
    "type": "object",
    "required": ["result", "error"],
    "properties": {
        "result": {"const": "error"},
        "error": {
            "type": "object",
            "required": ["code", "description"],
            "properties": {
                "code": {"type": "string"},
                "description": {"type": "string"},
                "errors": {"type": "array", "items": {"type": "object"}},
                "context": {"type": ["object", "array"]},
            },
        },
    },
}


# --------------------------------------------------------------------------- driver


def derive(spec_dir: Path) -> Schema:
    routes: dict[str, dict[str, Schema]] = {}
    for filename in SPEC_FILES:
        spec = json.loads((spec_dir / filename).read_text(encoding="utf-8"))
        raw_components = spec.get("components", {}).get("schemas", {})
        components = {name: clean(schema) for name, schema in raw_components.items()}
        relax_components(components)
        for path, operations in sorted(spec["paths"].items()):
            if not in_scope(path):
                continue
            for method in HTTP_METHODS:
                operation = operations.get(method)
                if operation is None:
                    continue
                statuses: dict[str, Schema] = {}
                for status, response in sorted(operation.get("responses", {}).items()):
                    media = response.get("content", {}).get("application/json")
                    if media is None or "schema" not in media:
                        continue  # raw file downloads (openrc, clouds.yaml) are not JSON
                    schema = inline_refs(clean(media["schema"]), components)
                    fix_integer_enums(schema)
                    relax_route(method, path, status, schema)
                    statuses[status] = schema
                if statuses:
                    routes[f"{method.upper()} {path}"] = statuses
    return {
        "source": [f"shared/openapi/{name}" for name in SPEC_FILES],
        "default_error": DEFAULT_ERROR,
        "routes": routes,
    }


def render(document: Schema) -> str:
    return json.dumps(document, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--spec-dir", type=Path, default=SPEC_DIR)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument(
        "--check", action="store_true", help="fail if the committed file is out of date"
    )
    args = parser.parse_args(argv)
    text = render(derive(args.spec_dir))
    out: Path = args.out
    if args.check:
        current = out.read_text(encoding="utf-8") if out.exists() else ""
        if current != text:
            print(f"{out} is out of date; run scripts/derive_schemas.py", file=sys.stderr)
            return 1
        return 0
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    print(f"wrote {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
