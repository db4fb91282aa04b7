"""Errors a user can act on. Listeners show them; anything else is a bug for the error handler."""


class DomainError(Exception):
    """A rule said no; `str(error)` is a friendly sentence for the user."""


class NotAllowed(DomainError):
    """The caller may not do this (wrong role, not their report, their own request)."""


class NotFound(DomainError):
    """The thing named does not exist in this workspace."""


class InvalidInput(DomainError):
    """The input is malformed; the message says what was wrong and how to fix it."""


class AlreadyDone(DomainError):
    """A second click or a retry: the state already changed, nothing was done twice."""
