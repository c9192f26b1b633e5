"""``python -m infomaniak.testing`` run the way the README shows, in a subprocess."""

from __future__ import annotations

import json
import re
import shlex
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
        # `export NAME=value`, shell-quoted: read them as a shell would.
        words = [shlex.split(line) for line in lines]
        assert all(len(parts) == 2 and parts[0] == "export" for parts in words), lines
        settings = dict(parts[1].split("=", 1) for parts in words)
        settings["_printed"] = "\n".join(lines)
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


def test_printed_lines_export_the_variables_to_a_child_process() -> None:
    token = "tok en'$(echo x)"  # a space, a quote, a substitution: all survive the shell
    with _serving("--port", "0", "--token", token) as (process, settings):
        script = (
            settings["_printed"] + '\nprintf "%s|%s" "$INFOMANIAK_BASE_URL" "$INFOMANIAK_API_TOKEN"'
        )
        child = subprocess.run(
            ["sh", "-c", script], capture_output=True, text=True, timeout=10, check=True
        )
        assert child.stdout == f"{settings['INFOMANIAK_BASE_URL']}|{token}"
        # The exported variables reach a process the shell starts.
        inherited = subprocess.run(
            ["sh", "-c", settings["_printed"] + "\nsh -c 'echo $INFOMANIAK_BASE_URL'"],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        )
        assert inherited.stdout.strip() == settings["INFOMANIAK_BASE_URL"]
        process.terminate()
        assert process.wait(10) == 0


def test_ipv6_host_prints_a_bracketed_url_that_works() -> None:
    with _serving("--host", "::1", "--port", "0") as (process, settings):
        url = settings["INFOMANIAK_BASE_URL"]
        assert url.startswith("http://[::1]:")
        assert _get_config(settings)["result"] == "success"
        process.terminate()
        assert process.wait(10) == 0


def _run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "infomaniak.testing", *args],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


def test_help_explains_every_option_with_its_default() -> None:
    result = _run_cli("--help")
    assert result.returncode == 0
    # One entry per option: its line and the indented lines that continue it.
    entries: dict[str, str] = {}
    for line in result.stdout.split("options:", 1)[1].splitlines():
        if line.startswith("  -"):
            name = line.split()[0].rstrip(",")
            entries[name] = line
        elif line.strip() and entries:
            entries[name] += " " + line.strip()
    text = " ".join(result.stdout.split())
    for option in (
        "--host",
        "--port",
        "--token",
        "--account-id",
        "--seed",
        "--async-mode",
        "--profile",
        "--timings",
        "--time-scale",
        "--task-duration",
        "--provision-duration",
        "--latency",
        "--rate-limit",
    ):
        entry = " ".join(entries[option].split())
        assert "(default: " in entry, entry
        words = entry.split("(default:")[0].split()[1:]
        assert len(words) > 3, entry  # the metavar and some words of help
    assert "--access-log" in text and "never a token" in text


@pytest.mark.parametrize(
    "args",
    [
        ("--time-scale", "nan"),
        ("--time-scale", "-1"),
        ("--time-scale", "inf"),
        ("--task-duration", "inf"),
        ("--provision-duration", "nan"),
        ("--latency", "-5"),
        ("--rate-limit", "0"),
        ("--port", "70000"),
        ("--seed", "x"),
    ],
)
def test_invalid_values_are_one_line_errors(args: tuple[str, str]) -> None:
    result = _run_cli(*args, "--port", "0") if args[0] != "--port" else _run_cli(*args)
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert args[0] in lines[0] and "error" in lines[0]


def test_access_log_prints_one_line_per_request_without_secrets() -> None:
    with _serving("--port", "0", "--access-log", "--token", "s3cret-token") as (
        process,
        settings,
    ):
        assert _get_config(settings)["result"] == "success"
        body = json.dumps({"project_name": "x", "user_password": "Hunter2-Password"}).encode()
        status, _ = _call(settings, "POST", "/1/public_clouds/1332/projects", body)
        assert status == 202
        assert _call(settings, "GET", "/1/public_clouds/999999")[0] == 404
        process.terminate()
        assert process.wait(10) == 0
        assert process.stderr is not None
        lines = process.stderr.read().strip().splitlines()
    assert len(lines) == 3, lines
    assert re.fullmatch(r"GET /1/public_clouds/config 200 \d+\.\d ms", lines[0]), lines
    assert re.fullmatch(r"POST /1/public_clouds/1332/projects 202 \d+\.\d ms", lines[1])
    assert re.fullmatch(r"GET /1/public_clouds/999999 404 \d+\.\d ms", lines[2])
    printed = "\n".join(lines)
    assert "s3cret-token" not in printed and "Hunter2" not in printed


def test_main_and_build_parser_can_be_reused_by_another_command() -> None:
    from infomaniak.testing.__main__ import build_parser, main

    parser = build_parser("infomaniak emulator")
    args = parser.parse_args(["--port", "0", "--access-log", "--latency", "0.5"])
    assert (args.port, args.access_log, args.latency) == (0, True, 0.5)
    with pytest.raises(SystemExit) as exited:
        main(["--rate-limit", "0"], prog="infomaniak emulator")
    assert exited.value.code == 2
