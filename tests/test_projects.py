"""Lay sign-off of completed projects, through the terminal chat: a project added with its lead and review date,
a lay-partners-only sign-off vote that passes or fails (only a passed one completes the project), and "What did
we learn?" at the review date on the injected clock, with the evaluation a week later."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from adapters.console import ConsoleAdapter
from bot.app import App
from bot.clock import ManualClock
from storage.projects import Lesson, Project, ProjectStatus
from storage.voting import Vote


async def project(app: App) -> Project:
    async with app.database.unit_of_work() as session:
        return (await session.execute(select(Project))).scalar_one()


async def sign_off_vote(group: ConsoleAdapter):  # type: ignore[no-untyped-def]
    return next(m for m in group.group_messages() if "Lay partners: is project 1" in m.text)


async def test_a_project_is_complete_only_when_lay_partners_sign_it_off(
    group: ConsoleAdapter, app: App, clock: ManualClock
) -> None:
    added = await group.say("Alice", "/project Hospital transport | Bob | 1 March 2027")
    assert added.text == (
        "Done. Project 1: Hospital transport. Bob leads it. On Monday 1 March 2027, 9am I'll ask the group what we "
        "learned."
    ) or added.text.startswith("Done. Project 1: Hospital transport. Bob leads it. On ")
    assert (
        await group.say("Carol", "/signoff 1")
    ).text == "Only the project's lead or a co-chair can ask for sign-off."
    asked = await group.say("Bob", "/signoff 1")
    assert "Done. Lay partners are asked to sign off project 1." in asked.text
    vote = await sign_off_vote(group)
    async with app.database.unit_of_work() as session:
        stored = (await session.execute(select(Vote))).scalar_one()
    assert stored.lay_only and stored.quorum_kind == "share" and stored.about == "project:1"
    refused = await group.press("Carol", "Yes", message=vote)  # Carol is a professional
    assert "lay partners" in refused.text.casefold()
    await group.press("Bob", "No", message=vote)
    await group.say("Alice", "/closevote 1")
    assert (await project(app)).status is ProjectStatus.ACTIVE
    assert any(m.text.startswith("Project 1 was not signed off.") for m in group.group_messages())
    # Asked again: now both lay partners say Yes, so it is complete.
    await group.say("Alice", "/signoff 1")
    second = next(m for m in reversed(group.group_messages()) if "Lay partners: is project 1" in m.text)
    await group.press("Alice", "Yes", message=second)
    await group.press("Bob", "Yes", message=second)
    await group.say("Alice", "/closevote 2")
    done = await project(app)
    assert done.status is ProjectStatus.COMPLETE and done.completed_at is not None
    assert any(
        m.text.startswith("Lay partners signed off project 1, “Hospital transport”.") for m in group.group_messages()
    )
    listed = await group.say("Carol", "/projects")
    assert listed.text.startswith("Project 1: Hospital transport. Led by Bob. Signed off by lay partners on ")
    again = await group.say("Alice", "/signoff 1")
    assert again.text.startswith("Project 1 can't be signed off again")


async def test_a_sign_off_without_the_quorum_does_not_complete_the_project(group: ConsoleAdapter, app: App) -> None:
    for name in ("Dan", "Eve", "Fay"):
        await group.say(name, "/join")
        await group.press(name, "Lay partner")
    await group.say("Alice", "/project Carers' leaflet")
    await group.say("Alice", "/signoff 1")
    vote = await sign_off_vote(group)
    await group.press("Alice", "Yes", message=vote)  # 1 of 5 lay partners: under half
    await group.say("Alice", "/closevote 1")
    assert (await project(app)).status is ProjectStatus.ACTIVE


async def test_at_the_review_date_the_group_is_asked_what_we_learned_and_a_summary_follows(
    group: ConsoleAdapter, app: App, clock: ManualClock
) -> None:
    await group.say("Alice", "/project Hospital transport | Bob | Friday 10am")
    assert (await group.say("Bob", "/learned 1 Too early")).text == "Project 1 isn't asking what we learned just now."
    clock.advance(timedelta(days=5))
    await app.scheduler.run_due()
    await app.scheduler.run_due()  # once, even when asked again
    asked = [m for m in group.group_messages() if m.text.startswith("Project 1, “Hospital transport”, has reached")]
    assert len(asked) == 1 and "What did we learn?" in asked[0].text
    await group.reply("Bob", asked[0], "Ask carers before we plan, not after.")
    said = await group.say("Carol", "/learned 1 Book rooms with a hearing loop.", private=True)
    assert said.text == "Thank you. Your words are part of what the group learned."
    assert len(await rows(app)) == 2
    clock.advance(timedelta(days=8))
    await app.scheduler.run_due()
    summary = next(m for m in group.group_messages() if m.text.startswith("What we learned from project 1"))
    assert summary.text == (
        "What we learned from project 1, “Hospital transport”, from 2 members:\n"
        "Bob: Ask carers before we plan, not after.\n"
        "Carol: Book rooms with a hearing loop."
    )


async def rows(app: App) -> list[Lesson]:
    async with app.database.unit_of_work() as session:
        return list((await session.execute(select(Lesson))).scalars())


async def test_bad_projects_get_a_clear_message_and_save_nothing(group: ConsoleAdapter, app: App) -> None:
    assert (await group.say("Alice", "/project | Bob")).text.startswith("Please")
    assert "already passed" in (await group.say("Alice", "/project Old | | 1 January 2020")).text
    assert (await group.say("Alice", "/signoff 9")).text == "There is no project 9 in this group. /projects lists them."
    assert (await group.say("Bob", "/project Mine")).text.startswith("Only co-chairs")
    async with app.database.unit_of_work() as session:
        assert list((await session.execute(select(Project))).scalars()) == []
