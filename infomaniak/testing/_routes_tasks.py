"""Asynchronous task routes (CATALOG §5.14)."""

from __future__ import annotations

from ._http import Ctx, JsonReply, Router, by_key, not_found, paginate, sort_items, success

# The spec gives no order_by enum for tasks; these are the task's sortable fields.
TASK_SORT = {
    name: by_key(name)
    for name in ("uuid", "status", "created_at", "updated_at", "executed_at", "finished_at")
}


def register(router: Router) -> None:
    @router.add("GET", "/1/async/tasks")
    def list_tasks(ctx: Ctx) -> JsonReply:
        tasks = list(ctx.state.tasks.values())
        # ``order_by=id`` is the spec's own example: the tasks' creation order (the
        # row id behind the API); a task shows no id of its own.
        position = {id(task): index for index, task in enumerate(tasks)}
        fields = {**TASK_SORT, "id": lambda task: position[id(task)]}
        items = sort_items(ctx, tasks, fields)
        return paginate(ctx, items)

    @router.add("GET", "/1/async/tasks/{task_uuid}")
    def get_task(ctx: Ctx) -> JsonReply:
        task = ctx.state.tasks.get(ctx.params["task_uuid"])
        if task is None:
            raise not_found()
        return success(task)
