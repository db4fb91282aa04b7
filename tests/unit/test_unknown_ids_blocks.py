"""HR's DM of the org-file ids Slack has nobody of: a long list says how many it leaves out, and the fix speaks of one
person as of one."""

from bot.fakeslack.blockkit import message_problems
from handlers.blocks.kit import SECTION_TEXT
from handlers.blocks.unknown_ids import UnknownId, unknown_ids_notice


def test_a_list_too_long_for_one_section_ends_with_how_many_more_there_are() -> None:
    unknown = [
        UnknownId(f"Person With A Rather Long Name Number {n:02d} " + "x" * 30, f"U0TYPO{n:02d}", 0) for n in range(60)
    ]

    notice = unknown_ids_notice("U0HR", unknown)

    listed = notice["blocks"][1]["text"]["text"]
    assert len(listed) <= SECTION_TEXT and "…" not in listed.splitlines()[-2]
    shown = [line for line in listed.splitlines() if line.startswith("• ")]
    assert listed.splitlines()[-1] == f"…and {60 - len(shown)} more"
    assert all(line.endswith("found this week") for line in shown), "no line cut"
    assert message_problems(notice) == []


def test_the_fix_of_one_person_speaks_of_them() -> None:
    one = unknown_ids_notice("U0HR", [UnknownId("Tia Typo", "U0TYPO1", 0)])
    several = unknown_ids_notice("U0HR", [UnknownId("Tia Typo", "U0TYPO1", 0), UnknownId("Tom Typo", "U0TYPO2", 1)])

    assert "copy their id" in one["blocks"][2]["text"]["text"]
    assert "copy each one's id" in several["blocks"][2]["text"]["text"]
    assert "--deactivate-missing" in one["blocks"][2]["text"]["text"]
