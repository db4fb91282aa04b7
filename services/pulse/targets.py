"""A pulse score against its target, as people read it: the score rounded to the one decimal every view shows.

A team averaging 3.875 reads 3.9; against a target of 3.9 it is at target with a gap of +0.0, not below it by
an unseen -0.025 (shown as "gap -0.0"). Every view that shows a score with its target judges it this way.
"""

from decimal import ROUND_HALF_UP, Decimal

SHOWN_DECIMALS = 1
_TENTH = Decimal(1).scaleb(-SHOWN_DECIMALS)


def shown_score(score: float) -> float:
    """The score as shown: an average to one decimal, a half rounded up as people and spreadsheets round it (3.25
    reads 3.3, where Python's `round` gives 3.2); eNPS, a whole number, is unchanged."""
    return float(Decimal(repr(score)).quantize(_TENTH, rounding=ROUND_HALF_UP))


def score_words(score: float) -> str:
    """The score as every view writes it."""
    return f"{shown_score(score):.{SHOWN_DECIMALS}f}"


def reaches_target(score: float, target: float) -> bool:
    return shown_score(score) >= target


def gap_to_target(score: float, target: float) -> float:
    """How far the shown score is above (+) or below (-) the target."""
    return round(shown_score(score) - target, SHOWN_DECIMALS)


def change_between(earlier: float, later: float) -> float:
    """The change as read between two shown scores: 3.84 then 3.86 read 3.8 then 3.9, a change of +0.1 (not +0.0)."""
    return round(shown_score(later) - shown_score(earlier), SHOWN_DECIMALS)
