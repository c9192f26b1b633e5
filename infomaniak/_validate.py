"""Argument checks run before anything is sent: bad input fails locally with a
``TypeError`` or ``ValueError`` that names the argument."""

from __future__ import annotations

import ipaddress
import math
import re
import uuid
from collections.abc import Collection, Mapping, Sequence
from typing import Any

from . import _defaults


def check_positive_int(name: str, value: Any) -> int:
    if value.__class__ is not int and (isinstance(value, bool) or not isinstance(value, int)):
        raise TypeError(f"{name} must be an int, got {type(value).__name__}")
    if value < 1:
        raise ValueError(f"{name} must be >= 1, got {value}")
    return int(value)


# Ids of the API are positive integers.
check_id = check_positive_int


def check_str(
    name: str,
    value: Any,
    *,
    min_length: int | None = None,
    max_length: int | None = None,
    optional: bool = False,
) -> str | None:
    if value is None:
        if optional:
            return None
        raise TypeError(f"{name} is required")
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, got {type(value).__name__}")
    if min_length is not None and len(value) < min_length:
        raise ValueError(f"{name} must be at least {min_length} characters long")
    if max_length is not None and len(value) > max_length:
        raise ValueError(f"{name} must be at most {max_length} characters long")
    return value


def check_choice(name: str, value: Any, choices: Collection[str]) -> str | None:
    if value is None:
        return None
    if value not in choices:
        raise ValueError(f"{name} must be one of {sorted(choices)}, got {value!r}")
    return str(value)


def check_str_list(name: str, value: Any) -> list[str] | None:
    if value is None:
        return None
    if isinstance(value, str):
        return [value]
    if not isinstance(value, Sequence) or not all(isinstance(v, str) for v in value):
        raise TypeError(f"{name} must be a str or a sequence of str")
    return list(value)


def check_choice_list(name: str, value: Any, choices: Collection[str]) -> list[str] | None:
    """A str or a sequence of str, each one of ``choices`` (a documented filter
    enum: the API answers 422 for any other value, so it is refused here)."""
    values = check_str_list(name, value)
    for item in values or ():
        check_choice(name, item, choices)
    return values


def check_id_list(name: str, value: Any) -> list[int] | None:
    """One id or a sequence of ids (pack, tag ids of a list filter)."""
    if value is None:
        return None
    items = [value] if isinstance(value, int) else value
    if isinstance(items, str) or not isinstance(items, Sequence):
        raise TypeError(f"{name} must be an int or a sequence of int")
    return [check_id(name, item) for item in items]


def check_flag(name: str, value: Any) -> bool | None:
    """An optional bool (not 0/1, not "true")."""
    if value is not None and not isinstance(value, bool):
        raise TypeError(f"{name} must be a bool, got {type(value).__name__}")
    return value


RATE_KEYS = ("excluding_tax", "including_tax")


def check_rate(name: str, value: Any) -> dict[str, float] | None:
    """A price bound of a pack or flavor filter: ``{"excluding_tax": 0.1}``
    (either key, or both), each a number."""
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise TypeError(f"{name} must be a mapping like {{'excluding_tax': 0.1}}")
    out: dict[str, float] = {}
    for key, amount in value.items():
        check_choice(f"{name} key", key, RATE_KEYS)
        if isinstance(amount, bool) or not isinstance(amount, (int, float)):
            raise TypeError(f"{name}[{key!r}] must be a number")
        out[str(key)] = float(amount)
    return out


def check_order_for(value: Any) -> dict[str, str] | None:
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise TypeError("order_for must be a mapping of field name to 'asc' or 'desc'")
    for field, direction in value.items():
        if not isinstance(field, str):
            raise TypeError("order_for keys must be field names (str)")
        check_choice(f"order_for[{field}]", direction, ("asc", "desc"))
    return dict(value)


def check_seconds(name: str, value: Any) -> float:
    """A duration that must be given: a finite number of seconds > 0, at most a year."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} must be a number of seconds, got {type(value).__name__}")
    if value > _defaults.MAX_SECONDS:  # also an int too large for a float
        raise ValueError(
            f"{name} must be at most {_defaults.MAX_SECONDS:g} seconds (a year),"
            f" got {_number(value)}"
        )
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a finite number of seconds > 0, got {value}")
    return float(value)


def _number(value: float) -> str:
    # A huge int would make a huge message (or fail to print at all).
    if isinstance(value, float) or abs(value) < 10**30:
        return repr(value)
    return f"an int of {value.bit_length()} bits"


def check_timeout(name: str, value: Any) -> float | None:
    """A duration where ``None`` means no limit."""
    return None if value is None else check_seconds(name, value)


def check_non_negative_int(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, got {type(value).__name__}")
    if value < 0:
        raise ValueError(f"{name} must be >= 0, got {value}")
    return value


def check_ip_networks(name: str, value: Any) -> list[str]:
    """A list of IPv4/IPv6 networks in CIDR form (a bare address is a /32 or /128).

    Each entry is checked with :mod:`ipaddress`; a bad one raises ``ValueError``
    naming its position and value. The entries are sent as given, not rewritten.
    """
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise TypeError(f"{name} must be a sequence of CIDR strings, e.g. ['203.0.113.0/24']")
    networks: list[str] = []
    for index, entry in enumerate(value):
        if not isinstance(entry, str):
            raise TypeError(f"{name}[{index}] must be a str, got {type(entry).__name__}")
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError:
            raise ValueError(f"{name}[{index}] is not an IPv4 or IPv6 network: {entry!r}") from None
        networks.append(entry)
    return networks


def check_scope(
    account_id: Any, public_cloud_id: Any, public_cloud_project_id: Any
) -> tuple[int | None, int | None, int | None]:
    """The scope of an account-or-project list: either ``account_id`` alone,
    or ``public_cloud_id`` with ``public_cloud_project_id``; anything else is
    a ``TypeError`` before anything is sent."""
    project_scope = public_cloud_id is not None or public_cloud_project_id is not None
    if account_id is not None and project_scope:
        raise TypeError(
            "give either account_id (the whole account) or public_cloud_id and "
            "public_cloud_project_id (one project), not both"
        )
    if account_id is not None:
        return check_id("account_id", account_id), None, None
    if public_cloud_id is None or public_cloud_project_id is None:
        raise TypeError(
            "give account_id (the whole account) or both public_cloud_id and "
            "public_cloud_project_id (one project)"
        )
    return (
        None,
        check_id("public_cloud_id", public_cloud_id),
        check_id("public_cloud_project_id", public_cloud_project_id),
    )


_UNSAFE_TOKEN = re.compile(r"[^\x21-\x7e]")


def check_token(token: Any) -> str:
    """An API token that can go into an ``Authorization`` header as it is.

    A bad one raises :class:`ConfigurationError` that says which kind of
    character is wrong, never the token itself.
    """
    from .errors import ConfigurationError

    if not isinstance(token, str):
        raise TypeError(f"token must be a str, got {type(token).__name__}")
    bad = _UNSAFE_TOKEN.search(token)
    if bad is None:
        return token
    char = bad.group()
    if char in "\r\n":
        kind = "a line break (a token read from a file keeps its newline: strip it)"
    elif char.isspace():
        kind = "whitespace"
    elif ord(char) < 0x20 or ord(char) == 0x7F:
        kind = "a control character"
    else:
        kind = "a non-ASCII character"
    raise ConfigurationError(
        f"the API token contains {kind} at position {bad.start()}; "
        "a token is printable ASCII without spaces"
    )


def check_uuid(name: str, value: Any) -> str:
    """A UUID in its canonical text form (what the API's task ids are)."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, got {type(value).__name__}")
    try:
        parsed = uuid.UUID(value)
    except ValueError:
        raise ValueError(f"{name} must be a UUID, got {value!r}") from None
    if str(parsed) != value.lower():
        raise ValueError(f"{name} must be a UUID in its 8-4-4-4-12 form, got {value!r}")
    return value


_PATH_SEGMENT = re.compile(r"[A-Za-z0-9_.~-]+")


def check_path_segment(name: str, value: Any) -> str:
    """A string that becomes one segment of a URL path.

    Only unreserved characters are allowed, and never ``.`` or ``..``: a value
    that could leave its segment (``/``, ``?``, ``#``, spaces, dot segments)
    is refused before anything is sent rather than rewritten.
    """
    text = check_str(name, value, min_length=1)
    assert text is not None
    if _PATH_SEGMENT.fullmatch(text) is None or text in (".", ".."):
        raise ValueError(
            f"{name} must be letters, digits, '-', '_', '.' or '~' (one path segment), got {text!r}"
        )
    return text


def check_base_url(value: Any) -> str:
    """An ``http(s)://host[:port][/path]`` URL without query, fragment,
    credentials or whitespace (the two clients would read those differently)."""
    from urllib.parse import urlsplit

    from .errors import ConfigurationError

    if not isinstance(value, str):
        raise TypeError(f"base_url must be a str, got {type(value).__name__}")
    if _UNSAFE_TOKEN.search(value):
        raise ConfigurationError("base_url must not contain spaces or control characters")
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError as exc:
        raise ConfigurationError(f"base_url is not a valid URL: {exc}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigurationError(f"base_url must be http:// or https:// and a host: {value!r}")
    if parts.username is not None or parts.password is not None:
        raise ConfigurationError("base_url must not carry credentials; pass token=... instead")
    if parts.query or parts.fragment or "?" in value or "#" in value:
        raise ConfigurationError(f"base_url must not have a query or a fragment: {value!r}")
    del port
    return value.rstrip("/")


def check_header_value(name: str, value: Any) -> str:
    """A string that can be sent as an HTTP header value."""
    text = check_str(name, value, min_length=1)
    assert text is not None
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in text):
        raise ValueError(f"{name} must not contain control characters")
    return text
