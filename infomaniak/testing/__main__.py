"""``python -m infomaniak.testing``: serve an emulator until Ctrl-C."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
from typing import get_args

from ._app import Emulator
from ._state import AsyncMode


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Read the command line (``--port``, ``--token``, ``--latency``...)."""
    parser = argparse.ArgumentParser(
        prog="python -m infomaniak.testing",
        description="Serve a fake Infomaniak Public Cloud API.",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080, help="0 picks a free port")
    parser.add_argument("--token", default="emulator-token", help="the accepted bearer token")
    parser.add_argument("--account-id", type=int, default=42)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--async-mode", choices=get_args(AsyncMode), default="task")
    parser.add_argument("--task-duration", type=float, default=0.05, metavar="SECONDS")
    parser.add_argument("--provision-duration", type=float, default=0.05, metavar="SECONDS")
    parser.add_argument("--latency", type=float, default=0.0, metavar="SECONDS")
    parser.add_argument("--rate-limit", type=int, default=None, metavar="PER_MINUTE")
    return parser.parse_args(argv)


async def serve(args: argparse.Namespace) -> None:
    """Serve an emulator configured by ``args`` until cancelled."""
    emulator = Emulator(
        token=args.token,
        account_id=args.account_id,
        seed=args.seed,
        async_mode=args.async_mode,
        task_duration=args.task_duration,
        provision_duration=args.provision_duration,
    )
    emulator.latency = args.latency
    emulator.rate_limit = args.rate_limit
    async with emulator:
        # Shell-friendly lines: ``eval "$(python -m infomaniak.testing | head -2)"``
        # is not possible while it serves, but they can be copied as they are.
        print(f"INFOMANIAK_BASE_URL={emulator.url}", flush=True)
        print(f"INFOMANIAK_API_TOKEN={emulator.token}", flush=True)
        try:
            await asyncio.Event().wait()
        finally:
            for problem in emulator.schema_errors:
                print(f"schema violation: {problem}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    """Run ``python -m infomaniak.testing``; return the exit status."""
    args = parse_args(argv)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(args))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
