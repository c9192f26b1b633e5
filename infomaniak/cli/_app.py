"""The ``infomaniak`` command: global options, lazy groups, one command per SDK method.

Groups are resolved on demand: ``infomaniak cloud list`` reads the signature
of ``client.cloud.list`` only, and never imports the Kubernetes or database
areas. The tree is read from a ``Client`` made for introspection (it never
sends anything); the command that runs calls the same method on a client
made with the user's token.
"""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import os
import re
import sys
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import attrs
import click

from .. import Client, __version__
from ..errors import ConfigurationError, InfomaniakError, WaitTimeoutError
from . import _output
from ._tree import MethodSpec, OptionSpec, ResourceNode, command_name, option_name

PROG = "infomaniak"
_FORMATS = ("table", "json", "yaml")


class SDKUsageError(Exception):
    """The SDK refused an argument before sending (exit status 2)."""


class _ReaderLeft(Exception):
    """stdout's reader closed it (``| head``). Not an OSError: Click turns those into exit 1."""


class _Interrupted(Exception):
    """Ctrl-C. Not a KeyboardInterrupt: Click turns those into ``Aborted!``."""


@functools.cache
def _introspection_client() -> Client:
    # Only read for signatures and docstrings: nothing is ever sent with it.
    return Client(token="introspection", base_url="http://127.0.0.1:9", rate_limit=None)


class State:
    """The global options, and the client made from them on first use."""

    def __init__(self, token: str | None, base_url: str | None, output: str, debug: bool):
        self.token = token
        self.base_url = base_url
        self.output = output
        self.debug = debug
        self._client: Client | None = None

    def client(self) -> Client:
        """The client of the token and base URL given (else the environment's)."""
        if self._client is None:
            self._client = Client(token=self.token, base_url=self.base_url)
        return self._client

    def close(self) -> None:
        """Close the client, if one was made."""
        if self._client is not None:
            self._client.close()


# ---------------------------------------------------------------------- parameters


def _parse_mapping(spec: OptionSpec, values: Sequence[str]) -> Any:
    """``KEY=VALUE`` repeated, or one JSON object, into a dict (or one number)."""
    out: dict[str, Any] = {}
    for raw in values:
        text = raw.strip()
        if text.startswith("{"):
            try:
                decoded = json.loads(text)
            except ValueError as exc:
                raise click.BadParameter(f"not valid JSON: {exc}", param_hint=spec.flag) from None
            if not isinstance(decoded, dict):
                raise click.BadParameter("JSON must be an object", param_hint=spec.flag)
            out.update(decoded)
            continue
        if "=" not in raw:
            if spec.accepts_scalar and len(values) == 1:
                try:
                    return float(raw)
                except ValueError:
                    pass
            raise click.BadParameter(
                f"expected KEY=VALUE or a JSON object, got {raw!r}", param_hint=spec.flag
            )
        key, value = raw.split("=", 1)
        if spec.choices and key not in spec.choices:
            raise click.BadParameter(
                f"key {key!r} is not one of {', '.join(spec.choices)}", param_hint=spec.flag
            )
        out[key] = _map_value(spec, value)
    return out


def _map_value(spec: OptionSpec, value: str) -> Any:
    if spec.value_type in (int, float):
        try:
            return spec.value_type(value)
        except ValueError:
            raise click.BadParameter(f"{value!r} is not a number", param_hint=spec.flag) from None
    if spec.value_type is Any or spec.value_type is object:
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _click_option(spec: OptionSpec) -> click.Option:
    decls = [spec.flag, spec.name]
    base = spec.help.rstrip(".")
    base = base[:1].upper() + base[1:]
    help_text = f"{base}." if base else ""
    if spec.kind == "flag":
        return click.Option(
            [f"{spec.flag}/--no-{option_name(spec.name)}", spec.name],
            default=None,
            required=spec.required,
            help=help_text,
        )
    if spec.kind == "multiple":
        item_type: Any = click.Choice(spec.choices) if spec.choices else spec.scalar
        return click.Option(
            decls,
            type=item_type,
            multiple=True,
            required=spec.required,
            help=f"{base} (repeat the option for several).",
        )
    if spec.kind == "mapping":
        keys = f" Keys: {', '.join(spec.choices)}." if spec.choices else ""
        return click.Option(
            decls,
            multiple=True,
            metavar="KEY=VALUE|JSON",
            required=spec.required,
            help=f"{base} (KEY=VALUE, repeated, or a JSON object).{keys}",
        )
    if spec.kind == "choice":
        return click.Option(
            decls, type=click.Choice(spec.choices), required=spec.required, help=help_text
        )
    if "password" in spec.name and spec.kind == "value":
        help_text = f"{help_text} Give - to read it from stdin (not echoed at a terminal)."
    if spec.kind == "path":
        return click.Option(
            decls, type=click.Path(dir_okay=False), required=spec.required, help=help_text
        )
    if spec.scalar is datetime:
        return click.Option(decls, required=spec.required, help=f"{base} (ISO 8601).")
    return click.Option(decls, type=spec.scalar, required=spec.required, help=help_text)


def _sdk_kwargs(spec: MethodSpec, params: Mapping[str, Any]) -> dict[str, Any]:
    kwargs: dict[str, Any] = {}
    for option in spec.options:
        value = params.get(option.name)
        if value is None or value == ():
            continue
        if value == "-" and "password" in option.name:
            # `--password -` reads it from stdin: out of the shell's history and of `ps`.
            if sys.stdin.isatty():
                import getpass

                # Typed at a terminal: not echoed.
                value = getpass.getpass(f"{option.flag}: ")
            else:
                value = sys.stdin.readline().rstrip("\r\n")
        if option.kind == "mapping":
            value = _parse_mapping(option, value)
        elif option.kind == "multiple":
            value = list(value)
        elif option.scalar is datetime:
            try:
                value = datetime.fromisoformat(value)
            except ValueError:
                raise click.BadParameter(
                    f"{value!r} is not an ISO 8601 date-time", param_hint=option.flag
                ) from None
        kwargs[option.name] = value
    return kwargs


# ---------------------------------------------------------------------- commands


class MethodCommand(click.Command):
    """One SDK method: options from its signature, run against the user's client."""

    def __init__(self, name: str, spec: MethodSpec) -> None:
        self.spec = spec
        params: list[click.Parameter] = [_click_option(option) for option in spec.options]
        names = {option.name for option in spec.options}
        if spec.kind == "operation":
            params.append(
                click.Option(
                    ["--wait", "cli_wait"],
                    is_flag=True,
                    help="Wait until done (progress on stderr), then print the final resource.",
                )
            )
            params.append(
                click.Option(
                    ["--timeout", "cli_timeout"],
                    type=click.FloatRange(min=0),
                    metavar="SECONDS",
                    help="With --wait: give up after this long (the operation goes on).",
                )
            )
        if spec.kind == "text" and "path" not in names:
            params.append(
                click.Option(
                    ["--path", "cli_path"],
                    type=click.Path(dir_okay=False),
                    help="Write the text to this file (mode 0600) instead of printing it.",
                )
            )
        if spec.secrets:
            params.append(
                click.Option(
                    ["--show-password", "--show-secrets", "cli_show"],
                    is_flag=True,
                    help="Print the secret fields (passwords...) too; left out otherwise.",
                )
            )
            if spec.secret_passwords:
                params.append(
                    click.Option(
                        ["--password-file", "cli_password_file"],
                        type=click.Path(dir_okay=False),
                        help="Write the password to this file (mode 0600).",
                    )
                )
        params.append(
            click.Option(
                ["-o", "--output", "cli_output"],
                type=click.Choice(_FORMATS),
                help="Output format (also accepted before the command).",
            )
        )
        super().__init__(
            name,
            params=params,
            help=spec.description or None,
            short_help=spec.summary or None,
            callback=self._run,
        )

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; a closed stdout and Ctrl-C get out of Click's hands."""
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            raise _ReaderLeft from None
        except KeyboardInterrupt:
            raise _Interrupted(
                "interrupted (a change already sent goes on server-side)"
                if self.spec.kind == "operation"
                else "interrupted"
            ) from None

    def _run(self, **params: Any) -> None:
        ctx = click.get_current_context()
        state: State = ctx.find_object(State)  # type: ignore[assignment]
        spec = self.spec
        kwargs = _sdk_kwargs(spec, params)
        if params.get("cli_timeout") is not None and not params.get("cli_wait"):
            raise click.UsageError("--timeout is the time --wait may take: give --wait too")
        show = bool(params.get("cli_show"))
        password_file: str | None = params.get("cli_password_file")
        created = False
        if password_file:
            # Checked before sending: a password given only once must have a place to go.
            try:
                created = _output.check_writable(password_file)
            except OSError as exc:
                raise click.BadParameter(
                    f"cannot write {password_file}: {exc.strerror or exc}; nothing was sent",
                    param_hint="--password-file",
                ) from None
        if spec.path[-1] == "reset_password" and not (show or password_file):
            # The new password is given once, in this answer: a reset whose
            # password is thrown away locks everyone out for nothing.
            raise click.UsageError(
                "reset-password replaces the password and the new one is shown only once:"
                " give --show-password (print it) or --password-file FILE (save it, mode 0600);"
                " nothing was sent"
            )
        printer = _output.Printer(params.get("cli_output") or state.output, show_secrets=show)
        only_page = spec.kind == "page" and "page" in kwargs
        method: Any = state.client()
        for part in spec.path:
            method = getattr(method, part)
        try:
            result = method(**kwargs)
        except BaseException as exc:
            if created and password_file:
                # No password came: the empty file made by the check goes.
                with contextlib.suppress(OSError):
                    os.unlink(password_file)
            if isinstance(exc, (TypeError, ValueError)) and not isinstance(exc, InfomaniakError):
                raise SDKUsageError(str(exc)) from exc
            raise
        if spec.kind == "page":
            printer.many(result.data if only_page else result)
        elif spec.kind == "operation":
            self._operation(state, printer, result, kwargs, params, password_file, show)
        elif spec.kind == "text":
            target = params.get("cli_path")
            if kwargs.get("path") is not None:
                click.echo(f"written to {kwargs['path']} (mode 0600)", err=True)
            elif target:
                _output.write_private(target, result)
                click.echo(f"written to {target} (mode 0600)", err=True)
            else:
                printer.text(result)
        else:
            self._secrets(printer, result, kwargs, password_file, show)
            printer.value(result)

    def _secrets(
        self,
        printer: _output.Printer,
        answer: Any,
        kwargs: Mapping[str, Any],
        password_file: str | None,
        show: bool,
        resource_id: Any = None,
    ) -> str | None:
        """Write the password if asked; else say on stderr that it was not shown."""
        if not self.spec.secrets:
            return None
        password = _output.find_password(answer)
        if password is None:
            return None
        if password_file:
            _output.write_private(password_file, password)
            click.echo(f"password written to {password_file} (mode 0600)", err=True)
        elif not show:
            hint = self._reset_hint(kwargs, resource_id)
            click.echo(
                "note: the password was not shown (add --show-password to print it, or "
                "--password-file FILE to save it)"
                + (f"; to set a new one: {hint}" if hint else ""),
                err=True,
            )
        return password

    def _reset_hint(self, kwargs: Mapping[str, Any], resource_id: Any) -> str | None:
        """``infomaniak ... reset-password ...`` when the resource has such a method."""
        node = _node(self.spec.path[:-1])
        if node is None or "reset_password" not in node.methods():
            return None
        reset = node.method("reset_password")
        if reset is None:
            return None
        words = [PROG, *map(command_name, reset.path)]
        for option in reset.options:
            value = kwargs.get(option.name)
            if value is None and option.required:
                value = resource_id
            if value is not None:
                words += [option.flag, str(value)]
        if "--show-password" not in words:
            words.append("--show-password")
        return " ".join(words)

    def _operation(
        self,
        state: State,
        printer: _output.Printer,
        op: Any,
        kwargs: Mapping[str, Any],
        params: Mapping[str, Any],
        password_file: str | None,
        show: bool,
    ) -> None:
        password = self._secrets(
            printer, op, kwargs, password_file, show, getattr(op, "resource_id", None)
        )
        if not params.get("cli_wait"):
            printer.one(None, _output.operation_data(op, show_secrets=show))
            return
        label = f"{op.resource} {op.resource_id}" if op.resource_id is not None else op.resource
        timeout = params.get("cli_timeout")
        with _output.Progress(label) as progress:
            try:
                final = op.wait(timeout=timeout, on_status=progress.on_status)
            except WaitTimeoutError:
                progress.finished("still in progress")
                raise
            except KeyboardInterrupt:
                progress.interrupted()
                raise _Interrupted(
                    f"interrupted: stopped waiting for {progress.what}"
                    " (the operation goes on server-side)"
                ) from None
            progress.finished("done")
        if final is None:
            return
        extra = {"admin_password": password} if (show and password) else None
        if attrs.has(type(final)):
            printer.one(final, extra)
        else:
            printer.value(final)


def _node(path: tuple[str, ...]) -> ResourceNode | None:
    node: ResourceNode | None = ResourceNode(_introspection_client(), (), root=True)
    for part in path:
        node = node.child(part) if node is not None else None
    return node


class ResourceGroup(click.Group):
    """A resource of the client: sub-resources and methods, resolved on demand."""

    def __init__(self, name: str | None, path: tuple[str, ...], **kwargs: Any) -> None:
        super().__init__(name, **kwargs)
        self.path = path

    def _resource(self) -> ResourceNode:
        node = _node(self.path)
        assert node is not None
        return node

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Sub-resources and methods, ``_`` written ``-``, sorted."""
        node = self._resource()
        names = {command_name(name) for name in node.children()}
        names |= {command_name(name) for name in node.methods() if node.method(name) is not None}
        return sorted(names | set(self.commands))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """Build the command (or group) ``cmd_name`` of this resource."""
        if cmd_name in self.commands:
            return self.commands[cmd_name]
        name = cmd_name.replace("-", "_")
        node = self._resource()
        summary = node.child_summary(name)  # this one only, and not resolved yet
        if summary is not None:
            return ResourceGroup(
                cmd_name, (*self.path, name), help=summary or None, no_args_is_help=True
            )
        spec = node.method(name)
        if spec is None:
            return None
        return MethodCommand(cmd_name, spec)


# ---------------------------------------------------------------------- the root


def _show_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        click.echo(f"{PROG} {__version__}")
        ctx.exit()


@click.command(
    context_settings={
        "ignore_unknown_options": True,
        "allow_extra_args": True,
        "help_option_names": [],
    },
    add_help_option=False,
    short_help="Serve the API emulator locally (the options of python -m infomaniak.testing).",
)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def emulator(args: tuple[str, ...]) -> None:
    """Serve the API emulator, so that every command can be tried offline.

    The options are those of ``python -m infomaniak.testing`` (see
    ``infomaniak emulator --help``). It prints the ``INFOMANIAK_*`` settings
    to paste into a shell; Ctrl-C stops it.
    """
    from ..testing.__main__ import main as serve

    try:
        code = serve(list(args))
    except KeyboardInterrupt:
        code = 0
    raise click.exceptions.Exit(code)


def _root() -> ResourceGroup:
    root = ResourceGroup(
        PROG,
        (),
        help=(
            "The Infomaniak Public Cloud API from a shell: one command per method of the "
            "Python SDK (client.cloud.kubernetes.pools.create(...) is "
            "`infomaniak cloud kubernetes pools create ...`)."
        ),
        no_args_is_help=True,
        params=[
            click.Option(
                ["--token"],
                metavar="TOKEN",
                help="API token (default: $INFOMANIAK_API_TOKEN).",
            ),
            click.Option(
                ["--base-url"],
                metavar="URL",
                help="API address (default: $INFOMANIAK_BASE_URL, else the real API).",
            ),
            click.Option(
                ["-o", "--output"],
                type=click.Choice(_FORMATS),
                default="table",
                show_default=True,
                help="Output format.",
            ),
            click.Option(["--debug"], is_flag=True, help="Log requests and show tracebacks."),
            click.Option(
                ["--version"],
                is_flag=True,
                expose_value=False,
                is_eager=True,
                callback=_show_version,
                help="Show the version and exit.",
            ),
        ],
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    root.add_command(emulator, "emulator")

    def _setup(token: str | None, base_url: str | None, output: str, debug: bool) -> None:
        ctx = click.get_current_context()
        state = State(token, base_url, output, debug)
        ctx.obj = state
        ctx.call_on_close(state.close)
        if debug:
            logging.basicConfig(
                level=logging.DEBUG, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr
            )

    root.callback = _setup
    return root


def _shorten_values(message: str) -> str:
    """Click quotes the value it refused: a 5000-digit number stays one short line."""
    return re.sub(
        r"'([^']{60})[^']{20,}'",
        lambda match: f"'{match.group(1)}…' ({len(match.group(0)) - 2} characters)",
        message,
    )


def _one_line(exc: BaseException) -> str:
    return _output.printable(" ".join(str(exc).split())) or type(exc).__name__


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (0 ok, 1 API error, 2 usage error)."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args[: args.index("--") if "--" in args else len(args)]
    root = _root()
    try:
        status = root.main(args, prog_name=PROG, standalone_mode=False)
        # Flushed here, not at exit: a closed pipe is then seen below.
        sys.stdout.flush()
        return status if isinstance(status, int) else 0
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        return 1
    except click.ClickException as exc:
        exc.message = _shorten_values(exc.message)  # type: ignore[misc]
        exc.show()
        return exc.exit_code
    except _Interrupted as exc:
        click.echo(f"{PROG}: {exc}", err=True)
        return 130
    except (BrokenPipeError, _ReaderLeft):
        # `infomaniak ... | head`: the reader left. Point stdout at /dev/null so
        # that the interpreter's last flush does not fail again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except (SDKUsageError, ConfigurationError) as exc:
        if debug:
            import traceback

            traceback.print_exc()
        click.echo(f"{PROG}: error: {_one_line(exc)}", err=True)
        return 2
    except InfomaniakError as exc:
        if debug:
            import traceback

            traceback.print_exc()
        message = _one_line(exc)
        if isinstance(exc, WaitTimeoutError):
            message += " (the operation goes on server-side)"
        click.echo(f"{PROG}: error: {message}", err=True)
        return 1
    except OSError as exc:
        # A file the command was asked to write (--path, --password-file...).
        if debug:
            import traceback

            traceback.print_exc()
        where = f"{exc.filename}: " if exc.filename else ""
        click.echo(f"{PROG}: error: {where}{exc.strerror or _one_line(exc)}", err=True)
        return 1
    except KeyboardInterrupt:
        click.echo(f"{PROG}: interrupted (a change already sent goes on server-side)", err=True)
        return 130
