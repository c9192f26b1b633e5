"""The converter's costs (issue 21): decoding models does not import cattrs
(the generated hooks are found through the converter module's own cache, the
one cattrs converter is built on first use of
``infomaniak._converter.converter``), and values that repeat across a listing
are held once."""

from __future__ import annotations

import json
import subprocess
import sys

PROBE = """
import json, sys
import infomaniak.models.cloud as m
from infomaniak._converter import structure, structure_list

cloud = {"id": 1, "tags": [{"id": 2, "name": "prod"}], "rights": []}
clouds = structure_list([cloud], m.PublicCloud)
cluster = structure(
    {"kaas_id": 7, "status": "Active", "pack": {"kaas_pack_id": 1, "is_active": "true"},
     "tags": [], "instances": {"total": 3}},
    m.KubernetesService,
)
database = structure(
    {"id": 3, "status": "ready", "connection": [], "pack": {"id": 1, "rates": {"CHF": []}},
     "backup_schedules": [{"id": 1, "scheduled_at": "02:00"}]},
    m.DatabaseService,
)
pool = structure({"instance_pool_id": 1, "labels": ["a: b"]}, m.InstancePool)
before = "cattrs" in sys.modules
from infomaniak._converter import converter
again = converter.structure({"kaas_id": 7, "status": "Active"}, m.KubernetesService)
print(json.dumps({
    "cattrs_before": before,
    "cattrs_after": "cattrs" in sys.modules,
    "cloud": [clouds[0].id, clouds[0].tags[0].name, clouds[0].rights is not None],
    "cluster": [cluster.status.name, cluster.pack.is_active, cluster.instances.total],
    "database": [database.connection, database.pack.rates.chf is not None,
                 database.backup_schedules[0].scheduled_at],
    "labels": pool.labels,
    "converter": [type(converter).__name__, again.kaas_id, again.status.name],
}))
"""


def test_decoding_models_does_not_import_cattrs_and_the_converter_still_works() -> None:
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.splitlines()[-1])
    assert seen["cattrs_before"] is False
    assert seen["cloud"] == [1, "prod", True]
    assert seen["cluster"] == ["ACTIVE", True, 3]
    assert seen["database"] == [None, True, "02:00"]
    assert seen["labels"] == {"a": "b"}
    # The one cattrs converter, built on first use, decodes with the same hooks.
    assert seen["cattrs_after"] is True
    assert seen["converter"] == ["Converter", 7, "ACTIVE"]


def test_equal_instance_counts_of_listed_clusters_share_one_frozen_value() -> None:
    # Memory of 100,000 held clusters (issue 21.2): the counts repeat across a
    # listing and are held once, like tags; a frozen value cannot be changed
    # through one cluster behind the others' back.
    import attrs
    import pytest

    from infomaniak._converter import structure_list
    from infomaniak.models.cloud import KubernetesService

    counts = {"total": 30, "used": 4, "fixed": 3, "minimum_autoscaled": 1}
    page = [{"kaas_id": n, "instances": dict(counts)} for n in range(1, 4)]
    page.append({"kaas_id": 9, "instances": {**counts, "used": 5}})
    first, second, third, other = structure_list(page, KubernetesService)
    assert first.instances is second.instances is third.instances
    assert first.instances is not None and first.instances.used == 4
    assert other.instances is not None and other.instances.used == 5
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        first.instances.used = 7  # type: ignore[misc]


FIRST_DECODES_AT_ONCE = """
import sys, threading
import infomaniak.models.cloud as m
from infomaniak._converter import structure_list

sys.setswitchinterval(1e-6)  # threads take turns as often as they can
cluster = {"kaas_id": 7, "status": "Active", "pack": {"kaas_pack_id": 1}, "tags": [],
           "project": {"id": 1}, "instances": {"total": 3}}
database = {"id": 3, "status": "ready", "connection": {}, "pack": {"id": 1},
            "backup_schedules": [{"id": 1}], "project": {"id": 1}}
failures = []
barrier = threading.Barrier(32)

def first_decode(n):
    barrier.wait()
    try:
        if n % 2:
            structure_list([cluster], m.KubernetesService)
        else:
            structure_list([database], m.DatabaseService)
    except Exception as exc:
        failures.append(repr(exc))

threads = [threading.Thread(target=first_decode, args=(n,)) for n in range(32)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(len(failures), failures[:3])
"""


def test_threads_decoding_a_model_for_the_first_time_at_once_all_get_it() -> None:
    # The first decode of a model builds its hook. Threads arriving while it
    # is being built wait for it: they once took the path meant for a model
    # that holds itself and failed with "missing key <class ...>".
    for _ in range(3):  # a fresh process each time: no hook built yet
        done = subprocess.run(
            [sys.executable, "-c", FIRST_DECODES_AT_ONCE],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr[-2000:]
        assert done.stdout.strip() == "0 []", done.stdout


def test_json_shaped_fields_are_taken_as_they_come_only_when_every_item_fits() -> None:
    # Fields typed as JSON shapes (list[str], dict[str, Any], list[Any] | int)
    # skip their checker when the value's class, or the classes of all its
    # items, fit (issue 21): what does not fit still raises, naming the field,
    # and an array of objects where an object is expected still reads as one.
    import infomaniak.models.cloud as m
    from infomaniak._converter import DecodeError, structure, structure_list

    def error(data: dict[str, object], model: type[object]) -> str:
        try:
            structure(data, model)
        except DecodeError as exc:
            return str(exc)
        return "decoded"

    pools = structure_list(
        [{"instance_pool_id": n, "error_messages": ["quota", "flavor"]} for n in range(50)],
        m.InstancePool,
    )
    assert [pool.error_messages for pool in pools[:2]] == [["quota", "flavor"]] * 2
    empty = structure({"instance_pool_id": 1, "error_messages": []}, m.InstancePool)
    assert empty.error_messages == []
    pool = "InstancePool.error_messages"
    assert error({"instance_pool_id": 1, "error_messages": ["quota", 3]}, m.InstancePool) == (
        f"an item of {pool}: expected a string, got an integer"
    )
    assert error({"instance_pool_id": 1, "error_messages": [None]}, m.InstancePool) == (
        f"an item of {pool}: expected a string, got null"
    )
    assert error({"instance_pool_id": 1, "error_messages": {"a": "b"}}, m.InstancePool) == (
        f"{pool}: expected an array, got an object"
    )

    statuses = [structure({"activated_by": v}, m.PublicCloudStatus) for v in (7, [1, "x"], None)]
    assert [status.activated_by for status in statuses] == [7, [1, "x"], None]
    assert error({"activated_by": "7"}, m.PublicCloudStatus) == (
        "PublicCloudStatus.activated_by: expected an array or an integer or null, got a string"
    )

    merged = {"public_cloud_project_id": 5, "meta": [{"a": 1}, {"b": [2]}]}
    assert structure(merged, m.PublicCloudProject).meta == {"a": 1, "b": [2]}
    assert error({"public_cloud_project_id": 5, "meta": [1]}, m.PublicCloudProject) == (
        "PublicCloudProject.meta: expected an object, got an array"
    )
