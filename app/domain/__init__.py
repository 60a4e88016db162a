"""The pure domain: entities, enumerations, SLA policies and the two state machines.

Shared verbatim by the client (optimistic local effects) and the server (authoritative
decisions), so both sides judge a command by the same rules.
"""
