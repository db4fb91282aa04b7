"""The managers an org file names: a file of one region names its head's manager, found in the stored directory
when the import updates only the people in the file; the loops of managers through it; and Excel's `sep=` line."""

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import MovableClock
from models import Employee, Workspace
from services.directory import identify
from services.org_import import OrgFileError, import_org, parse_org_csv
from services.org_managers import Stored, stored_people
from tests.helpers import employee

HEADER = "slack_id,name,team,role,manager_slack_id\n"
WHOLE = (
    "U0CEO,Cea,HQ,admin,\nU0HR,Hal,HQ,hr,U0CEO\n"
    "U0EAST,Eve,East,manager,U0CEO\nU0E1,Ed,East,frontline,U0EAST\n"
    "U0WEST,Wes,West,manager,U0CEO\nU0W1,Will,West,frontline,U0WEST\n"
)
EAST = HEADER + "U0EAST,Eve,East,manager,U0CEO\nU0E1,Ed Edwards,East,frontline,U0EAST\nU0E2,Ela,East,frontline,U0EAST\n"
DIRECTORY = {
    "U0CEO": Stored(name="Cea", active=True, listed=True, guest=False, manager=None),
    "U0OLD": Stored(name="Olga", active=False, listed=True, guest=False, manager="U0CEO"),
    "U0GUEST": Stored(name="Gus", active=True, listed=False, guest=True, manager=None),
    "U0SLACK": Stored(name="Sid", active=True, listed=False, guest=False, manager=None),
    "U0WEST": Stored(name="Wes", active=True, listed=True, guest=False, manager="U0CEO"),
}


def run_import(session: Session, workspace: Workspace, clock: MovableClock, text: str, *, deactivate: bool = False):
    directory = None if deactivate else stored_people(session, workspace)
    report = import_org(
        session,
        workspace=workspace,
        rows=parse_org_csv(text, directory=directory),
        deactivate_missing=deactivate,
        actor="test",
        now=clock.now(),
    )
    session.commit()
    return report


def problems_of(text: str, directory: dict[str, Stored] | None = DIRECTORY) -> list[str]:
    with pytest.raises(OrgFileError) as raised:
        parse_org_csv(text, directory=directory)
    return raised.value.problems


def test_a_manager_the_file_leaves_out_is_found_active_in_the_directory() -> None:
    rows = parse_org_csv(HEADER + "U0EAST,Eve,East,manager,U0CEO\n", directory=DIRECTORY)

    assert [row.manager_slack_id for row in rows] == ["U0CEO"]


@pytest.mark.parametrize(
    ("manager", "problem"),
    [
        ("U0NOBODY", "manager U0NOBODY is neither in the file nor in the directory: add their row, or check the id"),
        ("U0OLD", "manager U0OLD (Olga) is inactive in the directory: add their row to bring them back, or name an "),
        ("U0GUEST", "manager U0GUEST (Gus) is a guest of the Slack workspace whom the file has never listed: add "),
        ("U0SLACK", "manager U0SLACK (Sid) is known only from Slack, never listed in an org file: add their row, "),
    ],
)
def test_a_manager_the_file_leaves_out_must_be_active_staff_in_the_directory(manager: str, problem: str) -> None:
    problems = problems_of(HEADER + "U0A,Ann,East,manager,\n" + f"U0EAST,Eve,East,manager,{manager}\n")

    assert len(problems) == 1 and problems[0].startswith(f"line 3: {problem}"), problems


def test_the_whole_organisation_s_file_names_every_manager_in_it() -> None:
    assert problems_of(HEADER + "U0EAST,Eve,East,manager,U0CEO\n", directory=None) == [
        "line 2: manager U0CEO is not in the file: add their row (with --deactivate-missing the file is the whole "
        "organisation; without it, a manager the file does not list is found in the directory)"
    ]


def test_a_loop_through_stored_people_names_them_and_where_the_directory_has_them() -> None:
    problems = problems_of(HEADER + "U0A,Ann,East,frontline,\nU0CEO,Cea,HQ,admin,U0WEST\n")

    assert problems == [
        "line 3: manager cycle U0CEO -> U0WEST -> U0CEO (not in the file, the directory has U0WEST reports to "
        "U0CEO): name another manager on a line of the loop"
    ]


def test_a_loop_the_file_makes_alone_is_named_as_before() -> None:
    problems = problems_of(HEADER + "U0A,Ann,East,manager,U0B\nU0B,Bob,East,manager,U0A\n")

    assert problems == ["line 2: manager cycle U0A -> U0B -> U0A"]


def test_a_region_s_file_keeps_its_head_under_the_stored_manager(
    session: Session, workspace: Workspace, clock: MovableClock
) -> None:
    run_import(session, workspace, clock, HEADER + WHOLE)

    report = run_import(session, workspace, clock, EAST)

    assert [len(report.added), len(report.updated), report.unchanged] == [1, 1, 1]
    assert employee(session, "U0EAST").manager.slack_id == "U0CEO"
    assert employee(session, "U0E2").manager.slack_id == "U0EAST"
    assert report.to_check == []


def test_a_manager_gone_since_the_file_was_read_is_refused_and_nothing_is_written(
    session: Session, workspace: Workspace, clock: MovableClock
) -> None:
    """Checked again under the import's lock: another import may have deactivated them since."""
    run_import(session, workspace, clock, HEADER + WHOLE)
    rows = parse_org_csv(EAST, directory=stored_people(session, workspace))
    employee(session, "U0CEO").active = False
    session.commit()

    with pytest.raises(OrgFileError) as raised:
        import_org(session, workspace=workspace, rows=rows, deactivate_missing=False, actor="t", now=clock.now())
    session.rollback()

    assert raised.value.problems[0].startswith("line 2: manager U0CEO (Cea) is inactive in the directory")
    assert employee(session, "U0E1").name == "Ed"


def test_a_manager_gone_since_the_file_was_read_is_refused_though_the_session_still_holds_them(
    sessions: sessionmaker[Session], session: Session, workspace: Workspace, clock: MovableClock
) -> None:
    """The people read before the lock, kept in the session, are read again under it, not taken as they were."""
    run_import(session, workspace, clock, HEADER + WHOLE)
    held = list(session.scalars(select(Employee)))
    rows = parse_org_csv(EAST, directory=stored_people(session, workspace))
    session.commit()
    with sessions.begin() as other:  # another import deactivates the manager meanwhile
        other.execute(update(Employee).where(Employee.slack_id == "U0CEO").values(active=False))

    with pytest.raises(OrgFileError) as raised:
        import_org(session, workspace=workspace, rows=rows, deactivate_missing=False, actor="t", now=clock.now())
    session.rollback()

    assert raised.value.problems[0].startswith("line 2: manager U0CEO (Cea) is inactive in the directory"), held


def test_someone_known_only_from_slack_is_no_manager_until_a_file_lists_them(
    session: Session, workspace: Workspace, clock: MovableClock
) -> None:
    run_import(session, workspace, clock, HEADER + WHOLE)
    identify(session, workspace=workspace, slack_id="U0STRANGE", name="Stranger", now=clock.now())
    session.commit()

    problems = problems_of(EAST.replace("U0CEO", "U0STRANGE"), stored_people(session, workspace))
    run_import(session, workspace, clock, HEADER + "U0STRANGE,Stella,Ops,manager,U0CEO\n")
    run_import(session, workspace, clock, EAST.replace("U0CEO", "U0STRANGE"))

    assert problems == [
        "line 2: manager U0STRANGE (Stranger) is known only from Slack, never listed in an org file: add their row, "
        "or name another manager"
    ]
    assert employee(session, "U0EAST").manager_id == employee(session, "U0STRANGE").id


def test_a_manager_and_their_report_trade_places(session: Session, workspace: Workspace, clock: MovableClock) -> None:
    run_import(session, workspace, clock, HEADER + WHOLE)

    report = run_import(session, workspace, clock, HEADER + "U0CEO,Cea,HQ,admin,U0EAST\nU0EAST,Eve,East,manager,\n")
    session.expire_all()

    assert report.updated == ["Cea (U0CEO): manager -> Eve", "Eve (U0EAST): manager -> none"]
    cea, eve = employee(session, "U0CEO"), employee(session, "U0EAST")
    assert (cea.manager, eve.manager) == (eve, None)


def test_rows_naming_a_manager_outside_the_file_are_refused_with_deactivate_missing(
    session: Session, workspace: Workspace, clock: MovableClock
) -> None:
    run_import(session, workspace, clock, HEADER + WHOLE)
    rows = parse_org_csv(EAST, directory=stored_people(session, workspace))

    with pytest.raises(OrgFileError) as raised:
        import_org(session, workspace=workspace, rows=rows, deactivate_missing=True, actor="t", now=clock.now())

    assert raised.value.problems[0].startswith("line 2: manager U0CEO is not in the file")


def test_an_empty_manager_cell_puts_the_person_at_the_top_and_the_import_says_so(
    session: Session, workspace: Workspace, clock: MovableClock
) -> None:
    """As the README says an empty `manager_slack_id` is: the top of the tree, in a file of one region too."""
    run_import(session, workspace, clock, HEADER + WHOLE)

    report = run_import(session, workspace, clock, EAST.replace("manager,U0CEO", "manager,"))

    assert employee(session, "U0EAST").manager is None
    assert [line.split(":")[0] for line in report.to_check] == [
        "Eve (U0EAST) has no manager any more (their manager_slack_id is empty; it was Cea (U0CEO))"
    ]


def test_a_manager_who_leaves_with_the_same_import_is_no_head_detached(
    session: Session, workspace: Workspace, clock: MovableClock
) -> None:
    """Wes reported to Hal, who leaves: Wes at the top is what the file says, with nobody left to write back."""
    under_hal = HEADER + WHOLE.replace("U0WEST,Wes,West,manager,U0CEO", "U0WEST,Wes,West,manager,U0HR")
    run_import(session, workspace, clock, under_hal)

    hal_gone = under_hal.replace("U0HR,Hal,HQ,hr,U0CEO\n", "").replace("manager,U0HR", "manager,")
    report = run_import(session, workspace, clock, hal_gone, deactivate=True)

    assert employee(session, "U0WEST").manager is None and not employee(session, "U0HR").active
    assert not any("no manager any more" in line for line in report.to_check)


SEMICOLONS = "slack_id;name;team;role;manager_slack_id\nU0A;Ann;East;admin;\nU0B;Bob;East;frontline;U0A\n"


@pytest.mark.parametrize("stated", ["sep=;", '"sep=;"', "SEP=;", "sep=;;;;", "\ufeffsep=;"])
def test_excel_s_sep_line_names_the_delimiter_and_is_no_header(stated: str) -> None:
    rows = parse_org_csv(f"{stated}\r\n{SEMICOLONS}")

    assert [(row.slack_id, row.manager_slack_id, row.line) for row in rows] == [("U0A", None, 3), ("U0B", "U0A", 4)]


def test_a_sep_line_may_name_a_delimiter_the_header_alone_would_not_guess() -> None:
    """A header with both commas and pipes reads as commas by itself; `sep=|` says otherwise."""
    rows = parse_org_csv("sep=|\nslack_id|name|team|role|manager_slack_id\nU0A|Ann, Jr.|East|admin|\n")

    assert [(row.slack_id, row.name) for row in rows] == [("U0A", "Ann, Jr.")]


@pytest.mark.parametrize("padding", [",,,,", "\t\t", " ,,"])
def test_a_sep_line_padded_with_another_delimiter_leaves_it_to_the_header(padding: str) -> None:
    """A sheet program saving the file again pads `sep=;` with its own delimiter: the header is then the one to read."""
    rows = parse_org_csv(f"sep=;{padding}\n" + SEMICOLONS.replace(";", ","))

    assert [(row.slack_id, row.manager_slack_id, row.line) for row in rows] == [("U0A", None, 3), ("U0B", "U0A", 4)]


@pytest.mark.parametrize(("stated", "own"), [(",", ";"), (";", ","), ("\t", ";")])
def test_a_sep_line_naming_another_delimiter_than_the_header_s_says_so(stated: str, own: str) -> None:
    problems = problems_of(f"sep={stated}\n" + SEMICOLONS.replace(";", own), directory=None)

    assert problems == [
        f"line 1 says `sep={stated}` but the header on line 2 is separated by `{own}`: fix or delete line 1"
    ]


def test_problems_below_a_sep_line_name_the_file_s_own_lines() -> None:
    assert problems_of("sep=;\n" + SEMICOLONS + "U0C;Cy;East;boss;U0A\n", directory=None) == [
        "line 5: unknown role 'boss' (use frontline, manager, hr, admin)"
    ]
    assert problems_of("sep=;\nslack_id;name;team;role\n", directory=None) == [
        "line 2: missing column(s) manager_slack_id (need slack_id,name,team,role,manager_slack_id)"
    ]
    assert problems_of("sep=;\n\n", directory=None)[0].startswith("the file is empty")
