"""Printing results: JSON, YAML or a table; secrets; progress of a wait.

Rich and PyYAML are imported only by the format that needs them, so that
``-o json`` starts as fast as the SDK itself.
"""

from __future__ import annotations

import enum
import importlib
import json
import os
import re
import sys
import time
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from typing import IO, Any

import attrs
import orjson

from .._validate import NOT_TEXT

__all__ = ["Printer", "Progress", "check_writable", "printable", "to_data", "write_private"]

# The columns a table of models shows, in this order, when the model has them:
# its own id (the first field, when it is an id), then these; at most _MAX_COLUMNS.
_PREFERRED_COLUMNS = (
    "name",
    "customer_name",
    "status",
    "region",
    "type",
    "group",
    "version",
    "kubernetes_version",
    "flavor",
    "availability_zone",
    "minimum_instances",
    "available_instances",
    "cpu",
    "ram",
    "storage",
    "scheduled_at",
    "created_at",
)
_MAX_COLUMNS = 6


def _is_secret(name: str) -> bool:
    return any(word in name for word in ("password", "secret", "token"))


def to_data(value: Any, *, show_secrets: bool = False) -> Any:
    """JSON-ready data: attrs models as mappings keyed by field name.

    Secret fields (attrs ``repr=False``) are left out unless ``show_secrets``.
    """
    if value is None or isinstance(value, (str, int, float, bool)):
        return value.value if isinstance(value, enum.Enum) else value
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if attrs.has(type(value)):
        return {
            field.name: to_data(getattr(value, field.name), show_secrets=show_secrets)
            for field in attrs.fields(type(value))
            if field.repr or show_secrets
        }
    if isinstance(value, Mapping):
        return {str(k): to_data(v, show_secrets=show_secrets) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)) or hasattr(value, "iter_pages"):
        return [to_data(item, show_secrets=show_secrets) for item in value]
    return str(value)


def operation_data(op: Any, *, show_secrets: bool) -> dict[str, Any]:
    """An operation handle's public attributes (its answer), secrets left out unless asked."""
    out: dict[str, Any] = {}
    for name, value in vars(op).items():
        if name.startswith("_") or (name == "task" and value is None):
            continue
        if _is_secret(name) and not show_secrets:
            continue
        out[name] = to_data(value, show_secrets=show_secrets)
    return out


def find_password(value: Any) -> str | None:
    """The first password an answer carries (attrs fields or attributes named ``*password*``)."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return None
    names: Iterable[str]
    if attrs.has(type(value)):
        names = [f.name for f in attrs.fields(type(value))]
    elif hasattr(value, "__dict__"):
        names = [n for n in vars(value) if not n.startswith("_")]
    else:
        return None
    for name in names:
        item = getattr(value, name, None)
        if "password" in name and isinstance(item, str) and item:
            return item
    for name in names:
        found = find_password(getattr(value, name, None))
        if found:
            return found
    return None


def check_writable(path: str) -> bool:
    """Make sure ``path`` can be written; OSError if not.

    A missing file is created empty (mode 0600): True then, for the caller
    to remove it if nothing comes to be written.
    """
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        os.close(os.open(path, os.O_WRONLY))
        return False
    os.close(fd)
    return True


def write_private(path: str, text: str) -> None:
    """Write ``text`` to ``path`` readable by its owner only (0600, also if it existed)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(fd, 0o600)
        data = text.encode()
        while data:
            data = data[os.write(fd, data) :]
    finally:
        os.close(fd)


def _json(data: Any) -> str:
    """Indented JSON (orjson: the SDK's decoder, already loaded)."""
    text: str = orjson.dumps(data, option=orjson.OPT_INDENT_2).decode()
    return text


# What a terminal would act on rather than show is what the SDK refuses as
# not text in an argument: C0/C1 controls (ESC starts the sequences that clear
# the screen, set the title, make links), DEL, the line separators and the
# bidirectional overrides that make a text read differently.


def printable(text: str) -> str:
    """``text`` with what a terminal would act on written as Python escapes (ESC: x1b)."""
    return re.sub(NOT_TEXT, lambda m: m.group(0).encode("unicode_escape").decode(), text)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        return printable(json.dumps(value, ensure_ascii=False, separators=(", ", ": ")))
    return printable(str(value))


def _text(value: str) -> Any:
    """A table cell shown as it is: an API value is never read as Rich markup."""
    from rich.text import Text

    return Text(value)


def _columns(rows: list[dict[str, Any]], model: type | None) -> list[str]:
    if model is None or not rows:
        return list(rows[0]) if rows else []
    names = [f.name for f in attrs.fields(model) if f.repr]
    first = names[0] if names else None
    chosen: list[str] = []
    if first is not None and (first in ("id", "uuid") or first.endswith("_id") or first == "name"):
        chosen.append(first)
    for name in _PREFERRED_COLUMNS:
        if name in names and name not in chosen and len(chosen) < _MAX_COLUMNS:
            chosen.append(name)
    if len(chosen) < 2:
        scalars = [n for n in names if not isinstance(rows[0].get(n), (dict, list))]
        chosen = scalars[:_MAX_COLUMNS]
    return chosen


class Printer:
    """Prints results in one format (``table``, ``json`` or ``yaml``) on stdout."""

    def __init__(self, fmt: str, *, show_secrets: bool = False, out: IO[str] | None = None):
        self.fmt = fmt
        self.show_secrets = show_secrets
        self.out = out or sys.stdout

    def _dump(self, data: Any) -> None:
        if self.fmt == "json":
            self.out.write(_json(data) + "\n")
        else:
            yaml: Any = importlib.import_module("yaml")
            self.out.write(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))

    def _print_table(self, table: Any) -> None:
        import io

        from rich.console import Console

        tty = self.out.isatty()
        buffer = io.StringIO()
        Console(file=buffer, width=None if tty else 200, force_terminal=tty).print(table)
        self.out.write("\n".join(line.rstrip() for line in buffer.getvalue().splitlines()) + "\n")

    def text(self, text: str) -> None:
        """Text (a kubeconfig, an openrc file): as it is, or as a JSON/YAML string."""
        if self.fmt == "table":
            self.out.write(text if text.endswith("\n") or not text else text + "\n")
        else:
            self._dump(text)

    def value(self, value: Any) -> None:
        """Any printable value; a model as one object, a list as one array."""
        if attrs.has(type(value)):
            self.one(value)
        elif isinstance(value, (list, tuple)):
            self.many(value)
        else:
            data = to_data(value, show_secrets=self.show_secrets)
            if self.fmt != "table":
                self._dump(data)
            elif isinstance(data, dict):
                self._pairs(data)
            else:
                self.out.write(_cell(data) + "\n")

    def one(self, value: Any, extra: Mapping[str, Any] | None = None) -> None:
        """One object: a JSON object, a YAML mapping or a two-column table."""
        data = to_data(value, show_secrets=self.show_secrets) if value is not None else {}
        if extra:
            data = {**data, **extra}
        if self.fmt == "table":
            self._pairs(data)
        else:
            self._dump(data)

    def _pairs(self, data: Mapping[str, Any]) -> None:
        from rich.table import Table

        table = Table(show_header=True, box=None, pad_edge=False)
        table.add_column("FIELD", style="bold")
        table.add_column("VALUE", overflow="fold")
        for key, item in data.items():
            table.add_row(_text(_cell(key)), _text(_cell(item)))
        self._print_table(table)

    def many(self, items: Iterable[Any]) -> None:
        """Every item: one JSON array (streamed), a YAML sequence or a table."""
        if self.fmt == "json":
            self.out.write("[")
            first = True
            for item in items:
                data = to_data(item, show_secrets=self.show_secrets)
                text = _json(data).replace("\n", "\n  ")
                self.out.write(("\n  " if first else ",\n  ") + text)
                first = False
            self.out.write("]\n" if first else "\n]\n")
            return
        collected = list(items)
        rows = [to_data(item, show_secrets=self.show_secrets) for item in collected]
        if self.fmt == "yaml":
            self._dump(rows)
            return
        from rich.table import Table

        table = Table(box=None, pad_edge=False)
        if rows and all(isinstance(row, dict) for row in rows):
            model = type(collected[0]) if attrs.has(type(collected[0])) else None
            columns = _columns(rows, model)
            for column in columns:
                table.add_column(column.upper(), overflow="fold")
            for row in rows:
                table.add_row(*(_text(_cell(row.get(column))) for column in columns))
        else:
            table.add_column("VALUE")
            for row in rows:
                table.add_row(_text(_cell(row)))
        self._print_table(table)


class Progress:
    """Progress of a wait on stderr: a live line on a terminal, plain lines otherwise."""

    def __init__(self, what: str, stream: IO[str] | None = None) -> None:
        self.stream = stream or sys.stderr
        self.what = what
        self.status: str | None = "submitted"
        self.started = time.monotonic()
        self._live: Any = None

    def __enter__(self) -> Progress:
        if self.stream.isatty():
            from rich.console import Console
            from rich.live import Live
            from rich.text import Text

            progress = self

            class _Line:
                def __rich__(self) -> Text:
                    waited = time.monotonic() - progress.started
                    line = f"waiting: {progress.what} is {progress.status} ({waited:.0f} s)"
                    return Text(printable(line))

            self._live = Live(
                _Line(), console=Console(file=self.stream), refresh_per_second=4, transient=True
            )
            self._live.__enter__()
        else:
            self._line(f"waiting for {self.what}")
        return self

    def __exit__(self, *exc: object) -> None:
        if self._live is not None:
            self._live.__exit__(None, None, None)
        if self.status is None:  # interrupted: the caller says so, in one line
            return
        waited = time.monotonic() - self.started
        self._line(f"{self.what}: {self.status} after {waited:.1f} s")

    def _line(self, text: str) -> None:
        self.stream.write(printable(text) + "\n")
        self.stream.flush()

    def on_status(self, change: Any) -> None:
        """``wait(on_status=...)``: remember the status; print it when not live."""
        label = f"{change.resource} {change.resource_id}" if change.resource_id else change.resource
        self.what = label
        self.status = change.status or "(no status)"
        if self._live is None:
            self._line(f"waiting: {label} is {self.status} ({change.waited:.1f} s)")

    def interrupted(self) -> None:
        """Ctrl-C: no closing line (the caller prints one)."""
        self.status = None

    def finished(self, status: str) -> None:
        """Record the final state for the closing line."""
        self.status = status


OnStatus = Callable[[Any], None]
