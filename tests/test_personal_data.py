"""People's data: every table that holds a person's id is covered by an export and an erase (the
core's or a feature's), and voting's export and erase do what they say."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Integer, MetaData, Table, func, select

from adapters.console import ConsoleAdapter
from bot import personal_data
from bot.app import App, build_registry
from bot.registry import Registry
from storage.people import Account, Person
from storage.schema import metadata
from storage.voting import Ballot, BallotChange, VoteVoter


def tables_holding_a_person(schema: MetaData) -> set[str]:
    """Tables with a column that refers to people.id."""
    return {
        table.name
        for table in schema.sorted_tables
        for column in table.columns
        for key in column.foreign_keys
        if key.target_fullname == "people.id"
    } | ({"people"} if "people" in schema.tables else set())


def uncovered(schema: MetaData, registry: Registry) -> set[str]:
    covered = {table for data in personal_data.declarations(registry).values() for table in data.tables}
    return tables_holding_a_person(schema) - covered


def test_every_table_that_holds_a_person_is_covered_by_an_export_and_an_erase() -> None:
    schema = metadata()
    assert {"people", "accounts", "memberships", "ballots", "contributions"} <= tables_holding_a_person(schema)
    assert uncovered(schema, build_registry()) == set()


def test_a_new_table_holding_a_person_that_nobody_covers_is_caught() -> None:
    schema = MetaData()
    for table in metadata().sorted_tables:
        table.to_metadata(schema)
    Table("kudos", schema, Column("id", Integer, primary_key=True), Column("giver", ForeignKey("people.id")))
    assert uncovered(schema, build_registry()) == {"kudos"}


async def person_id(app: App, name: str) -> int:
    async with app.database.unit_of_work() as session:
        return int((await session.execute(select(Person.id).where(Person.display_name == name))).scalar_one())


async def test_exporting_a_person_gathers_every_feature(group: ConsoleAdapter, app: App) -> None:
    await group.say("Alice", "/vote Meet monthly? | yes/no")
    await group.press("Bob", "Yes")
    await group.say("Alice", "/vote Which day? | Monday, Friday | | anonymous")
    await group.press("Bob", "Friday")
    await group.say("Bob", "Morning all")
    bob = await person_id(app, "Bob")
    async with app.database.unit_of_work() as session:
        exported = await personal_data.export_person(app.registry, session, bob)
    assert exported["core"]["name"] == "Bob"
    assert [a["platform"] for a in exported["core"]["accounts"]] == ["console"]
    assert exported["core"]["memberships"][0]["kind"] == "lay_partner"
    ballots = exported["voting"]["ballots"]
    assert {"vote": 1, "question": "Meet monthly?", "anonymous": False}.items() <= ballots[0].items()
    assert ballots[0]["choices"] == ["Yes"]
    assert ballots[1] == {"vote": 2, "question": "Which day?", "anonymous": True, "voted": True}
    kinds = {row["kind"]: row["count"] for row in exported["participation"]["taking_part"]}
    assert kinds == {"ballot": 1, "message": 1}


async def test_erasing_a_person_keeps_closed_totals_and_forgets_who_they_were(group: ConsoleAdapter, app: App) -> None:
    await group.say("Alice", "/vote Adopt the leaflet? | consensus")
    await group.press("Bob", "Disagree")
    await group.say("Bob", "The print is too small")
    await group.say("Alice", "/closevote 1")
    await group.say("Alice", "/vote Meet monthly? | yes/no")
    await group.press("Bob", "Yes")
    bob = await person_id(app, "Bob")
    async with app.database.unit_of_work() as session:
        await personal_data.erase_person(app.registry, session, bob)
    async with app.database.unit_of_work() as session:
        person = await session.get(Person, bob)
        assert person is not None and person.display_name == "A former member"
        assert (await session.execute(select(func.count()).where(Account.person_id == bob))).scalar_one() == 0
        ballots = (await session.execute(select(Ballot.vote_id, Ballot.reason).where(Ballot.person_id == bob))).all()
        assert ballots == [(1, None)]  # the closed vote keeps its total; the open one and the reason are gone
        assert (await session.execute(select(func.count()).where(BallotChange.person_id == bob))).scalar_one() == 0
        voters = (await session.execute(select(VoteVoter.vote_id).where(VoteVoter.person_id == bob))).scalars()
        assert list(voters) == [1]
    result = (await group.say("Alice", "/results 1")).text
    assert "1 of 3 people voted" in result
    assert "Bob" not in result and "too small" not in result
    assert "Bob" not in (await group.say("Alice", "/members")).text
