"""Whole percentages as people and spreadsheets round them: a half goes away from zero, whatever its parity."""

import pytest

from services.text import percent


@pytest.mark.parametrize(
    ("part", "whole", "shown"),
    [(5, 8, 63), (1, 8, 13), (3, 8, 38), (7, 8, 88), (-1, 8, -13), (-3, 8, -38), (1, 3, 33), (2, 3, 67), (0, 0, 0)],
)
def test_a_half_rounds_away_from_zero(part: int, whole: int, shown: int) -> None:
    assert percent(part, whole) == shown
