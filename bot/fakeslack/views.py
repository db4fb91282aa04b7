"""The views the stand-in shows: each one Slack issued, by id and external_id, with its current hash, until it closes.

Slack updates only a view it issued and that is still open (`not_found` otherwise, for a `view_id` or an
`external_id`) and, when the caller passes a `hash`, only if it is the view's current one (`hash_conflict`):
https://docs.slack.dev/reference/methods/views.update. A submission's ack decides what happens to the modal
(https://docs.slack.dev/surfaces/modals#updating_response): `errors` keep it, `update` replaces it in place,
`push` puts a view on top of it, `clear` closes every view of its stack, anything else closes the submitted
view. A stack holds the modal and at most 2 views pushed over it ("After a modal is opened, the app is limited
to pushing 2 additional views", else `push_limit_reached`: https://docs.slack.dev/reference/methods/views.push),
whether pushed by an ack or by `views.push` with a trigger_id made in a modal of the stack. Each view is its
owner's: a Home the person's it was published for, a modal the person's whose act gave the trigger_id that
opened it.
"""

import threading
import time
from dataclasses import dataclass
from itertools import count
from typing import Any

STACK_DEPTH = 3
"""The modal and the 2 views Slack lets an app push over it."""


@dataclass(frozen=True)
class ShownView:
    """A view as Slack holds it: the definition the app sent, and what identifies this version of it."""

    view_id: str
    definition: dict[str, Any]
    hash: str
    external_id: str | None = None
    depth: int = 1
    """Where it is in its stack: 1 for the modal opened, 2 and 3 for the views pushed over it."""
    owner: str | None = None
    """Who sees it (None: a view a test opened for no one in particular)."""
    root_view_id: str = ""
    previous_view_id: str | None = None


class Views:
    """Every view issued and still shown. Thread-safe: the HTTP server answers on many threads."""

    def __init__(self) -> None:
        self._shown: dict[str, ShownView] = {}
        self._ids = count(1)
        self._lock = threading.Lock()

    def show(
        self,
        definition: dict[str, Any],
        view_id: str | None = None,
        *,
        owner: str | None = None,
        over: "ShownView | None" = None,
    ) -> ShownView:
        """Show a new view for `owner` (pushed `over` another), or (`view_id`) a new version of a shown one: same id,
        owner and place in its stack, a new hash."""
        number = next(self._ids)
        with self._lock:
            before = self._shown.get(view_id or "")
            external_id = definition.get("external_id") or (before.external_id if before else None)
            new_id = view_id or f"V{number:08d}"
            if before is not None:
                place = (before.depth, before.owner, before.root_view_id, before.previous_view_id)
            elif over is not None:
                place = (over.depth + 1, over.owner, over.root_view_id, over.view_id)
            else:
                place = (1, owner, new_id, None)
            shown = ShownView(new_id, definition, f"{time.time():.6f}.{number}", external_id, *place)
            self._shown[shown.view_id] = shown
        return shown

    def push_problem(self, below_id: str | None) -> str | None:
        """Slack's error for a view pushed over `below_id` (the view a trigger_id was made in): `not_found` when it
        is no open modal, `push_limit_reached` over a full stack."""
        below = self.find(below_id) if below_id else None
        if below is None or below.definition.get("type") != "modal":
            return "not_found"
        return "push_limit_reached" if below.depth >= STACK_DEPTH else None

    def find(self, view_id: str | None = None, external_id: str | None = None) -> ShownView | None:
        """The shown view with this id, or else this external_id; None when Slack would answer `not_found`."""
        with self._lock:
            if view_id:
                return self._shown.get(view_id)
            return next((v for v in self._shown.values() if external_id and v.external_id == external_id), None)

    def showing(self, definition: dict[str, Any], user: str | None = None) -> ShownView | None:
        """The newest shown view made from exactly this definition (what a test holds from the recorded call), the
        newest of `user`'s first: two people's Homes can be alike."""
        with self._lock:
            alike = [v for v in reversed(self._shown.values()) if v.definition == definition]
        return next((v for v in alike if v.owner == user), next(iter(alike), None))

    def covered(self, view_id: str) -> bool:
        """Whether a view was pushed over this one: Slack shows only the top view of a stack."""
        with self._lock:
            return any(v.previous_view_id == view_id for v in self._shown.values())

    def held(self, view: dict[str, Any], user: str | None = None) -> ShownView | None:
        """The shown view a test holds (as sent to a views method, or as answered), `user`'s if alike ones are shown."""
        return self.find(view["id"]) if view.get("id") else self.showing(view, user)

    def identify(self, view: dict[str, Any], user: str | None = None) -> tuple[str, str]:
        """The id and current hash of the view a test holds (`held`).

        A view never shown (built or changed by the test) gets an id never issued, which views.update refuses.
        """
        shown = self.held(view, user)
        if shown is not None:
            return shown.view_id, shown.hash
        return str(view.get("id") or f"V{next(self._ids):08d}"), str(view.get("hash") or "h")

    def answered(self, view_id: str, ack: dict[str, Any]) -> list[str]:
        """What the ack of a submission of `view_id` does to it (see the module's docstring); what Slack would refuse
        of it: a push over a full stack."""
        action = ack.get("response_action")
        if action == "errors":
            return []
        if action == "update" and isinstance(ack.get("view"), dict):
            self.show(ack["view"], view_id)
            return []
        if action == "push" and isinstance(ack.get("view"), dict):
            below = self.find(view_id)
            if below is not None and below.depth >= STACK_DEPTH:
                return [f"a view pushed over a stack of {STACK_DEPTH} (Slack allows 2 pushes over the modal)"]
            self.show(ack["view"], over=below)
            return []
        self.close(view_id, whole_stack=action == "clear")
        return []

    def close(self, view_id: str, *, whole_stack: bool = False) -> None:
        """The view is closed (and, `whole_stack`, every view of its stack): Slack no longer shows it."""
        with self._lock:
            closed = self._shown.pop(view_id, None)
            if closed is not None and whole_stack:
                for other in [v for v in self._shown.values() if v.root_view_id == closed.root_view_id]:
                    del self._shown[other.view_id]
