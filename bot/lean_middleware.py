"""Our global middleware, handed to Bolt as `Middleware` objects rather than plain functions.

Bolt wraps a plain function in `CustomMiddleware`, which for every request and every middleware builds each
argument any listener could ask for (the payload in all its shapes, `say`, `respond`, the assistant's utilities
and more) and then passes on the few the function names. Every request runs seven of ours, so that came to more
CPU than a bare Bolt app spends on a whole request. `Lean` passes the function only what it names, from the
four our middleware use; Bolt's chain treats it as it treats its own wrapper (what the function returns is the
middleware's answer, `next` continues the chain).
"""

import inspect
from collections.abc import Callable
from typing import Any

from slack_bolt import BoltRequest, BoltResponse
from slack_bolt.middleware import Middleware
from slack_bolt.util.utils import get_name_for_callable

GIVEN = frozenset({"body", "context", "request", "next"})


class Lean(Middleware):
    def __init__(self, func: Callable[..., BoltResponse | None]) -> None:
        names = tuple(inspect.signature(func).parameters)  # keyword-only ones too: each must be given
        unknown = set(names) - GIVEN
        if unknown:
            named = get_name_for_callable(func)
            raise TypeError(f"{named} asks for {sorted(unknown)}; a lean middleware is given only {sorted(GIVEN)}")
        self.func = func
        self.names = names

    def process(self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]) -> BoltResponse | None:
        given: dict[str, Any] = {"body": req.body, "context": req.context, "request": req, "next": next}
        return self.func(**{name: given[name] for name in self.names})

    @property
    def name(self) -> str:
        return f"Lean(func={get_name_for_callable(self.func)})"
