"""Typed errors the library raises; each carries a message a user can act on."""

from __future__ import annotations


class BulletinError(Exception):
    """Base class: str(error) is a one-line message that says what to do next."""


class InputError(BulletinError):
    """One input could not be read or extracted; the rest of a batch goes on."""

    def __init__(self, origin: str, reason: str) -> None:
        super().__init__(f"{origin}: {reason}")
        self.origin = origin
        self.reason = reason


class ArchiveError(BulletinError):
    """The archive cannot be opened, read or written."""


class ArchiveLockedError(ArchiveError):
    """Another process holds the archive's writer lock."""


class QueryError(BulletinError):
    """A search query or filter is malformed."""


class NotFoundError(BulletinError):
    """No article has the requested id."""
