"""Reading what a signed request carries. What our own buttons and modals could never send is a MalformedPayload.

The gate in front of Bolt refuses bodies of the wrong shape; this is the part only a listener can
judge (a button value that should be an id, a modal's state and private_metadata). Read before
`ack()`: the global error handler then answers 400 and nothing has changed.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")


class MalformedPayload(Exception):
    """A signed request whose content Slack would never send for our views; answered 400."""


class BrokenSeal(MalformedPayload):
    """A form whose hidden part is not as Latitude opened it: answered in the form, which cannot be sent again."""


@contextmanager
def reading(what: str) -> Iterator[None]:
    """Turn a missing key, a wrong type or a bad number while reading `what` into a MalformedPayload."""
    try:
        yield
    except (KeyError, IndexError, TypeError, ValueError, AttributeError) as error:
        raise MalformedPayload(f"{what}: {type(error).__name__} {error}"[:200]) from None


def parsed(parse: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """Call a Block Kit parser; its failure means the payload was not one of ours."""
    with reading(getattr(parse, "__name__", "payload")):
        return parse(*args, **kwargs)


def id_value(action: dict[str, Any], *, below_zero: bool = False) -> int:
    """The row id (a suggestion's shown number, #N) our buttons carry as their value: digits only, after a minus sign
    with `below_zero` (the random ids of rows whose order must not show, services/unordered_ids.py)."""
    with reading("button value"):
        value = action["value"]
        digits = value[1:] if below_zero and isinstance(value, str) and value.startswith("-") else value
        if not isinstance(digits, str) or not digits.isdigit() or len(digits) > 18:
            raise ValueError(f"not an id: {value!r}"[:60])
        return int(value)


def first_action(body: dict[str, Any]) -> dict[str, Any]:
    with reading("actions"):
        action = body["actions"][0]
        if not isinstance(action, dict):
            raise TypeError("an action is not an object")
        return action


def state_values(view: dict[str, Any]) -> dict[str, Any]:
    with reading("view state"):
        values = view["state"]["values"]
        if not isinstance(values, dict):
            raise TypeError("state values are not an object")
        return values
