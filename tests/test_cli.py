"""``python -m infomaniak.testing`` run the way the README shows, in a subprocess."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def _serving(*args: str) -> Iterator[tuple[subprocess.Popen[str], dict[str, str]]]:
    process = subprocess.Popen(
        [sys.executable, "-m", "infomaniak.testing", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        lines = [process.stdout.readline().strip() for _ in range(2)]
        settings = dict(line.split("=", 1) for line in lines if "=" in line)
        yield process, settings
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(10)
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()


def _get_config(settings: dict[str, str]) -> dict[str, object]:
    request = urllib.request.Request(
        settings["INFOMANIAK_BASE_URL"] + "/1/public_clouds/config?account_id=42",
        headers={"Authorization": f"Bearer {settings['INFOMANIAK_API_TOKEN']}"},
    )
    with urllib.request.urlopen(request, timeout=5) as answer:
        result: dict[str, object] = json.load(answer)
        return result


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT])
def test_serves_on_the_port_asked_and_stops_cleanly(stop_signal: signal.Signals) -> None:
    port = _free_port()
    with _serving("--port", str(port)) as (process, settings):
        assert settings["INFOMANIAK_BASE_URL"] == f"http://127.0.0.1:{port}"
        assert settings["INFOMANIAK_API_TOKEN"] == "emulator-token"
        assert _get_config(settings)["result"] == "success"
        process.send_signal(stop_signal)
        assert process.wait(10) == 0
        assert process.stderr is not None
        assert "Traceback" not in process.stderr.read()


def test_host_and_token_flags_are_used() -> None:
    with _serving("--host", "127.0.0.2", "--port", "0", "--token", "other-token") as (
        process,
        settings,
    ):
        url = settings["INFOMANIAK_BASE_URL"]
        assert url.startswith("http://127.0.0.2:")
        assert not url.endswith(":0")
        assert settings["INFOMANIAK_API_TOKEN"] == "other-token"
        assert _get_config(settings)["result"] == "success"
        process.terminate()
        assert process.wait(10) == 0


def test_port_in_use_is_a_one_line_error() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "infomaniak.testing", "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert f"port {port}" in lines[0] and "already in use" in lines[0]


def _call(settings: dict[str, str], method: str, path: str, body: bytes | None = None) -> Any:
    request = urllib.request.Request(
        settings["INFOMANIAK_BASE_URL"] + path,
        data=body,
        method=method,
        headers={
            "Authorization": f"Bearer {settings['INFOMANIAK_API_TOKEN']}",
            "Content-Type": "application/json",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as answer:
            return answer.status, json.load(answer)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def test_every_behaviour_flag_is_used() -> None:
    args = ["--port", "0", "--account-id", "7", "--async-mode", "id", "--latency", "0.2"]
    args += ["--rate-limit", "3", "--profile", "tidy", "--task-duration", "0.01"]
    with _serving(*args) as (process, settings):
        started = time.monotonic()
        status, clouds = _call(settings, "GET", "/1/public_clouds?account_id=7")
        assert time.monotonic() - started >= 0.2  # --latency
        assert status == 200 and clouds["data"]  # --account-id: the seed is for account 7
        assert {cloud["account_id"] for cloud in clouds["data"]} == {7}
        body = json.dumps({"project_name": "cli", "user_password": "S3cure-Passw0rd!"})
        status, created = _call(settings, "POST", "/1/public_clouds/1332/projects", body.encode())
        assert status == 202 and isinstance(created["data"], int)  # --async-mode id
        assert _call(settings, "GET", "/1/public_clouds?account_id=7")[0] == 200
        status, _ = _call(settings, "GET", "/1/public_clouds?account_id=7")
        assert status == 429  # --rate-limit 3: the fourth request of the minute
        process.terminate()
        assert process.wait(10) == 0
