"""WindowDesk core: domain, working-time calendar, validators, local store, services.

Nothing in this package imports Qt; ``tests/unit/test_no_qt.py`` proves it.
"""

__version__ = "0.1.0"
