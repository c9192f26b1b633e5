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

# The largest integer any argument may be: the API's ids and counts are
# 64-bit (PHP's PHP_INT_MAX). Past it a value is refused naming the argument,
# before Python would fail to even print it (10**5000).
INT_MAX = 2**63 - 1

# The largest magnitude of a decimal argument (prices, rates): far above any
# real price, far below where float() overflows.
NUMBER_MAX = 1e12


def _check_int(name: str, value: Any, minimum: int) -> int:
    if value.__class__ is not int and (isinstance(value, bool) or not isinstance(value, int)):
        raise TypeError(f"{name} must be an int, got {type(value).__name__}")
    if not minimum <= value <= INT_MAX:
        shown = value if -INT_MAX <= value <= INT_MAX else "a number out of range"
        raise ValueError(f"{name} must be between {minimum} and {INT_MAX}, got {shown}")
    return int(value)


def check_positive_int(name: str, value: Any) -> int:
    return _check_int(name, value, 1)


# Ids of the API are positive integers.
check_id = check_positive_int


def check_str(
    name: str,
    value: Any,
    *,
    min_length: int | None = None,
    max_length: int | None = None,
    optional: bool = False,
    multiline: bool = False,
) -> str | None:
    """A string argument: its type and length, no control characters (tabs and
    line breaks only when ``multiline``), and not blank when a ``min_length``
    is asked."""
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
    check_text(name, value, multiline=multiline)
    if min_length and not value.strip():
        raise ValueError(f"{name} must not be blank (only whitespace)")
    return value


# The patterns here are text: `re` compiles each on its first use and keeps it
# (compiling them all at import cost about 1 ms of every command line start).
#
# Characters that are not text: C0 and C1 controls, DEL, the Unicode line and
# paragraph separators, and the bidirectional overrides and isolates (which
# make a value read differently from what it holds). Multi-line texts (PEM,
# YAML) may hold tabs and line breaks.
NOT_TEXT = "[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
_NOT_MULTILINE_TEXT = "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]"


def check_text(name: str, value: str, *, multiline: bool = False) -> str:
    """A string without control characters (``ValueError`` naming the argument,
    the kind of character and its position, never the rest of the value)."""
    bad = re.search(_NOT_MULTILINE_TEXT if multiline else NOT_TEXT, value)
    if bad is not None:
        char = bad.group()
        kind = "a line break" if char in "\r\n\u2028\u2029" else "a control character"
        if "\u202a" <= char <= "\u202e" or "\u2066" <= char <= "\u2069":
            kind = "a bidirectional override"
        raise ValueError(
            f"{name} must not contain {kind} (U+{ord(char):04X} at position {bad.start()})"
        )
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
    for item in value:
        check_text(name, item)
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
        out[str(key)] = check_number(f"{name}[{key!r}]", amount)
    return out


def check_number(
    name: str, value: Any, *, minimum: float = 0.0, maximum: float = NUMBER_MAX
) -> float:
    """A finite number (int or float, not bool) in ``[minimum, maximum]``."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} must be a number, got {type(value).__name__}")
    if isinstance(value, int) and not -NUMBER_MAX <= value <= NUMBER_MAX:
        # float() of it could overflow, str() of it could fail: say neither.
        raise ValueError(f"{name} must be between {minimum:g} and {maximum:g}")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{name} must be a finite number, got {number}")
    if not minimum <= number <= maximum:
        raise ValueError(f"{name} must be between {minimum:g} and {maximum:g}, got {number:g}")
    return number


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
    if value > _defaults.MAX_SECONDS and (isinstance(value, int) or math.isfinite(value)):
        # An int too large for a float lands here too.
        raise ValueError(
            f"{name} must be at most {_defaults.MAX_SECONDS:g} seconds (a year),"
            f" got {shown_number(value)}"
        )
    if value <= 0 or not math.isfinite(value):
        raise ValueError(
            f"{name} must be a finite number of seconds > 0, got {shown_number(value)}"
        )
    return float(value)


def shown_number(value: float) -> str:
    """A number for a message: a huge int would make a huge one (or fail to print)."""
    if isinstance(value, float) or abs(value) < 10**30:
        return str(value)
    return f"an int of {value.bit_length()} bits"


def check_timeout(name: str, value: Any) -> float | None:
    """A duration where ``None`` means no limit."""
    return None if value is None else check_seconds(name, value)


def check_non_negative_int(name: str, value: Any) -> int:
    return _check_int(name, value, 0)


# The prefix length of a CIDR network: ASCII digits, no leading zero.
_PREFIX_LENGTH = r"0|[1-9][0-9]{0,2}"


def check_ip_networks(name: str, value: Any) -> list[str]:
    """A list of IPv4/IPv6 networks in CIDR form (a bare address is a /32 or /128).

    Only ``address/prefix-length``: no IPv6 zone id (``fe80::1%eth0``), no
    netmask or hostmask (``10.0.0.0/255.0.0.0``), no zero-padded or non-ASCII
    prefix. A bad entry raises ``ValueError`` naming its position and value.
    The entries are sent as given, not rewritten.
    """
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise TypeError(f"{name} must be a sequence of CIDR strings, e.g. ['203.0.113.0/24']")
    networks: list[str] = []
    for index, entry in enumerate(value):
        if not isinstance(entry, str):
            raise TypeError(f"{name}[{index}] must be a str, got {type(entry).__name__}")
        if not _is_cidr(entry):
            raise ValueError(
                f"{name}[{index}] is not an IPv4 or IPv6 network in CIDR form "
                f"(address/prefix-length): {entry!r}"
            )
        networks.append(entry)
    return networks


def _is_cidr(entry: str) -> bool:
    address, slash, prefix = entry.partition("/")
    if not address.isascii() or "%" in address:
        return False
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    if not slash:
        return True
    if re.fullmatch(_PREFIX_LENGTH, prefix) is None or int(prefix) > ip.max_prefixlen:
        return False
    try:
        ipaddress.ip_network(f"{address}/{prefix}", strict=False)
    except ValueError:
        return False
    return True


# Kubernetes label syntax: a key is an optional DNS-subdomain prefix and a
# slash, then a name of up to 63 characters; a value is empty or such a name.
_LABEL_NAME = r"[A-Za-z0-9](?:[A-Za-z0-9._-]{0,61}[A-Za-z0-9])?"
_DNS_SUBDOMAIN = r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*"


def check_labels(name: str, value: Any) -> dict[str, str] | None:
    """Kubernetes labels: a mapping of label keys to label values, each of the
    Kubernetes syntax (the API passes them to Kubernetes, which refuses others)."""
    if value is None:
        return None
    if not isinstance(value, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise TypeError(f"{name} must be a mapping of str to str")
    for key, label in value.items():
        prefix, slash, label_name = key.rpartition("/")
        if re.fullmatch(_LABEL_NAME, label_name) is None or (
            slash and (len(prefix) > 253 or re.fullmatch(_DNS_SUBDOMAIN, prefix) is None)
        ):
            raise ValueError(
                f"{name} key {key!r} is not a Kubernetes label key ([prefix/]name: a name "
                "of up to 63 letters, digits, '-', '_' or '.', starting and ending with a "
                "letter or digit; a prefix is a lowercase DNS subdomain)"
            )
        if label and re.fullmatch(_LABEL_NAME, label) is None:
            raise ValueError(
                f"{name}[{key!r}] is not a Kubernetes label value (empty, or up to 63 "
                f"letters, digits, '-', '_' or '.', starting and ending with a letter or "
                f"digit): {label!r}"
            )
    return dict(value)


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


_UNSAFE_TOKEN = r"[^\x21-\x7e]"


def check_token(token: Any) -> str:
    """An API token that can go into an ``Authorization`` header as it is.

    A bad one raises :class:`ConfigurationError` that says which kind of
    character is wrong, never the token itself.
    """
    from .errors import ConfigurationError

    if not isinstance(token, str):
        raise TypeError(f"token must be a str, got {type(token).__name__}")
    bad = re.search(_UNSAFE_TOKEN, token)
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


_PATH_SEGMENT = r"[A-Za-z0-9_.~-]+"


def check_path_segment(name: str, value: Any) -> str:
    """A string that becomes one segment of a URL path.

    Only unreserved characters are allowed, and never ``.`` or ``..``: a value
    that could leave its segment (``/``, ``?``, ``#``, spaces, dot segments)
    is refused before anything is sent rather than rewritten.
    """
    text = check_str(name, value, min_length=1)
    assert text is not None
    if re.fullmatch(_PATH_SEGMENT, text) is None or text in (".", ".."):
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
    if re.search(_UNSAFE_TOKEN, value):
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
