"""Public Cloud project routes (CATALOG §5.2).

Create/rename/delete are asynchronous (HTTP 202, ``result: "asynchronous"``); see
:meth:`State.accept` for what ``data`` holds in each ``async_mode``.
"""

from __future__ import annotations

from ._http import (
    ApiError,
    Body,
    Ctx,
    Item,
    JsonReply,
    Router,
    asynchronous,
    by_key,
    not_found,
    paginate,
    select,
    success,
)
from ._routes_cloud import get_cloud

# The spec's filter[status][] enum of the project list (CATALOG §5.2 #6). It
# names states of deleted or suspended projects but not "disabled"/"disabling",
# which the project's own status enum has: the API refuses those with 422, and
# so does the emulator (a project in such a state is only found unfiltered).
PROJECT_FILTER_STATUSES = (
    "blocked",
    "blocking",
    "creating",
    "deleted",
    "deleting",
    "error",
    "ok",
    "restoring",
    "suspended",
    "suspending",
    "updating",
)
PROJECT_SORT = {
    name: by_key(name)
    for name in ("name", "open_stack_name", "resource_level", "price", "user_count", "status")
}
NAME_MAX = 250


def get_project(ctx: Ctx) -> Item:
    cloud = get_cloud(ctx)
    project = ctx.state.projects.get(ctx.int_param("public_cloud_project_id"))
    if project is None or project["public_cloud_id"] != cloud["id"]:
        raise not_found()
    return project


def render_project(ctx: Ctx, project: Item) -> Item:
    if "services" in ctx.with_relations():
        # with=services: the item shape is undocumented; the emulator has none.
        return {**project, "services": []}
    return project


def _create(ctx: Ctx, *, name: str, description: str, fail: bool) -> JsonReply:
    state = ctx.state
    cloud_id = get_cloud(ctx)["id"]
    project_id = state.new_project_id()
    user_id = state.new_user_id()
    project_os_name = state.openstack_name("PCP-", 4)
    user_os_name = state.openstack_name("PCU-", 6)

    def apply(at: float) -> None:
        now = state.wall(at)
        project = state.make_project(project_id, cloud_id, name, project_os_name, now)
        user = state.make_user(user_id, project_id, description, user_os_name, now)
        state.projects[project_id] = project
        state.users[user_id] = user
        state.refresh_counts()
        # The initial user is provisioned with its project and fails with it.
        state.provision((project, user), at, fail=fail)

    return asynchronous(
        state.accept(result=project_id, apply=apply), state.async_result(project_id)
    )


def register(router: Router) -> None:
    @router.add("GET", "/1/public_clouds/{public_cloud_id}/projects")
    def list_projects(ctx: Ctx) -> JsonReply:
        cloud = get_cloud(ctx)
        items = [p for p in ctx.state.projects.values() if p["public_cloud_id"] == cloud["id"]]
        items = select(
            ctx,
            items,
            search_fields=("name", "open_stack_name"),
            sort=PROJECT_SORT,
            statuses=PROJECT_FILTER_STATUSES,
        )
        return paginate(ctx, [render_project(ctx, project) for project in items])

    @router.add("POST", "/1/public_clouds/{public_cloud_id}/projects")
    def create(ctx: Ctx) -> JsonReply:
        get_cloud(ctx)
        body = Body(ctx.json_body())
        name = body.string("project_name", required=True, max_length=NAME_MAX)
        body.password("user_password", required=True)
        description = body.string("user_description", max_length=NAME_MAX)
        body.string("user_email", email=True)
        body.check()
        assert name is not None
        fail = ctx.state.take_provisioning_failure()
        return _create(ctx, name=name, description=description or "", fail=fail)

    @router.add("POST", "/1/public_clouds/{public_cloud_id}/projects/invite")
    def create_by_invitation(ctx: Ctx) -> JsonReply:
        get_cloud(ctx)
        body = Body(ctx.json_body())
        name = body.string("project_name", required=True, max_length=NAME_MAX)
        body.string("user_email", required=True, email=True)
        description = body.string("user_description")
        body.check()
        assert name is not None
        fail = ctx.state.take_provisioning_failure()
        return _create(ctx, name=name, description=description or "", fail=fail)

    @router.add("GET", "/1/public_clouds/{public_cloud_id}/projects/{public_cloud_project_id}")
    def get_one(ctx: Ctx) -> JsonReply:
        return success(render_project(ctx, get_project(ctx)))

    @router.add("PATCH", "/1/public_clouds/{public_cloud_id}/projects/{public_cloud_project_id}")
    def rename(ctx: Ctx) -> JsonReply:
        state = ctx.state
        project = get_project(ctx)
        body = Body(ctx.json_body())
        name = body.string("name", required=True, max_length=NAME_MAX)
        body.check()

        def apply(at: float) -> None:
            project["name"] = name
            project["updated_at"] = state.wall(at)

        result = state.async_result(project["public_cloud_project_id"])
        return asynchronous(state.accept(result=True, apply=apply), result)

    @router.add("DELETE", "/1/public_clouds/{public_cloud_id}/projects/{public_cloud_project_id}")
    def delete(ctx: Ctx) -> JsonReply:
        state = ctx.state
        project = get_project(ctx)
        project_id = project["public_cloud_project_id"]
        if project["status"] == "deleting":
            raise ApiError(
                400,
                "public_cloud_project_cannot_be_deleted",
                "Public cloud project cannot be deleted",
            )

        def remove(at: float) -> None:
            state.remove_project(project_id)

        return asynchronous(state.accept_deletion(project, remove), state.async_result(project_id))
