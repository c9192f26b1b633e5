"""Pytest plugin: ``pytest_plugins = ["infomaniak.testing.pytest_plugin"]``.

Provides ``emulator``: a fresh ``Emulator`` per test,
served from a background thread (so sync and async tests alike can use it), that
fails the test at teardown if any of its answers violated the API schemas.

The fixture uses the **realistic** data profile (every documented variant shape
on some items, so code that only copes with the tidy shape fails here rather
than in production) and the **fast** timings (0.05 s per transition, so a test
suite stays quick). Both can be changed for a whole run::

    pytest --infomaniak-profile=tidy
    pytest --infomaniak-timings=real --infomaniak-time-scale=0.001

A test that is about one profile pins it, whatever the run's options::

    @pytest.mark.infomaniak_profile("realistic")
    def test_my_code_copes_with_every_shape(emulator): ...

``--infomaniak-timings=real --infomaniak-time-scale=1`` gives the live API's
durations (a project takes about 40 s, a cluster minutes): the way to check
that the ``wait()`` timeouts of your code are long enough.

A real MySQL or MariaDB server behind the databases: tests marked
``@pytest.mark.infomaniak_mysql`` get an emulator whose database services
are real databases on the server given by ``--infomaniak-mysql URL`` (or the
``INFOMANIAK_TEST_MYSQL`` environment variable), e.g.
``mysql://admin:pw@127.0.0.1:3306`` (an account that may create databases
and users)::

    @pytest.mark.infomaniak_mysql
    def test_my_sql(emulator): ...

Without a server such a test is skipped, with the reason; in CI (the ``CI``
environment variable set to anything but ``false``/``0``, as CI services do)
it fails instead, so a pipeline cannot go green by skipping it.

In your project: install the ``testing`` extra (``jsonschema``, for the schema
check; without it the fixture works, checks nothing and says so in one line),
and for ``async def`` tests pytest-asyncio with ``asyncio_mode = "auto"`` in the
``[tool.pytest.ini_options]`` of your ``pyproject.toml`` (docs/emulator.md).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import cast

import pytest

from ._app import Emulator
from ._realism import PROFILES, TIMINGS, Profile, Timings

MYSQL_ENV = "INFOMANIAK_TEST_MYSQL"


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add the options of the ``emulator`` fixture.

    ``--infomaniak-profile``, ``--infomaniak-timings`` and ``--infomaniak-time-scale``.
    """
    group = parser.getgroup("infomaniak", "infomaniak emulator")
    group.addoption(
        "--infomaniak-profile",
        choices=PROFILES,
        default="realistic",
        help="data profile of the emulator fixture (default: realistic)",
    )
    group.addoption(
        "--infomaniak-timings",
        choices=TIMINGS,
        default="fast",
        help="timing profile of the emulator fixture (default: fast)",
    )
    group.addoption(
        "--infomaniak-time-scale",
        type=float,
        default=1.0,
        help="factor applied to every duration of the emulator fixture (default: 1)",
    )
    group.addoption(
        "--infomaniak-mysql",
        default=None,
        metavar="URL",
        help=(
            "MySQL/MariaDB server behind the databases of the emulator fixture in tests "
            f"marked infomaniak_mysql, e.g. mysql://admin:pw@127.0.0.1:3306 (default: ${MYSQL_ENV})"
        ),
    )


def pytest_configure(config: pytest.Config) -> None:
    """Register the ``infomaniak_profile`` and ``infomaniak_mysql`` markers."""
    config.addinivalue_line(
        "markers",
        "infomaniak_profile(name): the emulator fixture uses this data profile for the test",
    )
    config.addinivalue_line(
        "markers",
        "infomaniak_mysql: the emulator fixture backs its databases with the MySQL server "
        f"of --infomaniak-mysql / ${MYSQL_ENV} (skipped without one, failed in CI)",
    )


def mysql_url(config: pytest.Config) -> str | None:
    """The server of ``--infomaniak-mysql``, else of ``$INFOMANIAK_TEST_MYSQL``, else ``None``."""
    url = config.getoption("--infomaniak-mysql") or os.environ.get(MYSQL_ENV) or None
    return cast("str | None", url)


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


@pytest.fixture
def emulator(request: pytest.FixtureRequest) -> Iterator[Emulator]:
    """A fresh emulator served from a thread; fails the test on a schema violation.

    Realistic profile and fast timings unless the ``--infomaniak-*`` options say otherwise.
    """
    config = request.config
    pinned = request.node.get_closest_marker("infomaniak_profile")
    profile = pinned.args[0] if pinned else config.getoption("--infomaniak-profile")
    if profile not in PROFILES:
        raise ValueError(f"infomaniak_profile must be one of {PROFILES}, got {profile!r}")
    mysql = None
    if request.node.get_closest_marker("infomaniak_mysql") is not None:
        mysql = mysql_url(config)
        if mysql is None:
            reason = (
                "needs a MySQL or MariaDB server: give --infomaniak-mysql URL "
                f"or set {MYSQL_ENV}=mysql://admin:pw@127.0.0.1:3306"
            )
            if _in_ci():
                pytest.fail(f"CI is set and this test {reason}", pytrace=False)
            pytest.skip(reason)
    emu = Emulator(
        mysql=mysql,
        validate_responses=True,
        profile=cast(Profile, profile),
        timings=cast(Timings, config.getoption("--infomaniak-timings")),
        time_scale=float(config.getoption("--infomaniak-time-scale")),
    )
    with emu.in_thread():
        yield emu
    assert emu.schema_errors == [], "the emulator answered outside the API schemas"
