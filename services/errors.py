"""Errors a user can act on. Listeners show them; anything else is a bug for the error handler."""


class DomainError(Exception):
    """A rule said no; `str(error)` is a friendly sentence for the user.

    `field` names the input it is about (`amount`, `summary`...), so a form can show it beside that input.
    """

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class NotAllowed(DomainError):
    """The caller may not do this (wrong role, not their report, their own request)."""


class NotFound(DomainError):
    """The thing named does not exist in this workspace."""


class InvalidInput(DomainError):
    """The input is malformed; the message says what was wrong and how to fix it."""


class AlreadyDone(DomainError):
    """A second click or a retry: the state already changed, nothing was done twice."""
