"""The central server: the single source of truth every counter PC reconciles with.

Imports pure domain code from ``app`` (state machines, calendar, validators), never Qt.
"""
