"""The client side of the sync protocol (docs/protocol.md): outbox push, cursor pull,
link state, clock offset, attachments and keyring credentials. No Qt in the engine core.
"""
