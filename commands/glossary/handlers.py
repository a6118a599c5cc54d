"""The glossary: /define with typos, plurals and expanded forms, /glossary A to Z a page at a time, adding and
improving entries with their history, jargon watch in the group's chat, and /plain."""

from __future__ import annotations

import logging
import time
from datetime import datetime

from bot import plain
from bot.context import Context, Unit, channel_chat
from bot.dates import format_when, zone
from bot.errors import UserError
from bot.events import Spoke
from bot.registry import NeedArgument
from bot.text import clean_text
from bot.types import Button, Reply
from commands.glossary import wording
from commands.glossary.index import GlossaryIndex, Term, fold
from commands.glossary.seed import SEED
from storage import glossary as store
from storage import groups, people
from storage.glossary import MAX_EXAMPLE, MAX_MEANING, MAX_TERM, GlossaryChange, GlossaryEntry, JargonExplained

log = logging.getLogger("touchstone.glossary")

SEED_SETTING = "glossary_seed"
JARGON_SETTING = "jargon_watch"
EXPLAIN_SETTING = "jargon_explanations"
#: Not shown in /settings: rises with every change to the group's own entries.
VERSION_SETTING = "glossary_version"
#: Lines of the A to Z list a page holds (and it stays under Discord's 2,000 characters).
PAGE_LINES, PAGE_CHARS = 20, 1800
#: How long an index built for a group is used before the glossary's version is read again.
INDEX_FRESH_S = 30.0
#: At most this many words are explained for one message.
MOST_EXPLAINED = 2

#: Seeded words people use every day in other senses ("five minutes", "the usual place"): looked up, never
#: explained by jargon watch unprompted.
EVERYDAY = frozenset(
    {
        "agenda",
        "apologies",
        "audit",
        "carer",
        "chair",
        "co-chair",
        "complaint",
        "consultant",
        "consultation",
        "engagement",
        "evaluation",
        "expenses",
        "governor",
        "jargon",
        "minutes",
        "neighbourhood",
        "outcome",
        "pilot",
        "place",
        "prevention",
        "provider",
        "screening",
    }
)
SEEDED_TERMS = tuple(
    Term(fold(s.term), s.term, s.meaning, s.example, tuple(s.also), seeded=True, watch=s.term not in EVERYDAY)
    for s in SEED
)


# ---- the group's glossary, cached ---------------------------------------------------------------------------


async def group_index(unit: Unit, group_id: int, *, check: bool = True) -> GlossaryIndex:
    """The group's glossary as an index: its own entries in front of the seeded ones (unless turned off).
    Kept in the process's memo and rebuilt when the glossary's version changes. `check=False` trusts a
    recent copy without asking the database (jargon watch on every message)."""
    key = f"glossary:{group_id}"
    cached = unit.memo.get(key)
    if cached is not None and not check and time.monotonic() - cached[2] < INDEX_FRESH_S:
        return cached[1]  # type: ignore[no-any-return]
    settings = await groups.group_settings(unit.session, group_id)
    version = (settings.get(VERSION_SETTING, "0"), settings.get(SEED_SETTING, "yes") != "no")
    seeded = version[1]
    if cached is not None and cached[0] == version:
        unit.memo[key] = (version, cached[1], time.monotonic())
        return cached[1]  # type: ignore[no-any-return]
    own = await store.entries(unit.session, group_id)
    terms: dict[str, Term] = {t.key: t for t in SEEDED_TERMS} if seeded else {}
    for entry in own:
        if entry.removed:
            terms.pop(entry.key, None)
        else:
            also = tuple(a for a in entry.also.split("\n") if a)
            terms[entry.key] = Term(entry.key, entry.term, entry.meaning, entry.example, also)
    index = GlossaryIndex(list(terms.values()))
    unit.memo[key] = (version, index, time.monotonic())
    return index


def shown(term: Term) -> str:
    return wording.definition(term.title(), term.meaning, term.example)


# ---- /define -----------------------------------------------------------------------------------------------


async def define_command(ctx: Context) -> Reply:
    group = ctx.require_group()
    typed = clean_text(ctx.args.get("term") or "").strip()
    if not typed:
        raise NeedArgument("term")
    index = await group_index(ctx, group.id)
    found, maybe = index.lookup(typed)
    if found is not None:
        return Reply(shown(found))
    if maybe:
        buttons = Reply.rows(*[[Button(t.term, "define", t.key)] for t in maybe])
        return Reply(wording.DID_YOU_MEAN, buttons=buttons, private=True)
    return Reply(wording.not_found(typed[:MAX_TERM]), private=True)


async def press_define(ctx: Context) -> Reply:
    group = ctx.require_group()
    term = (await group_index(ctx, group.id)).by_key.get(ctx.payload)
    if term is None:
        raise UserError(wording.STALE)
    return Reply(shown(term), private=True)


# ---- /glossary ---------------------------------------------------------------------------------------------


async def glossary_command(ctx: Context) -> Reply:
    group = ctx.require_group()
    change = clean_text(ctx.args.get("change") or "").strip()
    verb, _space, rest = change.partition(" ")
    verb = verb.casefold()
    if not change or change.isdigit():
        return await page(ctx, group.id, int(change) if change.isdigit() and len(change) < 6 else 1)
    if verb == "add":
        return await add_entry(ctx, group.id, rest)
    if verb in ("edit", "improve"):
        return await improve_entry(ctx, group.id, rest)
    if verb in ("remove", "delete"):
        return await remove_entry(ctx, group.id, rest)
    if verb == "history":
        return await entry_history(ctx, group.id, rest)
    raise UserError(wording.HOW_TO_CHANGE)


async def page(ctx: Context, group_id: int, number: int) -> Reply:
    index = await group_index(ctx, group_id)
    if not index.terms:
        return Reply(wording.EMPTY_GLOSSARY, private=True)
    pages: list[list[str]] = [[]]
    for term in index.terms:
        line = wording.explain_line(term.title(), term.meaning)
        current = pages[-1]
        if len(current) >= PAGE_LINES or sum(len(x) + 1 for x in current) + len(line) > PAGE_CHARS:
            pages.append([])
        pages[-1].append(line)
    number = max(1, min(number, len(pages)))
    text = "\n".join([wording.page_heading(number, len(pages), len(index.terms)), *pages[number - 1]])
    nav = []
    if number > 1:
        nav.append(Button(wording.PREVIOUS_PAGE, "glossary_page", str(number - 1)))
    if number < len(pages):
        nav.append(Button(wording.NEXT_PAGE, "glossary_page", str(number + 1)))
    return Reply(text, buttons=Reply.rows(nav) if nav else (), private=True)


async def press_page(ctx: Context) -> Reply:
    if not (ctx.payload.isdigit() and len(ctx.payload) < 6):
        raise UserError(wording.STALE)
    return await page(ctx, ctx.require_group().id, int(ctx.payload))


def entry_parts(rest: str) -> tuple[str, str, str]:
    term, _bar, more = rest.partition("|")
    meaning, _bar, example = more.partition("|")
    term, meaning, example = (" ".join(p.split()) for p in (term, meaning, example))
    if not term:
        raise UserError(wording.EMPTY_TERM)
    if len(term) > MAX_TERM:
        raise UserError(wording.too_long("word", MAX_TERM))
    if not fold(term):
        raise UserError(wording.NO_LETTERS)
    if len(meaning) > MAX_MEANING:
        raise UserError(wording.too_long("meaning", MAX_MEANING))
    if len(example) > MAX_EXAMPLE:
        raise UserError(wording.too_long("example", MAX_EXAMPLE))
    return term, meaning, example


async def note_change(ctx: Context, entry: GlossaryEntry, action: str) -> None:
    ctx.session.add(
        GlossaryChange(
            entry_id=entry.id,
            person_id=ctx.me.id,
            action=action,
            meaning=entry.meaning,
            example=entry.example,
            at=ctx.now(),
        )
    )
    await ctx.session.flush()
    # Every process's copy of the index is checked against this number (one settings read, no counting).
    settings = await groups.group_settings(ctx.session, entry.group_id)
    await groups.set_group_setting(
        ctx.session, entry.group_id, VERSION_SETTING, str(int(settings.get(VERSION_SETTING, "0")) + 1)
    )
    ctx.memo.pop(f"glossary:{entry.group_id}", None)


async def add_entry(ctx: Context, group_id: int, rest: str) -> Reply:
    term, meaning, example = entry_parts(rest)
    if not meaning:
        raise UserError(wording.EMPTY_MEANING)
    index = await group_index(ctx, group_id)
    existing, _maybe = index.lookup(term)
    if existing is not None and (existing.key == fold(term) or fold(term) in map(fold, existing.also)):
        raise UserError(wording.already_there(existing.term))
    key = fold(term)
    entry = await store.entry_by_key(ctx.session, group_id, key)
    if entry is None:
        entry = GlossaryEntry(
            group_id=group_id, key=key, term=term, meaning=meaning, example=example, updated_at=ctx.now()
        )
        ctx.session.add(entry)
        await ctx.session.flush()
    else:  # removed before: back, with the new words
        entry.term, entry.meaning, entry.example, entry.removed, entry.updated_at = (
            term,
            meaning,
            example,
            False,
            ctx.now(),
        )
    await note_change(ctx, entry, "added")
    return Reply(wording.added(term))


async def improve_entry(ctx: Context, group_id: int, rest: str) -> Reply:
    term, meaning, example = entry_parts(rest)
    if not meaning:
        raise UserError(wording.EMPTY_MEANING)
    found = (await group_index(ctx, group_id)).by_key.get(fold(term))
    if found is None:
        found, _maybe = (await group_index(ctx, group_id)).lookup(term)
    if found is None:
        raise UserError(wording.not_there(term))
    entry = await store.entry_by_key(ctx.session, group_id, found.key)
    if entry is None:  # a seeded word: the group's own entry now stands in front of it
        entry = GlossaryEntry(
            group_id=group_id,
            key=found.key,
            term=found.term,
            meaning=meaning,
            example=example or found.example,
            also="\n".join(found.also),
            updated_at=ctx.now(),
        )
        ctx.session.add(entry)
        await ctx.session.flush()
    else:
        entry.meaning, entry.example, entry.updated_at = meaning, example or entry.example, ctx.now()
    await note_change(ctx, entry, "improved")
    return Reply(wording.improved(found.term))


async def remove_entry(ctx: Context, group_id: int, rest: str) -> Reply:
    ctx.require_cochair()
    typed = " ".join(rest.split())
    found = (await group_index(ctx, group_id)).by_key.get(fold(typed)) if typed else None
    if found is None:
        raise UserError(wording.not_there(typed or "?"))
    entry = await store.entry_by_key(ctx.session, group_id, found.key)
    if entry is None:
        entry = GlossaryEntry(
            group_id=group_id,
            key=found.key,
            term=found.term,
            meaning=found.meaning,
            example=found.example,
            updated_at=ctx.now(),
        )
        ctx.session.add(entry)
        await ctx.session.flush()
    entry.removed, entry.updated_at = True, ctx.now()
    await note_change(ctx, entry, "removed")
    return Reply(wording.removed(found.term))


async def entry_history(ctx: Context, group_id: int, rest: str) -> Reply:
    typed = " ".join(rest.split())
    key = fold(typed)
    entry = await store.entry_by_key(ctx.session, group_id, key) if key else None
    found = (await group_index(ctx, group_id)).by_key.get(key)
    if entry is None and found is None:
        raise UserError(wording.not_there(typed or "?"))
    group = ctx.require_group()
    lines = [found.title() if found else (entry.term if entry else typed)]
    if (found is not None and found.seeded) or (
        entry is not None and any(s.term and fold(s.term) == key for s in SEED)
    ):
        lines.append(wording.FROM_SEED)
    if entry is not None:
        for change, name in await store.history(ctx.session, entry.id):
            when = format_when(change.at, group.timezone, now=ctx.now())
            lines.append(wording.change_line(change.action, name, when, change.meaning))
    return Reply("\n".join(lines), private=True)


# ---- jargon watch ------------------------------------------------------------------------------------------


def start_of_day(now: datetime, tz_name: str) -> datetime:
    local = now.astimezone(zone(tz_name))
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


async def on_spoke(unit: Unit, events: list[Spoke]) -> list[Reply]:
    """A glossary word in a group message: explained once, at most once per word per group per day, never twice
    for the same person and word, never to someone who turned explanations off, never in private chats (there
    are no Spoke events there) or for commands (those are not messages)."""
    replies: list[Reply] = []
    for event in events:
        if not event.text or event.channel_id is None:
            continue
        index = await group_index(unit, event.group_id, check=False)
        used = index.find_in(event.text)
        if not used:
            continue  # the common case: no database work at all
        settings = await groups.group_settings(unit.session, event.group_id)
        if settings.get(JARGON_SETTING, "yes") == "no":
            continue
        index = await group_index(unit, event.group_id)  # a word found: make sure the glossary is current
        used = [t for t in index.find_in(event.text)]
        mine = await people.person_settings(unit.session, event.person_id)
        if not used or mine.get(EXPLAIN_SETTING, "yes") == "no":
            continue
        group = await groups.get_group(unit.session, event.group_id)
        if group is None:
            continue
        keys = [t.key for t in used]
        done = await store.explained_since(unit.session, event.group_id, keys, start_of_day(event.at, group.timezone))
        done |= await store.explained_to(unit.session, event.group_id, event.person_id, keys)
        fresh = [t for t in used if t.key not in done][:MOST_EXPLAINED]
        if not fresh:
            continue
        for term in fresh:
            unit.session.add(
                JargonExplained(group_id=event.group_id, key=term.key, person_id=event.person_id, at=event.at)
            )
        channel = await unit.session.get(groups.Channel, event.channel_id)
        if channel is None:
            continue
        lines = [wording.explain_line(t.title(), t.meaning) for t in fresh]
        replies.append(Reply(wording.explained(lines), to=channel_chat(channel)))
    return replies


# ---- /plain ------------------------------------------------------------------------------------------------


async def plain_command(ctx: Context) -> Reply:
    text = clean_text(ctx.args.get("text") or "", keep_lines=True).strip()
    if not text:
        raise NeedArgument("text")
    lines = plain.check(text).lines()
    if ctx.group is not None:
        used = (await group_index(ctx, ctx.group.id)).find_in(text)
        if used:
            lines.append(wording.terms_used([t.term for t in used]))
    return Reply("\n".join(lines), private=True)
