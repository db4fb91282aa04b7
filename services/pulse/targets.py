"""A pulse score against its target, as people read it: the score rounded to the one decimal every view shows.

A team averaging 3.875 reads 3.9; against a target of 3.9 it is at target with a gap of +0.0, not below it by
an unseen -0.025 (shown as "gap -0.0"). Every view that shows a score with its target judges it this way.
"""

SHOWN_DECIMALS = 1


def shown_score(score: float) -> float:
    """The score as shown: an average to one decimal (eNPS, a whole number, is unchanged)."""
    return round(score, SHOWN_DECIMALS)


def reaches_target(score: float, target: float) -> bool:
    return shown_score(score) >= target


def gap_to_target(score: float, target: float) -> float:
    """How far the shown score is above (+) or below (-) the target."""
    return round(shown_score(score) - target, SHOWN_DECIMALS)
