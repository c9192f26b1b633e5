"""Pure helpers of the request pipeline, shared by both clients: query
encoding, backoff, Retry-After, and turning an error answer into an exception.
They do no I/O, so they are written once here rather than generated twice."""

from __future__ import annotations

import math
import random
import re
import time
from collections.abc import Iterable, Mapping
from typing import Any, NoReturn, TypeVar
from urllib.parse import quote

import orjson

from ._converter import DecodeError, json_name, structure, structure_list
from .errors import APIError, NotFoundError, ResponseDecodeError, error_class_for_status

T = TypeVar("T")

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
RETRYABLE_SERVER_STATUSES = frozenset({502, 503, 504})

# Codes the API answers with HTTP 400 where the object asked for does not exist
# (CATALOG §3.4, §5.9-§5.10): they raise NotFoundError like a 404, so that
# ``except NotFoundError`` works whichever status the API picks.
NOT_FOUND_CODES = frozenset({"backup_schedule_does_not_exist", "cannot_restore_no_backup_found"})

_SAFE = "[]-._~,"

# Every path the resources build: segments of unreserved characters, no dot
# segments. Values that reach a path are checked where they are taken
# (``check_id``, ``check_uuid``, ``check_path_segment``); this is the one
# guard every request passes, so nothing can smuggle a query, a fragment or
# a ``..`` into a request line.
_PATH = re.compile(r"(?:/[A-Za-z0-9_~-][A-Za-z0-9_.~-]*)+")


def check_path(path: str) -> None:
    if _PATH.fullmatch(path) is None or "/.." in path:
        raise ValueError(f"refusing to send a request to an unsafe path: {path!r}")


def _quote(text: str) -> str:
    return quote(text, safe=_SAFE)


def _scalar(value: Any) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value.__class__ is float and not math.isfinite(value):
        raise ValueError(f"a query value must be a finite number, got {value}")
    return str(value)


def encode_body(value: Any) -> bytes:
    """JSON for a request body. orjson writes NaN and infinity as ``null``: a
    value the caller did not mean, so they are refused before anything is sent."""
    _check_finite(value)
    return orjson.dumps(value)


def _check_finite(value: Any) -> None:
    if value.__class__ is float:
        if not math.isfinite(value):
            raise ValueError(f"a request body value must be a finite number, got {value}")
    elif isinstance(value, Mapping):
        for item in value.values():
            _check_finite(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            _check_finite(item)


def _deep_object(prefix: str, value: Any, out: list[str]) -> None:
    if isinstance(value, Mapping):
        for key, item in value.items():
            if item is not None:
                _deep_object(f"{prefix}[{key}]", item, out)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            out.append(f"{_quote(prefix)}[]={_quote(_scalar(item))}")
    else:
        out.append(f"{_quote(prefix)}={_quote(_scalar(value))}")


def encode_query(params: Mapping[str, Any]) -> str:
    """Encode query parameters the way the API reads them.

    Mappings become deepObject (``filter[search]=x``, ``filter[status][]=ok``,
    ``order_for[name]=desc``); top-level lists become comma lists (``order_by``,
    ``with``: form style, explode=false); ``None`` values are left out.
    """
    parts: list[str] = []
    for key, value in params.items():
        if value is None:
            continue
        if isinstance(value, Mapping):
            _deep_object(key, value, parts)
        elif isinstance(value, (list, tuple)):
            parts.append(f"{_quote(key)}={_quote(','.join(_scalar(v) for v in value))}")
        else:
            parts.append(f"{_quote(key)}={_quote(_scalar(value))}")
    return "&".join(parts)


def backoff_delay(attempt: int, *, initial: float, maximum: float) -> float:
    """Full-jitter exponential backoff: uniform in [0, min(max, initial * 2**attempt)]."""
    return random.uniform(0.0, min(maximum, initial * (2**attempt)))


def parse_retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    # Imported here: an HTTP date is rare, and email.utils (with datetime and
    # calendar) is ~5 ms of every start.
    import email.utils

    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _excerpt(body: bytes, limit: int = 200) -> str:
    text = body.decode("utf-8", errors="replace")
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# A Content-Type worth repeating in a message: a plain media type and parameters.
_CONTENT_TYPE = re.compile(r"[A-Za-z0-9!#$&^_.+-]+/[A-Za-z0-9!#$&^_.+-]+(?:\s*;[ -~]*)?")


def decode_json(
    body: bytes,
    *,
    method: str,
    path: str,
    content_type: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> Any:
    """The decoded JSON of a successful answer.

    A body that is not JSON raises :class:`ResponseDecodeError` saying where
    and how it breaks, its length and content type (``content_type``, or read
    from ``headers`` then only), and never quoting it: a successful answer can
    hold a password or a kubeconfig (the bytes stay in the exception's
    ``body``, out of its message, repr and pickle).
    """
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        # orjson's messages are fixed phrases; its ``doc`` (the body) is not kept.
        reason, position = str(exc.msg), int(exc.pos)
    if content_type is None and headers is not None:
        content_type = headers.get("Content-Type")
    if content_type is not None:
        content_type = content_type[:100]
        if _CONTENT_TYPE.fullmatch(content_type) is None:
            content_type = "(unreadable)"
    # Raised here, outside the handler: no chained exception carries the body,
    # and this frame no longer holds it when the traceback is recorded.
    error = ResponseDecodeError(
        _describe_bad_json(body, reason, position, content_type),
        method=method,
        path=path,
        body=body,
        position=position,
        content_type=content_type,
    )
    del body
    raise error


def _describe_bad_json(body: bytes, reason: str, position: int, content_type: str | None) -> str:
    size = f"{len(body)} bytes" + ("" if content_type is None else f" of {content_type}")
    if not body.strip():
        return f"the answer is empty ({size})"
    if reason.startswith("unexpected content after document"):
        return (
            f"the answer is JSON followed by other text from character {position} "
            f"({size}; a notice or warning printed after the JSON?)"
        )
    if reason.startswith("unexpected end of data"):
        return f"the answer ends inside its JSON at character {position} ({size}; cut short?)"
    looks = ", it looks like HTML" if body.lstrip()[:1] == b"<" else ""
    return f"the answer is not JSON: {reason} at character {position} ({size}{looks})"


def api_error(
    status: int,
    body: bytes,
    *,
    method: str,
    path: str,
    retry_after: float | None = None,
) -> APIError:
    """The exception for an error answer, JSON envelope or not."""
    error_class = error_class_for_status(status) if status >= 400 else APIError
    try:
        payload = orjson.loads(body) if body else None
    except orjson.JSONDecodeError:
        payload = None
    error = payload.get("error") if isinstance(payload, dict) else None
    if not isinstance(error, dict):
        description = None if payload is None else "error answer without an error object"
        excerpt = _excerpt(body) if body and payload is None else None
        if excerpt is not None and body.lstrip()[:1] in (b"{", b"["):
            # Broken JSON (cut short, a notice after it) may be a success
            # answer's data, passwords included: described, never quoted.
            excerpt = None
            description = f"error answer with broken JSON ({len(body)} bytes)"
        return error_class(
            status=status,
            method=method,
            path=path,
            body_excerpt=excerpt,
            description=description,
            retry_after=retry_after,
            body=body,
        )
    nested = error.get("errors")
    context = error.get("context")
    if status == 400 and error.get("code") in NOT_FOUND_CODES:
        error_class = NotFoundError
    return error_class(
        status=status,
        method=method,
        path=path,
        code=_str_or_none(error.get("code")),
        description=_str_or_none(error.get("description")),
        errors=[e for e in nested if isinstance(e, dict)] if isinstance(nested, list) else (),
        context=context if isinstance(context, dict) else None,
        retry_after=retry_after,
        body=body,
    )


def _str_or_none(value: Any) -> str | None:
    return None if value is None else str(value)


def drop_none(pairs: Iterable[tuple[str, Any]]) -> dict[str, Any]:
    """Keyword arguments -> JSON body, leaving out the ones not given."""
    return {key: value for key, value in pairs if value is not None}


# What a model hook can raise on a shape it cannot read.
_DECODE_FAILURES = (DecodeError, KeyError, TypeError, AttributeError)


def decode_data(envelope: Mapping[str, Any], model: type[T], *, method: str, path: str) -> T:
    """The envelope's ``data`` as ``model``; a shape the model cannot read
    raises :class:`ResponseDecodeError` naming the request."""
    try:
        decoded = structure(envelope.get("data"), model)
    except _DECODE_FAILURES as exc:
        message = f"cannot read the answer as {model.__name__}: {_decode_reason(exc)}"
    else:
        if decoded is not None:
            return decoded
        # An empty answer ([] where an object was expected) is "not there" inside
        # a model, but a call that promises a model must not return None.
        message = f"the answer holds no {model.__name__}"
    _forget(envelope)
    del envelope
    _raise_decode_error(message, method, path)


def decode_list(envelope: Mapping[str, Any], model: type[T], *, method: str, path: str) -> list[T]:
    """The envelope's ``data`` array as ``list[model]``."""
    data = envelope.get("data")
    if data.__class__ is not list:
        message = f"expected a list in data, got {json_name(data)}"
        _forget(envelope)
        del envelope, data
        _raise_decode_error(message, method, path)
    try:
        decoded = structure_list(data, model)
    except _DECODE_FAILURES as exc:
        _forget(envelope)
        message = f"cannot read an item as {model.__name__}: {_decode_reason(exc)}"
    else:
        # Only a model with its own reading of [] can come out as None; looking
        # for None in every page would cost ~2% of decoding a listing.
        if not (hasattr(model, "_structure_from_list") and None in decoded):
            return decoded
        message = f"an item holds no {model.__name__}"
        _forget(envelope)
    del envelope, data
    _raise_decode_error(message, method, path)


def _forget(envelope: Mapping[str, Any]) -> None:
    """Empty an answer that failed to decode, in place.

    Nobody reads it afterwards, but the callers' frames still hold it, and an
    error reporter that records the locals of a traceback would show it: the
    admin password next to the field that had the wrong type.
    """
    if isinstance(envelope, dict):
        envelope.clear()


def _raise_decode_error(message: str, method: str, path: str) -> NoReturn:
    # Raised outside any handler and without a cause: the decoding hooks'
    # frames hold the answer's values (passwords, kubeconfigs), and an error
    # reporter that records the locals of a traceback must not reach them.
    raise ResponseDecodeError(message, method=method, path=path)


def _decode_reason(exc: Exception) -> str:
    if isinstance(exc, KeyError):
        return f"missing key {exc.args[0]!r}"
    if isinstance(exc, DecodeError):
        return str(exc)  # says which field had which JSON type, never the value
    return f"unexpected shape ({type(exc).__name__})"
