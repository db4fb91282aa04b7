"""The rules that read a line typed quickly on a phone: a dash set apart, a reference pasted with a space, a count
after a reference, a reward's word with a letter changed, and `anonymous` inside a suggestion's idea."""

import time
from contextlib import suppress
from decimal import Decimal

import pytest

from handlers.suggestion_typed import HeldIdea, held_for_anonymity
from services.errors import InvalidInput
from services.policy.rewards import RewardPolicy
from services.policy.versions import BoundaryRule
from services.resolutions.typed import OneLiner, read_one_liner, to_request
from services.rewards.typed import split_reward
from services.typed_words import after_leading_dashes, is_lone_dash

REFUND = BoundaryRule(category="refund", description="money back", per_incident=Decimal(150))
RESCHEDULE = BoundaryRule(category="reschedule", description="a new time")


def read(rule: BoundaryRule, typed: str) -> tuple[Decimal, str | None, str]:
    request = to_request(OneLiner(category=rule.category, words=typed.split()), rule, "USD")
    return request.amount, request.customer_ref, request.summary


@pytest.mark.parametrize("dash", ["—", "–", "-", "--", "\u2212"])
def test_a_dash_set_apart_before_the_amount_is_a_pause_not_a_minus(dash: str) -> None:
    assert read(REFUND, f"{dash} 20 order 42 customer angry") == (Decimal(20), "order 42", "order 42 customer angry")


def test_a_dash_set_apart_after_the_amount_is_no_word_of_the_summary() -> None:
    assert read(REFUND, "20 — order 42 angry") == (Decimal(20), "order 42", "order 42 angry")
    assert read(RESCHEDULE, "— order 42 moved") == (Decimal(0), "order 42", "order 42 moved")


@pytest.mark.parametrize("typed", ["—20 order 42", "-20 order 42"])
def test_a_dash_written_onto_the_amount_is_still_a_minus(typed: str) -> None:
    with pytest.raises(InvalidInput, match="can't be negative"):
        read(REFUND, typed)


def test_a_lone_dash_is_every_dash_and_nothing_else() -> None:
    assert all(is_lone_dash(word) for word in ("-", "—", "–", "---"))
    assert not any(is_lone_dash(word) for word in ("", "-20", "a-b", "—x"))
    assert after_leading_dashes("  — –  great\njob") == "great\njob"


@pytest.mark.parametrize("typed", ["20 ref:ABC DEF late", "20 ref:ABC 12B late", "20 ref:ABC DEF 30 minutes late"])
def test_a_reference_pasted_with_capitals_or_letters_and_digits_after_a_space_is_asked_about(typed: str) -> None:
    with pytest.raises(InvalidInput, match=r"Is the customer reference `ABC` or `ABC \w+`\?"):
        read(REFUND, typed)


def test_capitals_after_a_labelled_reference_are_the_sentences() -> None:
    assert read(REFUND, "20 order 1234 VIP customer") == (Decimal(20), "order 1234", "order 1234 VIP customer")


@pytest.mark.parametrize(
    ("typed", "reference", "summary"),
    [
        ("20 ref:12345 VIP customer", "12345", "VIP customer"),
        ("20 ref:ABC123 TV arrived broken", "ABC123", "TV arrived broken"),
        ("20 ref:4471 PS5 broken", "4471", "PS5 broken"),
        ("20 ref:XK-99 ASAP", "XK-99", "ASAP"),
        ("20 ref:ABC123 OK now", "ABC123", "OK now"),
        ("20 ref:ABC123 DOA, replaced", "ABC123", "DOA, replaced"),
    ],
)
def test_a_common_acronym_after_a_reference_is_the_sentences(typed: str, reference: str, summary: str) -> None:
    """`ref:12345 VIP customer` was asked "Is the customer reference `12345` or `12345 VIP`?", nothing logged."""
    assert read(REFUND, typed) == (Decimal(20), reference, summary)


def test_digits_before_a_common_acronym_are_still_asked_about() -> None:
    with pytest.raises(InvalidInput, match=r"`ABC` or `ABC 12`\?"):
        read(REFUND, "20 ref:ABC 12 TV broken")


@pytest.mark.parametrize(
    ("typed", "summary"),
    [
        ("20 ref:ABC 12 vouchers given", "12 vouchers given"),
        ("20 ref:ABC 10 headsets broken", "10 headsets broken"),
        ("20 ref:ABC 24 batteries dead", "24 batteries dead"),
        ("20 ref:ABC 12 eggs broken", "12 eggs broken"),
        ("20 ref:ABC 123 customers waited", "123 customers waited"),
        ("20 ref:ABC 12 scratches on screen", "12 scratches on screen"),
        ("20 ref:ABC 3 broken cups", "3 broken cups"),
        ("20 ref:ABC 2 late deliveries", "2 late deliveries"),
        ("20 ref:ABC 1 item missing", "1 item missing"),
        ("20 ref:ABC 1 day late", "1 day late"),
        ("20 ref:ABC 5 stars, still angry", "5 stars, still angry"),
    ],
)
def test_a_handful_of_everyday_things_or_a_known_count_after_a_reference_is_the_summarys(
    typed: str, summary: str
) -> None:
    assert read(REFUND, typed) == (Decimal(20), "ABC", summary)


@pytest.mark.parametrize(
    "typed",
    [
        "20 ref:ABC 123 vouchers given",  # a hundred or more: as likely the reference's next part
        "20 ref:ABC 12 was lost",  # `was` is no plural
        "20 ref:ABC 56 arrived late",
        "20 ref:ABC 12 less than asked",
        "20 ref:ABC 07 headsets",  # a count never starts with 0
        "20 ref:AB 12 needs a callback",  # a verb, not a plural
        "20 ref:ABC 12 wants refund",
        "20 order 1234 56 arrives tomorrow",
        "20 ticket 4471 23 keeps crashing",
        "20 order 5521 10 looks damaged",
        "20 ref:ABC 123 arrives late",
        "20 ref:ABC 12 of them",
        "20 ref:ABC 12 sometimes late",
        "20 ref:AB 12 happens often",  # a verb the reference does, not a plural
        "20 ref:AB 12 overheats",
        "20 ref:abc 12 late",
    ],
)
def test_a_number_after_a_reference_that_may_be_its_part_is_asked_about(typed: str) -> None:
    with pytest.raises(InvalidInput, match="Nothing was logged"):
        read(REFUND, typed)


@pytest.mark.parametrize(
    ("typed", "reference", "summary"),
    [
        ("20 order 1234 5 May", "order 1234", "order 1234 5 May"),
        ("20 order 5521 2 missing", "order 5521", "order 5521 2 missing"),
        ("20 ref:Q77 2 of 3 missing", "Q77", "2 of 3 missing"),
        ("20 order 42 1 cup broken", "order 42", "order 42 1 cup broken"),
        ("20 order 4242 2 pax", "order 4242", "order 4242 2 pax"),
        ("20 ref:ABC 1 late delivery", "ABC", "1 late delivery"),  # the `1` may have been the reference's
    ],
)
def test_one_digit_after_a_reference_is_the_sentences(typed: str, reference: str, summary: str) -> None:
    """Asked whether the reference was `1234 5`, the agent rescheduling order 1234 to 5 May had to retype it."""
    assert read(REFUND, typed) == (Decimal(20), reference, summary)


@pytest.mark.parametrize(
    ("typed", "reference", "summary"),
    [
        ("20 ref:Q77 12 scratches on screen", "Q77", "12 scratches on screen"),
        ("20 ref:smith was late", "smith", "was late"),
        ("20 ref:abc ok now", "abc", "ok now"),
        ("20 ref:abc def late", "abc", "def late"),  # small letters after small letters are the sentence's
        ("20 ref:smith cc manager", "smith", "cc manager"),
        ("20 ref:jones ups lost it", "jones", "ups lost it"),
        ("20 ref:m\u00fcller ist sauer", "m\u00fcller", "ist sauer"),
        ("20 ref:garcia muy tarde", "garcia", "muy tarde"),
        ("20 ref:abc123 box crushed", "abc123", "box crushed"),
        ("20 ref: AB12 late again", "AB12", "late again"),
        ("20 ref: ABC late again", None, "ref: ABC late again"),  # capitals after a space are the sentence's
        ("20 ref: NONE walk in customer", None, "ref: NONE walk in customer"),
        ("20 ref: LATE delivery order 4471", "order 4471", "ref: LATE delivery order 4471"),
        ("20 Ref: ORDER 4471 late", "order 4471", "Ref: ORDER 4471 late"),
        ("20 ref: VIP customer", None, "ref: VIP customer"),
        ("20 ref: see notes", None, "ref: see notes"),
        ("20 ref:ABC123, late", "ABC123", "late"),
        ("20 ref:ABC, 123 late", "ABC", "123 late"),  # a comma ends the reference
        ("20 ref:ABC123:tada: thanks", "ABC123", "thanks"),
        ("20 ref:ABC123:+1::skin-tone-3: ok", "ABC123", "ok"),
        ("20 late (ref:ABC123), sorry", "ABC123", "late sorry"),
        ("20 ref:A(1). late", "A(1)", "late"),
        ("20 \u201cref:ABC123\u201d late", "ABC123", "late"),
        ("20 'ref:ABC123', late", "ABC123", "late"),
        ("20 ref:O'NEIL-12 late", "O'NEIL-12", "late"),
        ("20 order 1234 <#C0SUPPORT|support> 56 arrived", "order 1234", "order 1234 <#C0SUPPORT|support> 56 arrived"),
        ("20 ref: <@U0AGENT2> 12 was there", None, "ref: <@U0AGENT2> 12 was there"),
        ("20 ref:ABC123 outcome: happy sorted", "ABC123", "sorted"),
    ],
)
def test_a_reference_followed_by_a_count_or_a_word_of_the_sentence_is_read_at_once(
    typed: str, reference: str | None, summary: str
) -> None:
    assert read(REFUND, typed) == (Decimal(20), reference, summary)


@pytest.mark.parametrize(
    "typed",
    [
        "make the survey anonymous",
        "we should make the survey anonymous so people answer",
        "the exit survey should be anonymous",
        "let people rate shifts anonymously",
        "anonymous feedback box in the break room",
        "anonymous surveys",
        "please make the survey anonymous",
    ],
)
def test_anonymous_plainly_describing_the_idea_holds_it_unticked_for_its_author_to_decide(typed: str) -> None:
    """`make the survey anonymous` was sent signed: any word of anonymity now holds the idea in the form."""
    assert held_for_anonymity(typed) == HeldIdea(typed, ticked=False)


@pytest.mark.parametrize(
    "typed",
    [
        "Can I be anonymous? The break room fridge has been broken for weeks",
        "This is an anonymous suggestion: more staff on Sundays",
        "more staff on Sundays\nanonymous",
        "more staff on Sundays *anonymous*",
        "more staff on Sundays (sending anonymously)",
        "more staff on Sundays, I'd like to be anonymous",
        "more staff on Sundays anonymously if possible",
        "more staff on Sundays -anonymous",
        "more staff on Sundays —anonymous",
        "more staff on Sundays _anonymous_",
        'more staff on Sundays "anonymous"',
        "more staff on Sundays, pls make this anonymous",
        "Hi, this is anonymous. The fridge has been broken for weeks",
        "more breaks, anonymously",
        "more breaks - anon",
        "more breaks (anonymous please)",
        "more breaks, keep me anonymous",
        "more breaks please keep this anonymous",
        "send this anonymously please",
        "more breaks, annonymous",
        "anonymous we need more breaks",
        "anonymous feedback: my shift lead shouts at us",
        "make the survey anonymous, and keep me anonymous too",
        "I think the survey should be anonymous",
        "make this survey anonymous",
        "post this in the survey channel anonymously",
        "anonymous survey: my shift lead reads the answers",
    ],
)
def test_anonymity_asked_for_or_in_doubt_holds_the_whole_line_ticked(typed: str) -> None:
    """Each of these was sent signed, naming its author to the manager and the team channel, or would be unticked
    where the author plainly asks for it (or may)."""
    assert held_for_anonymity(typed) == HeldIdea(typed, ticked=True)


def test_anonymous_first_and_set_apart_is_left_out_of_the_idea() -> None:
    assert held_for_anonymity("anonymous: more breaks") == HeldIdea("more breaks", ticked=True)
    assert held_for_anonymity("(anon) more breaks") == HeldIdea("more breaks", ticked=True)
    assert held_for_anonymity("Anonymous") == HeldIdea("", ticked=True)


@pytest.mark.parametrize("typed", ["anonymity matters to new starters", "anonymised call recordings for training"])
def test_a_word_that_only_speaks_of_anonymity_holds_nothing(typed: str) -> None:
    assert held_for_anonymity(typed) is None


@pytest.mark.parametrize(
    ("typed", "reference"),
    [
        ("20 booking 2 nights cancelled", None),
        ("20 booking 3 business days late", None),
        ("20 ticket 10 am callback missed", None),
        ("20 order 12.50 refunded", None),
        ("20 the order 3 days late, order 1234", None),  # no later label read instead
        ("20 booking 2 nights cancelled, see #44711", None),
        ("20 order 5 late", "order 5"),
        ("20 order 1 item missing", "order 1"),
        ("20 order 42 toppings wrong", "order 42"),
        ("20 order 10 items missing, see also case 5521", "order 10"),
        ("20 order #42 items missing", "order 42"),
        ("20 order #3 days late", "order 3"),
        ("20 order no. 2 nights", "order 2"),
        ("20 order: 3 days late", "order 3"),
        ("20 order 1234 items missing", "order 1234"),
    ],
)
def test_a_label_names_a_customer_unless_a_span_of_time_follows_it(typed: str, reference: str | None) -> None:
    assert read(REFUND, typed)[1] == reference


@pytest.mark.parametrize(
    ("typed", "summary"),
    [
        (":tada: credit 5 thanks", ":tada: thanks"),
        ("\U0001f389 credit 5 thanks", "\U0001f389 thanks"),
        ("credit:tada: 5 thanks", ":tada: thanks"),
        ("credit 5:+1::skin-tone-3: thanks", ":+1::skin-tone-3: thanks"),
        ("credit 5 :+1::skin-tone-3: order 42 sorted", ":+1::skin-tone-3: order 42 sorted"),
        ("credit 5 sorted:+1::skin-tone-3:", "sorted :+1::skin-tone-3:"),
        ("credit 5 at 10:30:45 sharp", "at 10:30:45 sharp"),
    ],
)
def test_an_emoji_is_no_category_nor_amount_but_a_word_of_what_happened(typed: str, summary: str) -> None:
    line = read_one_liner(typed, ["credit", "refund"])
    request = to_request(line, REFUND, "USD")

    assert (line.category, request.amount, request.summary) == ("credit", Decimal(5), summary)


@pytest.mark.parametrize(
    ("typed", "reference", "outcome", "summary"),
    [
        ("credit 20 ref:AB12: customer called twice", "AB12", None, "customer called twice"),
        ("credit 20 Ref:7HJK2: no show", "7HJK2", None, "no show"),
        ("credit 20 ref:ab12: late", "ab12", None, "late"),
        ("credit 20 ref:INC-1234: late", "INC-1234", None, "late"),
        ("credit 20 (ref:ab12:) late", "ab12", None, "late"),
        ("credit 20 ticket:INC-1234: late", "ticket INC-1234", None, "ticket:INC-1234: late"),
        ("credit 20 booking:7hjk2: no show", "booking 7hjk2", None, "booking:7hjk2: no show"),
        ("credit 20 order:AB12: late", "order AB12", None, "order:AB12: late"),
        ("credit 20 ref:AB12 outcome:happy:", "AB12", "happy", ""),
        ("credit 20 ref:INC-1234 10:30am: customer ok", "INC-1234", None, "10:30am: customer ok"),
        ("credit 20 order 42 re:late: call back", "order 42", None, "order 42 re:late: call back"),
        ("credit 20 order 42 at 10:30am: ok", "order 42", None, "order 42 at 10:30am: ok"),
        ("credit 20 order 42 see https://example.com/a:b:", "order 42", None, "order 42 see https://example.com/a:b:"),
        ("credit 20 ref:ab12:tada: late", "ab12", None, ":tada: late"),
    ],
)
def test_colons_typed_around_a_reference_a_label_a_time_or_a_link_are_no_emoji_code(
    typed: str, reference: str, outcome: str | None, summary: str
) -> None:
    """Slack sends emoji codes in lower case, after no label: read as a code, `ref:AB12:` named no customer and
    `outcome:happy:` no outcome, and `10:30am:` became `10 :30am:` (asked whether the reference was `INC-1234 10`)."""
    request = to_request(read_one_liner(typed, ["credit"]), REFUND, "USD")

    assert (request.customer_ref, request.customer_outcome, request.summary) == (reference, outcome, summary)


LONG = 20_000


@pytest.mark.parametrize(
    "typed",
    [
        "reschedule ref:AB" + "." * LONG + "b",
        "reschedule ref:AB" + ":a:" * (LONG // 3) + "b",
        "reschedule x" + ":a:" * (LONG // 3) + "b",
        "reschedule ref:AB" + ":a::skin-tone-2:" * (LONG // 16) + "b",
        "reschedule " + ":a::skin-tone-2:" * (LONG // 16) + "b",
    ],
    ids=["marks", "codes onto a reference", "codes onto a word", "skin tones", "skin tones first"],
)
def test_a_long_run_of_marks_or_emoji_is_read_in_one_pass(typed: str) -> None:
    """Read from every place it could begin, such a line took seconds before the command was answered (Slack waits
    three), or, with skin tones, never ended."""
    started = time.perf_counter()
    with suppress(InvalidInput):
        to_request(read_one_liner(typed, ["reschedule"]), RESCHEDULE, "USD")

    assert time.perf_counter() - started < 2  # read in one pass; reading each word again from the start takes minutes


@pytest.mark.parametrize(
    "typed",
    ["x" + ":a:" * (LONG // 3) + "b why", ":a::skin-tone-2:" * (LONG // 16) + "b why"],
    ids=["codes", "skin tones"],
)
def test_a_long_reward_word_with_emoji_is_read_in_one_pass(typed: str) -> None:
    started = time.perf_counter()
    split_reward(RewardPolicy(), typed)

    assert time.perf_counter() - started < 2  # read in one pass; reading each word again from the start takes minutes


LONGER = 100_000
"""Long enough for a reading that takes each word or quote again from the start to need seconds."""


@pytest.mark.parametrize(
    "typed",
    [
        "reschedule " + '"ref:' * (LONGER // 5),
        "reschedule " + "(ref:" * (LONGER // 5),
        "reschedule " + "— " * (LONGER // 2) + "x",
    ],
    ids=["quotes before ref", "brackets before ref", "dashes"],
)
def test_a_long_run_of_quotes_or_dashes_is_read_in_one_pass(typed: str) -> None:
    started = time.perf_counter()
    with suppress(InvalidInput):
        to_request(read_one_liner(typed, ["reschedule"]), RESCHEDULE, "USD")

    assert time.perf_counter() - started < 2  # read in one pass; reading each word again from the start takes minutes


@pytest.mark.parametrize(
    "typed",
    [":a: " * LONGER + "voucher_25 why", "\U0001f389 " * LONGER + "why", ":a: — " * LONGER + "why"],
    ids=["codes apart", "emoji apart", "dashes"],
)
def test_many_emoji_or_dashes_before_a_reward_are_read_in_one_pass(typed: str) -> None:
    started = time.perf_counter()
    split_reward(RewardPolicy(), typed)

    assert time.perf_counter() - started < 2  # hundreds of thousands of characters, read once


@pytest.mark.parametrize(
    ("typed", "reference"),
    [
        ("20 İNVOİCE 12 missing", "invoice 12"),
        ("20 ınvoice 12 missing", "invoice 12"),
        ("20 caſe 5521 sorted", "case 5521"),
        ("20 boo\u212aing 4471 cancelled", "booking 4471"),
        ("20 ORDER 1234 late", "order 1234"),
    ],
)
def test_a_label_typed_with_a_letter_read_as_an_ascii_one_is_stored_in_plain_ascii(typed: str, reference: str) -> None:
    assert read(REFUND, typed)[1] == reference
