"""Bảng tin: an intranet bulletin board and commendation registry for a commune's organizations.

`create_app` lives in `bulletin.factory`, which imports every blueprint. It is loaded when it
is first asked for, so a process that needs one module (the import's reading child, a
migration) does not load the whole app first.
"""

import importlib


def __getattr__(name: str):
    """`from bulletin import create_app` (and the factory's other names), loaded on demand."""
    if name.startswith("__") or name == "factory":
        raise AttributeError(name)  # a submodule not imported yet: the import system's job
    factory = importlib.import_module("bulletin.factory")
    try:
        return getattr(factory, name)
    except AttributeError:
        raise AttributeError(f"module 'bulletin' has no attribute {name!r}") from None
