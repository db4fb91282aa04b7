"""Our global middleware is handed to Bolt as `Lean` objects: given only what it names, refused if it asks for more."""

from typing import Any

import pytest
from slack_bolt import BoltRequest, BoltResponse

from bot.lean_middleware import Lean


def test_a_middleware_gets_the_arguments_it_names_and_its_answer_is_the_chains() -> None:
    seen: dict[str, Any] = {}
    refusal = BoltResponse(status=200, body="not here")

    def middleware(context: Any, next: Any, body: dict[str, Any]) -> BoltResponse:
        seen.update(context=context, body=body)
        next()
        return refusal

    request = BoltRequest(body="token=x&command=%2Fresolve&team_id=T1&user_id=U1", mode="socket_mode")
    carried_on: list[bool] = []
    answer = Lean(middleware).process(req=request, resp=BoltResponse(status=200), next=lambda: carried_on.append(True))

    assert answer is refusal
    assert carried_on == [True]
    assert seen["context"] is request.context
    assert seen["body"]["command"] == "/resolve"


def test_a_middleware_asking_for_what_it_would_not_get_is_refused_at_start() -> None:
    def middleware(body: dict[str, Any], respond: Any, next: Any) -> None:
        next()

    with pytest.raises(TypeError, match="respond"):
        Lean(middleware)
