"""Sessions: tests, lint, typecheck, generate, check, docs, bench.

nox -s tests       # the test suite (same as the README's command)
nox -s lint        # ruff check + ruff format --check
nox -s typecheck   # mypy --strict on the package
nox -s generate    # regenerate infomaniak/_sync and tests/_sync
nox -s check       # fail if the generated code drifted
nox -s docs        # build the documentation site (mkdocs build --strict) into site/
nox -s bench       # benchmark figures (not a test)
"""

from __future__ import annotations

import nox

nox.options.sessions = ["lint", "typecheck", "check", "docs", "tests"]
nox.options.reuse_existing_virtualenvs = True

PYTHON = ["3.11"]


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    session.install("-e", ".[test]")
    session.run("python", "-m", "pytest", *session.posargs)


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    session.install("ruff>=0.6")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session(python=PYTHON)
def typecheck(session: nox.Session) -> None:
    # The stubs the package's optional imports need (PyYAML, PyMySQL), as in the dev extra.
    session.install("-e", ".[test]", "mypy>=1.10", "types-PyYAML", "types-PyMySQL")
    session.run("mypy", "--strict", "infomaniak")


@nox.session(python=PYTHON)
def generate(session: nox.Session) -> None:
    session.install("unasync>=0.6", "setuptools")
    session.run("python", "scripts/unasync.py")


@nox.session(python=PYTHON)
def check(session: nox.Session) -> None:
    session.install("unasync>=0.6", "setuptools")
    session.run("python", "scripts/unasync.py", "--check")


@nox.session(python=PYTHON)
def docs(session: nox.Session) -> None:
    # --strict: a broken link, a missing page or an unresolved reference fails.
    session.install("-e", ".[docs]")
    session.run("mkdocs", "build", "--strict", env={"NO_MKDOCS_2_WARNING": "1"})


@nox.session(python=PYTHON)
def bench(session: nox.Session) -> None:
    session.install("-e", ".[bench]")
    session.run("python", "scripts/bench.py", *session.posargs)
