"""The digest's PNG chart: the week's resolutions by category (and the pulse trend when there is one).

Drawn on a bare matplotlib `Figure` with the Agg canvas: no pyplot, no global state, safe in threads. The chart
goes through the outbox like a message (`UPLOAD`): what it shows is queued, and it is drawn when it is sent. Text
people wrote (categories, names) is drawn with `parse_math=False`: a `$` is a dollar, not matplotlib's maths, which
would drop `Credit $5-$10`'s signs and fail outright on `$5_$`.
"""

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator
from slack_sdk import WebClient

from services.digest.weekly import Digest
from services.pulse.targets import score_words
from services.text import truncate

MAX_BARS = 8
ALT_TEXT = 1000
"""The most Slack takes in a file's `alt_txt`, what screen readers read of an image (`alt_txt_too_large` past it:
https://docs.slack.dev/reference/methods/files.getUploadURLExternal)."""
UPLOAD = "files.uploadV2"
"""The outbox method of a chart: slack_sdk's `files_upload_v2` (three Slack calls), not one Web API method."""


@dataclass(frozen=True)
class Bar:
    category: str
    count: int
    last_week: int | None
    """None: last week ended before Latitude started."""


def digest_chart(digest: Digest) -> bytes:
    return _drawn(_chart_of(digest))


def chart_upload(digest: Digest, channel: str) -> dict[str, Any]:
    """The outbox payload of a digest's chart, into `channel` (the DM the digest landed in)."""
    label = digest.week.label
    return {
        "channel": channel,
        "filename": f"digest-{label}.png",
        "title": f"Customer fixes by category, {label}",
        "chart": _chart_of(digest),
    }


def upload_chart(client: WebClient, payload: dict[str, Any]) -> None:
    """Draw the chart and share it; Slack's errors (a rate limit...) are raised for the outbox to judge."""
    client.files_upload_v2(
        channel=payload["channel"],
        file=_drawn(payload["chart"]),
        filename=payload["filename"],
        title=payload["title"],
        alt_txt=chart_alt_text(payload["chart"]),
        request_file_info=False,
    )


def chart_alt_text(chart: dict[str, Any]) -> str:
    """What the chart shows, in words: a screen reader reads an image's alt text, never its bars."""
    bars = "; ".join(
        f"{category} {count}" + (f" (last week {last})" if last is not None else "")
        for category, count, last in chart["bars"]
    )
    text = f"Bar chart, {chart['title']}, by category this week: {bars or 'no fixes logged'}."
    trend = ", ".join(f"{label} {score_words(float(score))}" for label, score in chart["pulse_trend"])
    return truncate(text + (f" Team pulse by round: {trend}." if trend else ""), ALT_TEXT)


def _chart_of(digest: Digest) -> dict[str, Any]:
    """What the chart shows, as JSON."""
    return {
        "title": f"Customer fixes, {digest.week.label}",
        "bars": [
            [line.category, line.count, line.last_week if digest.week.compared else None]
            for line in digest.resolutions.categories[:MAX_BARS]
        ],
        "pulse_trend": [list(point) for point in (digest.pulse.trend if digest.pulse is not None else ())],
    }


def _drawn(chart: dict[str, Any]) -> bytes:
    bars = [
        Bar(str(category), int(count), None if last is None else int(last)) for category, count, last in chart["bars"]
    ]
    trend = [(str(label), float(score)) for label, score in chart["pulse_trend"]]
    return chart_png(bars, title=str(chart["title"]), pulse_trend=trend)


def chart_png(bars: Sequence[Bar], *, title: str, pulse_trend: Sequence[tuple[str, float]] = ()) -> bytes:
    figure = Figure(figsize=(6.4, 3.2 if not pulse_trend else 5.6), dpi=100)
    FigureCanvasAgg(figure)
    rows = 2 if pulse_trend else 1
    _categories(figure.add_subplot(rows, 1, 1), bars[:MAX_BARS], title)
    if pulse_trend:
        _trend(figure.add_subplot(rows, 1, 2), pulse_trend)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def _categories(axes: Axes, lines: Sequence[Bar], title: str) -> None:
    names = [line.category for line in reversed(lines)]
    if any(line.last_week is not None for line in lines):
        axes.barh(
            range(len(names)),
            [line.last_week or 0 for line in reversed(lines)],
            height=0.8,
            color="#d0d7de",
            label="last week",
        )
    axes.barh(
        range(len(names)), [line.count for line in reversed(lines)], height=0.45, color="#2f6feb", label="this week"
    )
    axes.set_yticks(range(len(names)), names, parse_math=False)
    axes.set_title(title, parse_math=False)
    axes.set_xlabel("resolutions")
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.legend(loc="lower right", fontsize="small")
    if not lines:
        axes.text(0.5, 0.5, "no fixes logged", ha="center", va="center", transform=axes.transAxes)


def _trend(axes: Axes, trend: Sequence[tuple[str, float]]) -> None:
    axes.plot([label for label, _ in trend], [score for _, score in trend], marker="o", color="#8250df")
    axes.set_title("Team pulse")
    axes.set_ylabel("score")
