"""HR's first day at the command line: files saved by whatever program was at hand, dates typed as people write them;
each is read as meant, or refused in one line that says what to do, with nothing written."""

import subprocess
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Employee, PolicyVersion, Workspace
from tests.e2e.test_cli import cli, prepared_database, upgraded
from tests.helpers import POLICY_EXAMPLE, count

HEADER = "slack_id,name,team,role,manager_slack_id"


def one_error_line(result: subprocess.CompletedProcess[str]) -> str:
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.returncode == 2 and len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    return lines[0]


def test_an_org_file_with_a_carriage_return_alone_at_each_line_end_imports(tmp_path: Path) -> None:
    """Excel for Mac's "CSV (Macintosh)", and files passed through old Mac tools, end lines so."""
    engine = upgraded(tmp_path)
    rows = [HEADER, "U0A,Ada Admin,East,admin,", "U0B,Ben Agent,East,frontline,U0A"]
    (tmp_path / "org.csv").write_bytes("\r".join(rows).encode() + b"\r")

    result = cli(tmp_path, "org", "import", "org.csv", "--workspace", "T0LATITUDE")

    assert result.returncode == 0, result.stderr
    assert "+ Ben Agent (U0B)" in result.stdout
    with Session(engine) as session:
        assert count(session, Employee) == 2


@pytest.mark.parametrize(
    ("later_rows", "expected"),
    [
        (
            ["U0B,Ben Agent,East,frontline,U0A", "U0C,Cleo Agent,East,frontline,U0A"],
            'error: line 3: a quote (") opens a cell that runs on to line 5: close it, or take it out',
        ),
        (
            [f"U0X{n},Agent number {n} with a long name,East,frontline,U0A" for n in range(3000)],
            'error: line 3: not readable as CSV: a cell runs on from here without end: is a quote (") left open?',
        ),
    ],
    ids=["a few rows swallowed", "the rest of a long file swallowed"],
)
def test_a_quote_left_open_in_the_org_file_names_the_line_it_opens_on_and_imports_nobody(
    tmp_path: Path, later_rows: list[str], expected: str
) -> None:
    engine = upgraded(tmp_path)
    rows = [HEADER, "U0A,Ada Admin,East,admin,", 'U0Q,"Quinn Agent,East,frontline,U0A', *later_rows]
    (tmp_path / "org.csv").write_text("\n".join(rows) + "\n")

    result = cli(tmp_path, "org", "import", "org.csv", "--workspace", "T0LATITUDE")

    assert one_error_line(result) == expected
    with Session(engine) as session:
        assert count(session, Employee) == 0 and count(session, Workspace) == 0


def old_mac_line_ends(text: str) -> bytes:
    """The text as an old Mac editor saves it: a carriage return alone at each line's end."""
    return text.replace("\n", "\r").encode()


def test_a_policy_file_with_a_carriage_return_alone_at_each_line_end_loads(tmp_path: Path) -> None:
    """TOML allows such a line end nowhere: the whole file was refused as "line 1: not valid TOML"."""
    prepared_database(tmp_path)
    (tmp_path / "policy.toml").write_bytes(old_mac_line_ends(POLICY_EXAMPLE.read_text()))

    result = cli(tmp_path, "policy", "load", "policy.toml", "--workspace", "T0LATITUDE")

    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("loaded policy.toml as policy version 1")
    with Session(upgraded(tmp_path)) as session:  # as the limits Latitude edits in it later read it
        assert session.scalars(select(PolicyVersion.text)).one() == POLICY_EXAMPLE.read_text()


@pytest.mark.parametrize(
    ("mistake", "expected"),
    [
        ("per_incident = -80", "error: line 33: profiles.agent.replacement.per_incident: cannot be negative (got -80)"),
        ("per_incident = 80 80", "error: line 33: not valid TOML: Unclosed inline table (column 76)"),
        ("per_incident = 80 # CAFE", "is not UTF-8 text: line 33 has a character in another encoding"),
    ],
    ids=["a wrong value", "not TOML", "not UTF-8"],
)
def test_a_mistake_in_a_policy_file_with_old_mac_line_ends_names_its_own_line_and_loads_nothing(
    tmp_path: Path, mistake: str, expected: str
) -> None:
    """Each was blamed on line 1 of the file."""
    prepared_database(tmp_path)
    text = POLICY_EXAMPLE.read_text()
    assert text.splitlines()[32].count("per_incident = 80") == 1
    written = old_mac_line_ends(text.replace("per_incident = 80", mistake, 1))
    (tmp_path / "policy.toml").write_bytes(written.replace(b"CAFE", b"caf\xe9"))  # `café` in Windows-1252

    result = cli(tmp_path, "policy", "load", "policy.toml", "--workspace", "T0LATITUDE")

    assert expected in one_error_line(result)
    with Session(upgraded(tmp_path)) as session:
        assert count(session, PolicyVersion) == 0


@pytest.mark.parametrize(
    ("straight", "curly", "where"),
    [
        ('currency = "USD"', "currency = \u201cUSD\u201d", "line 7: not valid TOML: Invalid value (column 12)"),
        ("[profiles.agent]", "[profiles.\u2018agent\u2019]", "line 29: not valid TOML: Invalid initial character"),
    ],
)
def test_a_policy_file_with_curly_quotes_says_they_are_curly_and_loads_nothing(
    tmp_path: Path, straight: str, curly: str, where: str
) -> None:
    """TextEdit on a Mac curls quotes as they are typed: "Invalid value (column 12)" alone did not say what to fix."""
    prepared_database(tmp_path)
    text = POLICY_EXAMPLE.read_text()
    assert text.count(straight) == 1
    (tmp_path / "policy.toml").write_text(text.replace(straight, curly))
    opening = next(mark for mark in curly if mark in "\u201c\u2018")

    error = one_error_line(cli(tmp_path, "policy", "load", "policy.toml", "--workspace", "T0LATITUDE"))

    assert error.startswith(f"error: {where}"), error
    assert error.endswith(
        f"the quote there is curly ({opening}), as TextEdit, Word or a phone type quotes; TOML takes straight ones "
        "(\" or '): turn smart quotes off and type them again"
    ), error
    with Session(upgraded(tmp_path)) as session:
        assert count(session, PolicyVersion) == 0


@pytest.mark.parametrize("separator", ["\u2028", "\u0085"])
def test_a_policy_file_with_curly_quotes_after_a_pasted_line_separator_still_says_they_are_curly(
    tmp_path: Path, separator: str
) -> None:
    """A line separator pasted into a comment (U+2028 or NEL, which TOML allows there) ends no line for TOML: the hint
    that the quote is curly looked for it a line too far down, and was not given."""
    prepared_database(tmp_path)
    text = POLICY_EXAMPLE.read_text().replace("one currency. Leave", f"one currency.{separator}Leave", 1)
    (tmp_path / "policy.toml").write_text(text.replace('currency = "USD"', "currency = \u201cUSD\u201d"), "utf-8")

    error = one_error_line(cli(tmp_path, "policy", "load", "policy.toml", "--workspace", "T0LATITUDE"))

    assert error.startswith("error: line 7: not valid TOML: Invalid value (column 12)"), error
    assert "the quote there is curly (\u201c)" in error, error


def test_a_policy_problem_after_a_pasted_line_separator_names_its_line(tmp_path: Path) -> None:
    prepared_database(tmp_path)
    text = POLICY_EXAMPLE.read_text().replace("one currency. Leave", "one currency.\u2028Leave", 1)
    (tmp_path / "policy.toml").write_text(text.replace("per_incident = 25,", "per_incident = -25,", 1), "utf-8")

    result = cli(tmp_path, "policy", "load", "policy.toml", "--workspace", "T0LATITUDE")

    assert result.returncode == 2 and "line 32:" in result.stderr, result.stderr


def test_an_org_file_with_a_name_in_curly_quotes_says_the_quotes_split_the_cell_and_imports_nobody(
    tmp_path: Path,
) -> None:
    """A row typed in a word processor: "1 cell more than the header has columns" alone did not say why."""
    engine = upgraded(tmp_path)
    rows = [HEADER, "U0A,Ada Admin,East,admin,", "U0B,\u201cAgent, Ben\u201d,East,frontline,U0A"]
    (tmp_path / "org.csv").write_text("\n".join(rows) + "\n")

    result = cli(tmp_path, "org", "import", "org.csv", "--workspace", "T0LATITUDE")

    assert result.returncode == 2, result.stderr
    assert (
        "error: line 3: 1 cell more than the header has columns: a cell opens with a curly quote (\u201c), which CSV "
        'does not read as a quote, so a comma in it split it: write straight quotes ("\u2026")\n'
    ) in result.stderr
    with Session(engine) as session:
        assert count(session, Employee) == 0


def test_an_org_file_with_cells_in_curly_quotes_imports_the_names_without_them(tmp_path: Path) -> None:
    """A word processor curls `"Support East"`: `\u201cSupport East\u201d` was imported as a team named with its quotes,
    apart from the Support East everyone else is in."""
    engine = upgraded(tmp_path)
    rows = [
        HEADER,
        "U0A,Ada Admin,Support East,admin,",
        "U0B,\u201cBen Agent\u201d,\u201cSupport East\u201d,frontline,U0A",
        "U0C,\u201eCara M\u00fcller\u201c,\u00abSupport East\u00bb,frontline,U0A",
        "U0D,\u201cDee\u201d Agent,Support East,frontline,U0A",
        "U0E,\u201cJJ\u201d Smith \u201cJr\u201d,Support East,frontline,U0A",
    ]
    (tmp_path / "org.csv").write_text("\n".join(rows) + "\n", "utf-8")

    result = cli(tmp_path, "org", "import", "org.csv", "--workspace", "T0LATITUDE")

    assert result.returncode == 0, result.stderr
    with Session(engine) as session:
        people = {
            person.slack_id: (person.name, person.team and person.team.name)
            for person in session.scalars(select(Employee))
        }
    assert people["U0B"] == ("Ben Agent", "Support East")
    assert people["U0C"] == ("Cara M\u00fcller", "Support East")
    assert people["U0D"] == ("\u201cDee\u201d Agent", "Support East"), "quotes around a word of the cell are the name's"
    assert people["U0E"] == ("\u201cJJ\u201d Smith \u201cJr\u201d", "Support East"), "two pairs are the name's too"


def test_an_org_file_not_in_utf_8_with_old_mac_line_ends_names_the_line_of_the_character(tmp_path: Path) -> None:
    upgraded(tmp_path).dispose()
    rows = [HEADER, "U0A,Ada Admin,East,admin,", "U0B,Ben Agent,East,frontline,U0A", "U0C,Ren\xe9e,East,frontline,U0A"]
    (tmp_path / "org.csv").write_bytes("\r".join(rows).encode("latin-1") + b"\r")

    result = cli(tmp_path, "org", "import", "org.csv", "--workspace", "T0LATITUDE")

    assert "org.csv is not UTF-8 text: line 4 has a character in another encoding" in one_error_line(result)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        (
            "05/01/2026",
            "could be 5 January 2026 (day first) or 1 May 2026 (month first): write the one you mean as YYYY-MM-DD "
            "(2026-01-05 or 2026-05-01) or with its month's name (`5 January 2026`).",
        ),
        ("2026-02-30", "is not a date: February 2026 has 28 days."),
        ("2026-13-01", "is not a date: write it as YYYY-MM-DD, like 2026-03-01."),
        ("5 Janvier 2026", "is not a date: write it as YYYY-MM-DD: 2026-01-05."),
    ],
)
def test_an_export_date_that_names_no_one_day_is_refused_saying_how_to_write_it(
    tmp_path: Path, typed: str, expected: str
) -> None:
    upgraded(tmp_path).dispose()

    result = cli(tmp_path, "export", "rewards", "--from", typed, "--out", "rewards.csv", "--workspace", "T0LATITUDE")

    assert one_error_line(result) == f"error: --from `{typed}` {expected}"
    assert not (tmp_path / "rewards.csv").exists()


@pytest.mark.parametrize(
    ("first", "last", "period"),
    [
        ("31.03.2026", "2026-04-30", "2026-03-31 to 2026-04-30"),
        ("5 January 2026", "Jan 31, 2026", "2026-01-05 to 2026-01-31"),
        ("March 2026", "April 2026", "2026-03-01 to 2026-04-30"),
        ("Dec 1", "31/01/2026", "2025-12-01 to 2026-01-31 (`Dec 1` has no year: read as 1 December 2025)"),
        ("01/25/2026", "25/02/2026", "2026-01-25 to 2026-02-25"),
    ],
)
def test_export_dates_written_as_people_write_them_are_read_as_the_slack_command_reads_them(
    tmp_path: Path, first: str, last: str, period: str
) -> None:
    """`--from "5 January 2026"` was refused ("write it as YYYY-MM-DD") though `/rewards export 5 January 2026` is
    read: HR typing the same dates in both places got two answers."""
    prepared_database(tmp_path)

    result = cli(tmp_path, "export", "rewards", "--from", first, "--to", last, "--out", "rewards.csv")

    assert result.returncode == 0, result.stderr
    assert result.stderr == f"0 reward grants, {period}\n"
    assert (tmp_path / "rewards.csv").read_text().startswith("grant_id,")


@pytest.mark.parametrize(
    ("first", "last"), [(" 2026-03-01 ", "2026-03-31\t"), ("1 March 2026.", "\u201c2026-03-31\u201d")]
)
def test_export_dates_pasted_with_spaces_quotes_or_a_full_stop_are_those_dates(
    tmp_path: Path, first: str, last: str
) -> None:
    """A date copied from a spreadsheet's cell or a sentence was refused: "--from ` 2026-03-01 ` is not a date"."""
    prepared_database(tmp_path)

    result = cli(tmp_path, "export", "rewards", "--from", first, "--to", last, "--out", "rewards.csv")

    assert result.returncode == 0, result.stderr
    assert result.stderr == "0 reward grants, 2026-03-01 to 2026-03-31\n"


@pytest.mark.parametrize(
    ("typed", "split"),
    [
        ("5-31 January 2026", "2026-01-05 to 2026-01-31: give its first day to --from and its last to --to"),
        ("2026-01-05 to 2026-01-31", "2026-01-05 to 2026-01-31: give its first day to --from and its last to --to"),
    ],
)
def test_a_range_given_to_from_alone_is_told_how_to_split_it(tmp_path: Path, typed: str, split: str) -> None:
    """Was "--from `5-31 January 2026` is not a date": the date was right, the option it went to was not."""
    upgraded(tmp_path).dispose()

    result = cli(tmp_path, "export", "rewards", "--from", typed, "--out", "rewards.csv", "--workspace", "T0LATITUDE")

    assert one_error_line(result) == (
        f"error: --from `{typed}` is a range, {split} (--from 2026-01-05 --to 2026-01-31)"
    )
    assert not (tmp_path / "rewards.csv").exists()


@pytest.mark.parametrize(
    ("typed", "told"),
    [
        (
            "team:Support East",
            'names a team: give it to --team (--team "Support East"), and only dates to --from and --to',
        ),
        (
            "team:Support East March 2026",
            'names a team: give it to --team (--team "Support East"), and only dates to --from and --to',
        ),
        ("since 1 March 2026", "runs to today: give its first day to --from and leave --to out (--from 2026-03-01)"),
        ("March 2026 onwards", "runs to today: give its first day to --from and leave --to out (--from 2026-03-01)"),
        ("for March 2026", "is not a date: write it like `5 January 2026`, `January 5, 2026` or YYYY-MM-DD."),
    ],
)
def test_a_team_or_an_open_range_given_to_from_is_told_how_to_give_it(tmp_path: Path, typed: str, told: str) -> None:
    """`--from "team:Support East"` was told it "is a range, 2026-12-01 to 2026-12-06, team Support East": the default
    range, not what was typed, and the team dropped from the advice."""
    upgraded(tmp_path).dispose()

    result = cli(tmp_path, "export", "rewards", "--from", typed, "--out", "rewards.csv", "--workspace", "T0LATITUDE")

    assert one_error_line(result) == f"error: --from `{typed}` {told}"
    assert not (tmp_path / "rewards.csv").exists()


def test_an_export_date_with_its_zeros_left_out_is_that_day(tmp_path: Path) -> None:
    """2026-1-5 can be no other day than 2026-01-05: year first, as ISO has it."""
    prepared_database(tmp_path)

    result = cli(tmp_path, "export", "rewards", "--from", "2026-1-5", "--to", "2026-2-1", "--out", "rewards.csv")

    assert result.returncode == 0, result.stderr
    assert result.stderr == "0 reward grants, 2026-01-05 to 2026-02-01\n"
    assert (tmp_path / "rewards.csv").read_text().startswith("grant_id,")


@pytest.mark.parametrize(
    ("typed", "refusal"),
    [
        (
            "2026-03-01",
            "error: --month must be a month like 2026-03, from 2000-01 to 2099-12 (got '2026-03-01'): write 2026-03",
        ),
        (
            "March 2026",
            "error: --month must be a month like 2026-03, from 2000-01 to 2099-12 (got 'March 2026'): write 2026-03",
        ),
        ("2026-13", "error: --month must be a month like 2026-03, from 2000-01 to 2099-12 (got '2026-13')"),
    ],
)
def test_a_month_to_suggest_from_written_as_a_day_or_in_words_is_refused_naming_the_month(
    tmp_path: Path, typed: str, refusal: str
) -> None:
    prepared_database(tmp_path)

    assert one_error_line(cli(tmp_path, "policy", "suggest", "--month", typed)) == refusal


def test_a_month_to_suggest_from_with_its_zero_left_out_is_that_month(tmp_path: Path) -> None:
    prepared_database(tmp_path)

    result = cli(tmp_path, "policy", "suggest", "--month", "2026-3")

    assert (result.returncode, result.stderr) == (
        1,
        "error: no policy loaded yet: `python -m bot policy load policy.example.toml`\n",
    )


CTRL_C_WHILE_IMPORTING = """
import importlib.abc, runpy, sys

class CtrlC(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name == {module!r}:
            raise KeyboardInterrupt  # as SIGINT's handler raises it, wherever the process stands
        return None

sys.meta_path.insert(0, CtrlC())
runpy.run_module("bot", run_name="__main__", alter_sys=True)
"""


@pytest.mark.parametrize("module", ["models.pulse", "bot.cli.org"], ids=["loading the cli", "loading the command"])
def test_ctrl_c_pressed_while_the_command_still_loads_stops_it_without_a_traceback(tmp_path: Path, module: str) -> None:
    """HR seeing a typo just after pressing Enter: the command has run nothing yet, and says nothing more."""
    prepared_database(tmp_path)

    stopped = cli(tmp_path, "-c", CTRL_C_WHILE_IMPORTING.format(module=module), "org", "show", python_flags=True)

    assert (stopped.returncode, stopped.stdout, stopped.stderr) == (130, "", "")


@pytest.mark.parametrize(
    ("typed", "suggested"),
    [
        (["exprot", "rewards"], "did you mean export?"),
        (["org", "imprt", "org.csv"], "did you mean import?"),
        (["pulse", "stat"], "did you mean status?"),  # not start, as close by letters, which opens a round
        (["export", "rewards", "--format", "CSV"], "did you mean csv?"),
    ],
)
def test_a_misspelled_command_names_the_one_meant_and_runs_nothing(
    tmp_path: Path, typed: list[str], suggested: str
) -> None:
    result = cli(tmp_path, *typed)

    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.splitlines()[-1].endswith(f"): {suggested}"), result.stderr
    assert list(tmp_path.iterdir()) == [], "nothing ran: not even a database was made"


def test_a_choice_typed_too_short_to_tell_is_not_guessed(tmp_path: Path) -> None:
    result = cli(tmp_path, "pulse", "st")

    assert result.returncode == 2
    assert result.stderr.splitlines()[-1].endswith("(choose from 'start', 'status', 'close')"), result.stderr


def test_an_export_asked_of_the_org_is_not_offered_the_import_that_writes_it(tmp_path: Path) -> None:
    result = cli(tmp_path, "org", "export")

    assert result.returncode == 2 and "did you mean" not in result.stderr, result.stderr


def test_an_org_file_saved_by_excel_as_tab_delimited_text_imports(tmp_path: Path) -> None:
    """Excel's "Text (Tab delimited)" (org.txt), which HR picks for "text" when CSV was asked."""
    engine = upgraded(tmp_path)
    rows = [HEADER, "U0A,Ada Admin,East,admin,", "U0B,Ben Agent,East,frontline,U0A"]
    (tmp_path / "org.txt").write_text("\r\n".join(row.replace(",", "\t") for row in rows) + "\r\n")

    result = cli(tmp_path, "org", "import", "org.txt", "--workspace", "T0LATITUDE")

    assert result.returncode == 0, result.stderr
    assert "+ Ben Agent (U0B)" in result.stdout
    with Session(engine) as session:
        assert count(session, Employee) == 2


@pytest.mark.parametrize(
    ("out", "options", "expected"),
    [
        (
            "march.xlsx",
            [],
            "the export is CSV text, not a workbook, and a spreadsheet refuses it under that name, or "
            "warns: name it march.csv (add --excel to open it in Excel)",
        ),
        (
            "March.XLS",
            ["--format", "jsonl"],
            "the export is JSON lines text, not a workbook, and a spreadsheet "
            "refuses it under that name, or warns: name it March.jsonl (JSON lines are for scripts)",
        ),
    ],
)
def test_an_export_named_like_a_workbook_is_refused_naming_the_file_to_write_and_nothing_is_written(
    tmp_path: Path, out: str, options: list[str], expected: str
) -> None:
    """Excel will not open a CSV saved as .xlsx ("the file format or file extension is not valid")."""
    prepared_database(tmp_path)

    result = cli(tmp_path, "export", "rewards", "--out", out, *options)

    assert one_error_line(result) == f"error: --out {out}: {expected}"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["latitude.db"]
