"""Plain words, through the terminal chat: /define with typos, plurals and expanded forms, the glossary A to Z,
adding, improving and removing entries with their history, the seeded glossary on and off, jargon watch and its
limits, /plain, and what is exported and erased for a person."""

from __future__ import annotations

from datetime import timedelta

import pytest
import textstat
from sqlalchemy import select

from adapters.console import ConsoleAdapter
from bot.app import App
from bot.clock import ManualClock
from commands.glossary.index import GlossaryIndex, Term, fold
from commands.glossary.seed import SEED
from storage.glossary import GlossaryChange, JargonExplained

ICB = (
    "ICB (integrated care board): The local NHS body that plans and pays for most health care in your area. "
    "ICBs took over from CCGs in 2022."
)


async def count(app: App, table: type) -> int:
    async with app.database.unit_of_work() as session:
        return len(list((await session.execute(select(table))).scalars()))


def explanations(group: ConsoleAdapter) -> list[str]:
    return [m.text for m in group.group_messages() if m.text.startswith("In case it helps:")]


# ---- the seeded glossary -------------------------------------------------------------------------------------


def test_every_seeded_entry_is_short_and_easy_to_read_with_the_library_plain_uses() -> None:
    assert len(SEED) >= 80
    for entry in SEED:
        assert len(entry.meaning.split()) <= 25, entry.term
        assert textstat.flesch_reading_ease(entry.meaning) >= 70, (entry.term, entry.meaning)
    owners: dict[str, set[str]] = {}
    for e in SEED:
        for form in (e.term, *e.also):
            owners.setdefault(fold(form), set()).add(e.term)
    assert all(len(terms) == 1 for terms in owners.values())  # one entry per word, however it is written


# ---- /define -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    ["ICB", "icb", "ICBs", "integrated care board", "Integrated Care Boards", "intergrated care bord"],
)
async def test_define_finds_a_term_however_it_is_typed(group: ConsoleAdapter, typed: str) -> None:
    said = await group.say("Bob", f"/define {typed}")
    assert said.text.startswith(ICB)
    assert "For example: The ICB has asked our group" in said.text


async def test_define_offers_did_you_mean_buttons_when_unsure_and_says_plainly_when_it_has_nothing(
    group: ConsoleAdapter,
) -> None:
    unsure = await group.say("Bob", "/define trust")
    assert unsure.text == "I'm not sure which word you mean. Did you mean one of these?"
    labels = unsure.seen[-1].labels
    assert 2 <= len(labels) <= 3 and all("trust" in label for label in labels)
    chosen = await group.press("Bob", labels[0], message=unsure.seen[-1])
    assert chosen.text.startswith(f"{labels[0]}: ")
    plural = await group.say("Bob", "/define care plans")
    assert plural.text.startswith("care plan: A written plan of the care and support you will get.")
    missing = await group.say("Bob", "/define flibbertigibbet")
    assert missing.text == (
        "“flibbertigibbet” isn't in the glossary yet. If you know what it means, please add it: "
        "/glossary add flibbertigibbet | what it means | an example."
    )
    asked = await group.say("Bob", "/define")
    assert asked.text.startswith("Please type the word or letters to look up.")


# ---- /glossary -----------------------------------------------------------------------------------------------


async def test_the_glossary_a_to_z_a_page_at_a_time(group: ConsoleAdapter) -> None:
    first = await group.say("Carol", "/glossary")
    heading, *lines = first.text.split("\n")
    assert heading.startswith(f"The glossary, {len(SEED)} words, A to Z (page 1 of ")
    assert 10 <= len(lines) <= 20 and lines == sorted(lines, key=str.casefold)
    assert len(first.text) < 2000 and first.seen[-1].labels == ["Next page"]
    second = await group.press("Carol", "Next page", message=first.seen[-1])
    assert "(page 2 of " in second.text and second.seen[-1].labels == ["Previous page", "Next page"]


async def test_members_add_and_improve_entries_every_change_is_kept_and_co_chairs_remove(
    group: ConsoleAdapter, app: App, clock: ManualClock
) -> None:
    added = await group.say(
        "Bob", "/glossary add Riverside Hub | Our drop-in centre on Mill Lane | See you at the Hub."
    )
    assert added.text == "Thank you. “Riverside Hub” is now in the glossary."
    twice = await group.say("Carol", "/glossary add riverside hub | Something else")
    assert twice.text.startswith("The glossary already has “Riverside Hub”. To improve it, type: /glossary edit")
    seeded = await group.say("Carol", "/glossary add ICB | a board")
    assert seeded.text.startswith("The glossary already has “ICB”.")
    clock.advance(timedelta(days=1))
    improved = await group.say("Carol", "/glossary edit Riverside Hub | The drop-in centre on Mill Lane, open Tuesdays")
    assert improved.text.startswith("Thank you. “Riverside Hub” now has your words.")
    assert (await group.say("Bob", "/define riverside hub")).text == (
        "Riverside Hub: The drop-in centre on Mill Lane, open Tuesdays\nFor example: See you at the Hub."
    )
    history = (await group.say("Bob", "/glossary history Riverside Hub")).text.split("\n")
    assert history[1].startswith("Added by Bob on Monday 2 November")
    assert history[2].startswith("Improved by Carol on Tuesday 3 November")
    # A seeded word improved: the group's words stand in front of Touchstone's.
    await group.say("Bob", "/glossary edit ICB | The NHS body that plans care for our county")
    assert (await group.say("Carol", "/define ICB")).text.startswith(
        "ICB (integrated care board): The NHS body that plans care for our county"
    )
    refused = await group.say("Bob", "/glossary remove Riverside Hub")
    assert refused.text.startswith("Only co-chairs can do that.")
    assert (await group.say("Alice", "/glossary remove Riverside Hub")).text == (
        "“Riverside Hub” is no longer in the glossary."
    )
    assert (await group.say("Bob", "/define Riverside Hub")).text.startswith("“Riverside Hub” isn't in the glossary")
    assert await count(app, GlossaryChange) == 4


@pytest.mark.parametrize(
    ("line", "answer"),
    [
        ("/glossary add | a meaning", "Please type the word first"),
        ("/glossary add Hub", "Please add what the word means after a |"),
        ("/glossary add !!! | punctuation only", "A word in the glossary needs at least one letter or number."),
        ("/glossary add " + "x" * 61 + " | long", "The word is too long."),
        ("/glossary add Hub | " + "y" * 301, "The meaning is too long."),
        ("/glossary edit Nowhere | words", "“Nowhere” isn't in the glossary, so there is nothing to change."),
        ("/glossary frobnicate", "To add a word: /glossary add"),
    ],
)
async def test_bad_entries_get_a_clear_message_and_change_nothing(
    group: ConsoleAdapter, app: App, line: str, answer: str
) -> None:
    said = await group.say("Bob", line)
    assert said.text.startswith(answer)
    assert await count(app, GlossaryChange) == 0


async def test_the_starting_glossary_can_be_turned_off_and_the_groups_own_words_stay(group: ConsoleAdapter) -> None:
    await group.say("Bob", "/glossary add Riverside Hub | Our drop-in centre")
    await group.say("Alice", "/settings starting glossary no")
    assert (await group.say("Bob", "/define ICB")).text.startswith("“ICB” isn't in the glossary yet.")
    assert (await group.say("Bob", "/define Riverside Hub")).text.startswith("Riverside Hub: Our drop-in centre")
    assert (await group.say("Bob", "/glossary")).text.startswith("The glossary, 1 word,")
    await group.say("Alice", "/settings starting glossary yes")
    assert (await group.say("Bob", "/define ICB")).text.startswith(ICB)


# ---- jargon watch --------------------------------------------------------------------------------------------


async def test_jargon_watch_explains_a_word_once_a_day_never_twice_to_one_person_and_only_in_capitals(
    group: ConsoleAdapter, app: App, clock: ManualClock
) -> None:
    await group.say("Bob", "The ICB wants our views on the new clinic.")
    assert explanations(group) == [f"In case it helps:\n{ICB}"]
    await group.say("Carol", "Will the ICB pay for it?")  # the same word, the same day: once is enough
    assert len(explanations(group)) == 1
    clock.advance(timedelta(days=1))
    await group.say("Bob", "I asked the ICB again.")  # Bob has had this one explained
    assert len(explanations(group)) == 1
    await group.say("Carol", "ICBs are new to me.")  # the next day, for someone else: yes
    assert len(explanations(group)) == 2
    await group.say("Bob", "It is fine, ed and ot can wait, and I can come.")  # not in capitals: ordinary words
    assert len(explanations(group)) == 2
    await group.say("Bob", "The OT came round.")
    assert explanations(group)[-1].startswith("In case it helps:\nOT (occupational therapist): ")
    await group.say("Bob", "See you in five minutes at the usual place.")  # everyday words are never jargon
    assert len(explanations(group)) == 3
    assert await count(app, JargonExplained) == 3


async def test_jargon_watch_is_quiet_for_commands_private_chats_and_whoever_turned_it_off(
    group: ConsoleAdapter, app: App
) -> None:
    await group.say("Bob", "/define PCN")
    await group.say("Bob", "The PCN is hiring.", private=True)
    await group.say("Carol", "/mysettings explanations of jargon no")
    await group.say("Carol", "The PCN is hiring.")
    assert explanations(group) == []
    await group.say("Alice", "/settings jargon watch no")
    await group.say("Bob", "The PCN is hiring.")
    assert explanations(group) == []
    await group.say("Alice", "/settings jargon watch yes")
    await group.say("Bob", "The PCN is hiring.")
    assert explanations(group)[0].startswith("In case it helps:\nPCN (primary care network): ")
    assert await count(app, JargonExplained) == 1


def test_matching_over_a_thousand_terms_keeps_whole_words_and_capitals() -> None:
    terms = [Term(fold(f"term{n}"), f"term{n}", "a meaning") for n in range(1000)]
    terms += [Term("can", "CAN", "a network"), Term("care plan", "care plan", "a plan")]
    index = GlossaryIndex(terms)
    assert index.find_in("I can come, and term12 too") == [terms[12]]
    assert [t.term for t in index.find_in("The CAN agreed our Care Plans.")] == ["CAN", "care plan"]
    assert index.find_in("term1234 and xterm1") == []


# ---- /plain --------------------------------------------------------------------------------------------------


async def test_plain_says_how_easy_a_text_is_to_read_and_suggests_plainer_words(group: ConsoleAdapter) -> None:
    text = (
        "We will utilise the ICB's commissioning framework going forward in order to facilitate the "
        "implementation of the integrated neighbourhood model across the whole of the local system this year. "
        "It is good."
    )
    said = await group.say("Alice", f"/plain {text}")
    lines = said.text.split("\n")
    assert lines[0].startswith("Reading ease: ") and "out of 100" in lines[0]
    assert lines[1].startswith("One sentence is longer than 25 words. It starts: “We will utilise the ICB's")
    assert "“utilise” could be “use”" in lines[2] and "“facilitate” could be “help”" in lines[2]
    assert lines[3] == "Glossary words used: ICB, commissioning."


# ---- a person's data -----------------------------------------------------------------------------------------


async def test_a_members_glossary_changes_are_exported_and_their_name_is_erased(
    group: ConsoleAdapter, app: App
) -> None:
    from commands.glossary import FEATURE
    from storage.people import Person

    await group.say("Bob", "/glossary add Riverside Hub | Our drop-in centre")
    await group.say("Bob", "The ICB is busy.")
    async with app.database.unit_of_work() as session:
        bob = (await session.execute(select(Person.id).where(Person.display_name == "Bob"))).scalar_one()
    assert FEATURE.personal_data is not None
    async with app.database.unit_of_work() as session:
        exported = await FEATURE.personal_data.export(session, bob)
    assert [c["term"] for c in exported["glossary_changes"]] == ["Riverside Hub"]
    assert [j["term"] for j in exported["jargon_explained_after_your_messages"]] == ["icb"]
    async with app.database.unit_of_work() as session:
        await FEATURE.personal_data.erase(session, bob)
    async with app.database.unit_of_work() as session:
        after = await FEATURE.personal_data.export(session, bob)
    assert after == {"glossary_changes": [], "jargon_explained_after_your_messages": []}
    history = await group.say("Alice", "/glossary history Riverside Hub")
    assert "Added by someone who has since left" in history.text and "Bob" not in history.text
