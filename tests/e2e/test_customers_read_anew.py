"""Migration 0059: fixes whose customer an older one-line reader misread take the customer today's reader reads in
what happened, as a fix typed the same way today is filed; every other fix keeps the customer it holds."""

import importlib
from decimal import Decimal

from sqlalchemy import Engine, func, select, text

from models import Resolution
from models.engine import make_session_factory
from models.schema import HEAD_REVISION, migrate
from services.resolutions.customers import customer_key
from services.resolutions.fixes import ResolutionRequest, log_resolution
from tests.conftest import MONDAY_MORNING
from tests.helpers import employee, load_org_and_policy

BATCH: int = importlib.import_module("models.migrations.versions.0059_customers_read_anew").BATCH

MISREAD = [  # what happened as stored, the customer an older reader stored, and the one today's reader reads
    ("order 12٣٤ arrived late", "order 12٣", "order 1234", "1234"),  # cut at a digit of another script (to 4 Dec)
    ("order 1,234 late", "order 1", "order 1,234", "1234"),  # cut at the first mark (4 to 6 Dec)
    ("order 1234,5 items missing", "order 1234,5", "order 1234", "1234"),  # read across marks (6 to 7 Dec)
    ("İNVOİCE 12 wrong total", "i\u0307nvoi\u0307ce 12", "invoice 12", "12"),  # a Turkish label lower-cased
    ("parcel lost #123,456 twice", "#123", "#123,456", "123456"),  # a bare hash cut at its first mark
    ("invoice 2024/123 items missing", "invoice 2024", "invoice 2024/123", "2024123"),  # a year and its serial
]
KEPT = [  # what happened as stored and the customer it keeps
    ("order 5521-3 boxes missing", "order 5521-3"),  # today's reader asks, 5521 or 5521-3: a migration cannot
    ("order 1234/5 items missing", "order 1234"),  # today's reader asks, 1234 or 1234/5 (read so 4 to 6 Dec)
    ("order 1,234 late", "AB-77"),  # typed after `ref:` or in the form: no reader gives it back
    ("ticket 45-2 days no reply", "T-9"),  # the form's, where today's reader would ask
    ("order 1234 late", "order 1234"),  # read the same today
    ("order 1 late", "order 1"),  # read the same today
    ("ticket 45 - 2 days no reply", None),  # no customer: the form stores those too, and none is given one
    ("sorry for the wait", "order 1,234"),  # the form's, nothing in what happened names it
    # Today's reader names no customer: the one held may be real, and a migration cannot tell, so it stays.
    ("order 3-4 days late", "order 3-4"),  # a range of days, customer 34 (5 to 7 Dec)
    ("booking 2 nights cancelled", "booking 2"),  # a span of time (4 to 5 Dec)
    ("customer's order 2 days late, refunded order 1234", "order 1234"),  # the form's, or read right (to 4 Dec)
    ("booking 3 nights late, ticket 4471 refunded", "ticket 4471"),  # the form's, or read right (to 4 Dec)
    # Today's reading is longer than a customer may be: today's /resolve would refuse the line.
    ("refunded the late ones: order " + ",".join(str(n) for n in range(5521, 5543)) + ".", "order 5521"),
]


def _log(engine: Engine, fixes: list[tuple[str, str | None]]) -> None:
    sessions = make_session_factory(engine)
    with sessions.begin() as session:
        sam = employee(session, "U0AGENT1")
        for summary, reference in fixes:
            request = ResolutionRequest(category="credit", amount=Decimal(5), summary=summary, customer_ref=reference)
            log_resolution(session, employee=sam, request=request, now=MONDAY_MORNING)


def _fill_a_batch(engine: Engine) -> None:
    """A batch of fixes nothing misread, between the first fixes and the last, copied from the last one logged."""
    with engine.begin() as connection:
        last = connection.execute(select(Resolution.__table__).order_by(Resolution.id.desc()).limit(1)).mappings().one()
        copy = {name: value for name, value in last.items() if name != "id"}
        copies = [{**copy, "summary": f"sorry, call {at}", "customer_ref": "order 4471"} for at in range(BATCH)]
        connection.execute(Resolution.__table__.insert(), [{**c, "customer_key": "4471"} for c in copies])


def test_upgrading_files_the_fixes_an_older_reader_misread_under_the_customer_read_today(
    database_of_its_own: Engine,
) -> None:
    """`order 1,234` was customer `order 1`, `order 1234,5 items missing` customer `12345`, `order 3-4 days late`
    customer `34`: each counted against another customer's limits than a fix typed so today."""
    engine = database_of_its_own
    load_org_and_policy(make_session_factory(engine), MONDAY_MORNING)
    migrate(engine, "downgrade", "0058")
    stored = [(summary, old) for summary, old, _, _ in MISREAD]
    _log(engine, [*stored, *KEPT])
    _fill_a_batch(engine)
    _log(engine, [*stored, *KEPT])  # past the first batch

    migrate(engine, "upgrade", "head")

    with engine.connect() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == HEAD_REVISION
        filler = connection.execute(
            select(func.count()).where(Resolution.customer_ref == "order 4471", Resolution.customer_key == "4471")
        ).scalar()
        rows = connection.execute(
            select(Resolution.customer_ref, Resolution.customer_key)
            .where(Resolution.summary.not_like("sorry, call %"))
            .order_by(Resolution.id)
        ).all()
    kept = [(reference, _key(reference)) for _, reference in KEPT]
    today = [(reference, key) for _, _, reference, key in MISREAD]
    assert filler == BATCH
    assert [tuple(row) for row in rows] == [*today, *kept, *today, *kept]


def _key(reference: str | None) -> str | None:
    return customer_key(reference) if reference else None


def test_going_down_keeps_the_customers_read_today(database_of_its_own: Engine) -> None:
    engine = database_of_its_own
    load_org_and_policy(make_session_factory(engine), MONDAY_MORNING)
    migrate(engine, "downgrade", "0058")
    _log(engine, [("order 1,234 late", "order 1")])
    migrate(engine, "upgrade", "head")

    migrate(engine, "downgrade", "0058")

    with engine.connect() as connection:
        row = connection.execute(select(Resolution.customer_ref, Resolution.customer_key)).one()
    assert tuple(row) == ("order 1,234", "1234")
