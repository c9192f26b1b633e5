"""The only hand-written async/blocking pair: I/O, sleeping, locks, look-ahead.

``_async.py`` (aiohttp, asyncio) and ``_sync.py`` (the standard library's
http.client and ssl, in ``_stdhttp.py``; threading) expose the same names with
``Async``/``Sync`` prefixes, which ``scripts/unasync.py`` renames when it
generates ``infomaniak/_sync`` from ``infomaniak/_async``. Importing this
package imports neither aiohttp nor http.client; nothing here imports urllib3.
"""
