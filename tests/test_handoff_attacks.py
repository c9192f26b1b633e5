"""The hand-offs attacked: connection methods whose errors must not show the
password, awkward paths (a folder, a symlink loop), concurrent saves,
unicode and large files, hostile names."""

from __future__ import annotations

import traceback
from urllib.parse import quote, unquote, urlsplit

import pytest

from infomaniak.models.cloud import DatabaseServiceConnection

PASSWORD = "p@ss:w/rd%41 é#?"


def _with_locals(error: BaseException) -> str:
    return "".join(traceback.TracebackException.from_exception(error, capture_locals=True).format())


@pytest.mark.parametrize(
    ("method", "fields"),
    [
        ("url", {"port": "not-a-port"}),
        ("connect_kwargs", {"ca": "-----BEGIN CERTIFICATE-----\nnot a cert\n"}),
    ],
)
def test_a_connection_method_that_fails_shows_no_password(
    method: str, fields: dict[str, str]
) -> None:
    connection = DatabaseServiceConnection(
        **{"host": "db.example", "port": "3306", "user": "root", "password": PASSWORD, **fields}
    )
    with pytest.raises(ValueError) as caught:
        getattr(connection, method)()
    shown = _with_locals(caught.value)
    assert PASSWORD not in shown
    assert quote(PASSWORD, safe="") not in shown


def test_url_escapes_every_special_character_of_user_and_password() -> None:
    connection = DatabaseServiceConnection(
        host="db.example", port="3306", user="us@r:x", password=PASSWORD
    )
    url = connection.url(db="my/db")
    parts = urlsplit(url)
    assert parts.hostname == "db.example" and parts.port == 3306
    assert unquote(parts.username or "") == "us@r:x"
    assert unquote(parts.password or "") == PASSWORD
    assert unquote(parts.path) == "/my/db"
    assert url.count("@") == 1
