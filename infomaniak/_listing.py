"""Query parameters shared by every list endpoint (filters, sorting, relations)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

from ._validate import check_choice, check_order_for, check_str, check_str_list

Order = Literal["asc", "desc"]


def list_params(
    *,
    search: str | None = None,
    filters: Mapping[str, Any] | None = None,
    order_by: str | Sequence[str] | None = None,
    order: Order | None = None,
    order_for: Mapping[str, Order] | None = None,
    with_: str | Sequence[str] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """Validated query parameters: ``filter[...]`` (deepObject), ``order_by``
    (comma list), ``order``, ``order_for[...]`` (deepObject) and ``with``."""
    filter_values: dict[str, Any] = {}
    if search is not None:
        filter_values["search"] = check_str("search", search)
    if filters:
        filter_values.update({k: v for k, v in filters.items() if v is not None})
    params: dict[str, Any] = dict(extra)
    if filter_values:
        params["filter"] = filter_values
    if order_by is not None:
        params["order_by"] = check_str_list("order_by", order_by)
    if order is not None:
        params["order"] = check_choice("order", order, ("asc", "desc"))
    if order_for is not None:
        params["order_for"] = check_order_for(order_for)
    if with_ is not None:
        params["with"] = check_str_list("with_", with_)
    return params
