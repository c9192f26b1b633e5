"""A stateful fake of the Infomaniak Public Cloud API, for tests and local runs.

``Emulator`` serves, on 127.0.0.1 over real HTTP (aiohttp), the Public Cloud
product routes, projects, project users and async tasks, with seeded data,
asynchronous operations that progress with time, fault injection and
validation of its own answers against the official OpenAPI schemas::

    from infomaniak.testing import Emulator, Fault

    with Emulator().in_thread() as emu:
        ...  # point a client at emu.url with the token "emulator-token"

``python -m infomaniak.testing`` serves one from the command line, and the
``infomaniak.testing.pytest_plugin`` plugin provides an ``emulator`` fixture.

Realism. A test that passes here and fails against the live API is the worst
outcome an emulator can produce, so by default (``profile="realistic"``) the
seed data and the answers carry, on some items chosen deterministically from
``seed``, every alternative shape the reference material records the live API
sending: null config periods and prices, ``billing_end_at`` and ``deleted_at``
set, ``maintenance``/``locked`` as booleans on some products and objects on
others, tags with ``product_count``, ``[]`` for empty objects, keys no model
knows, project statuses outside the spec's enum, 202 answers whose ``result``
is ``"delayed"`` or ``"success"``; for Kubernetes a pack whose ``is_active``
is the string ``"true"``, empty pool labels as ``[]``, pools without
``error_messages``; for databases ``total_backup_size`` and an inline
``configuration`` (numbers as strings, ``[]`` when empty) on some services,
besides ``connection: []`` until a service is ready. ``profile="tidy"`` sends
none of these variants: the spec's own shapes, except in the places
docs/emulator.md lists, where the spec cannot be followed or every client of the
live API reads another shape (tests/emulator/test_tidy_profile.py checks that
list against the exported schemas). ``infomaniak.testing._realism.VARIANTS``
lists every variant with the passage of the reference material it comes from.

Recording: ``emulator.requests`` keeps the newest ``record_requests`` requests
(1000 by default; None keeps all), without the body of a refused request larger
than 64 KiB.

Requests the API refuses are refused here too (a ``filter[status][]`` outside
the route's enum, ``with[]=``, a method override other than DELETE),
and ``order_for[field]`` only sets the direction of an ``order_by`` field.

Timings: ``timings="fast"`` (default) runs every transition in 0.05 s;
``timings="real"`` uses the live API's orders of magnitude (a task 10 s, a
project or user 30 s more; clusters and databases minutes), and ``time_scale``
multiplies either: ``Emulator(timings="real", time_scale=0.001)`` keeps the
real proportions at a thousandth of the time.

The pytest fixture uses the realistic profile with the fast timings; the
``--infomaniak-profile``, ``--infomaniak-timings`` and
``--infomaniak-time-scale`` options of pytest change them for a whole run.

The emulator is independent of the SDK: it never imports other ``infomaniak``
modules, and it never reads the API reference material at run time (the
schemas it validates against are generated into ``schemas/responses.json``).
"""

from ._app import Emulator, Fault, RecordedRequest

__all__ = ["Emulator", "Fault", "RecordedRequest"]
