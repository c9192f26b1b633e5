"""From API answers to the files other tools read: kubeconfig and clouds.yaml.

Pure functions, written once and shared by both clients (the resources fetch
the API's file, these merge it into the user's own and write it). Every write
is atomic (a temporary file in the same folder, then ``os.replace``) with mode
0600, folders are created (0700), and a file that cannot be read as what it
should be is an error naming it, left as it was. Nothing here puts a file's
content (a credential) into an exception message.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import importlib
import os
import stat
import sys
from collections.abc import Callable, Iterator, Mapping
from types import ModuleType, TracebackType
from typing import Any, ParamSpec, TypeVar

from ._transport._common import Secret

P = ParamSpec("P")
R = TypeVar("R")

__all__ = [
    "clouds_yaml_path",
    "kubeconfig_path",
    "merge_clouds_yaml",
    "merge_kubeconfig",
    "merge_secure_yaml",
    "parse_clouds_yaml",
    "parse_kubeconfig",
    "read_config",
    "require",
    "secure_yaml_path",
    "write_private",
]

_KUBE_LISTS = (("clusters", "cluster"), ("users", "user"), ("contexts", "context"))


def _clear_frames(error: BaseException | None, keep: BaseException | None, seen: set[int]) -> None:
    # ``keep`` (and what it chains) was being handled before: not ours to clear.
    # ``seen`` is shared by the whole walk: ``raise ... from`` inside an
    # ``except`` makes the cause the context too, walked once.
    while error is not None and error is not keep and id(error) not in seen:
        seen.add(id(error))
        tb: TracebackType | None = error.__traceback__
        while tb is not None:
            # A frame still running (the catcher's) cannot be cleared; the
            # others have ended with the error.
            with contextlib.suppress(RuntimeError):
                tb.tb_frame.clear()
            tb = tb.tb_next
        _clear_frames(error.__cause__, keep, seen)
        error = error.__context__


def clear_locals(error: BaseException, keep: BaseException | None) -> None:
    """Clear the locals of the frames ``error`` (and what it chains) went through and left.

    For a caller about to re-raise an error from code whose frames held a
    credential (a library given the kubeconfig); ``keep`` is the error that
    was being handled when that code was called (``sys.exc_info()[1]``), left
    alone with what it chains. See ``keeps_no_locals``.
    """
    _clear_frames(error, keep, set())


def keeps_no_locals(function: Callable[P, R]) -> Callable[P, R]:
    """On an error, the frames it went through in ``function`` lose their locals.

    Those frames hold the files' texts (a kubeconfig, a secure.yaml with a
    password, the user's own files): an error reporter that records the
    locals of a traceback (Sentry, ``traceback`` with ``capture_locals``)
    would ship them. The traceback keeps its files, lines and functions.
    """

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        keep = sys.exc_info()[1]
        try:
            return function(*args, **kwargs)
        except BaseException as error:
            del args, kwargs
            clear_locals(error, keep)
            raise

    return wrapper


def require(module: str, extra: str) -> ModuleType:
    """Import an optional library, or say which extra installs it."""
    try:
        return importlib.import_module(module)
    except ImportError as error:
        raise ImportError(
            f"{module} is not installed: pip install 'infomaniak-cloud[{extra}]'", name=module
        ) from error


def _expand(path: str | os.PathLike[str]) -> str:
    return os.path.abspath(os.path.expanduser(os.fspath(path)))


def check_path(path: Any) -> None:
    """``path`` is None, a str or an os.PathLike (TypeError otherwise)."""
    if path is not None and not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be a str or os.PathLike, got {type(path).__name__}")


def kubeconfig_path(path: str | os.PathLike[str] | None) -> str:
    """``path``, else the first file of ``$KUBECONFIG``, else ``~/.kube/config``."""
    if path is not None:
        return _expand(path)
    for entry in os.environ.get("KUBECONFIG", "").split(os.pathsep):
        if entry:
            return _expand(entry)
    return _expand(os.path.join("~", ".kube", "config"))


def clouds_yaml_path(path: str | os.PathLike[str] | None) -> str:
    """``path``, else ``$OS_CLIENT_CONFIG_FILE``, else ``~/.config/openstack/clouds.yaml``."""
    if path is not None:
        return _expand(path)
    configured = os.environ.get("OS_CLIENT_CONFIG_FILE")
    if configured:
        return _expand(configured)
    return _expand(os.path.join("~", ".config", "openstack", "clouds.yaml"))


def secure_yaml_path(clouds_yaml: str) -> str:
    """The ``secure.yaml`` beside a ``clouds.yaml``."""
    return os.path.join(os.path.dirname(clouds_yaml), "secure.yaml")


def _check_regular(path: str) -> None:
    """``path`` (its target, for a link) is a regular file or missing.

    A FIFO would block the read, a device would be read forever, and the
    atomic write would replace it (``/dev/null`` made a plain file).
    """
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return
    if not stat.S_ISREG(mode):
        raise _malformed(path, "not a regular file")


def read_config(path: str) -> str | None:
    """The text of ``path``, or None when there is no such file."""
    _check_regular(path)
    try:
        with open(path, encoding="utf-8") as file:
            return file.read()
    except FileNotFoundError:
        return None
    except UnicodeDecodeError:
        raise ValueError(f"{path}: not a UTF-8 text file; it was left unchanged") from None


def _load(text: str, what: str) -> Any:
    """YAML to Python; the error says where, never what the text holds.

    PyYAML's own message quotes the offending line (a token, say): it is
    neither repeated nor chained (the ValueError is raised outside the
    ``except`` block, so it has no ``__context__``).
    """
    import yaml  # here, not at import: `from infomaniak import Client` stays light

    try:
        # libyaml's loader when there is one: ~10x faster on a large file.
        return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        message = f"{what}: not valid YAML{where} ({getattr(error, 'problem', None) or 'invalid'})"
    raise ValueError(message)


def _dump(data: Mapping[str, Any]) -> str:
    import yaml

    return yaml.dump(
        dict(data),
        Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper),
        default_flow_style=False,
        sort_keys=False,
        allow_unicode=True,
    )


def _malformed(filename: str, why: str) -> ValueError:
    return ValueError(f"{filename}: {why}; it was left unchanged")


# ------------------------------------------------------------------ kubeconfig


def parse_kubeconfig(text: str, what: str = "the API's kubeconfig") -> dict[str, Any]:
    """The kubeconfig as a dict, its lists checked (ValueError naming ``what``)."""
    data = _load(text, what)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ValueError(f"{what}: not a kubeconfig (a YAML mapping is expected)")
    kind = data.get("kind")
    if kind is not None and kind != "Config":
        raise ValueError(f"{what}: not a kubeconfig (kind is not Config)")
    for key, _ in _KUBE_LISTS:
        entries = data.get(key)
        if entries is None:
            continue
        if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
            raise ValueError(f"{what}: not a kubeconfig ({key} is not a list of entries)")
    current = data.get("current-context")
    if current is not None and not isinstance(current, str):
        raise ValueError(f"{what}: not a kubeconfig (current-context is not a string)")
    return data


def _named(entries: list[dict[str, Any]], name: Any) -> dict[str, Any] | None:
    return next((entry for entry in entries if entry.get("name") == name), None)


def _cluster_entries(source: dict[str, Any]) -> tuple[Any, Any, Any]:
    """The API kubeconfig's context, cluster and user bodies."""
    contexts = source.get("contexts") or []
    context = _named(contexts, source.get("current-context")) or (contexts or [None])[0]
    if context is None or not isinstance(context.get("context"), dict):
        raise ValueError("the API's kubeconfig has no context")
    body = context["context"]
    cluster = _named(source.get("clusters") or [], body.get("cluster"))
    user = _named(source.get("users") or [], body.get("user"))
    if cluster is None or not isinstance(cluster.get("cluster"), dict):
        raise ValueError("the API's kubeconfig has no cluster for its context")
    if user is None or not isinstance(user.get("user"), dict):
        raise ValueError("the API's kubeconfig has no user for its context")
    return body, cluster["cluster"], user["user"]


def _put(entries: list[dict[str, Any]], entry: dict[str, Any]) -> list[dict[str, Any]]:
    """Replace the entries named like ``entry`` (at the first one's place) or append it."""
    out: list[dict[str, Any]] = []
    placed = False
    for existing in entries:
        if existing.get("name") == entry["name"]:
            if not placed:
                out.append(entry)
                placed = True
            continue
        out.append(existing)
    if not placed:
        out.append(entry)
    return out


def merge_kubeconfig(
    existing: str | None, api_kubeconfig: str, *, name: str, set_current: bool, filename: str
) -> str:
    """Merge the API's kubeconfig into ``existing`` under ``name``; the new text.

    The cluster, user and context entries all take ``name``; entries of that
    name are replaced (never duplicated), every other entry and key is kept.
    """
    target = parse_kubeconfig(existing or "", filename) if existing is not None else {}
    context, cluster, user = _cluster_entries(parse_kubeconfig(api_kubeconfig))
    if not target:
        target = {"apiVersion": "v1", "kind": "Config", "preferences": {}}
    new = {
        "clusters": {"name": name, "cluster": copy.deepcopy(cluster)},
        "users": {"name": name, "user": copy.deepcopy(user)},
        "contexts": {"name": name, "context": {**context, "cluster": name, "user": name}},
    }
    for key, _ in _KUBE_LISTS:
        target[key] = _put(list(target.get(key) or []), new[key])
    if set_current:
        target["current-context"] = name
    return _dump(target)


# ------------------------------------------------------------------ clouds.yaml


def _clouds(data: Any, what: str, file_kind: str) -> dict[str, Any]:
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ValueError(f"{what}: not a {file_kind} (a YAML mapping is expected)")
    clouds = data.get("clouds")
    if clouds is not None and (
        not isinstance(clouds, dict) or not all(isinstance(v, dict) for v in clouds.values())
    ):
        raise ValueError(f"{what}: not a {file_kind} (clouds is not a mapping of clouds)")
    return data


def parse_clouds_yaml(text: str, what: str = "the API's clouds.yaml") -> dict[str, Any]:
    """A clouds.yaml (or secure.yaml) as a dict, checked (ValueError naming ``what``)."""
    return _clouds(_load(text, what), what, "clouds.yaml")


def api_cloud(api_clouds_yaml: str) -> dict[str, Any]:
    """The one cloud entry of the API's clouds.yaml, without any password."""
    clouds = parse_clouds_yaml(api_clouds_yaml).get("clouds") or {}
    if not clouds:
        raise ValueError("the API's clouds.yaml has no cloud")
    entry = copy.deepcopy(next(iter(clouds.values())))
    auth = entry.get("auth")
    if isinstance(auth, dict):
        auth.pop("password", None)
    return dict(entry)


def merge_clouds_yaml(
    existing: str | None, api_clouds_yaml: str, *, name: str, filename: str
) -> str:
    """Put the API's cloud entry into ``existing`` under ``name``; the new text."""
    target = parse_clouds_yaml(existing or "", filename) if existing is not None else {}
    clouds = dict(target.get("clouds") or {})
    clouds[name] = api_cloud(api_clouds_yaml)
    target["clouds"] = clouds
    return _dump(target)


def merge_secure_yaml(existing: str | None, *, name: str, password: str, filename: str) -> str:
    """Set ``clouds.<name>.auth.password`` in a secure.yaml, keeping the rest."""
    target = _clouds(_load(existing or "", filename), filename, "secure.yaml")
    clouds = dict(target.get("clouds") or {})
    entry = dict(clouds.get(name) or {})
    auth = entry.get("auth")
    if auth is not None and not isinstance(auth, dict):
        raise _malformed(filename, f"clouds.{name}.auth is not a mapping")
    entry["auth"] = {**(auth or {}), "password": password}
    clouds[name] = entry
    target["clouds"] = clouds
    return _dump(target)


# ------------------------------------------------------------------ writing


def write_private(path: str, text: str) -> None:
    """Write ``text`` to ``path`` atomically, mode 0600, creating its folders (0700).

    A symbolic link is followed: its target is replaced, the link stays.
    """
    target = os.path.realpath(path)
    _check_regular(target)
    folder = os.path.dirname(target)
    os.makedirs(folder, mode=0o700, exist_ok=True)
    # mkstemp creates the file with mode 0600.
    import tempfile  # here: it costs ~5 ms of `from infomaniak import Client`

    fd, temporary = tempfile.mkstemp(prefix=".infomaniak-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, 0o600)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


@contextlib.contextmanager
def _folder_lock(path: str) -> Iterator[None]:
    """Hold an exclusive lock on the folder of ``path`` (Linux, macOS; else nothing).

    Two saves into one file (two threads, two processes) each read, merge and
    write: without the lock the second write drops the first's entries. The
    folder itself is locked, so that no lock file is left beside the user's.
    """
    try:
        import fcntl
    except ImportError:  # Windows: no flock
        yield
        return
    folder = os.path.dirname(os.path.realpath(path))
    os.makedirs(folder, mode=0o700, exist_ok=True)
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


# ------------------------------------------------------------------ the whole steps


class KubeconfigTarget:
    """The user's kubeconfig, read (and checked) before the API is asked."""

    @keeps_no_locals
    def __init__(self, path: str | os.PathLike[str] | None) -> None:
        self.path = kubeconfig_path(path)
        # Checked now, kept nowhere: save() reads the file again under its lock.
        existing = read_config(self.path)
        if existing is not None:
            parse_kubeconfig(existing, self.path)

    @keeps_no_locals
    def save(self, api_kubeconfig: Secret[str], *, name: str, set_current: bool) -> None:
        """Merge the API's kubeconfig under ``name`` and write the file."""
        with _folder_lock(self.path):
            # Read again under the lock: another save may have written since.
            text = merge_kubeconfig(
                read_config(self.path),
                api_kubeconfig.value,
                name=name,
                set_current=set_current,
                filename=self.path,
            )
            write_private(self.path, text)


class CloudsYamlTarget:
    """The user's clouds.yaml and its secure.yaml, read (and checked) before the API is asked."""

    @keeps_no_locals
    def __init__(self, path: str | os.PathLike[str] | None) -> None:
        self.path = clouds_yaml_path(path)
        self.secure_path = secure_yaml_path(self.path)
        # Checked now, kept nowhere (secure.yaml holds passwords): save()
        # reads the files again under its lock.
        existing = read_config(self.path)
        if existing is not None:
            parse_clouds_yaml(existing, self.path)
        secure = read_config(self.secure_path)
        if secure is not None:
            _clouds(_load(secure, self.secure_path), self.secure_path, "secure.yaml")

    @keeps_no_locals
    def save(self, api_clouds_yaml: str, *, name: str, password: Secret[str | None]) -> None:
        """Merge the API's entry (and the password into secure.yaml) and write the files."""
        with _folder_lock(self.path):
            # Read again under the lock: another save may have written since.
            text = merge_clouds_yaml(
                read_config(self.path), api_clouds_yaml, name=name, filename=self.path
            )
            secure = None
            if password.value is not None:
                secure = merge_secure_yaml(
                    read_config(self.secure_path),
                    name=name,
                    password=password.value,
                    filename=self.secure_path,
                )
            # Both texts are ready before either file is touched.
            if secure is not None:
                write_private(self.secure_path, secure)
            write_private(self.path, text)


@keeps_no_locals
def openstack_connection(
    api_clouds_yaml: str, *, password: Secret[str | None], user_agent: str
) -> Any:
    """An ``openstack.connection.Connection`` from the API's clouds.yaml entry.

    Built from that entry alone (no clouds.yaml, secure.yaml or ``OS_*``
    variable of the machine is read) and without contacting OpenStack.
    """
    require("openstack", "openstack")
    from openstack import connection
    from openstack.config import loader

    entry = api_cloud(api_clouds_yaml)
    entry["auth"] = {**(entry.get("auth") or {}), "password": password.value}
    config = loader.OpenStackConfig(
        load_yaml_config=False, load_envvars=False, app_name=user_agent
    ).get_one(**entry)
    return connection.Connection(config=config)
