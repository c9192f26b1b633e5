# Generated from tests/_async/test_pagination.py by scripts/unasync.py.
# Do not edit: change the async source and run `python scripts/unasync.py`.
"""plist: page in hand, counts, lazy walk across pages, failures mid-way."""

from __future__ import annotations

import pytest

from infomaniak import Client
from infomaniak.errors import NotFoundError, ServerError
from infomaniak.testing import Emulator, Fault


def _account_clouds(emulator: Emulator) -> list[int]:
    return sorted(c["id"] for c in emulator.clouds.values() if c["account_id"] == 42)


def _pages_requested(emulator: Emulator) -> list[str]:
    return [dict(r.query)["page"] for r in emulator.requests if r.path == "/1/public_clouds"]


def test_iteration_walks_every_page_once(
    client: Client, emulator: Emulator
) -> None:
    clouds = client.cloud.list(account_id=42, per_page=7)
    ids = [cloud.id for cloud in clouds]
    assert sorted(ids) == _account_clouds(emulator)
    assert len(ids) == len(set(ids)) == clouds.items
    # each page once (the async client fetches ahead, so arrival order may vary)
    assert sorted(_pages_requested(emulator), key=int) == [
        str(n) for n in range(1, clouds.pages + 1)
    ]
    # every page asked with the same filters
    for request in emulator.requests:
        assert dict(request.query)["account_id"] == "42"
        assert dict(request.query)["per_page"] == "7"


def test_indexing_and_len_are_this_page(client: Client) -> None:
    clouds = client.cloud.list(account_id=42, per_page=5, order_by="customer_name")
    assert len(clouds) == 5
    assert [c.id for c in clouds[:2]] == [clouds[0].id, clouds[1].id]
    assert clouds[-1].id == clouds.data[4].id
    with pytest.raises(IndexError):
        clouds[5]


def test_starting_page_and_page_walk(client: Client, emulator: Emulator) -> None:
    clouds = client.cloud.list(account_id=42, per_page=10, page=2)
    assert clouds.page == 2
    pages = [page for page in clouds.iter_pages()]
    assert [p.page for p in pages] == list(range(2, clouds.pages + 1))
    total_from_page_two = sum(len(p) for p in pages)
    assert total_from_page_two == clouds.items - 10


def test_to_list_returns_every_item(client: Client, emulator: Emulator) -> None:
    clouds = client.cloud.list(account_id=42)
    everything = clouds.to_list()
    assert sorted(c.id for c in everything) == _account_clouds(emulator)


def test_empty_list(client: Client) -> None:
    clouds = client.cloud.list(account_id=42, search="no cloud is named like this")
    assert len(clouds) == 0
    assert clouds.items == 0
    assert not clouds
    assert [c for c in clouds] == []
    assert clouds.to_list() == []


def test_unknown_account_is_not_found(client: Client) -> None:
    with pytest.raises(NotFoundError):
        client.cloud.list(account_id=777)


def test_a_failing_later_page_raises(client: Client, emulator: Emulator) -> None:
    emulator.inject(Fault(status=500), path="/1/public_clouds", query={"page": "3"})
    clouds = client.cloud.list(account_id=42, per_page=10)
    seen = []
    with pytest.raises(ServerError) as caught:
        for cloud in clouds:
            seen.append(cloud.id)
    assert len(seen) == 20
    assert caught.value.status == 500


def test_a_flaky_later_page_is_retried(client: Client, emulator: Emulator) -> None:
    emulator.inject(Fault(status=503), path="/1/public_clouds", query={"page": "2"})
    clouds = client.cloud.list(account_id=42, per_page=10)
    ids = [c.id for c in clouds]
    assert sorted(ids) == _account_clouds(emulator)


def test_missing_pagination_keys_mean_one_page(
    client: Client, emulator: Emulator
) -> None:
    body = {"result": "success", "data": [emulator.clouds[1332]]}
    emulator.inject(Fault(status=200, json=body), path="/1/public_clouds")
    clouds = client.cloud.list(account_id=42)
    assert (clouds.page, clouds.pages, clouds.items, len(clouds)) == (1, 1, 1, 1)
    assert [c.id for c in clouds] == [1332]
    assert len(emulator.requests) == 1


def test_search_and_sorting(client: Client, emulator: Emulator) -> None:
    target = emulator.clouds[1332]["customer_name"]
    found = client.cloud.list(account_id=42, search=target)
    assert 1332 in [c.id for c in found]
    ordered = client.cloud.list(account_id=42, order_by="customer_name", order="desc")
    names = [c.customer_name for c in ordered]
    assert names == sorted(names, key=str.casefold, reverse=True)
    by_order_for = client.cloud.list(
        account_id=42, order_by="customer_name", order_for={"customer_name": "desc"}
    )
    assert [c.customer_name for c in by_order_for] == names
