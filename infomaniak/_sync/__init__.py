# Generated from infomaniak/_async/__init__.py by scripts/unasync.py.
# Do not edit: change the async source and run `python scripts/unasync.py`.
"""Client implementation; scripts/unasync.py turns the async source into the blocking twin."""
