"""The random wait before a message whose arrival would point at someone: a relayed pulse reply or answer, an
anonymous suggestion's card and channel post.

Sent at once, it would light up one phone on the floor while a manager watched (or reach the manager the moment its
author was seen typing). So each waits a time drawn anew in `RELAY_DELAY_MINUTES`, to the second, with `secrets`:
nobody watching can predict it from the one before.
"""

import secrets
from datetime import timedelta

RELAY_DELAY_MINUTES = (5, 30)


def relay_delay() -> timedelta:
    """A random wait in the window, to the second, unpredictable to anyone watching."""
    low, high = RELAY_DELAY_MINUTES
    return timedelta(seconds=low * 60 + secrets.randbelow((high - low) * 60 + 1))
