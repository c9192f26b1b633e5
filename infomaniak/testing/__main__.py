"""``python -m infomaniak.testing``: serve an emulator until Ctrl-C or SIGTERM."""

from __future__ import annotations

import argparse
import asyncio
import errno
import signal
import sys
from typing import get_args

from ._app import Emulator
from ._mysql import MysqlBackend, MysqlUnavailable
from ._realism import PROFILES, TIMINGS
from ._state import AsyncMode


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Read the command line (``--port``, ``--token``, ``--latency``...)."""
    parser = argparse.ArgumentParser(
        prog="python -m infomaniak.testing",
        description="Serve a fake Infomaniak Public Cloud API.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument(
        "--port", type=int, default=8080, help="port to listen on; 0 picks a free one"
    )
    parser.add_argument("--token", default="emulator-token", help="the accepted bearer token")
    parser.add_argument("--account-id", type=int, default=42)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--async-mode", choices=get_args(AsyncMode), default="task")
    parser.add_argument(
        "--profile",
        choices=PROFILES,
        default="realistic",
        help="realistic: every documented variant shape on some items; tidy: the spec's shapes",
    )
    parser.add_argument(
        "--timings",
        choices=TIMINGS,
        default="fast",
        help="fast: 0.05 s per transition; real: the live API's orders of magnitude",
    )
    parser.add_argument(
        "--time-scale", type=float, default=1.0, metavar="FACTOR", help="multiplies every duration"
    )
    parser.add_argument(
        "--task-duration", type=float, default=None, metavar="SECONDS", help="overrides --timings"
    )
    parser.add_argument(
        "--provision-duration",
        type=float,
        default=None,
        metavar="SECONDS",
        help="overrides --timings",
    )
    parser.add_argument("--latency", type=float, default=0.0, metavar="SECONDS")
    parser.add_argument("--rate-limit", type=int, default=None, metavar="PER_MINUTE")
    parser.add_argument(
        "--mysql",
        default=None,
        metavar="URL",
        help="back the databases with this MySQL/MariaDB server, e.g. "
        "mysql://admin:pw@127.0.0.1:3306 (needs infomaniak-cloud[mysql])",
    )
    args = parser.parse_args(argv)
    if not 0 <= args.port <= 65535:
        parser.error(f"--port must be between 0 and 65535, got {args.port}")
    if args.mysql is not None:
        try:
            MysqlBackend(args.mysql)
        except (ValueError, ImportError) as exc:
            parser.error(f"--mysql: {exc}")
    return args


class StartupError(Exception):
    """The emulator could not start; the message is one line for the terminal."""


async def serve(args: argparse.Namespace) -> None:
    """Serve an emulator configured by ``args`` until cancelled."""
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
    try:
        url = await emulator.start(args.host, args.port)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise StartupError(f"port {args.port} on {args.host} is already in use") from None
        raise StartupError(f"cannot listen on {args.host}:{args.port}: {exc.strerror}") from None
    except MysqlUnavailable as exc:
        raise StartupError(str(exc)) from None
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    try:
        # Shell-friendly lines that can be pasted as they are (``export ...``).
        print(f"INFOMANIAK_BASE_URL={url}", flush=True)
        print(f"INFOMANIAK_API_TOKEN={emulator.token}", flush=True)
        await stop.wait()
    finally:
        await emulator.stop()
        for problem in emulator.schema_errors:
            print(f"schema violation: {problem}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    """Run ``python -m infomaniak.testing``; return the exit status."""
    args = parse_args(argv)
    try:
        asyncio.run(serve(args))
    except StartupError as exc:
        print(f"python -m infomaniak.testing: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        # A second Ctrl-C while stopping.
        pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
