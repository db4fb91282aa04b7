"""Charts draw what people wrote: a `$` in a name, a category or a question is a dollar, not matplotlib's maths.

Two `$` make matplotlib read what lies between as maths: these fail to parse there, and the chart with them.
"""

import pytest

from handlers.digest_chart import Bar, chart_png
from handlers.pulse_chart import trend_png
from services.pulse.results import TrendPoint

WRITTEN = ["Credit $5_$", "$$ Mike's team", "Refund $5^$ max", "Gift card $\\frac$"]


@pytest.mark.parametrize("written", WRITTEN)
def test_a_digest_chart_draws_a_category_with_dollar_signs(written: str) -> None:
    png = chart_png([Bar(written, 3, 1), Bar("refund", 2, None)], title="Customer fixes, week of 2 Nov")

    assert png.startswith(b"\x89PNG")


@pytest.mark.parametrize("written", WRITTEN)
def test_a_digest_chart_draws_a_title_with_dollar_signs(written: str) -> None:
    png = chart_png([Bar("refund", 2, 1)], title=f"Customer fixes, {written}")

    assert png.startswith(b"\x89PNG")


@pytest.mark.parametrize("written", WRITTEN)
def test_a_pulse_trend_draws_a_team_with_dollar_signs(written: str) -> None:
    points = (TrendPoint(1, "workload", 3.0, False), TrendPoint(2, "workload", 3.5, False))

    png = trend_png(points, f"Pulse trend — {written}")

    assert png is not None and png.startswith(b"\x89PNG")


@pytest.mark.parametrize("written", WRITTEN)
def test_a_pulse_trend_draws_a_question_with_dollar_signs(written: str) -> None:
    points = (TrendPoint(1, written, 3.0, False), TrendPoint(2, written, 3.5, False), TrendPoint(2, "enps", 20, True))

    png = trend_png(points, "Pulse trend — Support East")

    assert png is not None and png.startswith(b"\x89PNG")
