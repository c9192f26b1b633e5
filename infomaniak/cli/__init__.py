"""``infomaniak``: the command line of the SDK (``python -m infomaniak`` runs the same).

One command per public method of the blocking ``Client``, by the same path:
``client.cloud.kubernetes.pools.create(...)`` is
``infomaniak cloud kubernetes pools create ...``. The commands are generated
from the SDK's signatures and docstrings; see ``docs/cli.md``.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

__all__ = ["main", "run"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); return the exit status.

    Args:
        argv: The arguments after the program name.

    Returns:
        0 on success, 1 for an API, connection or timeout error, 2 for a usage error.
    """
    args = list(sys.argv[1:] if argv is None else argv)
    if args == ["--version"]:  # the one answer that needs no command tree (nor Click)
        from .._version import __version__

        print(f"infomaniak {__version__}")
        return 0
    from ._app import main as _main

    return _main(args)


def run() -> None:
    """The ``infomaniak`` console script: run and exit with the status."""
    sys.exit(main())
