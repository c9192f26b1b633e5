"""Public Cloud product routes (CATALOG §5.1)."""

from __future__ import annotations

from typing import Any

from ._http import (
    Body,
    Ctx,
    Item,
    JsonReply,
    Router,
    not_found,
    paginate,
    query_int,
    select,
    success,
)

CLOUD_RELATIONS = ("status", "users", "admin")

# Spec ``order_by`` enum of GET /1/public_clouds; price and project_count live in
# the nested ``public_cloud`` object.
CLOUD_SORT = {
    "customer_name": lambda item: item.get("customer_name"),
    "internal_name": lambda item: item.get("internal_name"),
    "expired_at": lambda item: item.get("expired_at"),
    "price": lambda item: item["public_cloud"].get("price"),
    "project_count": lambda item: item["public_cloud"].get("project_count"),
}


def _account(ctx: Ctx) -> int:
    account_id = query_int(ctx, "account_id", required=True)
    assert account_id is not None
    if account_id != ctx.state.account_id:
        # The spec's object_not_found reads "the asked entity is not accessible".
        raise not_found()
    return account_id


def render_cloud(ctx: Ctx, cloud: Item) -> Item:
    wanted = ctx.with_relations()
    relations = ctx.state.cloud_relations.get(cloud["id"], {})
    extra = {
        name: relations[name] for name in CLOUD_RELATIONS if name in wanted and name in relations
    }
    return {**cloud, **extra} if extra else cloud


def get_cloud(ctx: Ctx) -> Item:
    cloud = ctx.state.clouds.get(ctx.int_param("public_cloud_id"))
    if cloud is None:
        raise not_found()
    return cloud


def register(router: Router) -> None:
    @router.add("GET", "/1/public_clouds")
    def list_clouds(ctx: Ctx) -> JsonReply:
        _account(ctx)
        items = select(
            ctx,
            ctx.state.clouds.values(),
            search_fields=("customer_name", "internal_name", "description"),
            sort=CLOUD_SORT,
        )
        return paginate(ctx, [render_cloud(ctx, cloud) for cloud in items])

    @router.add("GET", "/1/public_clouds/config")
    def get_config(ctx: Ctx) -> JsonReply:
        _account(ctx)
        return success(ctx.state.config)

    @router.add("GET", "/1/public_clouds/accesses")
    def get_accesses(ctx: Ctx) -> JsonReply:
        _account(ctx)
        # Spec: array<string>; TF-PC decodes this object from the live API.
        return success({"is_maintenance_ongoing": False})

    @router.add("GET", "/1/public_clouds/{public_cloud_id}")
    def get_one(ctx: Ctx) -> JsonReply:
        return success(render_cloud(ctx, get_cloud(ctx)))

    @router.add("PATCH", "/1/public_clouds/{public_cloud_id}")
    def update(ctx: Ctx) -> JsonReply:
        cloud = get_cloud(ctx)
        body = Body(ctx.json_body())
        changes: dict[str, Any] = {}
        for name in ("bill_reference", "customer_name", "description"):
            value = body.string(name, min_length=2)
            if value is not None:
                changes[name] = value
        body.check()
        if changes:
            cloud.update(changes)
            cloud["public_cloud"]["updated_at"] = ctx.state.wall()
        return success(True)
