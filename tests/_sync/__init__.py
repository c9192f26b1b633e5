# Generated from tests/_async/__init__.py by scripts/unasync.py.
# Do not edit: change the async source and run `python scripts/unasync.py`.
