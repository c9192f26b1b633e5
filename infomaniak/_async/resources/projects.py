"""``client.cloud.projects`` and ``client.cloud.projects.users``."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Any, Literal

from ..._handoff import CloudsYamlTarget, check_path, openstack_connection, require
from ..._listing import Order, list_params
from ..._request import drop_none
from ..._transport._common import Secret
from ..._validate import (
    check_choice,
    check_choice_list,
    check_id,
    check_path_segment,
    check_str,
)
from ...models.cloud import PublicCloudBoolResponse, PublicCloudProject, PublicCloudUser
from .._operations import AsyncOperation
from .._pagination import AsyncPList
from .._pipeline import AsyncPipeline
from .._polling import SharedList
from ._base import AsyncResource

Region = Literal["pub1", "pub2"]
_REGIONS = ("pub1", "pub2")
_NAME_MAX = 250

# The documented filter[status][] enums (CATALOG §5.2 #6 and §5.3 #12): the API
# answers 422 for any other value. The project list's enum differs from the
# project's status enum: it has no "disabled"/"disabling".
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
USER_FILTER_STATUSES = (
    "creating",
    "deleting",
    "disabled",
    "disabling",
    "error",
    "ok",
    "updating",
)


def _projects_path(public_cloud_id: int) -> str:
    return f"/1/public_clouds/{check_id('public_cloud_id', public_cloud_id)}/projects"


def _project_path(public_cloud_id: int, public_cloud_project_id: int) -> str:
    project_id = check_id("public_cloud_project_id", public_cloud_project_id)
    return f"{_projects_path(public_cloud_id)}/{project_id}"


def _users_path(public_cloud_id: int, public_cloud_project_id: int) -> str:
    return f"{_project_path(public_cloud_id, public_cloud_project_id)}/users"


def _user_path(
    public_cloud_id: int, public_cloud_project_id: int, public_cloud_user_id: int
) -> str:
    user_id = check_id("public_cloud_user_id", public_cloud_user_id)
    return f"{_users_path(public_cloud_id, public_cloud_project_id)}/{user_id}"


def _description(name: str, value: str | None) -> str | None:
    return check_str(name, value, max_length=_NAME_MAX, optional=True)


def _password(name: str, secret: Secret[Any], *, optional: bool = False) -> Secret[str | None]:
    """The password checked, still wrapped: no frame shows it, even on a refusal.

    The API enforces its password policy (422 validation_failed naming the
    field); locally only the type, emptiness and control characters are
    checked. A refusal is raised from here, without the frame of the check
    (it holds the value). The callers wrap the argument and drop it first.
    """
    try:
        checked = check_str(name, secret.value, min_length=1, optional=optional)
    except (TypeError, ValueError) as exc:
        # The messages never quote the value.
        error = type(exc)(*exc.args)
    else:
        return Secret(checked)
    raise error


class AsyncProjectUserResource(AsyncResource):
    """``client.cloud.projects.users``: the OpenStack users of a project."""

    async def list(
        self,
        *,
        public_cloud_id: int,
        public_cloud_project_id: int,
        search: str | None = None,
        status: str | Sequence[str] | None = None,
        order_by: str | Sequence[str] | None = None,
        order: Order | None = None,
        order_for: Mapping[str, Order] | None = None,
        page: int = 1,
        per_page: int | None = None,
    ) -> AsyncPList[PublicCloudUser]:
        """List the OpenStack users of a project, a page at a time.

        Iterating the result walks every item of this and all later pages.

        Args:
            public_cloud_id: The Public Cloud product.
            public_cloud_project_id: The project.
            search: Keep the users whose description contains this text.
            status: Keep the users in this status or these statuses, from the
                documented filter enum (``"ok"``, ``"creating"``, ``"error"``,
                ``"disabled"``...).
            order_by: Field name(s) to sort on: ``"description"``,
                ``"open_stack_name"``, ``"email"``, ``"status"``.
            order: ``"asc"`` or ``"desc"``, for ``order_by``.
            order_for: Direction per field, e.g. ``{"status": "desc"}``.
            page: The page to fetch first (from 1).
            per_page: Items per page (default: the client's ``per_page``, 100).

        Returns:
            The requested page of ``PublicCloudUser``.

        Raises:
            TypeError: an argument has the wrong type or a required one is missing.
            ValueError: an id is not positive, page/per_page is not positive,
                or a status is outside the documented filter enum.
            infomaniak.errors.NotFoundError: no such project for this token.
            infomaniak.errors.APIError: the API answered another error, on
                this page or, while iterating, on a later one.
        """
        params = list_params(
            search=search,
            filters={"status": check_choice_list("status", status, USER_FILTER_STATUSES)},
            order_by=order_by,
            order=order,
            order_for=order_for,
        )
        path = _users_path(public_cloud_id, public_cloud_project_id)
        return await self._list(path, PublicCloudUser, params=params, page=page, per_page=per_page)

    async def get(
        self, *, public_cloud_id: int, public_cloud_project_id: int, public_cloud_user_id: int
    ) -> PublicCloudUser:
        """Get one OpenStack user of a project.

        Args:
            public_cloud_id: The Public Cloud product.
            public_cloud_project_id: The project.
            public_cloud_user_id: The user.

        Returns:
            The user.

        Raises:
            TypeError: an argument has the wrong type or a required one is missing.
            ValueError: an id is not positive.
            infomaniak.errors.NotFoundError: no such user for this token.
            infomaniak.errors.APIError: the API answered another error.
        """
        path = _user_path(public_cloud_id, public_cloud_project_id, public_cloud_user_id)
        return await self._get(path, PublicCloudUser)

    def _user_operation(
        self,
        envelope: Mapping[str, object],
        public_cloud_id: int,
        public_cloud_project_id: int,
        *,
        public_cloud_user_id: int | None = None,
        deletes: bool = False,
    ) -> AsyncOperation[Any]:
        async def fetch(user_id: int) -> PublicCloudUser:
            return await self.get(
                public_cloud_id=public_cloud_id,
                public_cloud_project_id=public_cloud_project_id,
                public_cloud_user_id=user_id,
            )

        return AsyncOperation(
            self._pipeline,
            envelope,
            resource="user",
            fetch=fetch,
            resource_id=public_cloud_user_id,
            deletes=deletes,
            # Waits on users of one project share the project's user list.
            shared=SharedList(
                key=("user", public_cloud_id, public_cloud_project_id),
                path=_users_path(public_cloud_id, public_cloud_project_id),
                id_field="public_cloud_user_id",
                model=PublicCloudUser,
            ),
        )

    async def create(
        self,
        *,
        public_cloud_id: int,
        public_cloud_project_id: int,
        password: str,
        description: str | None = None,
    ) -> AsyncOperation[PublicCloudUser]:
        """Create an OpenStack user with a password.

        Args:
            public_cloud_id: The Public Cloud product.
            public_cloud_project_id: The project.
            password: The user's password (the API enforces its password
                policy: length, upper case, digits).
            description: What the user is for (at most 250 characters).

        Returns:
            An operation: ``wait()`` returns the user once its status is ``ok``.

        Raises:
            TypeError: an argument has the wrong type or a required one is missing.
            ValueError: an id is not positive, password is empty or description too long.
            infomaniak.errors.ValidationError: the API rejected a value (its
                ``fields`` name which).
            infomaniak.errors.APIError: the API answered another error.
        """
        # The password stays wrapped and out of every frame's locals (issue 17).
        secret = Secret(password)
        del password
        path = _users_path(public_cloud_id, public_cloud_project_id)
        body = Secret(
            drop_none(
                [
                    ("password", _password("password", secret).value),
                    (
                        "description",
                        _description("description", description),
                    ),
                ]
            )
        )
        envelope = await self._pipeline.request("POST", path, json=body)
        return self._user_operation(envelope, public_cloud_id, public_cloud_project_id)

    async def invite(
        self,
        *,
        public_cloud_id: int,
        public_cloud_project_id: int,
        email: str,
        description: str | None = None,
    ) -> AsyncOperation[PublicCloudUser]:
        """Create an OpenStack user by sending an invitation to ``email``.

        The person invited chooses the password.

        Args:
            public_cloud_id: The Public Cloud product.
            public_cloud_project_id: The project.
            email: Where to send the invitation (at least 3 characters).
            description: What the user is for (at most 250 characters).

        Returns:
            An operation: ``wait()`` returns the user once its status is ``ok``.

        Raises:
            TypeError: an argument has the wrong type or a required one is missing.
            ValueError: an id is not positive, email is too short or description too long.
            infomaniak.errors.ValidationError: the API rejected a value (its
                ``fields`` name which).
            infomaniak.errors.APIError: the API answered another error.
        """
        path = f"{_users_path(public_cloud_id, public_cloud_project_id)}/invite"
        body = drop_none(
            [
                ("email", check_str("email", email, min_length=3)),
                (
                    "description",
                    _description("description", description),
                ),
            ]
        )
        envelope = await self._pipeline.request("POST", path, json=body)
        return self._user_operation(envelope, public_cloud_id, public_cloud_project_id)

    async def update(
        self,
        *,
        public_cloud_id: int,
        public_cloud_project_id: int,
        public_cloud_user_id: int,
        description: str | None = None,
        email: str | None = None,
        password: str | None = None,
    ) -> PublicCloudBoolResponse:
        """Change a user's description, e-mail or password.

        Those not given stay as they are; give at least one.

        Args:
            public_cloud_id: The Public Cloud product.
            public_cloud_project_id: The project.
            public_cloud_user_id: The user.
            description: The new description (at most 250 characters).
            email: The new e-mail address (at least 3 characters).
            password: The new password (the API enforces its policy).

        Returns:
            The API's answer: ``result`` ``"success"`` and ``data`` ``True``.

        Raises:
            TypeError: an argument has the wrong type or a required one is missing.
            ValueError: an id is not positive, none is given, or a value is out of bounds.
            infomaniak.errors.ValidationError: the API rejected a value (its
                ``fields`` name which).
            infomaniak.errors.APIError: the API answered another error.
        """
        secret = Secret(password)
        del password
        path = _user_path(public_cloud_id, public_cloud_project_id, public_cloud_user_id)
        body = Secret(
            drop_none(
                [
                    (
                        "description",
                        _description("description", description),
                    ),
                    ("email", check_str("email", email, min_length=3, optional=True)),
                    ("password", _password("password", secret, optional=True).value),
                ]
            )
        )
        if not body.value:
            raise ValueError("give at least one of description, email, password")
        return await self._patch(path, body)

    async def delete(
        self, *, public_cloud_id: int, public_cloud_project_id: int, public_cloud_user_id: int
    ) -> AsyncOperation[None]:
        """Delete an OpenStack user.

        Args:
            public_cloud_id: The Public Cloud product.
            public_cloud_project_id: The project.
            public_cloud_user_id: The user.

        Returns:
            An operation: ``wait()`` returns ``None`` once the user is gone.

        Raises:
            TypeError: an argument has the wrong type or a required one is missing.
            ValueError: an id is not positive.
            infomaniak.errors.NotFoundError: no such user for this token.
            infomaniak.errors.APIError: the API answered another error.
        """
        path = _user_path(public_cloud_id, public_cloud_project_id, public_cloud_user_id)
        envelope = await self._pipeline.request("DELETE", path)
        return self._user_operation(
            envelope,
            public_cloud_id,
            public_cloud_project_id,
            public_cloud_user_id=public_cloud_user_id,
            deletes=True,
        )

    async def reinvite(
        self,
        *,
        public_cloud_id: int,
        public_cloud_project_id: int,
        public_cloud_user_id: int,
        email: str,
        description: str | None = None,
    ) -> AsyncOperation[PublicCloudUser]:
        """Send a user a new invitation (to reset its password) at ``email``.

        Args:
            public_cloud_id: The Public Cloud product.
            public_cloud_project_id: The project.
            public_cloud_user_id: The user.
            email: Where to send the invitation (at least 3 characters).
            description: A new description (at most 250 characters).

        Returns:
            An operation: ``wait()`` returns the user once its status is ``ok``.

        Raises:
            TypeError: an argument has the wrong type or a required one is missing.
            ValueError: an id is not positive, email is too short or description too long.
            infomaniak.errors.ValidationError: the API rejected a value (its
                ``fields`` name which).
            infomaniak.errors.APIError: the API answered another error.
        """
        path = (
            f"{_user_path(public_cloud_id, public_cloud_project_id, public_cloud_user_id)}/invite"
        )
        body = drop_none(
            [
                ("email", check_str("email", email, min_length=3)),
                (
                    "description",
                    _description("description", description),
                ),
            ]
        )
        envelope = await self._pipeline.request("POST", path, json=body)
        return self._user_operation(
            envelope,
            public_cloud_id,
            public_cloud_project_id,
            public_cloud_user_id=public_cloud_user_id,
        )

    async def openrc(
        self,
        *,
        public_cloud_id: int,
        public_cloud_project_id: int,
        public_cloud_user_id: int,
        region: Region | None = None,
    ) -> str:
        """Get the user's OpenStack ``openrc.sh`` file, as text.

        It is a credential: the SDK returns it and never logs it.

        Args:
            public_cloud_id: The Public Cloud product.
            public_cloud_project_id: The project.
            public_cloud_user_id: The user.
            region: ``"pub1"`` or ``"pub2"`` (default: the API's choice).

        Returns:
            The shell script that sets the ``OS_*`` variables.

        Raises:
            TypeError: an argument has the wrong type or a required one is missing.
            ValueError: an id is not positive, or region is not pub1/pub2.
            infomaniak.errors.NotFoundError: no such user for this token.
            infomaniak.errors.APIError: the API answered another error.
        """
        path = (
            f"{_user_path(public_cloud_id, public_cloud_project_id, public_cloud_user_id)}/openrc"
        )
        params = {"region": check_choice("region", region, _REGIONS)}
        text: str = await self._pipeline.request("GET", path, params=params, text=True)
        return text

    async def authentication_file(
        self,
        *,
        public_cloud_id: int,
        public_cloud_project_id: int,
        public_cloud_user_id: int,
        type: str,
        region: Region | None = None,
    ) -> str:
        """Get an authentication file of the given ``type``, as text.

        It is a credential: the SDK returns it and never logs it.

        Args:
            public_cloud_id: The Public Cloud product.
            public_cloud_project_id: The project.
            public_cloud_user_id: The user.
            type: The kind of file, e.g. ``"clouds.yaml"`` or ``"openrc"``.
            region: ``"pub1"`` or ``"pub2"`` (default: the API's choice).

        Returns:
            The file's content.

        Raises:
            TypeError: an argument has the wrong type or a required one is missing.
            ValueError: an id is not positive, type is not one path segment
                (letters, digits, ``-_.~``), or region is not pub1/pub2.
            infomaniak.errors.ValidationError: the API does not know ``type``.
            infomaniak.errors.APIError: the API answered another error.
        """
        file_type = check_path_segment("type", type)
        base = _user_path(public_cloud_id, public_cloud_project_id, public_cloud_user_id)
        path = f"{base}/authentication/{file_type}"
        params = {"region": check_choice("region", region, _REGIONS)}
        text: str = await self._pipeline.request("GET", path, params=params, text=True)
        return text

    async def save_clouds_yaml(
        self,
        *,
        public_cloud_id: int,
        public_cloud_project_id: int,
        public_cloud_user_id: int,
        cloud: str | None = None,
        password: str | None = None,
        region: Region | None = None,
        path: str | os.PathLike[str] | None = None,
    ) -> str:
        """Merge the user's OpenStack entry into the user's ``clouds.yaml``.

        The entry the API's ``clouds.yaml`` gives (auth URL, project, user,
        domains, region) goes under ``cloud`` (else
        ``infomaniak-<project id>-user-<user id>``); running it again replaces
        it, every other entry stays. With ``password``, the password goes into
        ``secure.yaml`` beside the clouds.yaml (mode 0600), never into
        clouds.yaml. Both files are written atomically, mode 0600.

        openstacksdk and the ``openstack`` command read ``secure.yaml`` only
        from their own places: ``$OS_CLIENT_SECURE_FILE``, the working folder,
        ``~/.config/openstack`` and ``/etc/openstack``. With the default path
        (``~/.config/openstack/clouds.yaml``) they find it; with a clouds.yaml
        elsewhere, set ``OS_CLIENT_SECURE_FILE`` to the secure.yaml beside it
        (and ``OS_CLIENT_CONFIG_FILE`` to the clouds.yaml).

        Args:
            public_cloud_id: The Public Cloud product.
            public_cloud_project_id: The project.
            public_cloud_user_id: The user.
            cloud: The entry's name (``openstack --os-cloud NAME``).
            password: The user's password, for secure.yaml (default: none is
                written; an existing one is kept).
            region: ``"pub1"`` or ``"pub2"`` (default: the API's choice).
            path: The clouds.yaml (default: ``$OS_CLIENT_CONFIG_FILE``, else
                ``~/.config/openstack/clouds.yaml``).

        Returns:
            The cloud's name.

        Raises:
            TypeError: an argument has the wrong type or a required one is missing.
            ValueError: an id is not positive, region is not pub1/pub2, cloud or
                password is empty, or an existing clouds.yaml or secure.yaml
                is malformed (the message names it; both are left unchanged).
            infomaniak.errors.NotFoundError: no such user for this token.
            infomaniak.errors.APIError: the API answered another error.
            OSError: a file cannot be read or written.
        """
        sealed = Secret(password)
        del password
        check_path(path)
        _user_path(public_cloud_id, public_cloud_project_id, public_cloud_user_id)
        name = check_str("cloud", cloud, min_length=1, optional=True)
        secret = _password("password", sealed, optional=True)
        check_choice("region", region, _REGIONS)
        if name is None:
            name = f"infomaniak-{public_cloud_project_id}-user-{public_cloud_user_id}"
        # The user's files are read and checked before the API is asked.
        target = CloudsYamlTarget(path)
        text = await self.authentication_file(
            public_cloud_id=public_cloud_id,
            public_cloud_project_id=public_cloud_project_id,
            public_cloud_user_id=public_cloud_user_id,
            type="clouds.yaml",
            region=region,
        )
        target.save(text, name=name, password=secret)
        return name

    async def openstack_connection(
        self,
        *,
        public_cloud_id: int,
        public_cloud_project_id: int,
        public_cloud_user_id: int,
        password: str,
        region: Region | None = None,
    ) -> Any:
        """An openstacksdk ``Connection`` for this user and project.

        Built from the API's clouds.yaml entry and ``password``, without
        contacting OpenStack (it authenticates on its first call) and without
        reading the machine's clouds.yaml or ``OS_*`` variables. openstacksdk
        is blocking, from ``AsyncClient`` too.

        Args:
            public_cloud_id: The Public Cloud product.
            public_cloud_project_id: The project.
            public_cloud_user_id: The user.
            password: The user's password.
            region: ``"pub1"`` or ``"pub2"`` (default: the API's choice).

        Returns:
            An ``openstack.connection.Connection``.

        Raises:
            ImportError: openstacksdk is not installed (``pip install
                'infomaniak-cloud[openstack]'``).
            TypeError: an argument has the wrong type or a required one is missing.
            ValueError: an id is not positive, region is not pub1/pub2, or
                password is empty.
            infomaniak.errors.NotFoundError: no such user for this token.
            infomaniak.errors.APIError: the API answered another error.
        """
        sealed = Secret(password)
        del password
        _user_path(public_cloud_id, public_cloud_project_id, public_cloud_user_id)
        secret = _password("password", sealed)
        check_choice("region", region, _REGIONS)
        require("openstack", "openstack")
        text = await self.authentication_file(
            public_cloud_id=public_cloud_id,
            public_cloud_project_id=public_cloud_project_id,
            public_cloud_user_id=public_cloud_user_id,
            type="clouds.yaml",
            region=region,
        )
        return openstack_connection(text, password=secret, user_agent="infomaniak-python")


class AsyncProjectResource(AsyncResource):
    """``client.cloud.projects``: the projects of a Public Cloud."""

    def __init__(self, pipeline: AsyncPipeline) -> None:
        super().__init__(pipeline)
        self.users = AsyncProjectUserResource(pipeline)

    async def list(
        self,
        *,
        public_cloud_id: int,
        search: str | None = None,
        status: str | Sequence[str] | None = None,
        order_by: str | Sequence[str] | None = None,
        order: Order | None = None,
        order_for: Mapping[str, Order] | None = None,
        with_: str | Sequence[str] | None = None,
        page: int = 1,
        per_page: int | None = None,
    ) -> AsyncPList[PublicCloudProject]:
        """List the projects of a Public Cloud, a page at a time.

        Iterating the result walks every item of this and all later pages.

        Args:
            public_cloud_id: The Public Cloud product.
            search: Keep the projects whose name contains this text.
            status: Keep the projects in this status or these statuses, from the
                documented filter enum (``"ok"``, ``"creating"``, ``"error"``,
                ``"suspended"``...). It has no ``"disabled"``/``"disabling"``:
                the API refuses them, and so does the SDK before sending.
            order_by: Field name(s) to sort on: ``"name"``, ``"open_stack_name"``,
                ``"resource_level"``, ``"price"``, ``"user_count"``, ``"status"``.
            order: ``"asc"`` or ``"desc"``, for ``order_by``.
            order_for: Direction per field, e.g. ``{"name": "desc"}``.
            with_: Relations to load: ``"services"``.
            page: The page to fetch first (from 1).
            per_page: Items per page (default: the client's ``per_page``, 100).

        Returns:
            The requested page of ``PublicCloudProject``.

        Raises:
            TypeError: an argument has the wrong type or a required one is missing.
            ValueError: an id is not positive, page/per_page is not positive,
                or a status is outside the documented filter enum.
            infomaniak.errors.NotFoundError: no such Public Cloud for this token.
            infomaniak.errors.APIError: the API answered another error, on
                this page or, while iterating, on a later one.
        """
        params = list_params(
            search=search,
            filters={"status": check_choice_list("status", status, PROJECT_FILTER_STATUSES)},
            order_by=order_by,
            order=order,
            order_for=order_for,
            with_=with_,
        )
        return await self._list(
            _projects_path(public_cloud_id),
            PublicCloudProject,
            params=params,
            page=page,
            per_page=per_page,
        )

    async def get(
        self,
        *,
        public_cloud_id: int,
        public_cloud_project_id: int,
        with_: str | Sequence[str] | None = None,
    ) -> PublicCloudProject:
        """Get one project.

        Args:
            public_cloud_id: The Public Cloud product.
            public_cloud_project_id: The project.
            with_: Relations to load: ``"services"``.

        Returns:
            The project.

        Raises:
            TypeError: an argument has the wrong type or a required one is missing.
            ValueError: an id is not positive.
            infomaniak.errors.NotFoundError: no such project for this token.
            infomaniak.errors.APIError: the API answered another error.
        """
        path = _project_path(public_cloud_id, public_cloud_project_id)
        return await self._get(path, PublicCloudProject, params=list_params(with_=with_))

    def _project_operation(
        self,
        envelope: Mapping[str, object],
        public_cloud_id: int,
        *,
        public_cloud_project_id: int | None = None,
        deletes: bool = False,
    ) -> AsyncOperation[Any]:
        async def fetch(project_id: int) -> PublicCloudProject:
            return await self.get(
                public_cloud_id=public_cloud_id, public_cloud_project_id=project_id
            )

        return AsyncOperation(
            self._pipeline,
            envelope,
            resource="project",
            fetch=fetch,
            resource_id=public_cloud_project_id,
            deletes=deletes,
            # Waits on projects of one Public Cloud share its project list.
            shared=SharedList(
                key=("project", public_cloud_id),
                path=_projects_path(public_cloud_id),
                id_field="public_cloud_project_id",
                model=PublicCloudProject,
            ),
        )

    async def create(
        self,
        *,
        public_cloud_id: int,
        project_name: str,
        user_password: str,
        user_description: str | None = None,
        user_email: str | None = None,
    ) -> AsyncOperation[PublicCloudProject]:
        """Create a project with its first OpenStack user.

        Args:
            public_cloud_id: The Public Cloud product.
            project_name: The project's name (1 to 250 characters).
            user_password: The first user's password (the API enforces its
                password policy).
            user_description: What the first user is for (at most 250 characters).
            user_email: The first user's e-mail address (at least 3 characters).

        Returns:
            An operation: ``wait()`` returns the project once its status is ``ok``.

        Raises:
            TypeError: an argument has the wrong type or a required one is missing.
            ValueError: an id is not positive, a name is empty or too long,
                or user_password is empty.
            infomaniak.errors.ValidationError: the API rejected a value (its
                ``fields`` name which).
            infomaniak.errors.APIError: the API answered another error.
        """
        secret = Secret(user_password)
        del user_password
        body = Secret(
            drop_none(
                [
                    (
                        "project_name",
                        check_str("project_name", project_name, min_length=1, max_length=_NAME_MAX),
                    ),
                    ("user_password", _password("user_password", secret).value),
                    (
                        "user_description",
                        _description("user_description", user_description),
                    ),
                    (
                        "user_email",
                        check_str("user_email", user_email, min_length=3, optional=True),
                    ),
                ]
            )
        )
        envelope = await self._pipeline.request("POST", _projects_path(public_cloud_id), json=body)
        return self._project_operation(envelope, public_cloud_id)

    async def invite(
        self,
        *,
        public_cloud_id: int,
        project_name: str,
        user_email: str,
        user_description: str | None = None,
    ) -> AsyncOperation[PublicCloudProject]:
        """Create a project whose first user is invited by e-mail.

        Args:
            public_cloud_id: The Public Cloud product.
            project_name: The project's name (1 to 250 characters).
            user_email: Where to send the invitation (at least 3 characters).
            user_description: What the first user is for (at most 250 characters).

        Returns:
            An operation: ``wait()`` returns the project once its status is ``ok``.

        Raises:
            TypeError: an argument has the wrong type or a required one is missing.
            ValueError: an id is not positive, a name is empty or too long, or user_email too short.
            infomaniak.errors.ValidationError: the API rejected a value (its
                ``fields`` name which).
            infomaniak.errors.APIError: the API answered another error.
        """
        body = drop_none(
            [
                (
                    "project_name",
                    check_str("project_name", project_name, min_length=1, max_length=_NAME_MAX),
                ),
                ("user_email", check_str("user_email", user_email, min_length=3)),
                (
                    "user_description",
                    _description("user_description", user_description),
                ),
            ]
        )
        path = f"{_projects_path(public_cloud_id)}/invite"
        envelope = await self._pipeline.request("POST", path, json=body)
        return self._project_operation(envelope, public_cloud_id)

    async def update(
        self, *, public_cloud_id: int, public_cloud_project_id: int, name: str
    ) -> AsyncOperation[PublicCloudProject]:
        """Rename a project.

        Args:
            public_cloud_id: The Public Cloud product.
            public_cloud_project_id: The project.
            name: The new name (1 to 250 characters).

        Returns:
            An operation: ``wait()`` returns the project once the change is applied.

        Raises:
            TypeError: an argument has the wrong type or a required one is missing.
            ValueError: an id is not positive, or name is empty or too long.
            infomaniak.errors.ValidationError: the API rejected a value (its
                ``fields`` name which).
            infomaniak.errors.APIError: the API answered another error.
        """
        path = _project_path(public_cloud_id, public_cloud_project_id)
        body = {"name": check_str("name", name, min_length=1, max_length=_NAME_MAX)}
        envelope = await self._pipeline.request("PATCH", path, json=body)
        return self._project_operation(
            envelope, public_cloud_id, public_cloud_project_id=public_cloud_project_id
        )

    async def delete(
        self, *, public_cloud_id: int, public_cloud_project_id: int
    ) -> AsyncOperation[None]:
        """Delete a project and its users.

        Args:
            public_cloud_id: The Public Cloud product.
            public_cloud_project_id: The project.

        Returns:
            An operation: ``wait()`` returns ``None`` once the project is gone.

        Raises:
            TypeError: an argument has the wrong type or a required one is missing.
            ValueError: an id is not positive.
            infomaniak.errors.NotFoundError: no such project for this token.
            infomaniak.errors.APIError: the API answered another error.
        """
        path = _project_path(public_cloud_id, public_cloud_project_id)
        envelope = await self._pipeline.request("DELETE", path)
        return self._project_operation(
            envelope,
            public_cloud_id,
            public_cloud_project_id=public_cloud_project_id,
            deletes=True,
        )
