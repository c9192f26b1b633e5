"""Public Cloud project (OpenStack) user routes (CATALOG §5.3)."""

from __future__ import annotations

from ._http import (
    Body,
    Ctx,
    Item,
    JsonReply,
    Router,
    TextReply,
    asynchronous,
    by_key,
    field_error,
    not_found,
    paginate,
    query_choice,
    select,
    success,
    validation_failed,
)
from ._routes_projects import get_project
from ._state import PROJECT_STATUSES

USER_SORT = {name: by_key(name) for name in ("description", "open_stack_name", "email", "status")}
DESCRIPTION_MAX = 250
USER = "/1/public_clouds/{public_cloud_id}/projects/{public_cloud_project_id}/users"

# OpenStack regions of the credential files (CATALOG §3.12) and their region names.
REGIONS = {"pub1": "dc3-a", "pub2": "dc4-a"}
# authentication/{type}: the real values are undocumented (TF-PC uses clouds.yaml);
# the emulator serves these and answers 422 validation_failed (attribute "type")
# for anything else, as a bad enum value would be.
AUTH_FILE_TYPES = ("clouds.yaml", "openrc")
AUTH_FILE_ALIASES = {"clouds": "clouds.yaml", "openrc.sh": "openrc"}


def get_user(ctx: Ctx) -> Item:
    project = get_project(ctx)
    user = ctx.state.users.get(ctx.int_param("public_cloud_user_id"))
    if user is None or user["public_cloud_project_id"] != project["public_cloud_project_id"]:
        raise not_found()
    return user


def _create(ctx: Ctx, description: str) -> JsonReply:
    state = ctx.state
    project_id = get_project(ctx)["public_cloud_project_id"]
    user_id = state.new_user_id()
    open_stack_name = state.openstack_name("PCU-", 6)
    fail = state.take_provisioning_failure()

    def apply(at: float) -> None:
        user = state.make_user(user_id, project_id, description, open_stack_name, state.wall(at))
        state.users[user_id] = user
        state.refresh_counts()
        state.provision((user,), at, fail=fail)

    return asynchronous(state.accept(result=user_id, apply=apply), state.async_result(user_id))


def _auth_url(region: str) -> str:
    return f"https://api.{region}.infomaniak.cloud/identity/v3"


def openrc(project: Item, user: Item, region: str) -> str:
    # Like the file the Manager hands out, the password is prompted for, never embedded.
    return "\n".join(
        [
            "#!/usr/bin/env bash",
            f"# OpenStack RC file for {user['open_stack_name']} ({project['name']})",
            f"export OS_AUTH_URL={_auth_url(region)}",
            "export OS_IDENTITY_API_VERSION=3",
            f'export OS_PROJECT_NAME="{project["open_stack_name"]}"',
            'export OS_PROJECT_DOMAIN_NAME="default"',
            f'export OS_USERNAME="{user["open_stack_name"]}"',
            'export OS_USER_DOMAIN_NAME="default"',
            f'export OS_REGION_NAME="{REGIONS[region]}"',
            'export OS_INTERFACE="public"',
            'echo "Please enter your OpenStack Password for project $OS_PROJECT_NAME '
            'as user $OS_USERNAME: "',
            "read -sr OS_PASSWORD_INPUT",
            "export OS_PASSWORD=$OS_PASSWORD_INPUT",
            "",
        ]
    )


def clouds_yaml(project: Item, user: Item, region: str) -> str:
    # The password goes in secure.yaml, never here (same as Horizon's download).
    return "\n".join(
        [
            "clouds:",
            f"  {project['open_stack_name']}:",
            "    auth:",
            f"      auth_url: {_auth_url(region)}",
            f'      username: "{user["open_stack_name"]}"',
            f'      project_name: "{project["open_stack_name"]}"',
            '      user_domain_name: "Default"',
            '      project_domain_name: "Default"',
            f'    region_name: "{REGIONS[region]}"',
            '    interface: "public"',
            "    identity_api_version: 3",
            "",
        ]
    )


def _file(ctx: Ctx, kind: str) -> TextReply:
    user = get_user(ctx)
    project = get_project(ctx)
    region = query_choice(ctx, "region", tuple(REGIONS)) or "pub1"
    if kind == "openrc":
        text = openrc(project, user, region)
        filename = f"{project['open_stack_name']}-openrc.sh"
    else:
        text = clouds_yaml(project, user, region)
        filename = "clouds.yaml"
    # Spec and TF-PC: HTTP 202 with the raw file, not a JSON envelope, served as
    # application/octet-stream (the spec's media type for both files).
    return TextReply(
        202,
        text,
        "application/octet-stream",
        {"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def register(router: Router) -> None:
    @router.add("GET", USER)
    def list_users(ctx: Ctx) -> JsonReply:
        project_id = get_project(ctx)["public_cloud_project_id"]
        items = [u for u in ctx.state.users.values() if u["public_cloud_project_id"] == project_id]
        items = select(
            ctx,
            items,
            search_fields=("description", "open_stack_name"),
            sort=USER_SORT,
            statuses=PROJECT_STATUSES,
        )
        return paginate(ctx, items)

    @router.add("POST", USER)
    def create(ctx: Ctx) -> JsonReply:
        get_project(ctx)
        body = Body(ctx.json_body())
        body.password("password", required=True)
        description = body.string("description", max_length=DESCRIPTION_MAX)
        body.check()
        return _create(ctx, description or "")

    @router.add("POST", USER + "/invite")
    def invite(ctx: Ctx) -> JsonReply:
        get_project(ctx)
        body = Body(ctx.json_body())
        body.string("email", required=True, email=True)
        description = body.string("description", max_length=DESCRIPTION_MAX)
        body.check()
        return _create(ctx, description or "")

    @router.add("GET", USER + "/{public_cloud_user_id}")
    def get_one(ctx: Ctx) -> JsonReply:
        return success(get_user(ctx))

    @router.add("PATCH", USER + "/{public_cloud_user_id}")
    def update(ctx: Ctx) -> JsonReply:
        user = get_user(ctx)
        body = Body(ctx.json_body())
        description = body.string("description", max_length=DESCRIPTION_MAX)
        body.string("email", email=True)
        body.password("password", required=False)
        body.check()
        if description is not None:
            user["description"] = description
        # Password and e-mail are write-only (never returned), so only the
        # timestamp shows they changed.
        user["updated_at"] = ctx.state.wall()
        return success(True)

    @router.add("DELETE", USER + "/{public_cloud_user_id}")
    def delete(ctx: Ctx) -> JsonReply:
        state = ctx.state
        user = get_user(ctx)
        user_id = user["public_cloud_user_id"]

        def remove(at: float) -> None:
            state.users.pop(user_id, None)
            state.refresh_counts()

        # CATALOG §5.3 #17: the example answer is 202 with result "success".
        result = state.async_result(user_id, success_documented=True)
        return asynchronous(state.accept_deletion(user, remove), result)

    @router.add("POST", USER + "/{public_cloud_user_id}/invite")
    def reinvite(ctx: Ctx) -> JsonReply:
        state = ctx.state
        user = get_user(ctx)
        body = Body(ctx.json_body())
        body.string("email", required=True, email=True)
        description = body.string("description", max_length=DESCRIPTION_MAX)
        body.check()

        def apply(at: float) -> None:
            if description is not None:
                user["description"] = description
            user["updated_at"] = state.wall(at)

        # CATALOG §5.3 #18: the example answer is 202 with result "success".
        result = state.async_result(user["public_cloud_user_id"], success_documented=True)
        return asynchronous(state.accept(result=True, apply=apply), result)

    @router.add("GET", USER + "/{public_cloud_user_id}/openrc")
    def get_openrc(ctx: Ctx) -> TextReply:
        return _file(ctx, "openrc")

    @router.add("GET", USER + "/{public_cloud_user_id}/authentication/{type}")
    def get_authentication_file(ctx: Ctx) -> TextReply:
        raw = ctx.params["type"]
        kind = AUTH_FILE_ALIASES.get(raw, raw)
        if kind not in AUTH_FILE_TYPES:
            raise validation_failed(
                [
                    field_error(
                        "type",
                        "validation_rule_in",
                        "The selected type is invalid.",
                        values=list(AUTH_FILE_TYPES),
                    )
                ]
            )
        return _file(ctx, kind)
