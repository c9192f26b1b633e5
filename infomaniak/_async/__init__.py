"""Client implementation; scripts/unasync.py turns the async source into the blocking twin."""
