"""The command tree, read from the blocking ``Client`` by introspection.

Nothing here knows a resource, a route or a model by name: a resource is an
object of the client's tree (an attribute, or a ``cached_property`` that is
only resolved when its command is asked for), a command is a public method
of a resource, and its options come from the method's signature, its type
annotations and its Google-style docstring.

The rule that decides whether a method becomes a command
(:func:`result_kind`): its return annotation must be something a shell can
print — an attrs model, a page (``plist``), a list or mapping of those or of
JSON values, text, a number or a flag, ``None``, or an operation (an object
with a ``wait`` method). Any other return type (a client object, say) is not
a command.
"""

from __future__ import annotations

import functools
import inspect
import os
import re
import types
import typing
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any, Literal

import attrs

__all__ = [
    "MethodSpec",
    "OptionSpec",
    "ResourceNode",
    "option_name",
    "parse_docstring",
    "result_kind",
]

ResultKind = Literal["page", "list", "operation", "model", "text", "value"]


def option_name(name: str) -> str:
    """``with_`` -> ``with``, ``reset_password`` -> ``reset-password``."""
    return name.rstrip("_").replace("_", "-")


def command_name(name: str) -> str:
    """A method or resource name as a command: ``_`` becomes ``-``."""
    return name.replace("_", "-")


# ---------------------------------------------------------------------- docstrings

_SECTION = re.compile(r"^(Args|Arguments|Returns|Raises|Yields|Attributes|Examples?|Notes?):\s*$")


def _strip_rst(text: str) -> str:
    return re.sub(r"``([^`]*)``", r"\1", text)


def parse_docstring(doc: str | None) -> tuple[str, str, dict[str, str]]:
    """Summary line, description (first paragraphs) and ``Args`` of a Google docstring."""
    text = inspect.cleandoc(doc or "")
    lines = text.splitlines()
    body: list[str] = []
    args: dict[str, str] = {}
    section: str | None = None
    current: str | None = None
    for line in lines:
        match = _SECTION.match(line)
        if match:
            section = match.group(1)
            current = None
            continue
        if section is None:
            body.append(line)
        elif section in ("Args", "Arguments"):
            entry = re.match(r"^    (\*{0,2}\w+)(?: \([^)]*\))?:\s*(.*)$", line)
            if entry:
                current = entry.group(1)
                args[current] = entry.group(2).strip()
            elif current is not None and line.strip():
                args[current] = f"{args[current]} {line.strip()}"
    description = "\n".join(body).strip()
    summary = description.split("\n\n", 1)[0].replace("\n", " ").strip()
    return (
        _strip_rst(summary),
        _strip_rst(description),
        {name: _strip_rst(value) for name, value in args.items()},
    )


def _resource_help(doc: str | None) -> str:
    """A resource class's summary without its leading ``client.x.y``: label."""
    summary = parse_docstring(doc)[0]
    summary = re.sub(r"^client(?:\.\w+)+:\s*", "", summary)
    return summary[:1].upper() + summary[1:]


# ---------------------------------------------------------------------- types


def _union_args(annotation: Any) -> tuple[Any, ...]:
    origin = typing.get_origin(annotation)
    if origin is typing.Union or origin is types.UnionType:
        return typing.get_args(annotation)
    return (annotation,)


def _is_sequence(tp: Any) -> bool:
    origin = typing.get_origin(tp)
    return origin in (Sequence, list, tuple, set, frozenset) or tp in (list, tuple)


def _is_mapping(tp: Any) -> bool:
    origin = typing.get_origin(tp)
    return origin in (Mapping, dict) or tp in (dict, Mapping)


def _has_wait(tp: Any) -> bool:
    cls = typing.get_origin(tp) or tp
    return inspect.isclass(cls) and callable(getattr(cls, "wait", None))


def _is_page(tp: Any) -> bool:
    cls = typing.get_origin(tp) or tp
    return inspect.isclass(cls) and callable(getattr(cls, "iter_pages", None))


_VALUE_TYPES = (str, int, float, bool, type(None), Any)


def _printable(tp: Any) -> bool:
    """Whether values of ``tp`` can be printed as JSON/YAML/a table."""
    if tp in _VALUE_TYPES or tp is object:
        return True
    if isinstance(tp, typing.TypeVar):
        return True
    if typing.get_origin(tp) is Literal:
        return True
    if inspect.isclass(tp) and (attrs.has(tp) or issubclass(tp, (str, int, float, datetime))):
        return True
    if _is_sequence(tp) or _is_mapping(tp) or _is_page(tp):
        return all(_printable(arg) for arg in typing.get_args(tp))
    args = _union_args(tp)
    if len(args) > 1:
        return all(_printable(arg) for arg in args)
    return False


def result_kind(annotation: Any) -> ResultKind | None:
    """What a method's return annotation makes of its command, or ``None``: no command.

    ``page`` (a ``plist``: every page, or ``--page N``), ``list``,
    ``operation`` (has ``wait()``: ``--wait``/``--timeout``), ``model`` (attrs),
    ``text`` (``str``: printed raw, or written with ``--path``), ``value``
    (numbers, flags, JSON mappings). Anything else (e.g. a client object the
    shell could not print) is not a command.
    """
    if annotation is inspect.Signature.empty:
        return None
    if _has_wait(annotation):
        return "operation"
    if _is_page(annotation):
        return "page" if _printable(annotation) else None
    if annotation is str:
        return "text"
    if inspect.isclass(annotation) and attrs.has(annotation):
        return "model"
    if _is_sequence(annotation) and _printable(annotation):
        return "list"
    if _printable(annotation):
        return "value"
    return None


def _secret_fields(cls: type) -> Iterator[attrs.Attribute[Any]]:
    for field in attrs.fields(cls):
        if not field.repr:
            yield field


def _models_in(tp: Any, seen: set[Any]) -> Iterator[type]:
    """Every attrs class reachable from a type (fields, generics, operations' ``__init__``)."""
    try:
        if tp in seen:
            return
        seen.add(tp)
    except TypeError:  # e.g. the argument list of a Callable
        return
    for arg in typing.get_args(tp):
        yield from _models_in(arg, seen)
    cls = typing.get_origin(tp) or tp
    if not inspect.isclass(cls):
        return
    if attrs.has(cls):
        yield cls
        try:
            # Resolved once per class (attrs marks it), and shared with the
            # converter, which resolves the same annotations to decode.
            attrs.resolve_types(cls)
        except Exception:  # an annotation that does not resolve: no secrets known there
            return
        for field in attrs.fields(cls):
            yield from _models_in(field.type, seen)
    elif _has_wait(cls):
        # An operation handle carries what the call answered: its constructor says what.
        try:
            hints = typing.get_type_hints(cls.__init__)
        except Exception:
            return
        for name, hint in hints.items():
            if name != "return":
                yield from _models_in(hint, seen)


def secret_names(annotation: Any) -> set[str]:
    """The names of the secret fields (attrs ``repr=False``) a result may carry."""
    return {f.name for cls in _models_in(annotation, set()) for f in _secret_fields(cls)}


# ---------------------------------------------------------------------- options

OptionKind = Literal["value", "flag", "multiple", "mapping", "choice", "path"]


class _Record:
    """A plain record: slots set once by ``__init__``, a repr and equality from them.

    Not an attrs class: each of those costs about half a millisecond of
    start-up to create (its methods are generated and compiled), and the
    command line builds these for the one command being run.
    """

    __slots__: tuple[str, ...] = ()

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"{type(self).__name__}({fields})"

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())


class OptionSpec(_Record):
    """One keyword argument of an SDK method, as a command-line option.

    Attributes:
        name: The argument's name.
        kind: How the option reads its value.
        scalar: The type of one value.
        required: Whether the argument has no default.
        help: The argument's line of the method's docstring.
        choices: The values (or mapping keys) allowed, when they are a ``Literal``.
        value_type: For mappings: the values' type; ``Any`` reads JSON, else text.
        accepts_scalar: For mappings: also a single number (``--minimum-rate 0.1``).
    """

    __slots__ = (
        "accepts_scalar",
        "choices",
        "help",
        "kind",
        "name",
        "required",
        "scalar",
        "value_type",
    )

    def __init__(
        self,
        name: str,
        kind: OptionKind,
        scalar: Any,
        required: bool,
        help: str,
        choices: tuple[str, ...] = (),
        value_type: Any = str,
        accepts_scalar: bool = False,
    ) -> None:
        self.name = name
        self.kind = kind
        self.scalar = scalar
        self.required = required
        self.help = help
        self.choices = choices
        self.value_type = value_type
        self.accepts_scalar = accepts_scalar

    @property
    def flag(self) -> str:
        """The option as written: ``--public-cloud-id``."""
        return "--" + option_name(self.name)


def _option(name: str, annotation: Any, required: bool, help: str) -> OptionSpec:
    members = [a for a in _union_args(annotation) if a is not type(None)]
    mappings = [a for a in members if _is_mapping(a)]
    sequences = [a for a in members if _is_sequence(a)]
    literals = [a for a in members if typing.get_origin(a) is Literal]
    if mappings:
        key_type, value_type = (*typing.get_args(mappings[0]), str, Any)[:2]
        scalars = [a for a in members if a in (int, float)]
        return OptionSpec(
            name,
            "mapping",
            str,
            required,
            help,
            choices=tuple(map(str, typing.get_args(key_type)))
            if typing.get_origin(key_type) is Literal
            else (),
            value_type=value_type,
            accepts_scalar=bool(scalars),
        )
    if sequences:
        item = (typing.get_args(sequences[0]) or (str,))[0]
        if typing.get_origin(item) is Literal:
            return OptionSpec(
                name, "multiple", str, required, help, choices=tuple(typing.get_args(item))
            )
        return OptionSpec(name, "multiple", item if item in (int, float) else str, required, help)
    if literals:
        return OptionSpec(name, "choice", str, required, help, choices=typing.get_args(literals[0]))
    if bool in members:
        return OptionSpec(name, "flag", bool, required, help)
    if any(typing.get_origin(a) is os.PathLike or a is os.PathLike for a in members):
        return OptionSpec(name, "path", str, required, help)
    for scalar in (int, float):
        if scalar in members:
            return OptionSpec(name, "value", scalar, required, help)
    if members == [datetime]:
        return OptionSpec(name, "value", datetime, required, help)
    if members == [Any]:
        return OptionSpec(name, "mapping", str, required, help, value_type=Any)
    return OptionSpec(name, "value", str, required, help)


class MethodSpec(_Record):
    """A public SDK method as a command: its path, options, help and result kind.

    Attributes:
        path: The attribute path from the client (``("cloud", "list")``).
        kind: What its result makes of the command (:func:`result_kind`).
        options: Its keyword arguments, in order.
        summary: The docstring's first line.
        description: The docstring's text before its sections.
        secrets: The names of the secret fields its result may carry.
        returns: The return annotation.
    """

    __slots__ = ("description", "kind", "options", "path", "returns", "secrets", "summary")

    def __init__(
        self,
        *,
        path: tuple[str, ...],
        kind: ResultKind,
        options: tuple[OptionSpec, ...],
        summary: str,
        description: str,
        secrets: frozenset[str],
        returns: Any,
    ) -> None:
        self.path = path
        self.kind = kind
        self.options = options
        self.summary = summary
        self.description = description
        self.secrets = secrets
        self.returns = returns

    @property
    def secret_passwords(self) -> bool:
        """Whether the result may carry a password."""
        return any("password" in name for name in self.secrets)


def method_spec(path: tuple[str, ...], method: Any) -> MethodSpec | None:
    """The command of a bound method, or ``None`` if :func:`result_kind` excludes it."""
    function = getattr(method, "__func__", method)
    try:
        hints = typing.get_type_hints(function)
    except Exception:
        return None
    kind = result_kind(hints.get("return", inspect.Signature.empty))
    if kind is None:
        return None
    summary, description, arg_help = parse_docstring(function.__doc__)
    options = []
    for param in inspect.signature(function).parameters.values():
        if param.name == "self" or param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
            continue
        annotation = hints.get(param.name, str)
        required = param.default is inspect.Parameter.empty
        options.append(_option(param.name, annotation, required, arg_help.get(param.name, "")))
    return MethodSpec(
        path=path,
        kind=kind,
        options=tuple(options),
        summary=summary,
        description=description,
        secrets=frozenset(secret_names(hints["return"])),
        returns=hints["return"],
    )


# ---------------------------------------------------------------------- resources


def _public_functions(cls: type) -> Iterator[tuple[str, Any]]:
    for name in dir(cls):
        if name.startswith("_"):
            continue
        attr = inspect.getattr_static(cls, name)
        if inspect.isfunction(attr):
            yield name, attr


def _is_resource(value: Any) -> bool:
    if value is None or isinstance(value, (str, bytes, int, float, bool, Mapping, Sequence)):
        return False
    return any(True for _ in _public_functions(type(value)))


class ResourceNode:
    """A resource of the client's tree: its sub-resources (lazily) and its methods.

    Only what a command asks for is resolved: running ``infomaniak cloud
    list`` reads ``client.cloud`` and its ``list`` method, not the other
    entry points of the client nor the sub-resources of ``cloud``.
    """

    __slots__ = ("obj", "path", "root")

    def __init__(self, obj: Any, path: tuple[str, ...], root: bool = False) -> None:
        self.obj = obj
        self.path = path
        self.root = root

    def __repr__(self) -> str:
        return f"ResourceNode({type(self.obj).__name__}, path={self.path!r}, root={self.root!r})"

    def children(self) -> dict[str, str]:
        """Sub-resource name -> short help, without resolving lazy ones."""
        found: dict[str, str] = {}
        for name in [*vars(self.obj), *dir(type(self.obj))]:
            if name not in found:
                summary = self.child_summary(name)
                if summary is not None:
                    found[name] = summary
        return found

    def child_summary(self, name: str) -> str | None:
        """The short help of sub-resource ``name`` (``None``: there is none), resolving no lazy one.

        A sub-resource is an attribute of the resource, a ``cached_property``
        of its class (only resolved when its command runs), or, at the root,
        a documented property of the client (``cloud``, ``tasks``).
        """
        if name.startswith("_"):
            return None
        attr = inspect.getattr_static(type(self.obj), name, None)
        if self.root:
            if not isinstance(attr, property):
                return None
            value = getattr(self.obj, name)
        elif isinstance(attr, functools.cached_property):
            return _resource_help(attr.func.__doc__)
        elif name in vars(self.obj):
            value = vars(self.obj)[name]
        else:
            return None
        return _resource_help(type(value).__doc__) if _is_resource(value) else None

    def child(self, name: str) -> ResourceNode | None:
        """The sub-resource ``name`` (resolving it if lazy, and it alone), or ``None``."""
        if self.child_summary(name) is None:
            return None
        value = getattr(self.obj, name)
        return ResourceNode(value, (*self.path, name)) if _is_resource(value) else None

    def methods(self) -> list[str]:
        """Public method names (the root client's own methods are not API calls)."""
        if self.root:
            return []
        return [name for name, _ in _public_functions(type(self.obj))]

    def method(self, name: str) -> MethodSpec | None:
        """The command of method ``name``, or ``None`` if excluded or absent."""
        if self.root or name.startswith("_"):
            return None
        if not inspect.isfunction(inspect.getattr_static(type(self.obj), name, None)):
            return None
        return method_spec((*self.path, name), getattr(self.obj, name))
