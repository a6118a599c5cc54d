"""The skills bank: /offer, /skills, /myskills, and a second route for /askhelp: with the asker's agreement the
request goes to the group and privately to up to five members whose skills fit best; "I can help" introduces
the two through the bot once both agree (a @username or a Discord mention where there is one; otherwise the
bot passes on replies)."""

from __future__ import annotations

from bot.context import Context, Unit, channel_chat
from bot.errors import UserError
from bot.events import HelpAsked
from bot.registry import NeedArgument, parse_ids
from bot.text import clean_text
from bot.types import Button, Reply, UserRef
from commands.skills import matching, wording
from storage import groups, people
from storage import skills as store
from storage.skills import MAX_SKILL, HelpMatch, HelpOffer, Skill

#: At most this many members are asked privately about one request.
MOST_ASKED = 5
INTRO = "intro"


def ids(payload: str, count: int) -> list[int]:
    """The ids a button carries; a forged or stale payload is refused kindly."""
    found = parse_ids(payload, count)
    if found is None:
        raise UserError(wording.STALE)
    return found


# ---- offering and finding skills ---------------------------------------------------------------------------


async def offer_command(ctx: Context) -> Reply:
    group = ctx.require_group()
    text = " ".join(clean_text(ctx.args.get("skill") or "").split())
    if ctx.args.get("skill") is None:
        raise NeedArgument("skill")
    if len(text) > MAX_SKILL:
        raise UserError(wording.TOO_LONG)
    tags = matching.tags_of(text)
    if not tags:
        raise UserError(wording.NO_WORDS)
    for skill in await store.skills_of(ctx.session, group.id, ctx.me.id):
        if skill.text.casefold() == text.casefold():
            raise UserError(wording.already(skill.text))
    ctx.session.add(Skill(group_id=group.id, person_id=ctx.me.id, text=text, tags=" ".join(tags), at=ctx.now()))
    return Reply(wording.offered(text, tags), private=True)


async def best_matches(
    unit: Unit, group_id: int, need: str, *, leave_out: int | None = None
) -> list[tuple[int, str, list[str], float]]:
    """(person id, name, their fitting skills, score) for members whose skills fit `need`, best first."""
    wanted = matching.tags_of(need)
    by_person: dict[int, tuple[str, list[str], float]] = {}
    active = {e.person_id for e in await groups.roster(unit.session, group_id)}
    for skill, name in await store.group_skills(unit.session, group_id):
        if skill.person_id == leave_out or skill.person_id not in active:
            continue
        fit = matching.score(wanted, skill.tags.split())
        if fit <= 0:
            continue
        _name, texts, total = by_person.get(skill.person_id, (name, [], 0.0))
        by_person[skill.person_id] = (name, [*texts, skill.text], total + fit)
    ranked = sorted(by_person.items(), key=lambda item: (-item[1][2], item[1][0]))
    return [(pid, name, texts, total) for pid, (name, texts, total) in ranked]


async def skills_command(ctx: Context) -> Reply:
    group = ctx.require_group()
    search = " ".join(clean_text(ctx.args.get("search") or "").split())
    if search:
        fits = await best_matches(ctx, group.id, search)
        if not fits:
            return Reply(wording.none_found(search), private=True)
        return Reply(wording.found(search, [wording.member_line(n, t) for _p, n, t, _s in fits[:10]]), private=True)
    everyone: dict[str, list[str]] = {}
    for skill, name in await store.group_skills(ctx.session, group.id):
        everyone.setdefault(name, []).append(skill.text)
    if not everyone:
        return Reply(wording.NOBODY_YET, private=True)
    return Reply(wording.listing([wording.member_line(n, t) for n, t in everyone.items()]), private=True)


async def myskills_command(ctx: Context) -> Reply:
    group = ctx.require_group()
    mine = await store.skills_of(ctx.session, group.id, ctx.me.id)
    if not mine:
        return Reply(wording.NO_SKILLS, private=True)
    buttons = Reply.rows(*[[Button(f"{wording.REMOVE}: {s.text[:40]}", "skill_remove", str(s.id))] for s in mine])
    return Reply(wording.mine([f"{n}. {s.text}" for n, s in enumerate(mine, 1)]), buttons=buttons, private=True)


async def press_remove(ctx: Context) -> Reply:
    (ident,) = ids(ctx.payload, 1)
    skill = await ctx.session.get(Skill, ident)
    if skill is None or skill.person_id != ctx.me.id:
        raise UserError(wording.STALE)
    await ctx.session.delete(skill)
    return Reply(wording.removed(skill.text), private=True)


# ---- a second route for /askhelp ---------------------------------------------------------------------------


async def on_help_asked(unit: Unit, event: HelpAsked) -> Reply | None:
    """Someone asked for help: offer to ask the members whose skills fit (the co-chairs already know)."""
    fits = (await best_matches(unit, event.group_id, event.text, leave_out=event.person_id))[:MOST_ASKED]
    if not fits:
        if not await store.group_skills(unit.session, event.group_id):
            return Reply(wording.NOBODY_WITH_SKILLS, private=True)
        return None
    match = HelpMatch(
        group_id=event.group_id,
        asker_id=event.person_id,
        text=event.text[:600],
        helpers=" ".join(str(pid) for pid, *_rest in fits),
        at=event.at,
    )
    unit.session.add(match)
    await unit.session.flush()
    buttons = Reply.rows(
        [
            Button(wording.ASK_MATCHED_YES, "help_ask", f"{match.id}.1"),
            Button(wording.ASK_MATCHED_NO, "help_ask", f"{match.id}.0"),
        ]
    )
    return Reply(wording.ask_matched(len(fits)), buttons=buttons, private=True)


async def user_of(unit: Unit, person_id: int) -> UserRef | None:
    accounts = (await people.accounts_of(unit.session, [person_id])).get(person_id, [])
    if not accounts:
        return None
    a = accounts[0]
    return UserRef(a.platform, a.user_id, a.display_name, a.handle)  # type: ignore[arg-type]


async def press_ask(ctx: Context) -> list[Reply]:
    match_id, yes = ids(ctx.payload, 2)
    match = await ctx.session.get(HelpMatch, match_id)
    if match is None or match.asker_id != ctx.me.id:
        raise UserError(wording.NOT_YOURS)
    if match.status != "asked":
        raise UserError(wording.STALE)
    if not yes:
        match.status = "declined"
        return [Reply(wording.ONLY_CO_CHAIRS, private=True)]
    match.status = "posted"
    button = Reply.rows([Button(wording.CAN_HELP, "help_can", str(match.id))])
    channels = await groups.group_channels(ctx.session, match.group_id)
    replies = [
        Reply(wording.posted(ctx.me.display_name, match.text), buttons=button, to=channel_chat(c)) for c in channels
    ]
    hint = {c.platform: channel_chat(c) for c in channels}
    asked = 0
    for person_id in (int(p) for p in match.helpers.split()):
        user = await user_of(ctx, person_id)
        if user is not None:
            invitation = wording.invited(ctx.me.display_name, match.text)
            replies.append(Reply(invitation, buttons=button, to=user, hint_in=hint.get(user.platform), discreet=True))
            asked += 1
    return [Reply(wording.asked_them(asked), private=True), *replies]


async def press_can_help(ctx: Context) -> list[Reply]:
    (match_id,) = ids(ctx.payload, 1)
    match = await ctx.session.get(HelpMatch, match_id)
    if match is None or match.status != "posted":
        raise UserError(wording.STALE)
    if match.asker_id == ctx.me.id:
        raise UserError(wording.OWN_REQUEST)
    membership = await groups.find_membership(ctx.session, match.group_id, ctx.me.id)
    if membership is None or not membership.active:
        raise UserError(wording.STALE)
    if await store.offer_of(ctx.session, match.id, ctx.me.id) is not None:
        return [Reply(wording.ALREADY, private=True)]
    offer = HelpOffer(match_id=match.id, helper_id=ctx.me.id, at=ctx.now())
    ctx.session.add(offer)
    await ctx.session.flush()
    asker = await user_of(ctx, match.asker_id)
    replies = [Reply(wording.THANKS_OFFER, private=True)]
    if asker is not None:
        buttons = Reply.rows(
            [
                Button(wording.INTRODUCE, "help_intro", f"{offer.id}.1"),
                Button(wording.NO_THANKS, "help_intro", f"{offer.id}.0"),
            ]
        )
        replies.append(Reply(wording.offer_to_asker(ctx.me.display_name, match.text), buttons=buttons, to=asker))
    return replies


def reach(ctx: Context, user: UserRef, other: UserRef) -> str | None:
    """A way for `other` to reach `user` directly, when both are on the platform of this press (its adapter
    writes it the platform's way)."""
    port = ctx.port
    if port is None or not (port.platform == user.platform == other.platform):
        return None
    return port.contact(user)


async def press_introduce(ctx: Context) -> list[Reply]:
    offer_id, yes = ids(ctx.payload, 2)
    offer = await ctx.session.get(HelpOffer, offer_id)
    match = await ctx.session.get(HelpMatch, offer.match_id) if offer is not None else None
    if offer is None or match is None or match.asker_id != ctx.me.id:
        raise UserError(wording.NOT_YOURS)
    if offer.status != "offered":
        raise UserError(wording.STALE)
    if not yes:
        offer.status = "declined"
        return [Reply(wording.DECLINED, private=True)]
    offer.status = "introduced"
    helper, asker = await user_of(ctx, offer.helper_id), await user_of(ctx, match.asker_id)
    if helper is None or asker is None:
        raise UserError(wording.STALE)
    key = f"{INTRO}:{offer.id}"
    return [
        Reply(
            wording.introduction(helper.display_name, reach(ctx, helper, asker), match.text),
            to=asker,
            key=key,
        ),
        Reply(
            wording.introduction(asker.display_name, reach(ctx, asker, helper), match.text),
            to=helper,
            key=key,
        ),
    ]


async def on_reply(ctx: Context) -> Reply | None:
    """A reply to an introduction: passed on to the other person (where there is no other way to reach them)."""
    assert ctx.replied_key is not None
    ident = ctx.replied_key.partition(":")[2]
    offer = await ctx.session.get(HelpOffer, int(ident)) if ident.isascii() and ident.isdigit() else None
    match = await ctx.session.get(HelpMatch, offer.match_id) if offer is not None else None
    if (
        offer is None
        or match is None
        or offer.status != "introduced"
        or ctx.me.id not in (offer.helper_id, match.asker_id)
    ):
        return None
    other = await user_of(ctx, offer.helper_id if ctx.me.id == match.asker_id else match.asker_id)
    text = ctx.text.strip()
    if other is None or not text:
        return None
    ctx.outgoing.append(Reply(wording.relayed(ctx.me.display_name, text[:1000]), to=other, key=ctx.replied_key))
    return Reply(wording.PASSED_ON, private=True)
