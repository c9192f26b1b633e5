# Generated from infomaniak/_async/resources/__init__.py by scripts/unasync.py.
# Do not edit: change the async source and run `python scripts/unasync.py`.
"""One class per API resource; each method builds a request and names its model."""
