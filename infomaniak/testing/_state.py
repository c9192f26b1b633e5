"""Seed data, mutable state and the lazy clock of the emulator.

Nothing runs in the background: every state-changing delay (task spooled ->
running -> executed, project creating -> ok, ...) is an event on a heap keyed by
``time.monotonic()``, and :meth:`State.advance` fires the due ones at the start
of each request (and whenever a test reads the state). An event fires with its
*scheduled* time, so lazily observed transitions get the timestamps they would
have had with a real clock, and chained delays do not drift.
"""

from __future__ import annotations

import heapq
import itertools
import random
import string
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any, Literal

from ._realism import Realism

if TYPE_CHECKING:
    from ._mysql import MysqlBackend

Item = dict[str, Any]
AsyncMode = Literal["task", "id"]
Event = Callable[[float], None]

MAIN_CLOUD_ID = 1332
MAIN_CLOUD_PROJECTS = 23  # more than two pages of 10, so paginated lists span pages
SEED_EPOCH = 1650751200  # 2022-04-24, the spec examples' dates
FIRST_PROJECT_ID = 25454  # the spec examples' ids
FIRST_USER_ID = 56321

CLOUD_NAMES = (
    "Acme Production",
    "Blue Harbor Staging",
    "Zephyr Labs",
    "alpine-dev",
    "Northwind Analytics",
    "Globex Platform",
    "Initech QA",
    "Umbrella Research",
    "Hooli Cloud",
    "Stark Industries",
    "Wayne Enterprises",
    "Cyberdyne Systems",
    "Tyrell Corp",
    "Soylent Data",
    "Massive Dynamic",
    "Vandelay Imports",
    "Pied Piper",
    "Aperture Science",
    "Black Mesa",
    "Oscorp Compute",
    "Gringotts Ledger",
    "Monsters Inc",
    "Dunder Mifflin",
    "Sterling Cooper",
    "Prestige Worldwide",
    "Wonka Factory",
    "Genco Shipping",
    "Ollivanders",
    "Lunar Industries",
    "Bluth Company",
    "Kwik-E-Mart",
    "Los Pollos Hermanos",
    "Nakatomi Trading",
    "Rekall Memories",
    "Weyland-Yutani",
    "Yoyodyne Propulsion",
    "Zorg Industries",
    "École Polytechnique",
    "Überwald Tech",
    "quiet-meadow",
)

PROJECT_NAMES = (
    "MyProject",
    "prod-web",
    "Staging API",
    "analytics",
    "Backups",
    "ci-runners",
    "Data Lake",
    "edge-cache",
    "Frontend",
    "gitlab",
    "Hosting EU",
    "identity",
    "Jupyter",
    "k8s-playground",
    "Logging",
    "mail-relay",
    "Monitoring",
    "nextcloud",
    "Observability",
    "payments",
    "QA sandbox",
    "Render farm",
    "search",
)

USER_DESCRIPTIONS = (
    "My super user",
    "Deploy bot",
    "Terraform",
    "CI runner",
    "Backup agent",
    "Alice (admin)",
    "Bob - developer",
    "monitoring",
    "Ansible",
    "Read-only auditor",
)

TAGS = (
    {"id": 1234, "name": "My tag name", "color": 4},
    {"id": 1301, "name": "production", "color": 1},
    {"id": 1302, "name": "staging", "color": 7},
    {"id": 1303, "name": "customer-facing", "color": 2},
    {"id": 1304, "name": "internal", "color": 9},
)

PROJECT_STATUSES = ("creating", "deleting", "disabled", "disabling", "error", "ok", "updating")


class State:
    """All mutable data of one emulator. Guard every access with :attr:`lock`."""

    def __init__(
        self,
        *,
        account_id: int,
        clouds: int,
        projects_per_cloud: int | None,
        task_duration: float,
        provision_duration: float,
        async_mode: AsyncMode,
        seed: int,
        realism: Realism | None = None,
        durations: dict[str, float] | None = None,
    ) -> None:
        self.lock = threading.RLock()
        # The data profile: which items get which documented variant (see _realism).
        self.realism = realism if realism is not None else Realism("realistic", seed)
        # The timing profile's durations (``_realism.DURATIONS``): areas read the
        # initial value of their own knobs here ("kaas", "dbaas", ...).
        self.durations: dict[str, float] = dict(durations or {})
        self.account_id = account_id
        self.task_duration = task_duration
        self.provision_duration = provision_duration
        self.async_mode: AsyncMode = async_mode
        self.rng = random.Random(seed)
        self._mono0 = time.monotonic()
        self._wall0 = time.time()
        self._events: list[tuple[float, int, Event]] = []
        self._seq = itertools.count()
        self._task_failures: deque[tuple[str, str]] = deque()
        self._provisioning_failures = 0
        self._names: set[str] = set()

        self.clouds: dict[int, Item] = {}
        self.projects: dict[int, Item] = {}
        self.users: dict[int, Item] = {}
        self.tasks: dict[str, Item] = {}
        # with=status/users/admin relations, rendered only on request.
        self.cloud_relations: dict[int, Item] = {}
        self.config: Item = {}
        self._next_project_id = FIRST_PROJECT_ID
        self._next_user_id = FIRST_USER_ID
        # A real MySQL server behind the databases (see _mysql), and the work on
        # it the answer of the request being handled waits for.
        self.mysql: MysqlBackend | None = None
        self.waits: list[Future[None]] = []
        self._seed(clouds, projects_per_cloud)

    # ------------------------------------------------------------------ clock

    def now(self) -> float:
        return time.monotonic()

    def wall(self, at: float | None = None) -> int:
        """Unix seconds of a monotonic instant (default: now)."""
        at = self.now() if at is None else at
        return int(self._wall0 + (at - self._mono0))

    def schedule(self, due: float, event: Event) -> None:
        heapq.heappush(self._events, (due, next(self._seq), event))

    def advance(self) -> None:
        now = self.now()
        while self._events and self._events[0][0] <= now:
            due, _, event = heapq.heappop(self._events)
            event(due)

    def take_waits(self) -> list[Future[None]]:
        """The work the answer being sent waits for (see _mysql.hold); clears it."""
        waits, self.waits = self.waits, []
        return waits

    # ------------------------------------------------------------------ failures

    def fail_next_task(self, code: str, description: str) -> None:
        self._task_failures.append((code, description))

    def fail_next_provisioning(self) -> None:
        self._provisioning_failures += 1

    def take_provisioning_failure(self) -> bool:
        if self._provisioning_failures:
            self._provisioning_failures -= 1
            return True
        return False

    # ------------------------------------------------------------------ async ops

    def accept(
        self,
        *,
        result: Any,
        apply: Event,
        undo: Event | None = None,
    ) -> Any:
        """Start an asynchronous operation and return the ``data`` of its 202.

        ``apply(at)`` performs the effect. In "id" mode it runs now and the answer
        is ``result`` (the new id or true, as the spec says); in "task" mode it
        runs when the task finishes and the answer is the task UUID. A task doomed
        by :meth:`fail_next_task` calls ``undo(at)`` instead of ``apply``.
        """
        if self.async_mode == "id":
            apply(self.now())
            return result
        return self.spawn_task(result=result, apply=apply, undo=undo)

    def async_result(self, key: object, *, success_documented: bool = False) -> str:
        """The ``result`` of the 202 answer about the item ``key`` ("asynchronous",
        or a documented variant in the realistic profile, see ``_realism``)."""
        return self.realism.async_result(
            key, async_mode=self.async_mode, success_documented=success_documented
        )

    def accept_deletion(self, item: Item, remove: Event) -> Any:
        """Start deleting ``item`` (a project or a user): ``deleting`` now, then
        ``remove(at)`` once the task is executed. "id" mode has no task to wait
        for, so the item stays ``deleting`` for ``provision_duration``. A failed
        task puts the previous status back."""
        previous = item["status"]
        item["status"] = "deleting"
        item["updated_at"] = self.wall()

        def apply(at: float) -> None:
            if self.async_mode == "id":
                self.schedule(at + self.provision_duration, remove)
            else:
                remove(at)

        def undo(at: float) -> None:
            if item["status"] == "deleting":
                item["status"] = previous
                item["updated_at"] = self.wall(at)

        return self.accept(result=True, apply=apply, undo=undo)

    def spawn_task(self, *, result: Any, apply: Event, undo: Event | None) -> str:
        now = self.now()
        failure = self._task_failures.popleft() if self._task_failures else None
        task_uuid = str(uuid.UUID(int=self.rng.getrandbits(128), version=4))
        created = self.wall(now)
        task: Item = {
            "uuid": task_uuid,
            "status": "spooled",
            "created_at": created,
            "updated_at": created,
            "executed_at": None,
            "finished_at": None,
            "response": None,
        }
        self.tasks[task_uuid] = task

        def start(at: float) -> None:
            task["status"] = "running"
            task["executed_at"] = task["updated_at"] = self.wall(at)

        def finish(at: float) -> None:
            if failure is None:
                apply(at)
                task["status"] = "executed"
                task["response"] = {"result": "success", "data": result}
            else:
                code, description = failure
                if undo is not None:
                    undo(at)
                task["status"] = "failed"
                task["error"] = {"code": code, "description": description}
                task["response"] = {
                    "result": "error",
                    "error": {"code": code, "description": description, "errors": []},
                }
            task["finished_at"] = task["updated_at"] = self.wall(at)

        self.schedule(now + self.task_duration / 2, start)
        self.schedule(now + self.task_duration, finish)
        return task_uuid

    def provision(self, items: Iterable[Item], at: float, *, fail: bool) -> None:
        """``creating`` -> ``ok`` (or ``error``) after ``provision_duration``."""
        pending = list(items)

        def done(when: float) -> None:
            for item in pending:
                if item["status"] == "creating":
                    item["status"] = "error" if fail else "ok"
                    item["updated_at"] = self.wall(when)

        self.schedule(at + self.provision_duration, done)

    # ------------------------------------------------------------------ factories

    def new_project_id(self) -> int:
        self._next_project_id += 1
        return self._next_project_id - 1

    def new_user_id(self) -> int:
        self._next_user_id += 1
        return self._next_user_id - 1

    def openstack_name(self, prefix: str, length: int) -> str:
        alphabet = string.ascii_uppercase + string.digits
        while True:
            name = prefix + "".join(self.rng.choice(alphabet) for _ in range(length))
            if name not in self._names:
                self._names.add(name)
                return name

    def make_project(
        self, project_id: int, cloud_id: int, name: str, open_stack_name: str, now: int
    ) -> Item:
        project: Item = {
            "public_cloud_project_id": project_id,
            "public_cloud_id": cloud_id,
            "open_stack_name": open_stack_name,
            "name": name,
            "price": 0.0,
            "resource_level": self.config["account_resource_level"],
            "status": "creating",
            "price_updated_at": None,
            "billing_start_at": None,
            "billing_end_at": None,
            "created_at": now,
            "updated_at": now,
            "user_count": 0,
            "tags": [],
            "meta": [],
        }
        if self.realism.picks("project.deleted_at", project_id):
            project["deleted_at"] = None
        self.realism.add_unknown_key(project, ("project", project_id))
        return project

    def make_user(
        self, user_id: int, project_id: int, description: str, open_stack_name: str, now: int
    ) -> Item:
        user: Item = {
            "public_cloud_user_id": user_id,
            "public_cloud_project_id": project_id,
            "open_stack_name": open_stack_name,
            "description": description,
            "status": "creating",
            "created_at": now,
            "updated_at": now,
        }
        self.realism.add_unknown_key(user, ("user", user_id))
        return user

    # ------------------------------------------------------------------ bookkeeping

    def refresh_counts(self) -> None:
        """Keep the denormalised counters (project/user counts) in sync."""
        per_cloud: dict[int, int] = dict.fromkeys(self.clouds, 0)
        per_project: dict[int, int] = dict.fromkeys(self.projects, 0)
        for project in self.projects.values():
            cloud_id = project["public_cloud_id"]
            per_cloud[cloud_id] = per_cloud.get(cloud_id, 0) + 1
        for user in self.users.values():
            project_id = user["public_cloud_project_id"]
            if project_id in per_project:
                per_project[project_id] += 1
        for cloud_id, cloud in self.clouds.items():
            cloud["public_cloud"]["project_count"] = per_cloud[cloud_id]
        for project_id, project in self.projects.items():
            project["user_count"] = per_project[project_id]
        self.config["project_count"] = len(self.projects)

    def remove_project(self, project_id: int) -> None:
        self.projects.pop(project_id, None)
        for user_id in [
            uid for uid, user in self.users.items() if user["public_cloud_project_id"] == project_id
        ]:
            del self.users[user_id]
        self.refresh_counts()

    # ------------------------------------------------------------------ seeding

    def _seed(self, clouds: int, projects_per_cloud: int | None) -> None:
        rng = self.rng
        self.config = {
            "free_tier": 300,
            "free_tier_used": 60.54,
            "account_resource_level": 2,
            "valid_from": SEED_EPOCH + 125_638,
            "valid_to": SEED_EPOCH + 125_638 + 365 * 86_400,
            "project_count": 0,
        }
        if self.realism.picks("config.open_period", self.account_id):
            self.config.update(valid_from=None, valid_to=None)
        # Centred on 1332 so the spec's example id always exists, ids ascending.
        ids = [MAIN_CLOUD_ID + (k - clouds // 2) * 3 for k in range(clouds)]
        for index, cloud_id in enumerate(ids):
            self.clouds[cloud_id] = self._seed_cloud(index, cloud_id)
            self.cloud_relations[cloud_id] = self._seed_relations(cloud_id)
        # The main cloud is seeded first so its first project and user get the
        # spec examples' ids (25454 "MyProject", 56321 "My super user").
        for index, cloud_id in sorted(enumerate(ids), key=lambda pair: pair[1] != MAIN_CLOUD_ID):
            if projects_per_cloud is not None:
                count = projects_per_cloud
            elif cloud_id == MAIN_CLOUD_ID:
                count = MAIN_CLOUD_PROJECTS
            else:
                count = rng.randint(0, 2)
            for position in range(count):
                self._seed_project(cloud_id, index, position)
        self._count_tags()
        self.refresh_counts()

    def _count_tags(self) -> None:
        """``product_count`` on the tags of the products picked for it."""
        counts: dict[int, int] = {}
        for cloud in self.clouds.values():
            for tag in cloud["tags"]:
                counts[tag["id"]] = counts.get(tag["id"], 0) + 1
        for cloud_id, cloud in self.clouds.items():
            if self.realism.picks("tag.product_count", cloud_id):
                for tag in cloud["tags"]:
                    tag["product_count"] = counts[tag["id"]]

    def _seed_cloud(self, index: int, cloud_id: int) -> Item:
        rng = self.rng
        if cloud_id == MAIN_CLOUD_ID:
            name = "My Public Cloud"
        else:
            name = CLOUD_NAMES[index % len(CLOUD_NAMES)]
            if index >= len(CLOUD_NAMES):
                name = f"{name} {index // len(CLOUD_NAMES) + 1}"
        created = SEED_EPOCH + index * 86_400 * 3
        price = round(rng.uniform(0, 250), 2) if index % 5 else 0.0
        cloud: Item = {
            "id": cloud_id,
            "account_id": self.account_id,
            "service_id": 40,
            "service_name": "public_cloud",
            "customer_name": name,
            "internal_name": None if index % 3 == 0 else f"pc-{cloud_id}-{name.split()[0].lower()}",
            "created_at": created,
            "expired_at": None if index % 4 else created + 2 * 365 * 86_400,
            "version": 1,
            "has_maintenance": False,
            "is_locked": False,
            "has_operation_in_progress": False,
            "tags": [dict(tag) for tag in rng.sample(TAGS, k=index % 3)],
            "unique_id": 987_654 + index * 11,
            "description": f"{name} - {('web', 'data', 'ci', 'sandbox')[index % 4]} workloads",
            "bill_reference": (
                None
                if index % 2 and self.realism.on  # variant cloud.bill_reference_null
                else f"PO-{2022 + index % 4}-{cloud_id:05d}"
            ),
            "is_free": index % 5 == 0,
            "is_zero_price": price == 0.0,
            "is_trial": index % 11 == 7,
            "rights": {"technical": True, "statistic": True, "check": True, "sale": index % 6 != 5},
            "public_cloud_id": cloud_id,
            "public_cloud": {
                "price": price,
                "price_updated_at": created + 86_400 if price else None,
                "updated_at": created + 86_400,
                "project_count": 0,
                "billing_start_at": created if price else None,
                "billing_end_at": None,
            },
        }
        if index % 9 == 4:
            # A few products hang under a parent product (optional spec fields).
            cloud["parent_id"] = 10_000 + index
            cloud["parent_service_id"] = 1
            cloud["parent_service_name"] = "hosting"
            cloud["fqdn"] = f"pc{cloud_id}.infomaniak.cloud"
        self._vary_cloud(cloud)
        return cloud

    def _vary_cloud(self, cloud: Item) -> None:
        realism, cloud_id, created = self.realism, cloud["id"], cloud["created_at"]
        billing = cloud["public_cloud"]
        if realism.picks("cloud.price_null", cloud_id):
            billing.update(price=None, price_updated_at=None)
        if realism.picks("cloud.billing_ended", cloud_id):
            billing["billing_start_at"] = billing["billing_start_at"] or created
            billing["billing_end_at"] = created + 400 * 86_400
        if realism.picks("cloud.deleted_at", cloud_id):
            cloud["deleted_at"] = created + 420 * 86_400
        if realism.picks("cloud.rights_empty", cloud_id):
            cloud["rights"] = []  # PHP's empty object
        realism.add_unknown_key(cloud, ("cloud", cloud_id))

    def _seed_relations(self, cloud_id: int) -> Item:
        cloud = self.clouds[cloud_id]
        admin_id = 100_000 + cloud_id
        status: Item = {
            "maintenance": {"technical": False, "superuser": False, "infomaniak": False},
            "locked": {"superuser": False, "infomaniak": False},
            "activated_by": [],
            "activated_at": cloud["created_at"],
        }
        if self.realism.picks("cloud.status_booleans", cloud_id):
            status.update(maintenance=cloud["has_maintenance"], locked=cloud["is_locked"])
        if self.realism.picks("cloud.activated_by_id", cloud_id):
            status["activated_by"] = admin_id if cloud_id % 2 else None
        return {
            "status": status,
            "users": [
                {
                    "user_id": admin_id,
                    "rights": {"technical": True, "statistic": True, "check": True, "sale": True},
                },
                {
                    "user_id": admin_id + 1,
                    "rights": {
                        "technical": True,
                        "statistic": False,
                        "check": False,
                        "sale": False,
                    },
                },
            ],
            "admin": {
                "user_id": admin_id,
                "email": f"admin.{cloud_id}@example.com",
                "display_name": f"Admin {cloud['customer_name']}",
            },
        }

    def _seed_project(self, cloud_id: int, cloud_index: int, position: int) -> None:
        rng = self.rng
        if cloud_id == MAIN_CLOUD_ID and position < len(PROJECT_NAMES):
            name = PROJECT_NAMES[position]
        else:
            name = rng.choice(PROJECT_NAMES) + f"-{position + 1}"
        project_id = self.new_project_id()
        created = SEED_EPOCH + 129_241 + cloud_index * 3_600 + position * 7_200
        project = self.make_project(
            project_id, cloud_id, name, self.openstack_name("PCP-", 4), created
        )
        status = "ok"
        if cloud_id == MAIN_CLOUD_ID and position in (7, 15):
            # A couple of non-ok projects so status filters have something to find.
            status = "error" if position == 7 else "disabled"
        price = round(rng.uniform(0, 80), 2)
        project.update(
            status=status,
            price=price,
            resource_level=rng.choice((1, 2, 2, 3)),
            price_updated_at=created + 359,
            billing_start_at=created - 129_241 if price else None,
            updated_at=created + 359,
            tags=[dict(tag) for tag in rng.sample(TAGS, k=position % 2)],
            # PHP answers [] for an empty map and an object otherwise (variant
            # project.meta_object: the spec's shape is the array only).
            meta=(
                {"owner": "ops", "cost_center": f"CC-{position:03d}"}
                if position % 5 == 3 and self.realism.on
                else []
            ),
        )
        realism = self.realism
        if (
            position > 0
            and status == "ok"
            and realism.picks("project.status_outside_enum", project_id)
        ):
            project["status"] = realism.choose(
                "project.status_outside_enum", project_id, ("suspended", "blocked")
            )
        if realism.picks("project.billing_ended", project_id):
            project["billing_start_at"] = project["billing_start_at"] or created
            project["billing_end_at"] = created + 200 * 86_400
        self.projects[project_id] = project
        for number in range(1 + (position % 2)):
            user_id = self.new_user_id()
            description = rng.choice(USER_DESCRIPTIONS)
            if user_id == FIRST_USER_ID:
                description = USER_DESCRIPTIONS[0]
            user = self.make_user(
                user_id,
                project_id,
                description,
                self.openstack_name("PCU-", 6),
                created + 60 * (number + 1),
            )
            user.update(status="ok", updated_at=created + 60 * (number + 1) + 117)
            self.users[user_id] = user
