"""``python -m infomaniak``: the ``infomaniak`` command line."""

from infomaniak.cli import run

if __name__ == "__main__":
    run()
