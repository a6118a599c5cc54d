"""The skills bank, through the terminal chat: offering skills in your own words, finding them ("spreadsheets"
finds Excel), removing one, and /askhelp's second route: the members whose skills fit are asked, and "I can help"
introduces the two once both agree, with a way to reach each other or, without one, replies passed on."""

from __future__ import annotations

from sqlalchemy import select

from adapters.console import ConsoleAdapter
from bot.app import App
from commands.skills.matching import score, tags_of
from storage.skills import HelpMatch, HelpOffer, Skill


async def rows(app: App, table: type) -> list:  # type: ignore[type-arg]
    async with app.database.unit_of_work() as session:
        return list((await session.execute(select(table).order_by(table.id))).scalars())  # type: ignore[attr-defined]


def test_spreadsheets_is_excel_and_typos_still_match() -> None:
    assert "excel" in tags_of("I'm good with spreadsheets")
    assert "excel" in tags_of("Excel")
    assert score(tags_of("help with a spreadshet"), tags_of("I'm good with spreadsheets")) > 0
    assert score(tags_of("knitting"), tags_of("I'm good with spreadsheets")) == 0
    assert tags_of("!!! ???") == []


async def test_members_offer_find_and_remove_skills(group: ConsoleAdapter, app: App) -> None:
    offered = await group.say("Bob", "/offer I'm good with spreadsheets")
    assert offered.text.startswith("Thank you. I've added “I'm good with spreadsheets” to your skills (excel")
    assert (await group.say("Bob", "/offer i'm good with SPREADSHEETS")).text.startswith("You've already offered")
    assert (await group.say("Bob", "/offer !!!")).text.startswith("Please tell me the skill in words")
    await group.say("Carol", "/offer I can design leaflets and posters")
    found = await group.say("Alice", "/skills Excel")
    assert found.text == "Members whose skills may fit “Excel”:\nBob: I'm good with spreadsheets."
    everyone = await group.say("Alice", "/skills")
    assert everyone.text.split("\n")[1:] == [
        "Bob: I'm good with spreadsheets.",
        "Carol: I can design leaflets and posters.",
    ]
    assert (await group.say("Alice", "/skills knitting")).text.startswith("Nobody has offered a skill like “knitting”")
    mine = await group.say("Bob", "/myskills")
    assert mine.seen[-1].labels == ["Remove: I'm good with spreadsheets"]
    removed = await group.press("Bob", "Remove: I'm good with spreadsheets", message=mine.seen[-1])
    assert removed.text == "Done. “I'm good with spreadsheets” is no longer in your skills."
    assert [s.text for s in await rows(app, Skill)] == ["I can design leaflets and posters"]
    again = await group.press("Bob", "Remove: I'm good with spreadsheets", message=mine.seen[-1])
    assert again.text.startswith("That button no longer works")


async def test_askhelp_with_nobody_offering_skills_says_so_and_the_co_chairs_still_help(
    group: ConsoleAdapter, app: App
) -> None:
    said = await group.say("Bob", "/askhelp Help with the budget spreadsheet", private=True)
    assert "Nobody in the group has offered skills yet, so the co-chairs will help you." in said.text
    assert await rows(app, HelpMatch) == []


async def test_askhelp_asks_the_members_whose_skills_fit_and_introduces_a_helper_once_both_agree(
    group: ConsoleAdapter, app: App
) -> None:
    await group.say("Carol", "/offer I'm good with spreadsheets")
    await group.say("Alice", "/offer Chairing meetings")
    asked = await group.say("Bob", "/askhelp Help reading the budget spreadsheet", private=True)
    assert "1 member has offered skills that may fit. Shall I post your request in the group" in asked.text
    posted = await group.press("Bob", "Yes, ask them", private=True)
    assert "Done. I've posted it in the group and asked 1 member privately." in posted.text
    in_group = [m for m in group.group_messages() if m.text.startswith("Bob would like some help")]
    assert len(in_group) == 1 and in_group[0].labels == ["I can help"]
    (invite,) = [m for m in group.inbox("Carol") if "your skills may fit" in m.text]
    own = await group.press("Bob", "I can help", message=in_group[0])
    assert own.text == "That's your own request."
    offered = await group.press("Carol", "I can help", message=invite)
    assert offered.text.startswith("Thank you. I've asked them")
    (question,) = [m for m in group.inbox("Bob") if m.text.startswith("Carol can help with")]
    introduced = await group.press("Bob", "Yes, introduce us", message=question)
    to_bob = [m for m in introduced.messages if m.text.startswith("Meet Carol")]
    to_carol = [m for m in group.inbox("Carol") if m.text.startswith("Meet Bob")]
    assert to_bob and to_bob[0].text.endswith("You can reach them at @carol.")
    assert to_carol and to_carol[0].text.endswith("You can reach them at @bob.")
    assert [o.status for o in await rows(app, HelpOffer)] == ["introduced"]
    twice = await group.press("Bob", "Yes, introduce us", message=question)
    assert twice.text.startswith("That button no longer works")


async def test_without_a_handle_replies_to_the_introduction_are_passed_on(group: ConsoleAdapter, app: App) -> None:
    from storage.people import Account

    await group.say("Carol", "/offer spreadsheets")
    await group.say("Bob", "/askhelp Help with a spreadsheet", private=True)
    await group.press("Bob", "Yes, ask them", private=True)
    (invite,) = [m for m in group.inbox("Carol") if "your skills may fit" in m.text]
    await group.press("Carol", "I can help", message=invite)
    async with app.database.unit_of_work() as session:
        carol = (await session.execute(select(Account).where(Account.user_id == "carol"))).scalar_one()
        carol.handle = None  # Carol has no public username
    (question,) = [m for m in group.inbox("Bob") if m.text.startswith("Carol can help with")]
    introduced = await group.press("Bob", "Yes, introduce us", message=question)
    (to_bob,) = [m for m in introduced.messages if m.text.startswith("Meet Carol")]
    assert to_bob.text.endswith("Reply to this message and I'll pass it on.")
    passed = await group.reply("Bob", to_bob, "Could we talk on Thursday?")
    assert passed.text == "Passed on."
    assert any(m.text == "From Bob: Could we talk on Thursday?" for m in group.inbox("Carol"))


async def test_a_members_skills_and_requests_are_exported_and_erased(group: ConsoleAdapter, app: App) -> None:
    from commands.skills import FEATURE
    from storage.people import Person

    await group.say("Bob", "/offer spreadsheets")
    async with app.database.unit_of_work() as session:
        bob = (await session.execute(select(Person.id).where(Person.display_name == "Bob"))).scalar_one()
    assert FEATURE.personal_data is not None
    async with app.database.unit_of_work() as session:
        exported = await FEATURE.personal_data.export(session, bob)
    assert [s["skill"] for s in exported["skills"]] == ["spreadsheets"]
    async with app.database.unit_of_work() as session:
        await FEATURE.personal_data.erase(session, bob)
    assert await rows(app, Skill) == []
