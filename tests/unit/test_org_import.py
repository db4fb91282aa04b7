"""The org CSV: all or nothing, every bad row named by its line, re-imports update in place."""

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.cli.org import describe_report
from bot.clock import MovableClock
from models import AuditEvent, Employee, Workspace
from services import directory, teams
from services.directory import all_reports
from services.org_import import OrgFileError, import_org, org_tree, parse_org_csv
from tests.conftest import FIXTURES
from tests.helpers import POLICY_EXAMPLE, count, employee, load_policy

HEADER = "slack_id,name,team,role,manager_slack_id\n"
FULL_HEADER = "slack_id,name,team,role,manager_slack_id,email,tz,profile\n"
ANN_AND_BOB = "U0A,Ann,East,admin,\nU0B,Bob,East,frontline,U0A\n"
ANN_AND_BOB_IN_FULL = (
    "U0A,Ann,East,admin,,ann@example.com,Europe/Paris,\n"
    "U0B,Bob,East,frontline,U0A,bob@example.com,Asia/Tokyo,senior_agent\n"
)


def run_import(session: Session, workspace: Workspace, clock: MovableClock, text: str, *, deactivate: bool = False):
    report = import_org(
        session,
        workspace=workspace,
        rows=parse_org_csv(text),
        deactivate_missing=deactivate,
        actor="test",
        now=clock.now(),
    )
    session.commit()
    return report


def test_the_fixture_org_loads_with_managers_and_teams(
    session: Session, workspace: Workspace, clock: MovableClock
) -> None:
    report = run_import(session, workspace, clock, (FIXTURES / "org.csv").read_text())

    assert len(report.added) == 7
    sam = employee(session, "U0AGENT1")
    assert (sam.manager.slack_id, sam.team_name, sam.tz, sam.boundary_profile) == (
        "U0MGR1",
        "Support East",
        "America/New_York",
        "agent",
    )
    assert employee(session, "U0MGR1").boundary_profile == "manager"
    names = [e.name for e in all_reports(session, employee(session, "U0ADMIN"))]
    assert names == sorted(["Hana Reyes", "Maya Manager", "Sam Agent", "Lee Senior", "Omar Manager", "Ines Agent"])
    assert [(depth, e.slack_id) for depth, e in org_tree(session, workspace)][:3] == [
        (0, "U0ADMIN"),
        (1, "U0HR"),
        (1, "U0MGR1"),
    ]


def test_a_reimport_updates_in_place_and_says_what_changed(
    session: Session, workspace: Workspace, clock: MovableClock
) -> None:
    run_import(session, workspace, clock, HEADER + "U0A,Ann,East,manager,\nU0B,Bob,East,frontline,U0A\n")
    clock.advance(timedelta(days=1))

    report = run_import(
        session,
        workspace,
        clock,
        HEADER + "U0A,Ann,East,manager,\nU0B,Bob Brown,West,frontline,U0A\nU0C,Cy,West,frontline,U0A\n",
    )

    assert report.added == ["Cy (U0C)"]
    assert report.updated == ["Bob Brown (U0B): name 'Bob' -> 'Bob Brown', team -> West"]
    assert report.unchanged == 1
    assert employee(session, "U0B").updated_at == clock.now()
    assert count(session, Employee) == 3


def test_people_missing_from_the_file_are_deactivated_only_when_asked(
    session: Session, workspace: Workspace, clock: MovableClock
) -> None:
    run_import(session, workspace, clock, HEADER + "U0A,Ann,East,manager,\nU0B,Bob,East,frontline,U0A\n")

    kept = run_import(session, workspace, clock, HEADER + "U0A,Ann,East,manager,\n")
    assert kept.deactivated == [] and employee(session, "U0B").active

    gone = run_import(session, workspace, clock, HEADER + "U0A,Ann,East,manager,\n", deactivate=True)
    assert gone.deactivated == ["Bob (U0B)"]
    assert not employee(session, "U0B").active


@pytest.mark.parametrize(
    ("rows", "problem"),
    [
        ("U0A,Ann,East,boss,\n", "line 3: unknown role 'boss' (use frontline, manager, hr, admin)"),
        (
            "U0A,Ann,East,manager,\nU0B,Bob,East,frontline,U0Z\n",
            "line 4: manager U0Z is not in the file: add their row (with --deactivate-missing the file is the whole "
            "organisation; without it, a manager the file does not list is found in the directory)",
        ),
        ("U0A,Ann,East,manager,\nU0A,Ann again,East,manager,\n", "line 4: duplicate slack_id U0A (first on line 3)"),
        ("U0A,Ann,East,manager,U0B\nU0B,Bob,East,manager,U0A\n", "line 3: manager cycle U0A -> U0B -> U0A"),
        ("U0A,Ann,East,manager,U0A\n", "line 3: U0A cannot be their own manager"),
        ("bob,Ann,East,manager,\n", "line 3: slack_id 'bob' is not a Slack user id (like U012AB3CD)"),
        ("U0A,,East,manager,\n", "line 3: name is empty"),
        ("U0A,Ann,East,manager,,ann@example.com,extra\n", "line 3: 2 cells more than the header has columns"),
        (f"U0A,{'A' * 201},East,manager,\n", "line 3: name is 201 characters long (at most 200)"),
        (f"U0A,Ann,{'E' * 250},manager,\n", "line 3: team is 250 characters long (at most 200)"),
    ],
    ids=lambda value: value[:40],
)
def test_a_bad_row_is_named_by_its_line(rows: str, problem: str) -> None:
    with pytest.raises(OrgFileError) as raised:
        parse_org_csv(HEADER + "U0OK,Fine Person,East,frontline,\n" + rows)

    assert raised.value.problems == [problem]


def test_a_bad_row_under_blank_lines_is_named_by_its_own_line() -> None:
    """A hand-edited file, or two joined: the csv module skips the blank lines before reading the row."""
    with pytest.raises(OrgFileError) as raised:
        parse_org_csv(HEADER + "U0A,Ann,East,manager,\n\n\nU0B,Bob,East,bogus,U0A\nU0A,Ann again,East,manager,\n")

    assert raised.value.problems == [
        "line 5: unknown role 'bogus' (use frontline, manager, hr, admin)",
        "line 6: duplicate slack_id U0A (first on line 2)",
    ]


@pytest.mark.parametrize("end", ["\n", "\r\n"], ids=["lf", "crlf"])
def test_a_line_break_a_spreadsheet_left_at_a_cells_end_is_trimmed_and_one_inside_is_named(end: str) -> None:
    """Alt+Enter in Excel: the cell is saved quoted, its line break inside."""
    rows = parse_org_csv(HEADER + f'U0A,"Ann{end}",East,manager,{end}U0B,Bob,"East{end}",frontline,U0A{end}')
    with pytest.raises(OrgFileError) as raised:
        parse_org_csv(HEADER + f'U0A,"Ann{end}Lee",East,manager,{end}U0B,Bob,East,frontline,U0A{end}')

    assert [(row.name, row.team) for row in rows] == [("Ann", "East"), ("Bob", "East")]
    assert raised.value.problems == ["line 2: a cell holds a line break (Alt+Enter in a spreadsheet): take it out"]


def test_empty_rows_a_spreadsheet_saves_below_the_people_are_skipped() -> None:
    """Excel's *CSV UTF-8* writes `,,,,` for every formatted row under the data, and a blank line for some."""
    rows = parse_org_csv(FULL_HEADER + ANN_AND_BOB_IN_FULL.replace("\n", "\r\n") + ",,,,,,,\r\n , ,,,,,,\r\n\r\n")

    assert [row.slack_id for row in rows] == ["U0A", "U0B"]


def test_a_file_excel_saved_with_semicolons_reads_as_the_same_people() -> None:
    """Excel saves "CSV" with semicolons where the decimal mark is a comma (most of Europe); names keep commas."""
    semicolons = (FULL_HEADER + ANN_AND_BOB_IN_FULL).replace(",", ";").replace("Ann;", '"Ann, Jr.";')

    rows = parse_org_csv(semicolons)

    assert [(row.slack_id, row.name, row.tz, row.profile) for row in rows] == [
        ("U0A", "Ann, Jr.", "Europe/Paris", None),
        ("U0B", "Bob", "Asia/Tokyo", "senior_agent"),
    ]


def test_columns_a_spreadsheet_leaves_without_a_name_are_allowed_while_empty() -> None:
    rows = parse_org_csv(HEADER.replace("\n", ",,\n") + "U0A,Ann,East,admin,,,\nU0B,Bob,East,frontline,U0A,,\n")

    assert [row.slack_id for row in rows] == ["U0A", "U0B"]
    with pytest.raises(OrgFileError) as written_in:
        parse_org_csv(HEADER.replace("\n", ",,\n") + "U0A,Ann,East,admin,,,\nU0B,Bob,East,frontline,U0A,x,y\n")
    assert written_in.value.problems == ["line 3: 2 cells under a column with no name in the header"]


def test_a_file_of_empty_rows_has_no_people() -> None:
    with pytest.raises(OrgFileError) as raised:
        parse_org_csv(HEADER + ",,,,\n")

    assert raised.value.problems == ["the file has a header but no people"]


@pytest.mark.parametrize("tz", ["Mars/Olympus", "Europe", "../etc", "localtime", "Factory", "right/Europe/Paris"])
def test_an_unknown_time_zone_and_a_missing_column_are_reported(tz: str) -> None:
    with pytest.raises(OrgFileError) as bad_tz:
        parse_org_csv(f"slack_id,name,team,role,manager_slack_id,tz\nU0A,Ann,East,admin,,{tz}\n")
    with pytest.raises(OrgFileError) as no_column:
        parse_org_csv("slack_id,name,role\nU0A,Ann,admin\n")

    assert bad_tz.value.problems == [f"line 2: tz {tz!r} is not an IANA time zone (like Europe/Paris)"]
    assert "missing column(s) team, manager_slack_id" in no_column.value.problems[0]


def test_a_profile_missing_from_the_policy_in_force_is_refused(
    sessions: sessionmaker[Session], session: Session, workspace: Workspace, clock: MovableClock
) -> None:
    load_policy(sessions, clock.now())

    with pytest.raises(OrgFileError) as raised:
        run_import(session, workspace, clock, HEADER.strip() + ",profile\nU0A,Ann,East,frontline,,wizard\n")

    assert raised.value.problems[0].startswith("line 2: profile 'wizard' is not in policy version 1")
    session.rollback()
    assert count(session, Employee) == 0


def optional_values(session: Session, slack_id: str) -> tuple[str | None, str | None, str | None]:
    person = employee(session, slack_id)
    return person.email, person.tz, person.profile


def test_a_column_the_file_lacks_keeps_what_is_stored_and_a_newcomer_gets_the_default(
    session: Session, workspace: Workspace, clock: MovableClock
) -> None:
    run_import(session, workspace, clock, FULL_HEADER + ANN_AND_BOB_IN_FULL)
    clock.advance(timedelta(days=1))

    report = run_import(session, workspace, clock, HEADER + ANN_AND_BOB + "U0C,Cy,East,frontline,U0A\n")

    assert (report.added, report.updated, report.unchanged) == (["Cy (U0C)"], [], 2)
    assert report.kept_columns == ["email", "tz", "profile"]
    assert optional_values(session, "U0B") == ("bob@example.com", "Asia/Tokyo", "senior_agent")
    assert employee(session, "U0B").updated_at < clock.now()
    assert optional_values(session, "U0C") == (None, None, None)
    assert employee(session, "U0C").boundary_profile == "frontline"
    audit = session.scalars(select(AuditEvent).where(AuditEvent.action == "org.import").order_by(AuditEvent.id))
    assert audit.all()[-1].details == {
        "added": 1,
        "updated": 0,
        "deactivated": 0,
        "rerouted": 0,
        "kept_columns": ["email", "tz", "profile"],
        "powers": [],
    }


def test_an_empty_cell_in_a_column_the_file_has_still_clears_it(
    session: Session, workspace: Workspace, clock: MovableClock
) -> None:
    run_import(session, workspace, clock, FULL_HEADER + ANN_AND_BOB_IN_FULL)

    report = run_import(
        session,
        workspace,
        clock,
        HEADER.strip() + ",tz,profile\nU0A,Ann,East,admin,,Europe/Paris,\nU0B,Bob,East,frontline,U0A,,\n",
    )

    assert report.updated == ["Bob (U0B): tz 'Asia/Tokyo' -> None, profile 'senior_agent' -> None"]
    assert report.kept_columns == ["email"]
    assert optional_values(session, "U0B") == ("bob@example.com", None, None)
    assert optional_values(session, "U0A") == ("ann@example.com", "Europe/Paris", None)


def test_without_a_profile_column_the_stored_profile_is_the_one_the_policy_must_have(
    sessions: sessionmaker[Session], session: Session, workspace: Workspace, clock: MovableClock
) -> None:
    load_policy(
        sessions, clock.now(), POLICY_EXAMPLE.read_text().replace('[profiles.frontline]\ninherit = "agent"\n', "")
    )
    run_import(session, workspace, clock, FULL_HEADER + ANN_AND_BOB_IN_FULL)

    kept = run_import(session, workspace, clock, HEADER + ANN_AND_BOB)
    with pytest.raises(OrgFileError) as cleared:
        run_import(
            session, workspace, clock, HEADER.strip() + ",profile\nU0A,Ann,East,admin,,\nU0B,Bob,East,frontline,U0A,\n"
        )

    assert kept.updated == [] and employee(session, "U0B").boundary_profile == "senior_agent"
    assert cleared.value.problems[0].startswith("line 3: profile 'frontline' is not in policy version 1")


def test_header_names_match_whatever_their_letter_case_and_spaces() -> None:
    [row] = parse_org_csv(
        "Slack_ID , Name,TEAM,role,manager_slack_id, Email ,TZ\nU0A,Ann,East,admin,,ann@example.com,Asia/Tokyo\n"
    )
    with pytest.raises(OrgFileError) as twice:
        parse_org_csv("slack_id,name,team,role,manager_slack_id,email,Email \nU0A,Ann,East,admin,,a@example.com,\n")

    assert (row.slack_id, row.name, row.email, row.tz, row.columns) == (
        "U0A",
        "Ann",
        "ann@example.com",
        "Asia/Tokyo",
        frozenset({"email", "tz"}),
    )
    assert twice.value.problems == ["line 1: column(s) email given more than once: keep one of each"]


def test_a_team_is_found_by_its_name_whatever_the_case_accents_included_and_never_by_pattern(
    session: Session, workspace: Workspace, clock: MovableClock
) -> None:
    run_import(session, workspace, clock, HEADER + "U0A,Ann,Équipe Paris,manager,\nU0B,Bob,Support_East,manager,\n")

    found = [teams.find_team(session, workspace, name) for name in ("équipe paris", "ÉQUIPE PARIS", "Support_East")]
    patterns = [teams.find_team(session, workspace, name) for name in ("%", "Support%", "Support East")]

    assert [team.name if team else None for team in found] == ["Équipe Paris", "Équipe Paris", "Support_East"]
    assert patterns == [None, None, None]


def test_deactivate_missing_spares_a_newcomer_the_file_has_not_had_a_chance_to_list(
    session: Session, workspace: Workspace, clock: MovableClock
) -> None:
    directory.identify(session, workspace=workspace, slack_id="U0EARLY", name="early", now=clock.now())
    clock.advance(timedelta(days=1))
    run_import(session, workspace, clock, HEADER + "U0A,Ann,East,admin,\n", deactivate=True)
    clock.advance(timedelta(hours=1))
    directory.identify(session, workspace=workspace, slack_id="U0NEW", name="new", now=clock.now())
    clock.advance(timedelta(days=7))

    first = run_import(session, workspace, clock, HEADER + "U0A,Ann,East,admin,\n", deactivate=True)
    clock.advance(timedelta(days=7))
    second = run_import(session, workspace, clock, HEADER + "U0A,Ann,East,admin,\n", deactivate=True)

    assert first.deactivated == ["early (U0EARLY)"], "known at the import before: the file had its chance"
    assert "  ? new (U0NEW): not in the file, new since the last import" in describe_report(first)
    assert second.deactivated == ["new (U0NEW)"] and second.newcomers_kept == []
    assert not employee(session, "U0NEW").active


@pytest.mark.parametrize(
    ("cell", "read"),
    [
        ("\u201cSupport East\u201d", "Support East"),
        (" \u201e Support East \u201c ", "Support East"),
        ("\u00abSupport East\u00bb", "Support East"),
        ("\u201cSunny\u201d Sam", "\u201cSunny\u201d Sam"),
        ("\u201cSunny\u201d East \u201cTwo\u201d", "\u201cSunny\u201d East \u201cTwo\u201d"),
        ("\u00abEast\u00bb \u00abTwo\u00bb", "\u00abEast\u00bb \u00abTwo\u00bb"),
    ],
)
def test_a_cell_wholly_in_curly_double_quotes_is_read_without_them(cell: str, read: str) -> None:
    [row] = parse_org_csv(f"slack_id,name,team,role,manager_slack_id\nU0A,Ada Admin,{cell},admin,\n")

    assert row.team == read
