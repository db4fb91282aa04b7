"""The end-to-end tests' fake workspace: the people of the orgs the tests import are in it, as in a real workspace
whose org file lists its people (the fixture org, the bigger Support East of the suggestion tests, the pulse org)."""

import pytest

from bot.fakeslack import FakeSlack
from tests.conftest import FIXTURES
from tests.helpers import add_org_people
from tests.pulse_org import org_csv
from tests.suggestions_helpers import EXTRA_AGENTS


@pytest.fixture
def slack(slack: FakeSlack) -> FakeSlack:
    add_org_people(slack, org_csv())
    add_org_people(slack, (FIXTURES / "org.csv").read_text() + EXTRA_AGENTS)
    return slack
