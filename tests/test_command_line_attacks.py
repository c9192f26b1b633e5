"""The ``infomaniak`` command attacked as a hostile or hurried user would: a
reader that leaves (``| head -1``), Ctrl-C during ``--wait``, values that no
option should take, and a reset whose password would be thrown away. Every
case runs the real command in a subprocess against the emulator."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from infomaniak.testing import Emulator, Fault

CLOUD = 1332
PROJECT = 25454
SCOPE = ["--public-cloud-id", str(CLOUD), "--public-cloud-project-id", str(PROJECT)]


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("INFOMANIAK_")}


def _command(emulator: Emulator, *args: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "infomaniak",
        "--base-url",
        emulator.url,
        "--token",
        emulator.token,
        *args,
    ]


def _run(emulator: Emulator, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        _command(emulator, *args), capture_output=True, text=True, timeout=60, env=_env()
    )


@pytest.mark.parametrize(
    "args",
    [
        ["cloud", "kubernetes", "list", *SCOPE, "-o", "json"],
        ["cloud", "kubernetes", "list", *SCOPE, "-o", "yaml"],
        ["cloud", "kubernetes", "list", *SCOPE],
        ["cloud", "kubernetes", "kubeconfig", *SCOPE, "--kaas-id", "4821"],
    ],
)
def test_a_reader_that_leaves_ends_the_command_quietly(emulator: Emulator, args: list[str]) -> None:
    # The reader has left before anything is written: every write fails.
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = subprocess.run(
            _command(emulator, *args),
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
            env=_env(),
        )
    finally:
        os.close(write_end)
    assert done.stderr == ""
    assert done.returncode == 0


def test_ctrl_c_during_wait_is_one_line_saying_the_operation_goes_on() -> None:
    emulator = Emulator(provision_duration=60.0)
    with emulator.in_thread():
        args = [
            *("cloud", "kubernetes", "create", *SCOPE, "--name", "slow", "--region", "dc4-a"),
            *("--kubernetes-version", "1.34", "--kaas-pack-id", "2", "--wait"),
        ]
        process = subprocess.Popen(
            _command(emulator, *args),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=_env(),
        )
        assert process.stderr is not None
        # Once the wait has started (its first line), Ctrl-C.
        first = process.stderr.readline()
        assert first.startswith("waiting for")
        time.sleep(0.5)
        process.send_signal(signal.SIGINT)
        out, rest = process.communicate(timeout=30)
    lines = [line for line in rest.splitlines() if not line.startswith("waiting")]
    assert process.returncode == 130, rest
    assert out == ""
    assert len(lines) == 1, rest
    assert "goes on server-side" in lines[0]
    assert "Traceback" not in rest and "Aborted" not in rest


def test_a_huge_number_is_refused_in_one_short_line_naming_the_option(
    emulator: Emulator,
) -> None:
    done = _run(emulator, "cloud", "kubernetes", "get", *SCOPE, "--kaas-id", "9" * 5000)
    assert done.returncode == 2
    assert "--kaas-id" in done.stderr
    assert len(done.stderr) < 400
    assert emulator.requests == []


def test_reset_password_without_a_way_to_see_the_password_sends_nothing(
    emulator: Emulator,
) -> None:
    done = _run(emulator, "cloud", "database", "reset-password", *SCOPE, "--dbaas-id", "7341")
    assert done.returncode == 2
    assert "--show-password" in done.stderr and "--password-file" in done.stderr
    assert "nothing was sent" in done.stderr
    assert done.stdout == ""
    assert emulator.requests == []


def test_a_password_file_that_cannot_be_written_is_refused_before_the_reset(
    emulator: Emulator,
) -> None:
    done = _run(
        emulator,
        *("cloud", "database", "reset-password", *SCOPE, "--dbaas-id", "7341"),
        *("--password-file", "/nonexistent-folder/pw"),
    )
    assert done.returncode == 2
    assert "--password-file" in done.stderr and "nothing was sent" in done.stderr
    assert emulator.requests == []


@pytest.mark.parametrize(
    ("command", "path"),
    [("kubeconfig", "/nonexistent-folder/config"), ("save-kubeconfig", "/proc/self/no/config")],
)
def test_a_file_that_cannot_be_written_is_one_line_without_traceback(
    emulator: Emulator, command: str, path: str
) -> None:
    done = _run(
        emulator, "cloud", "kubernetes", command, *SCOPE, "--kaas-id", "4821", "--path", path
    )
    assert done.returncode == 1
    assert done.stderr.startswith("infomaniak: error: ") and done.stderr.count("\n") == 1
    assert "No such file or directory" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        # Rich markup: a crash ('[/]' closes nothing) or a changed value and a link.
        ("[/]", "[/]"),
        (
            "[bold]x[/bold] [link=https://evil.example]y",
            "[bold]x[/bold] [link=https://evil.example]y",
        ),
        # Terminal sequences (clear the screen, set the title) and a bidi override.
        ("a\x1b[2Jb\x1b]0;title\x07c", "a\\x1b[2Jb\\x1b]0;title\\x07c"),
        ("x\u202ey", "x\\u202ey"),
    ],
)
def test_a_value_from_the_api_is_printed_as_it_is_never_acted_on(
    emulator: Emulator, value: str, shown: str
) -> None:
    answer = {"result": "success", "data": {"id": CLOUD, "customer_name": value}}
    emulator.inject(Fault(json=answer))
    done = _run(emulator, "cloud", "get", "--public-cloud-id", str(CLOUD))
    assert done.returncode == 0, done.stderr
    line = next(line for line in done.stdout.splitlines() if line.startswith("customer_name"))
    assert line.split(None, 1)[1] == shown
    assert "\x1b" not in done.stdout and "\u202e" not in done.stdout


def test_an_error_message_from_the_api_cannot_drive_the_terminal(emulator: Emulator) -> None:
    error = {"code": "x", "description": "bad\x1b]0;owned\x07 thing"}
    emulator.inject(Fault(status=422, json={"result": "error", "error": error}))
    done = _run(emulator, "cloud", "get", "--public-cloud-id", str(CLOUD))
    assert done.returncode == 1
    assert "\x1b" not in done.stderr and "\x07" not in done.stderr
    assert "bad\\x1b]0;owned\\x07 thing" in done.stderr


def test_a_password_typed_at_a_terminal_is_not_echoed(emulator: Emulator) -> None:
    import fcntl
    import pty
    import select
    import termios

    def controlled_by_the_terminal() -> None:
        # The pty becomes the child's /dev/tty, as in an interactive shell.
        os.setsid()
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    secret = "Typed-Secret-4471"
    master, slave = pty.openpty()
    process = subprocess.Popen(
        _command(emulator, "cloud", "projects", "users", "create", *SCOPE, "--password", "-"),
        stdin=slave,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
        preexec_fn=controlled_by_the_terminal,
    )
    os.close(slave)
    seen = b""
    # What the terminal shows: the prompt, then (if echoed) what is typed.
    deadline = time.monotonic() + 3
    while b"password" not in seen.lower() and time.monotonic() < deadline:
        if select.select([master], [], [], 0.2)[0]:
            seen += os.read(master, 1024)
    time.sleep(0.2)
    os.write(master, secret.encode() + b"\n")
    out, err = process.communicate(timeout=30)
    while select.select([master], [], [], 0.2)[0]:
        try:
            chunk = os.read(master, 1024)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    os.close(master)
    assert process.returncode == 0, err
    assert secret.encode() not in seen
    assert b"--password: " in seen  # the prompt, on the terminal
    assert secret not in out + err
    sent = [r for r in emulator.requests if r.method == "POST"]
    assert sent and secret in sent[-1].body.decode()


def test_a_reset_that_fails_leaves_no_empty_password_file(
    emulator: Emulator, tmp_path: Path
) -> None:
    target = tmp_path / "pw"
    emulator.inject(Fault(status=500), method="POST")
    done = _run(
        emulator,
        *("cloud", "database", "reset-password", *SCOPE, "--dbaas-id", "7341"),
        *("--password-file", str(target)),
    )
    assert done.returncode == 1, done.stderr
    assert not target.exists()
