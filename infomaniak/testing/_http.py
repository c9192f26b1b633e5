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


def asynchronous(data: Json, result: str = "asynchronous") -> JsonReply:
    """HTTP 202; ``result`` is "asynchronous" or a documented variant ("delayed",
    "success": see ``State.async_result``)."""
    return JsonReply(202, {"result": result, "data": data})


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
        """A path id: only ASCII digits reach here (the router); an id past the
        API's 64-bit range names no object (404), like any unknown id."""
        raw = self.params[name]
        if len(raw) > 19 or int(raw) > INT64_MAX:
            raise not_found()
        return int(raw)

    def query_get(self, name: str) -> str | None:
        """The value of a scalar query key; repeated, the last one wins (PHP)."""
        found = None
        for key, value in self.query:
            if key == name:
                found = value
        return found

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
        """``with`` is one comma-separated string (CATALOG §3.7, spec type string).

        PHP reads ``with[]=a`` as an array under the same name, which the API's
        string rule refuses: 422, as a user's raw call would get from the API.
        """
        if any(key == "with[]" or key.startswith("with[") for key, _ in self.query):
            raise validation_failed(
                [field_error("with", "validation_rule_string", "The with must be a string.")]
            )
        raw = self.query_get("with") or ""
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
            # ASCII digits only: ``\d`` would also match "٣" or full-width digits.
            body = r"[0-9]+" if integer else r"[^/]+"
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


INT64_MAX = 2**63 - 1
INT64_MIN = -(2**63)

# PHP's readings of a query string: FILTER_VALIDATE_INT (Laravel's ``integer``
# rule) and is_numeric (``numeric``). ASCII digits only, surrounding blanks
# allowed; an integer outside 64 bits is not an integer in PHP.
_PHP_INT = re.compile(r"[ \t\n\r\v\f]*[+-]?[0-9]+[ \t\n\r\v\f]*")
_PHP_NUMERIC = re.compile(
    r"[ \t\n\r\v\f]*[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?[ \t\n\r\v\f]*"
)


def php_int(raw: Any) -> int | None:
    """``raw`` (a query value) as PHP reads an integer, or None if it is not one."""
    if not isinstance(raw, str) or len(raw) > 64 or not _PHP_INT.fullmatch(raw):
        return None
    value = int(raw.strip())
    return value if INT64_MIN <= value <= INT64_MAX else None


def php_number(raw: Any) -> float | None:
    """``raw`` (a query value) as PHP's is_numeric reads it, or None (finite only)."""
    if not isinstance(raw, str) or len(raw) > 400 or not _PHP_NUMERIC.fullmatch(raw):
        return None
    value = float(raw.strip())
    return value if math.isfinite(value) else None


def integral(value: Any) -> int | None:
    """A JSON body value as Laravel's ``integer`` rule reads it: an int, or a float
    with no fractional part (``24.0``; PHP's filter_var takes it), within 64 bits."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float):
        if not value.is_integer():
            return None
        value = int(value)
    if isinstance(value, int) and INT64_MIN <= value <= INT64_MAX:
        return value
    return None


def integer_error(attribute: str) -> ApiError:
    return validation_failed(
        [field_error(attribute, "validation_rule_integer", f"The {attribute} must be an integer.")]
    )


def numeric_error(attribute: str) -> ApiError:
    return validation_failed(
        [field_error(attribute, "validation_rule_numeric", f"The {attribute} must be a number.")]
    )


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
    value = php_int(raw)
    if value is None:
        raise integer_error(name)
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
    # Every pagination key is validated, whichever of them decides the answer.
    wants_total = query_choice(ctx, "return", ("total",)) == "total"
    page = query_int(ctx, "page", minimum=1)
    per_page = query_int(ctx, "per_page", minimum=1)
    alias = query_int(ctx, "items", minimum=1)
    limit = query_int(ctx, "limit", minimum=0)
    skip = query_int(ctx, "skip", minimum=0) or 0
    if per_page is None:
        per_page = alias
    if wants_total:
        # Spec ``TotalSuccessResponse``: data is the count, plus ``total``.
        return success(len(items), total=len(items))
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
    end = None if limit is None else skip + limit
    return success(list(items[skip:end]))


def search(items: Iterable[Item], term: Any, fields: Sequence[str]) -> list[Item]:
    """``filter[search]``: a string (``filter[search][]=x`` or ``[a]=b``: 422, as the
    API's string rule answers)."""
    if term is None or term == "":
        return list(items)
    if not isinstance(term, str):
        raise validation_failed(
            [
                field_error(
                    "filter.search", "validation_rule_string", "The filter.search must be a string."
                )
            ]
        )
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

    ``order_by`` names the sort keys; ``order`` is their default direction and
    ``order_for[field]`` the direction of one of them. The spec says of
    ``order_for``: "by default order is used", so it only sets the direction of
    a field already sorted on and never adds a sort key of its own.
    ``fields`` maps the sortable names to key functions (None: any top-level key).
    Strings compare case-insensitively and nulls come first in ascending order,
    like the MySQL collation behind the API.
    """
    default = query_choice(ctx, "order", ("asc", "desc")) or "asc"
    per_field = ctx.deep("order_for")
    for name, direction in per_field.items():
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
    names: list[str] = []
    # ``order_by[]=a&order_by[]=b`` is an array in PHP; a repeated ``order_by=``
    # is a scalar whose last value wins.
    listed = ctx.query_all("order_by[]")
    single = ctx.query_get("order_by")
    for raw in listed or ([single] if single is not None else []):
        names.extend(part.strip() for part in raw.split(",") if part.strip())
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
        # a required field. An optional field sent as null is not "absent": no
        # body field of the spec is nullable, so null fails the string rule.
        if value is None and name in self.data and not required:
            self.errors.append(
                field_error(name, "validation_rule_string", f"The {name} must be a string.")
            )
            return None
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

    def sent_null(self, name: str, rule: str, message: str, attribute: str | None = None) -> bool:
        """Whether the optional ``name`` was sent as null (then a type error is added).

        No body field of the spec is nullable: the API's type rules refuse null
        where the emulator used to read it as "not sent".
        """
        if name in self.data and self.data[name] is None:
            self.errors.append(field_error(attribute or name, rule, message))
            return True
        return False

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
