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

The emulator is independent of the SDK: it never imports other ``infomaniak``
modules, and it never reads the API reference material at run time (the
schemas it validates against are generated into ``schemas/responses.json``).
"""

from ._app import Emulator, Fault, RecordedRequest

__all__ = ["Emulator", "Fault", "RecordedRequest"]
