"""What counts as words in a short text: keycaps, `ℹ️` and typed hearts are pictures, vowel signs are letters, emoji
around a team's name are no part of it; and help asked for as people ask."""

import pytest

from handlers.commands import is_help, without_courtesy
from services.emoji import emoji_trimmed, has_words
from services.letters import letters


@pytest.mark.parametrize("typed", ["1️⃣", "ℹ️", "ℹ", "<3", "</3", "<3<3", "#️⃣ *️⃣", ":D", "xD", "1⃣ 🙏 <@U0AGENT2>"])
def test_keycaps_the_information_sign_and_typed_faces_are_no_words(typed: str) -> None:
    assert not has_words(typed)


@pytest.mark.parametrize("typed", ["i <3 it", "room 1️⃣ fixed", "10 :D", "a<3", "info", "ℹ️ info desk"])
def test_words_beside_them_are_still_words(typed: str) -> None:
    assert has_words(typed)


@pytest.mark.parametrize(
    ("typed", "count"), [("कॉफ़ी", 5), ("चाय", 3), ("น้ำ", 3), ("coffee", 6), ("会議", 4), ("⭐️⭐️⭐️", 0), ("a b", 2)]
)
def test_vowel_signs_and_tone_marks_count_as_letters_and_a_picture_s_selector_does_not(typed: str, count: int) -> None:
    assert letters(typed) == count


@pytest.mark.parametrize(
    ("typed", "trimmed"),
    [
        (":tada: Support East", "Support East"),
        ("Support East :tada: 🎉", "Support East"),
        ("Support  :tada:  East", "Support  :tada:  East"),
        (":tada:", ":tada:"),
    ],
)
def test_emoji_around_a_name_are_left_out_and_emoji_alone_are_kept(typed: str, trimmed: str) -> None:
    assert emoji_trimmed(typed) == trimmed


@pytest.mark.parametrize(
    "typed",
    ["please help", "pls help", "help me 🙏", "help!!", "help ?", "How does this work?", "i need help", "-h pls"],
)
def test_help_asked_for_as_people_ask_it_is_help(typed: str) -> None:
    assert is_help(typed)


@pytest.mark.parametrize(
    "typed", ["please", "how about a quieter break room", "help desk rota", "need help with the rota", "help help"]
)
def test_an_idea_or_politeness_alone_is_no_help(typed: str) -> None:
    assert not is_help(typed)


def test_politeness_and_emoji_around_a_subcommand_are_dropped_and_words_between_kept() -> None:
    assert without_courtesy(["please", "results", "🙏", "pls"]) == ["results"]
    assert without_courtesy(["export", "team:Please", "Crew", "please"]) == ["export", "team:Please", "Crew"]
