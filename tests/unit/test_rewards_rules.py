"""The nomination rules against a real database session: approvers, limits, stories, three different people."""

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import MovableClock
from models import Employee, Nomination, RewardGrant, Workspace
from services import follow_ups
from services.errors import AlreadyDone, InvalidInput, NotAllowed, NotFound
from services.org_file import _SLACK_USER_ID
from services.policy.rewards import _ITEM_KEY, HOURS, KINDS, SHOUTOUT
from services.policy.versions import CURRENCIES
from services.rewards import approvals as reward_approvals
from services.rewards import nominations, typed
from services.rewards.grants import reward_policy
from services.rewards.nominations import NominationOutcome, NominationRequest
from services.text import FORMULA_START
from tests.helpers import employee, load_org, skip_unless_writers_overlap, waits_for_the_other
from tests.rewards_helpers import add_story, load_policy_text
from tests.rewards_helpers import nominations as stored_nominations

NO_MANAGER_ORG = """slack_id,name,team,role,manager_slack_id,email,tz,profile
U0ADMIN,Ada Admin,Operations,admin,,,,
U0HR,Hana Reyes,People,hr,U0ADMIN,,,
U0LONE,Lone Agent,Nowhere,frontline,,,,
U0PEER,Pat Peer,Nowhere,frontline,,,,
"""


@pytest.fixture
def org(sessions: sessionmaker[Session], clock: MovableClock) -> Iterator[Session]:
    load_org(sessions, clock.now())
    load_policy_text(sessions, clock.now())
    with sessions() as session:
        yield session


def nominate(
    session: Session,
    clock: MovableClock,
    giver: str,
    to: tuple[str, ...],
    item: str,
    reason: str = "thanks",
    resolution_id: int | None = None,
) -> NominationOutcome:
    workspace = session.query(Workspace).one()
    return nominations.nominate(
        session,
        workspace=workspace,
        nominator=employee(session, giver),
        request=NominationRequest(to, item, reason, resolution_id=resolution_id),
        slack_people={},
        bot_user_id=None,
        now=clock.now(),
    )


def test_the_approver_is_the_manager_or_one_level_up_when_the_manager_nominates(org: Session) -> None:
    lee, sam, maya = employee(org, "U0AGENT2"), employee(org, "U0AGENT1"), employee(org, "U0MGR1")

    assert reward_approvals.approver_for(org, lee, sam).slack_id == "U0MGR1"
    assert reward_approvals.approver_for(org, lee, maya).slack_id == "U0ADMIN"


def test_without_a_manager_hr_approves_and_never_the_nominator(
    sessions: sessionmaker[Session], clock: MovableClock
) -> None:
    load_org(sessions, clock.now(), NO_MANAGER_ORG)
    with sessions() as session:
        lone, peer, hana = (employee(session, slack_id) for slack_id in ("U0LONE", "U0PEER", "U0HR"))

        assert reward_approvals.approver_for(session, lone, peer).slack_id == "U0HR"
        assert reward_approvals.approver_for(session, lone, hana).slack_id == "U0ADMIN"


def test_nobody_left_to_approve_is_refused_with_what_to_do(
    sessions: sessionmaker[Session], clock: MovableClock
) -> None:
    load_org(sessions, clock.now(), "slack_id,name,team,role,manager_slack_id\nU0A,Al,T,frontline,\nU0B,Bo,T,hr,\n")
    with sessions() as session, pytest.raises(NotAllowed, match="Nobody can approve a reward for Al"):
        reward_approvals.approver_for(session, employee(session, "U0A"), employee(session, "U0B"))


def test_nobody_left_to_approve_says_why_when_the_manager_is_the_nominator_and_the_only_hr_the_nominee(
    sessions: sessionmaker[Session], clock: MovableClock
) -> None:
    load_org(sessions, clock.now(), "slack_id,name,team,role,manager_slack_id\nU0A,Ada,T,admin,\nU0H,Hana,T,hr,U0A\n")
    with sessions() as session, pytest.raises(NotAllowed) as refused:
        reward_approvals.approver_for(session, employee(session, "U0H"), employee(session, "U0A"))

    assert "no manager above them can (they are you, them, or no longer active)" in str(refused.value)
    assert "no HR person or admin besides the two of you" in str(refused.value)


def test_an_approver_who_became_the_nominator_cannot_approve(org: Session, clock: MovableClock) -> None:
    outcome = nominate(org, clock, "U0AGENT1", ("U0AGENT2",), "voucher_25")
    [nomination] = outcome.waiting
    nomination.approver_id = employee(org, "U0AGENT1").id

    with pytest.raises(NotAllowed, match="can't approve a reward you gave or received"):
        reward_approvals.approve(
            org,
            workspace=org.query(Workspace).one(),
            nomination_id=nomination.id,
            approver=employee(org, "U0AGENT1"),
            now=clock.now(),
        )


def test_max_per_month_counts_pending_and_granted_rewards_of_that_item(org: Session, clock: MovableClock) -> None:
    nominate(org, clock, "U0AGENT1", ("U0AGENT2",), "voucher_25", "one")
    nominate(org, clock, "U0AGENT3", ("U0AGENT2",), "voucher_25", "two")

    with pytest.raises(NotAllowed, match="already received or been put forward for Coffee &amp; cake voucher 2 time"):
        nominate(org, clock, "U0MGR2", ("U0AGENT2",), "voucher_25", "three")
    clock.advance(timedelta(days=31))
    with pytest.raises(NotAllowed, match="been put forward"):  # both still wait: approved now, they count now
        nominate(org, clock, "U0MGR2", ("U0AGENT2",), "voucher_25", "three")
    [first, _second] = stored_nominations(org)
    workspace, maya = org.query(Workspace).one(), employee(org, "U0MGR1")
    reward_approvals.decline(
        org, workspace=workspace, nomination_id=first.id, approver=maya, reason="no", now=clock.now()
    )
    assert nominate(org, clock, "U0MGR2", ("U0AGENT2",), "voucher_25", "three").waiting


def test_naming_more_people_than_the_allowance_left_is_refused_whole(org: Session, clock: MovableClock) -> None:
    for number in range(4):
        nominate(org, clock, "U0AGENT1", ("U0AGENT2",), "shoutout", f"thanks {number}")

    with pytest.raises(NotAllowed, match="1 nomination left this month but named 2 people"):
        nominate(org, clock, "U0AGENT1", ("U0AGENT2", "U0AGENT3"), "shoutout", "both")


def test_a_story_must_belong_to_a_nominee_and_only_colleagues_stories_are_offered(
    org: Session, clock: MovableClock
) -> None:
    workspace = org.query(Workspace).one()
    story = add_story(org, "U0AGENT3", "Refunded a late order", clock.now())

    with pytest.raises(InvalidInput, match="not someone else's"):
        nominate(org, clock, "U0AGENT1", ("U0AGENT2",), "shoutout", resolution_id=story.id)
    outcome = nominate(org, clock, "U0AGENT1", ("U0AGENT3",), "shoutout", resolution_id=story.id)

    assert outcome.grants[0].resolution_id == story.id
    offered = nominations.recent_stories(org, workspace=workspace, nominator=employee(org, "U0AGENT1"), now=clock.now())
    assert offered == [nominations.Story(story.id, "Ines Agent", "Refunded a late order")]
    assert (
        nominations.recent_stories(org, workspace=workspace, nominator=employee(org, "U0AGENT3"), now=clock.now()) == []
    )


def test_an_inactive_colleague_cannot_be_nominated(org: Session, clock: MovableClock) -> None:
    employee(org, "U0AGENT2").active = False
    org.flush()

    with pytest.raises(NotAllowed, match="not an active member"):
        nominate(org, clock, "U0AGENT1", ("U0AGENT2",), "shoutout")
    assert org.query(Employee).filter_by(slack_id="U0AGENT2").one().active is False


def test_a_double_submit_that_raced_past_the_duplicate_check_is_refused_by_the_unique_fingerprint(
    org: Session, clock: MovableClock
) -> None:
    [first] = nominate(org, clock, "U0AGENT1", ("U0AGENT2",), "shoutout", reason="calm with a tough caller").nominations
    first.reason = "written by the other request"  # what the racing request's duplicate check could not see yet
    org.commit()

    with pytest.raises(AlreadyDone, match="exactly this a moment ago"):
        nominate(org, clock, "U0AGENT1", ("U0AGENT2",), "shoutout", reason="calm with a tough caller")
    org.rollback()

    assert org.scalars(select(Nomination.id)).all() == [first.id]
    assert len(org.scalars(select(RewardGrant.id)).all()) == 1


def test_the_codes_the_export_writes_as_stored_can_neither_look_like_a_formula_nor_need_quotes() -> None:
    """The export leaves these columns unchecked (services/rewards/export_sql.py): what may go in keeps them plain."""
    special = FORMULA_START | set(',"\r\n')
    codes = [*KINDS, *CURRENCIES, HOURS, SHOUTOUT, "approved", "fulfilled", "revoked"]

    assert [code for code in codes if not code or code[0] in FORMULA_START or set(code) & special] == []
    assert [c for c in special if _ITEM_KEY.match(c + "a") or _ITEM_KEY.match("a" + c)] == []
    assert [c for c in special if _SLACK_USER_ID.match(c + "U0A") or _SLACK_USER_ID.match("U0A" + c)] == []
    assert _ITEM_KEY.match("gift_card_25") and _SLACK_USER_ID.match("U012AB3CD")


def test_two_nominations_at_once_by_the_same_giver_take_turns(
    engine: Engine, sessions: sessionmaker[Session], clock: MovableClock
) -> None:
    """The allowance is counted from what is written: the second waits for the first (PostgreSQL)."""
    skip_unless_writers_overlap(engine)
    load_org(sessions, clock.now())
    load_policy_text(sessions, clock.now())

    with sessions.begin() as first:
        nominate(first, clock, "U0AGENT1", ("U0AGENT2",), "shoutout", reason="first")
        with sessions.begin() as second, waits_for_the_other(second):
            nominate(second, clock, "U0AGENT1", ("U0AGENT3",), "shoutout", reason="second")


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Shout-out for calming an angry caller", SHOUTOUT),
        ("vouchers are well deserved", SHOUTOUT),
        ("voucher_25 saved the day", "voucher_25"),
        ("halfway through a hard shift", SHOUTOUT),
        ("Halfway, she took the queue", SHOUTOUT),
    ],
)
def test_a_plain_first_word_belongs_to_the_reason_even_when_it_is_close_to_a_reward(
    org: Session, text: str, key: str
) -> None:
    policy = reward_policy(org, org.scalars(select(Workspace)).one())

    assert typed.split_reward(policy, text)[0] == key


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("vaucher great job with the angry customer", "voucher_25"),
        ("voucjer great job", "voucher_25"),
        ("voucker great job", "voucher_25"),
        ("voucmer great job", "voucher_25"),
        ("halfdag for the weekend cover", "half_day"),
        ("halfdey for the weekend cover", "half_day"),
        ("servicestat for the weekend", "service_star"),
        ("Vaucher! great job", "voucher_25"),
        ("“vouchr” for the weekend", "voucher_25"),
    ],
)
def test_a_reward_word_with_one_letter_changed_is_asked_about(org: Session, text: str, key: str) -> None:
    policy = reward_policy(org, org.scalars(select(Workspace)).one())

    with pytest.raises(InvalidInput, match=rf"Did you mean the reward .*`/nominate @someone {key} why...`"):
        typed.split_reward(policy, text)


@pytest.mark.parametrize(
    ("text", "key", "reason"),
    [
        (":voucher_25: for the weekend cover", "voucher_25", "for the weekend cover"),
        (":tada: :half-day: for the weekend cover", "half_day", ":tada: for the weekend cover"),
        (":tada: for the weekend cover", SHOUTOUT, ":tada: for the weekend cover"),
    ],
)
def test_a_rewards_key_written_as_an_emoji_code_is_that_reward(org: Session, text: str, key: str, reason: str) -> None:
    policy = reward_policy(org, org.scalars(select(Workspace)).one())

    assert typed.split_reward(policy, text) == (key, reason)


@pytest.mark.parametrize("text", ["vouched for the new starter", "vouchers are well deserved", "helped a lot"])
def test_a_past_tense_or_plural_of_a_rewards_word_stays_the_reason(org: Session, text: str) -> None:
    policy = reward_policy(org, org.scalars(select(Workspace)).one())

    assert typed.split_reward(policy, text) == (SHOUTOUT, text)


def test_a_dash_set_apart_before_the_reason_is_no_word_of_it(org: Session) -> None:
    policy = reward_policy(org, org.scalars(select(Workspace)).one())

    assert typed.split_reward(policy, "— great job") == (SHOUTOUT, "great job")
    assert typed.split_reward(policy, "voucher_25 – great job") == ("voucher_25", "great job")


def test_a_first_word_written_like_a_key_and_close_to_one_is_an_unknown_reward(org: Session) -> None:
    policy = reward_policy(org, org.scalars(select(Workspace)).one())

    with pytest.raises(NotFound, match="no reward called `vouchr_25`"):
        typed.split_reward(policy, "vouchr_25 saved the day")


def test_nominations_already_reminded_leave_room_for_the_next_ones(org: Session, clock: MovableClock) -> None:
    """With hundreds waiting, the job's batch must not be the same already-reminded ones every time."""
    nominate(org, clock, "U0AGENT1", ("U0AGENT2",), "voucher_25", "one")
    nominate(org, clock, "U0AGENT3", ("U0AGENT2",), "voucher_25", "two")
    clock.advance(timedelta(hours=25))

    [(oldest, _)] = follow_ups.due(org, Nomination, now=clock.now(), limit=1)
    [(following, _)] = follow_ups.due(org, Nomination, now=clock.now(), limit=1)

    assert (oldest.reason, following.reason) == ("one", "two")


@pytest.mark.parametrize(
    ("text", "key", "reason"),
    [
        (":star: service_star for the weekend", "service_star", ":star: for the weekend"),
        ("🎉 voucher_25 for the weekend", "voucher_25", "🎉 for the weekend"),
        ("voucher_25:tada: for the weekend", "voucher_25", ":tada: for the weekend"),
        (":clap::skin-tone-3: :star: half_day covered Sunday", "half_day", ":clap::skin-tone-3: :star: covered Sunday"),
        (":tada: great job on the queue", SHOUTOUT, ":tada: great job on the queue"),
        ("thanks:pray: for the cover", SHOUTOUT, "thanks:pray: for the cover"),
        (":tada: \u2014 voucher_25 for the angry caller", "voucher_25", ":tada: for the angry caller"),
        (":tada: - half_day covered Sunday", "half_day", ":tada: covered Sunday"),
    ],
)
def test_an_emoji_before_a_reward_or_typed_onto_it_goes_to_the_reason(
    org: Session, text: str, key: str, reason: str
) -> None:
    policy = reward_policy(org, org.scalars(select(Workspace)).one())

    assert typed.split_reward(policy, text) == (key, reason)


def test_a_slip_after_an_emoji_is_still_asked_about(org: Session) -> None:
    policy = reward_policy(org, org.scalars(select(Workspace)).one())

    with pytest.raises(InvalidInput, match="Did you mean the reward"):
        typed.split_reward(policy, ":tada: halfday for the cover")
