"""Request-level building blocks shared by every route module.

Route handlers are plain synchronous functions ``(Ctx) -> Reply``: the server reads
the whole body before dispatching and runs the handler under the state lock, so a
handler never awaits and always sees a consistent state.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

import orjson

if TYPE_CHECKING:
    from ._state import State

Json = Any
Item = dict[str, Any]

# ---------------------------------------------------------------------------- replies


@dataclass
class JsonReply:
    status: int
    payload: Json
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class TextReply:
    status: int
    text: str
    content_type: str = "text/plain"
    headers: dict[str, str] = field(default_factory=dict)


Reply = JsonReply | TextReply


def success(data: Json, *, status: int = 200, **extra: Json) -> JsonReply:
    return JsonReply(status, {"result": "success", "data": data, **extra})


def asynchronous(data: Json) -> JsonReply:
    return JsonReply(202, {"result": "asynchronous", "data": data})


def error_envelope(
    code: str,
    description: str,
    errors: list[dict[str, Any]] | None = None,
    context: dict[str, Any] | None = None,
) -> dict[str, Any]:
    error: dict[str, Any] = {"code": code, "description": description, "errors": errors or []}
    if context:
        error["context"] = context
    return {"result": "error", "error": error}


# Codes the API uses for the plain HTTP failures (CATALOG §3.4 / §3.9); the
# 5xx gateway codes are not documented and only need to be recognisable.
STATUS_CODES: dict[int, str] = {
    400: "bad_request",
    401: "not_authorized",
    403: "forbidden",
    404: "object_not_found",
    405: "method_not_found",
    409: "conflict",
    419: "token_mismatch",
    422: "validation_failed",
    429: "too_many_requests",
    500: "unexpected_error",
    502: "bad_gateway",
    503: "service_unavailable",
    504: "gateway_timeout",
}


def status_error(status: int, description: str | None = None) -> JsonReply:
    code = STATUS_CODES.get(status, "error")
    if description is None:
        try:
            description = HTTPStatus(status).phrase
        except ValueError:
            description = "Error"
    return JsonReply(status, error_envelope(code, description))


class ApiError(Exception):
    """Raised by handlers; the server turns it into the API's error envelope."""

    def __init__(
        self,
        status: int,
        code: str,
        description: str,
        errors: list[dict[str, Any]] | None = None,
        context: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(f"{status} {code}: {description}")
        self.status = status
        self.code = code
        self.description = description
        self.errors = errors or []
        self.context = context

    def reply(self) -> JsonReply:
        return JsonReply(
            self.status, error_envelope(self.code, self.description, self.errors, self.context)
        )


def not_found() -> ApiError:
    return ApiError(404, "object_not_found", "Object not found")


def field_error(attribute: str, code: str, description: str, **context: Any) -> dict[str, Any]:
    return {
        "code": code,
        "description": description,
        "context": {"attribute": attribute, **context},
    }


def validation_failed(errors: list[dict[str, Any]]) -> ApiError:
    return ApiError(422, "validation_failed", "Validation failed", errors)


# ---------------------------------------------------------------------------- routing


@dataclass
class Ctx:
    """What a handler gets: the matched request, already read, and the state."""

    method: str
    path: str
    template: str
    params: dict[str, str]
    query: list[tuple[str, str]]
    body: bytes
    state: State

    def int_param(self, name: str) -> int:
        return int(self.params[name])

    def query_get(self, name: str) -> str | None:
        for key, value in self.query:
            if key == name:
                return value
        return None

    def query_all(self, name: str) -> list[str]:
        return [value for key, value in self.query if key == name]

    def deep(self, root: str) -> dict[str, Any]:
        return parse_deep_object(self.query, root)

    def json_body(self) -> dict[str, Any]:
        """The JSON object body; an empty body counts as ``{}``."""
        if not self.body.strip():
            return {}
        try:
            value = orjson.loads(self.body)
        except orjson.JSONDecodeError as exc:
            raise ApiError(400, "bad_request", f"Malformed JSON body: {exc}") from None
        if not isinstance(value, dict):
            raise ApiError(400, "bad_request", "The request body must be a JSON object")
        return value

    def with_relations(self) -> set[str]:
        raw = ",".join(self.query_all("with") + self.query_all("with[]"))
        return {part.strip() for part in raw.split(",") if part.strip()}


Handler = Callable[[Ctx], Reply]

_PARAM = re.compile(r"\{([a-zA-Z_][a-zA-Z0-9_]*)\}")


@dataclass(frozen=True)
class Route:
    method: str
    template: str
    handler: Handler
    pattern: re.Pattern[str]
    specificity: tuple[int, ...]


class Router:
    """Method + path-template dispatch.

    Literal segments win over parameters whatever the registration order, so
    ``/1/public_clouds/config`` (or a later ``/1/public_clouds/kaas``) is never
    captured by ``/1/public_clouds/{public_cloud_id}``. ``*_id`` parameters only
    match digits: ids are integers in this API, except those in ``STRING_ID_PARAMS``.
    """

    def __init__(self) -> None:
        self._routes: list[Route] = []

    def add(self, method: str, template: str) -> Callable[[Handler], Handler]:
        def decorator(handler: Handler) -> Handler:
            self._routes.append(_compile(method.upper(), template, handler))
            self._routes.sort(key=lambda route: route.specificity)
            return handler

        return decorator

    def match(self, method: str, path: str) -> tuple[Route, dict[str, str]] | None:
        for route in self._routes:
            if route.method != method:
                continue
            found = route.pattern.fullmatch(path)
            if found is not None:
                return route, found.groupdict()
        return None

    @property
    def routes(self) -> Sequence[Route]:
        return tuple(self._routes)


# Ids that are strings in this API (CATALOG §3.12): DBaaS backups and restores.
STRING_ID_PARAMS = frozenset({"backup_id", "restore_id"})


def _compile(method: str, template: str, handler: Handler) -> Route:
    regex = ""
    specificity: list[int] = []
    for segment in template.strip("/").split("/"):
        name = _PARAM.fullmatch(segment)
        if name is None:
            regex += "/" + re.escape(segment)
            specificity.append(0)
        else:
            integer = name.group(1).endswith("_id") and name.group(1) not in STRING_ID_PARAMS
            body = r"\d+" if integer else r"[^/]+"
            regex += f"/(?P<{name.group(1)}>{body})"
            specificity.append(1)
    return Route(method, template, handler, re.compile(regex), tuple(specificity))


# ---------------------------------------------------------------------------- query


_DEEP_KEY = re.compile(r"^(?P<root>[^\[\]]+)(?P<rest>(?:\[[^\[\]]*\])+)$")
_DEEP_PART = re.compile(r"\[([^\[\]]*)\]")


def parse_deep_object(query: Iterable[tuple[str, str]], root: str) -> dict[str, Any]:
    """Decode OpenAPI deepObject parameters: ``filter[search]=x``,
    ``filter[status][]=ok&filter[status][]=error``, ``filter[a][b]=1``."""
    out: dict[str, Any] = {}
    for key, value in query:
        found = _DEEP_KEY.match(key)
        if found is None or found.group("root") != root:
            continue
        _assign(out, _DEEP_PART.findall(found.group("rest")), value)
    return out


def _assign(node: dict[str, Any], parts: list[str], value: str) -> None:
    key, rest = parts[0], parts[1:]
    if not rest:
        existing = node.get(key)
        if isinstance(existing, list):
            existing.append(value)
        else:
            node[key] = value
        return
    if rest[0] == "" or rest[0].isdigit():
        bucket = node.get(key)
        if not isinstance(bucket, list):
            bucket = [] if bucket is None else [bucket]
            node[key] = bucket
        bucket.append(value)
        return
    child = node.get(key)
    if not isinstance(child, dict):
        child = {}
        node[key] = child
    _assign(child, rest, value)


def query_int(
    ctx: Ctx, name: str, *, required: bool = False, minimum: int | None = None
) -> int | None:
    raw = ctx.query_get(name)
    if raw is None or raw == "":
        if required:
            raise validation_failed(
                [field_error(name, "validation_rule_required", f"The {name} field is required.")]
            )
        return None
    try:
        value = int(raw)
    except ValueError:
        raise validation_failed(
            [field_error(name, "validation_rule_integer", f"The {name} must be an integer.")]
        ) from None
    if minimum is not None and value < minimum:
        raise validation_failed(
            [field_error(name, "validation_rule_min", f"The {name} must be at least {minimum}.")]
        )
    return value


def query_choice(ctx: Ctx, name: str, choices: Sequence[str]) -> str | None:
    raw = ctx.query_get(name)
    if raw is None:
        return None
    if raw not in choices:
        raise validation_failed(
            [
                field_error(
                    name,
                    "validation_rule_in",
                    f"The selected {name} is invalid.",
                    values=list(choices),
                )
            ]
        )
    return raw


# ---------------------------------------------------------------------------- lists

DEFAULT_PER_PAGE = 15


def paginate(ctx: Ctx, items: Sequence[Item]) -> JsonReply:
    """CATALOG §3.5: ``page``/``per_page`` (alias ``items``), ``limit``/``skip``,
    ``return=total``. The four pagination keys are added only when ``page`` is sent.

    An empty list answers ``pages: 1`` (page 1 exists and is empty) so that
    ``page <= pages`` always holds for the first page; the spec only says integer.
    """
    if query_choice(ctx, "return", ("total",)) == "total":
        # Spec ``TotalSuccessResponse``: data is the count, plus ``total``.
        return success(len(items), total=len(items))
    page = query_int(ctx, "page", minimum=1)
    per_page = query_int(ctx, "per_page", minimum=1)
    if per_page is None:
        per_page = query_int(ctx, "items", minimum=1)
    if page is not None:
        size = per_page or DEFAULT_PER_PAGE
        total = len(items)
        start = (page - 1) * size
        return success(
            list(items[start : start + size]),
            total=total,
            page=page,
            pages=max(1, math.ceil(total / size)),
            items_per_page=size,
        )
    limit = query_int(ctx, "limit", minimum=0)
    skip = query_int(ctx, "skip", minimum=0) or 0
    end = None if limit is None else skip + limit
    return success(list(items[skip:end]))


def search(items: Iterable[Item], term: str | None, fields: Sequence[str]) -> list[Item]:
    if not term:
        return list(items)
    needle = term.casefold()
    return [
        item
        for item in items
        if any(needle in str(item.get(name) or "").casefold() for name in fields)
    ]


def filter_in(
    items: Iterable[Item],
    raw: Any,
    *,
    field: str,
    attribute: str,
    allowed: Sequence[str],
) -> list[Item]:
    """``filter[<attribute>][]=a&filter[<attribute>][]=b`` keeps items whose field is a or b."""
    if raw is None or raw == "" or raw == []:
        return list(items)
    values = raw if isinstance(raw, list) else str(raw).split(",")
    bad = [value for value in values if value not in allowed]
    if bad:
        raise validation_failed(
            [
                field_error(
                    f"filter.{attribute}",
                    "validation_rule_in",
                    f"The selected filter.{attribute} is invalid.",
                    values=list(allowed),
                )
            ]
        )
    return [item for item in items if item.get(field) in values]


KeyFunc = Callable[[Item], Any]


def select(
    ctx: Ctx,
    items: Iterable[Item],
    *,
    search_fields: Sequence[str],
    sort: Mapping[str, KeyFunc] | None,
    statuses: Sequence[str] | None = None,
) -> list[Item]:
    """What every list route does before paginating: ``filter[search]`` over
    ``search_fields``, ``filter[status][]`` (when ``statuses`` are allowed),
    then the ordering parameters."""
    filters = ctx.deep("filter")
    selected = search(items, filters.get("search"), search_fields)
    if statuses is not None:
        selected = filter_in(
            selected, filters.get("status"), field="status", attribute="status", allowed=statuses
        )
    return sort_items(ctx, selected, sort)


def sort_items(
    ctx: Ctx,
    items: list[Item],
    fields: Mapping[str, KeyFunc] | None,
) -> list[Item]:
    """``order_by`` (comma list or ``order_by[]``), ``order`` and ``order_for[field]``.

    ``fields`` maps the sortable names to key functions (None: any top-level key).
    Strings compare case-insensitively and nulls come first in ascending order,
    like the MySQL collation behind the API.
    """
    default = query_choice(ctx, "order", ("asc", "desc")) or "asc"
    per_field = ctx.deep("order_for")
    names: list[str] = []
    for raw in ctx.query_all("order_by") + ctx.query_all("order_by[]"):
        names.extend(part.strip() for part in raw.split(",") if part.strip())
    names.extend(name for name in per_field if name not in names)
    if not names:
        return items
    for name in names:
        if fields is not None and name not in fields:
            raise validation_failed(
                [
                    field_error(
                        "order_by",
                        "validation_rule_in",
                        "The selected order_by is invalid.",
                        values=sorted(fields),
                    )
                ]
            )
        direction = per_field.get(name, default)
        if direction not in ("asc", "desc"):
            raise validation_failed(
                [
                    field_error(
                        f"order_for.{name}",
                        "validation_rule_in",
                        f"The selected order_for.{name} is invalid.",
                        values=["asc", "desc"],
                    )
                ]
            )
    result = list(items)
    for name in reversed(names):
        key = fields[name] if fields is not None else by_key(name)
        direction = per_field.get(name, default)
        result.sort(key=_sort_key(key), reverse=direction == "desc")
    return result


def _sort_key(key: KeyFunc) -> Callable[[Item], tuple[int, Any]]:
    return lambda item: _sortable(key(item))


def by_key(name: str) -> KeyFunc:
    return lambda item: item.get(name)


def _sortable(value: Any) -> tuple[int, Any]:
    if value is None:
        return (0, 0)
    if isinstance(value, str):
        return (1, value.casefold())
    if isinstance(value, bool):
        return (1, int(value))
    return (1, value)


# ---------------------------------------------------------------------------- bodies

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

PASSWORD_MIN_LENGTH = 12


class Body:
    """Collects every validation error of a JSON body before answering 422."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.data = data
        self.errors: list[dict[str, Any]] = []

    def string(
        self,
        name: str,
        *,
        required: bool = False,
        min_length: int | None = None,
        max_length: int | None = None,
        email: bool = False,
    ) -> str | None:
        value = self.data.get(name)
        # Like the Laravel rules behind the API, an empty string is "missing" for
        # a required field.
        if value is None or (value == "" and required):
            if required:
                self.errors.append(
                    field_error(name, "validation_rule_required", f"The {name} field is required.")
                )
            return None
        if not isinstance(value, str):
            self.errors.append(
                field_error(name, "validation_rule_string", f"The {name} must be a string.")
            )
            return None
        if min_length is not None and len(value) < min_length:
            self._too_short(name, min_length)
            return None
        if max_length is not None and len(value) > max_length:
            self.errors.append(
                field_error(
                    name,
                    "validation_rule_max",
                    f"The {name} may not be greater than {max_length} characters.",
                    max=max_length,
                )
            )
            return None
        if email and value and not _EMAIL.match(value):
            self.errors.append(
                field_error(name, "validation_rule_email", f"The {name} must be a valid email.")
            )
            return None
        return value

    def _too_short(self, name: str, min_length: int) -> None:
        self.errors.append(
            field_error(
                name,
                "validation_rule_min",
                f"The {name} must be at least {min_length} characters.",
                min=min_length,
            )
        )

    def password(self, name: str, *, required: bool) -> str | None:
        """The emulator's password policy (the real one is not published):
        at least 12 characters, one uppercase, one lowercase and one digit.

        Each broken rule is one nested error whose description is the API's
        translation key (CATALOG §3.4, from XLL's error map); the lowercase rule
        has no key of its own there, so it uses the generic ``password_unified``.
        """
        value = self.string(name, required=required)
        if value is None:
            return None
        broken: list[str] = []
        if len(value) < PASSWORD_MIN_LENGTH:
            broken.append("validation.password_unified_min")
        if not any(char.isupper() for char in value):
            broken.append("validation.password_unified_upper")
        if not any(char.islower() for char in value):
            broken.append("validation.password_unified")
        if not any(char.isdigit() for char in value):
            broken.append("validation.password_unified_numeric")
        for description in broken:
            self.errors.append(field_error(name, "validation_rule_password", description))
        return None if broken else value

    def check(self) -> None:
        if self.errors:
            raise validation_failed(self.errors)
