"""What `help()` and `dir()` show a user exploring the package in a REPL."""

from __future__ import annotations

import inspect
import pickle
import pydoc

import pytest

import infomaniak
from infomaniak import AsyncClient, Client


def test_dir_of_the_package_lists_only_its_public_names() -> None:
    names = dir(infomaniak)
    assert names == sorted(infomaniak.__all__)
    for leaked in ("Any", "TYPE_CHECKING", "annotations", "typing"):
        assert leaked not in names
    for name in names:
        assert getattr(infomaniak, name) is not None


@pytest.mark.parametrize("client_class", [Client, AsyncClient])
def test_help_documents_cloud_and_tasks(client_class: type[object]) -> None:
    text = pydoc.render_doc(client_class, renderer=pydoc.plaintext)
    # Shown as documented attributes, with a line saying what they are.
    assert "cloud\n |      The Cloud section of the API" in text
    assert "tasks\n |      The API's asynchronous tasks" in text
    for name in ("cloud", "tasks"):
        assert inspect.getdoc(getattr(client_class, name))


@pytest.mark.parametrize("client_class", [Client, AsyncClient])
def test_with_options_shows_readable_defaults(client_class: type[object]) -> None:
    signature = str(inspect.signature(client_class.with_options))  # type: ignore[attr-defined]
    assert "object at 0x" not in signature
    assert "timeout: 'float | None' = NOT_GIVEN" in signature
    assert "object at 0x" not in pydoc.render_doc(client_class, renderer=pydoc.plaintext)


def test_not_given_is_not_none_and_survives_pickling() -> None:
    from infomaniak._sync._client import NOT_GIVEN

    assert repr(NOT_GIVEN) == "NOT_GIVEN"
    assert pickle.loads(pickle.dumps(NOT_GIVEN)) is NOT_GIVEN
