"""``python -m infomaniak.testing``: serve an emulator until Ctrl-C or SIGTERM.

:func:`main` runs it from a list of arguments and returns the exit status, and
:func:`build_parser` builds its parser, so that another command line (the
``infomaniak emulator`` command) can offer the same options and delegate here.
"""

from __future__ import annotations

import argparse
import asyncio
import errno
import logging
import math
import shlex
import signal
import sys
from typing import NoReturn, get_args

from ._app import ACCESS_LOGGER, Emulator
from ._mysql import MysqlBackend, MysqlUnavailable
from ._realism import PROFILES, TIMINGS
from ._state import AsyncMode

PROG = "python -m infomaniak.testing"


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"must be between 0 and 65535, got {text}")
    return value


def _seconds(text: str) -> float:
    """A finite number >= 0 (a duration, a factor)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not math.isfinite(value) or value < 0:
        raise argparse.ArgumentTypeError(f"must be a finite number >= 0, got {text}")
    return value


def _per_minute(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {text}")
    return value


def _integer(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the emulator's options to ``parser`` (what :func:`serve` reads).

    Args:
        parser: The parser (or sub-command parser) to extend.
    """
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: %(default)s)"
    )
    parser.add_argument(
        "--port",
        type=_port,
        default=8080,
        help="port to listen on; 0 picks a free one (default: %(default)s)",
    )
    parser.add_argument(
        "--token",
        default="emulator-token",
        help="the accepted bearer token (default: %(default)s)",
    )
    parser.add_argument(
        "--account-id",
        type=_integer,
        default=42,
        metavar="ID",
        help="the account that owns the seeded Public Clouds (default: %(default)s)",
    )
    parser.add_argument(
        "--seed",
        type=_integer,
        default=0,
        help="seed of the generated data; the same seed gives the same data (default: %(default)s)",
    )
    parser.add_argument(
        "--async-mode",
        choices=get_args(AsyncMode),
        default="task",
        help="task: long operations answer a task UUID; id: the new id, as the spec says "
        "(default: %(default)s)",
    )
    parser.add_argument(
        "--profile",
        choices=PROFILES,
        default="realistic",
        help="realistic: every documented variant shape on some items; tidy: none of them, "
        "one shape per field (default: %(default)s)",
    )
    parser.add_argument(
        "--timings",
        choices=TIMINGS,
        default="fast",
        help="fast: 0.05 s per transition; real: the live API's orders of magnitude "
        "(default: %(default)s)",
    )
    parser.add_argument(
        "--time-scale",
        type=_seconds,
        default=1.0,
        metavar="FACTOR",
        help="multiplies every duration of --timings (default: %(default)s)",
    )
    parser.add_argument(
        "--task-duration",
        type=_seconds,
        default=None,
        metavar="SECONDS",
        help="seconds a task takes from spooled to executed (default: from --timings)",
    )
    parser.add_argument(
        "--provision-duration",
        type=_seconds,
        default=None,
        metavar="SECONDS",
        help="seconds a new project or user stays creating (default: from --timings)",
    )
    parser.add_argument(
        "--latency",
        type=_seconds,
        default=0.0,
        metavar="SECONDS",
        help="seconds added to every answer (default: %(default)s)",
    )
    parser.add_argument(
        "--rate-limit",
        type=_per_minute,
        default=None,
        metavar="PER_MINUTE",
        help="answer 429 past this many requests per minute (default: no limit)",
    )
    parser.add_argument(
        "--access-log",
        action="store_true",
        help="print one line per request on stderr: method, path, status, milliseconds "
        "(never a token or a body)",
    )
    parser.add_argument(
        "--mysql",
        type=_mysql_url,
        default=None,
        metavar="URL",
        help="back the databases with this MySQL/MariaDB server, e.g. "
        "mysql://admin:pw@127.0.0.1:3306 (needs infomaniak-cloud[mysql]; default: none)",
    )


def _mysql_url(value: str) -> str:
    try:
        MysqlBackend(value)
    except (ValueError, ImportError) as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return value


class _Parser(argparse.ArgumentParser):
    """An argparse parser whose errors are one line (and exit status 2)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def build_parser(prog: str = PROG) -> argparse.ArgumentParser:
    """The parser of ``python -m infomaniak.testing``.

    Args:
        prog: The program name shown in the usage and error lines.

    Returns:
        A parser whose namespace :func:`serve` reads.
    """
    parser = _Parser(
        prog=prog,
        description="Serve a fake Infomaniak Public Cloud API until Ctrl-C or SIGTERM. "
        "It prints the shell lines that point a client at it.",
    )
    add_arguments(parser)
    return parser


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Read the command line (``--port``, ``--token``, ``--latency``...)."""
    return build_parser().parse_args(argv)


class StartupError(Exception):
    """The emulator could not start; the message is one line for the terminal."""


def export_lines(url: str, token: str) -> list[str]:
    """The ``export NAME=value`` lines that point a client at the emulator."""
    return [
        f"export INFOMANIAK_BASE_URL={shlex.quote(url)}",
        f"export INFOMANIAK_API_TOKEN={shlex.quote(token)}",
    ]


async def serve(args: argparse.Namespace) -> None:
    """Serve an emulator configured by ``args`` until SIGINT or SIGTERM.

    Args:
        args: The namespace of a parser built by :func:`build_parser`.

    Raises:
        StartupError: The address cannot be listened on.
    """
    emulator = Emulator(
        token=args.token,
        account_id=args.account_id,
        seed=args.seed,
        async_mode=args.async_mode,
        task_duration=args.task_duration,
        provision_duration=args.provision_duration,
        profile=args.profile,
        timings=args.timings,
        time_scale=args.time_scale,
        mysql=args.mysql,
    )
    emulator.latency = args.latency
    emulator.rate_limit = args.rate_limit
    handler: logging.Handler | None = None
    if getattr(args, "access_log", False):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        ACCESS_LOGGER.addHandler(handler)
        ACCESS_LOGGER.setLevel(logging.INFO)
        ACCESS_LOGGER.propagate = False
    try:
        try:
            url = await emulator.start(args.host, args.port)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise StartupError(f"port {args.port} on {args.host} is already in use") from None
            reason = exc.strerror or str(exc)
            raise StartupError(f"cannot listen on {args.host}:{args.port}: {reason}") from None
        except MysqlUnavailable as exc:
            raise StartupError(str(exc)) from None
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        try:
            # Lines a shell takes as they are: `eval "$(python -m infomaniak.testing ...)"`
            # would block, but pasting them (or reading them from a pipe) exports both.
            for line in export_lines(url, emulator.token):
                print(line, flush=True)
            await stop.wait()
        finally:
            await emulator.stop()
            for problem in emulator.schema_errors:
                print(f"schema violation: {problem}", file=sys.stderr)
    finally:
        if handler is not None:
            ACCESS_LOGGER.removeHandler(handler)


def main(argv: list[str] | None = None, *, prog: str = PROG) -> int:
    """Run ``python -m infomaniak.testing``.

    Args:
        argv: The arguments (default: ``sys.argv[1:]``).
        prog: The program name shown in the usage and error lines.

    Returns:
        The exit status: 0 after Ctrl-C or SIGTERM, 1 when it cannot start (a
        one-line message on stderr). Invalid options exit with status 2 (argparse).
    """
    args = build_parser(prog).parse_args(argv)
    try:
        asyncio.run(serve(args))
    except StartupError as exc:
        print(f"{prog}: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        # A second Ctrl-C while stopping.
        pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
