"""scripts/quickstart.py as a user runs it, in a subprocess."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
QUICKSTART = ROOT / "scripts" / "quickstart.py"


@pytest.fixture
def emulator_cli() -> Iterator[dict[str, str]]:
    """`python -m infomaniak.testing --port 0` and the variables it prints."""
    process = subprocess.Popen(
        [sys.executable, "-m", "infomaniak.testing", "--port", "0", "--account-id", "4242"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        variables: dict[str, str] = {}
        while len(variables) < 2:
            line = process.stdout.readline()
            assert line, "the emulator stopped before printing its variables"
            match = re.search(r"(INFOMANIAK_\w+)=(\S+)", line)
            if match:
                variables[match[1]] = match[2]
        yield variables
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_quickstart_runs_the_whole_tour_against_an_exported_emulator(
    emulator_cli: dict[str, str],
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("INFOMANIAK_")}
    env.update(emulator_cli)  # as after `export ...`: no INFOMANIAK_ACCOUNT_ID
    done = subprocess.run(
        [sys.executable, str(QUICKSTART)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    out = done.stdout
    # It found the emulator's account (not the default 42) and ran every part.
    assert f"emulator at {emulator_cli['INFOMANIAK_BASE_URL']} (account 4242)" in out
    for part in ("## blocking Client", "## AsyncClient", "## Kubernetes: AsyncClient"):
        assert part in out
    assert "## Databases: AsyncClient" in out
    assert "skipped" not in out
    # Numbers are labelled: no `1 1 37`.
    assert re.search(r"^page 1 of \d+, \d+ clouds$", out, re.M)
    assert not re.search(r"^\d+ \d+ \d+$", out, re.M)
