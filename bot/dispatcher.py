"""The dispatcher: one inbound event → one transaction → replies, sent only after the commit.

Flow: resolve the person (created on first sight) and the group (from the chat, or in a private
chat from the person's only group), check where and who, parse arguments, run the handler; then,
still inside the transaction, hand the events it raised to listening features and write the messages
it addressed to other chats into the outbox; commit; then send. A UserError rolls back and shows its
kind message; anything else rolls back, logs an error id and apologises with that id.
"""

from __future__ import annotations

import json
import logging
import secrets
from collections.abc import Awaitable, Callable, Collection, Sequence
from datetime import timedelta
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from bot import codec, coordination, permissions, personal_data
from bot.batching import Batch, Batcher, BatchHandler
from bot.clock import Clock
from bot.context import Context, Unit, account_names, no_group_message
from bot.errors import UserError
from bot.events import Joined, Left, Spoke, Standing
from bot.i18n import _
from bot.live import LiveMessages
from bot.members import find_member
from bot.outbox import OutboxSender
from bot.ports import DeliveryFailed, PlatformPort
from bot.registry import Action, Command, MissingArgument, NeedArgument, ParamKind, Registry, parse_args
from bot.text import clean_text
from bot.types import (
    Button,
    ButtonPress,
    ChatMessage,
    CommandCall,
    InboundEvent,
    MemberJoined,
    MemberLeft,
    MessageRef,
    Outcome,
    Platform,
    Reply,
    UserRef,
)
from storage import Database, conversations, groups, inbound, outbox
from storage.database import notify
from storage.people import ensure_person, keep_names_current

log = logging.getLogger("touchstone.dispatch")

#: The pending question "please type the missing part of a command" (see Dispatcher._command).
E = TypeVar("E", ButtonPress, ChatMessage)

CONTINUE_COMMAND = "continue_command"
#: The button that answers that question for the person (a likely answer offered beside it).
FILL_ACTION = "fill"
#: Events raised by listeners may raise more; this many rounds at most (a loop is a bug, not a hang).
MAX_EVENT_ROUNDS = 8
#: Inbound events' ids are kept this long (Telegram keeps undelivered updates for 24 hours)...
INBOUND_KEPT_FOR = timedelta(hours=48)
#: ...and pruned every this many events.
PRUNE_EVERY = 1000


class Repeated(Exception):
    """The event was handled before (a redelivered update)."""


def apology(error_id: str) -> str:
    return _(
        "Sorry, something went wrong on our side and nothing was changed. "
        "Please try again in a moment. If it keeps happening, tell a co-chair the code {error_id}."
    ).format(error_id=error_id)


class Dispatcher:
    """Routes inbound events to feature handlers, one unit of work each."""

    def __init__(
        self,
        registry: Registry,
        database: Database,
        clock: Clock,
        *,
        default_timezone: str = groups.DEFAULT_TIMEZONE,
        outbox_poll_s: float = 30.0,
    ) -> None:
        self.registry = registry
        self.database = database
        self.clock = clock
        self.default_timezone = default_timezone
        self.ports: dict[Platform, PlatformPort] = {}
        #: Called after a commit that changed scheduled work, with the (kind, item) pairs (the scheduler).
        self.on_rescheduled: Callable[[Collection[tuple[str, str]]], Awaitable[None]] | None = None
        self.sender = OutboxSender(database, clock, self.send_now, platforms=self.ports.keys, poll_s=outbox_poll_s)
        self.live = LiveMessages(database, clock, registry.renderers, self.deliver)
        self.memo: MemoCache = MemoCache()
        self._batchers: dict[str, Batcher] = {}
        self._messages: Batcher | None = None
        self._personal_data = personal_data.declarations(registry)
        self._claims = 0

    def attach(self, port: PlatformPort) -> None:
        """Connect an adapter: replies addressed to its platform are delivered through it."""
        self.ports[port.platform] = port

    # ---- inbound ----------------------------------------------------------------------------------

    async def handle(self, event: InboundEvent) -> Outcome:
        """Handle one event and return what the asker should see. Never raises."""
        if isinstance(event, ButtonPress):
            action = self.registry.actions.get(event.action)
            if action is not None and action.batch is not None:
                return await self._batcher(action).submit(event)
        elif isinstance(event, ChatMessage) and not event.chat.is_private:
            # A busy group chat: messages that queue up are handled together, one transaction for many.
            if self._messages is None:
                self._messages = Batcher(self._run_messages, self._handle_one)
            return await self._messages.submit(event)
        return await self._handle_one(event)

    def _batcher(self, action: Action) -> Batcher:
        batcher = self._batchers.get(action.name)
        if batcher is None:
            batch_handler = action.batch
            assert batch_handler is not None

            async def run_batch(events: list[ButtonPress]) -> list[Outcome | None]:
                return await self._run_batch(batch_handler, events)

            batcher = self._batchers[action.name] = Batcher(run_batch, self._handle_one)
        return batcher

    async def _run_batch(self, batch_handler: BatchHandler, events: list[ButtonPress]) -> list[Outcome | None]:
        """Apply presses together in one transaction; results are handed out only after the commit."""
        async with self.database.unit_of_work() as session:
            fresh = await self._claim_fresh(session, events)
            unit = Unit(session, self.clock, section_source=self.sections, memo=self.memo)
            fresh_results = await batch_handler(Batch(unit, self.memo, fresh)) if fresh else []
            by_event = {id(e): r for e, r in zip(fresh, fresh_results, strict=True)}
            # Presses handed on to be handled one by one claim their origin there, in their own transaction.
            handed_on = [e.origin for e in fresh if by_event[id(e)] is None and e.origin is not None]
            await inbound.unclaim(session, handed_on)
            outbox_ids = await self.finish(unit)
        await self.after_commit(unit, outbox_ids)
        outcomes: list[Outcome | None] = []
        for event in events:
            if id(event) not in by_event:
                outcomes.append(Outcome())  # a repeat: handled before, nothing more to say
                continue
            result = by_event[id(event)]
            if result is None:
                outcomes.append(None)
                continue
            outcome = Outcome(toast=result.toast)
            if result.refusal is not None:
                outcome.replies.append(Reply(result.refusal, private=True))
                outcome.toast = result.refusal
            for key in result.refresh:
                self.live.request(key)
            outcomes.append(outcome)
        return outcomes

    async def _run_messages(self, events: list[ChatMessage]) -> list[Outcome | None]:
        """Group-chat messages handled in order in one transaction, each as on its own (`_run`), with fewer
        statements: who sent them is looked up together, and members' ordinary messages are counted together.
        Anything raised undoes the whole batch, and the batcher then handles each message by itself, so a
        refusal or an error is worded for the one message that met it."""
        done: list[tuple[Unit, list[Reply], list[int]]] = []
        outcomes: list[Outcome | None] = []
        async with self.database.unit_of_work() as session:
            fresh = await self._claim_fresh(session, events)
            looked_up: dict[tuple[str, str, str], groups.Resolved] = {}
            for platform, chat_id in {(e.chat.platform, e.chat.id) for e in fresh}:
                users = [e.actor.id for e in fresh if (e.chat.platform, e.chat.id) == (platform, chat_id)]
                for user_id, found in (
                    await groups.resolve_many(session, platform=platform, chat_id=chat_id, user_ids=users)
                ).items():
                    looked_up[(platform, chat_id, user_id)] = found
            counted = Unit(session, self.clock, section_source=self.sections, memo=self.memo)
            fresh_ids = {id(e) for e in fresh}
            for event in events:
                if id(event) not in fresh_ids:
                    outcomes.append(Outcome())  # a repeat: handled before
                    continue
                # Found before the batch began: true for a person's first message in it, while nothing in
                # the batch has run a handler (an answer to a question or a reply may change anything).
                ctx = await self._context(
                    session, event, looked_up.pop((event.chat.platform, event.chat.id, event.actor.id), None)
                )
                answers: list[Reply] = []
                for reply in as_replies(await self._signal(ctx, event)):
                    (answers if reply.to is None else ctx.outgoing).append(reply)
                if ctx.pending_here is not None or event.reply_to is not None:
                    looked_up.clear()
                # A member's ordinary message changes nothing the next message reads: counted with the rest.
                plain = [e for e in ctx.events if isinstance(e, Spoke) and e.standing is Standing.MEMBER]
                ctx.events = [e for e in ctx.events if e not in plain]
                counted.events.extend(plain)
                done.append((ctx, answers, await self.finish(ctx, answers)))
                outcome = Outcome(asked=ctx.asked)
                outcome.replies.extend(answers)
                outcomes.append(outcome)
            done.append((counted, [], await self.finish(counted)))
        for unit, _answers, outbox_ids in done:
            await self.after_commit(unit, outbox_ids)
        return outcomes

    async def _handle_one(self, event: InboundEvent) -> Outcome:
        outcome = Outcome()
        try:
            replies, ctx, outbox_ids = await self._run(event)
            outcome.asked = ctx.asked
            toast = ctx.toast
        except Repeated:
            log.info("skipped a repeated %s (%s): it was handled before", type(event).__name__, event.origin)
            return outcome
        except UserError as exc:
            replies, toast, ctx, outbox_ids = [Reply(exc.message, private=True)], exc.message, None, []
        except Exception:
            error_id = secrets.token_hex(4).upper()
            log.exception("error %s while handling %s", error_id, describe(event))
            message = apology(error_id)
            outcome.error_id = error_id
            replies, toast, ctx, outbox_ids = [Reply(message, private=True)], message, None, []
        if ctx is not None and isinstance(event, ButtonPress) and replies:
            toast = None  # the press is answered by a message of its own: one message, not two
        outcome.toast = toast
        outcome.replies.extend(replies)
        if ctx is not None:
            await self.after_commit(ctx, outbox_ids)
        if log.isEnabledFor(logging.DEBUG):
            log.debug("handled %s", describe(event))
        return outcome

    async def _run(self, event: InboundEvent) -> tuple[list[Reply], Context, list[int]]:
        command: Command | None = None
        if isinstance(event, CommandCall):
            command = self._find_command(event)
        async with self.database.unit_of_work() as session:
            if event.origin is not None and not await self._claim(session, [event.origin]):
                raise Repeated  # handled before: a redelivered update has no second effect
            ctx = await self._context(session, event)
            if isinstance(event, CommandCall):
                assert command is not None
                await self._end_question(ctx)
                result = await self._command(ctx, command, event)
            elif isinstance(event, ButtonPress):
                result = await self._press(ctx, event)
            else:
                result = await self._signal(ctx, event)
            answers: list[Reply] = []
            for reply in as_replies(result):
                if reply.to is None:
                    answers.append(reply)
                else:
                    ctx.outgoing.append(reply)
            outbox_ids = await self.finish(ctx, answers)
        return answers, ctx, outbox_ids

    # ---- around every unit of work (handlers, batches and scheduled jobs alike) -------------------

    async def finish(self, unit: Unit, answers: list[Reply] | None = None) -> list[int]:
        """Inside the transaction: hand raised events to listening features (their replies join
        `answers`, or the outbox when addressed elsewhere), then write every outgoing message to the
        outbox. Returns the outbox rows written."""
        rounds = 0
        while unit.events:
            rounds += 1
            if rounds > MAX_EVENT_ROUNDS:
                raise RuntimeError("events kept raising events; is a listener raising what it hears?")
            events, unit.events = unit.events, []
            by_type: dict[type, list[object]] = {}
            for event in events:
                by_type.setdefault(type(event), []).append(event)
            for event_type, raised in by_type.items():
                for listener in self.registry.listeners.get(event_type, ()):
                    calls = [raised] if listener.many else raised
                    for given in calls:
                        for reply in as_replies(await listener.handler(unit, given)):
                            if reply.to is not None:
                                unit.outgoing.append(reply)
                            elif answers is not None:
                                answers.append(reply)
                            else:
                                log.warning("a listener answered nobody in particular; its reply was dropped")
        ids = []
        now = self.clock.now()
        for reply in unit.outgoing:
            assert reply.to is not None
            ids.append(
                await outbox.add_to_outbox(
                    unit.session, now=now, body=codec.encode(reply), **codec.target_columns(reply.to)
                )
            )
        if ids:
            await notify(unit.session, coordination.OUTBOX)
        for job_kind, ident in sorted(unit.rescheduled):
            await notify(unit.session, coordination.JOBS, f"{job_kind}:{ident}")
        return ids

    async def after_commit(self, unit: Unit, outbox_ids: list[int]) -> None:
        """After the commit: send what this unit queued, refresh live messages, reschedule changed work."""
        if outbox_ids:
            try:
                await self.sender.flush(outbox_ids)
            except Exception:
                log.exception("could not send at once; the outbox keeps the messages for the next try")
        for key in unit.refresh_keys:
            self.live.request(key)
        if unit.rescheduled and self.on_rescheduled is not None:
            try:
                await self.on_rescheduled(unit.rescheduled)
            except Exception:
                log.exception("could not refresh scheduled work")

    # ---- each event once ----------------------------------------------------------------------------

    async def _claim_fresh(self, session: AsyncSession, events: Sequence[E]) -> list[E]:
        """Claim a batch's events; the ones to handle (not handled before, and each origin once even when a
        platform redelivered an event while the first copy still waited in the batch)."""
        claimed = await self._claim(session, [e.origin for e in events if e.origin is not None])
        fresh = []
        for event in events:
            if event.origin is None:
                fresh.append(event)
            elif event.origin in claimed:
                claimed.discard(event.origin)
                fresh.append(event)
        return fresh

    async def _claim(self, session: AsyncSession, origins: list[str]) -> set[str]:
        """Record events' own ids in this transaction; returns those not handled before."""
        self._claims += len(origins)
        if self._claims >= PRUNE_EVERY:
            self._claims = 0
            await inbound.prune(session, self.clock.now() - INBOUND_KEPT_FOR)
        return await inbound.claim(session, origins, self.clock.now())

    async def journal(self, entries: list[tuple[str, str]]) -> None:
        """Keep updates taken from a platform (origin, raw body) before they are confirmed to it, so a crash
        before they are handled loses none (see `waiting`)."""
        async with self.database.unit_of_work() as session:
            await inbound.journal(session, entries, self.clock.now())

    async def settled(self, origins: list[str]) -> None:
        """Events a platform sent that needed nothing from us (an edit, a bot's own message): done."""
        async with self.database.unit_of_work() as session:
            await inbound.claim(session, origins, self.clock.now())

    async def waiting(self, prefix: str) -> list[tuple[str, str]]:
        """Journalled updates from a platform (origins starting with `prefix`) not handled yet."""
        async with self.database.unit_of_work() as session:
            await inbound.prune(session, self.clock.now() - INBOUND_KEPT_FOR)
            return await inbound.waiting(session, prefix)

    # ---- outbound ---------------------------------------------------------------------------------

    async def deliver(self, reply: Reply) -> MessageRef | None:
        """Send a reply addressed to a chat or person now (a live message's edit); failures are logged."""
        try:
            return await self.send_now(reply)
        except DeliveryFailed:
            return None
        except Exception:
            assert reply.to is not None
            log.exception("delivery to %s failed", reply.to.platform)
            return None

    async def send_now(self, reply: Reply) -> MessageRef | None:
        """Send a reply addressed to a chat or person through its platform's adapter. Raises
        DeliveryFailed when the platform refuses for good, anything else when it may work later."""
        assert reply.to is not None
        port = self.ports.get(reply.to.platform)
        if port is None:
            log.debug("no adapter for %s in this process", reply.to.platform)
            return None
        try:
            return await port.deliver(reply, reply.to)
        except DeliveryFailed:
            log.info("delivery to %s:%s was refused", reply.to.platform, reply.to.id)
            raise

    async def chat_moved(self, platform: Platform, old_chat_id: str, new_chat_id: str) -> bool:
        """A platform gave a chat a new id (a Telegram group upgraded to a supergroup): keep its data."""
        async with self.database.unit_of_work() as session:
            moved = await groups.move_channel(session, platform, old_chat_id, new_chat_id)
        if moved:
            log.info("%s chat %s is now %s; its group moved with it", platform, old_chat_id, new_chat_id)
        return moved

    async def hold(self, reply: Reply, user: UserRef) -> None:
        """Keep a private message the platform refused (the person never opened a private chat with
        the bot); /start sends it as soon as they do."""
        async with self.database.unit_of_work() as session:
            await outbox.hold_message(
                session, platform=user.platform, user_id=user.id, body=codec.encode(reply), now=self.clock.now()
            )

    async def remember(self, key: str, ref: MessageRef) -> None:
        """Note a message the bot sent under a key, so later events can edit it."""
        async with self.database.unit_of_work() as session:
            await outbox.remember_posted(
                session,
                key=key,
                platform=ref.chat.platform,
                chat_id=ref.chat.id,
                chat_kind=ref.chat.kind.value,
                message_id=ref.id,
                now=self.clock.now(),
            )

    async def settle(self) -> None:
        """Wait for background refreshes of live messages to finish (tests; a clean shutdown)."""
        await self.live.settle()

    # ---- one event --------------------------------------------------------------------------------

    def _find_command(self, event: CommandCall) -> Command:
        # Invisible marks (a pasted zero-width space, a right-to-left mark) must not hide a command.
        name = clean_text(event.name).lower()
        command = self.registry.commands.get(name)
        if command is None:
            shown = clean_text(event.name)[:32]
            suggestions = self.registry.suggest(name)
            if not shown:
                raise UserError(_("Please type a command after the slash. Type /help to see them all."))
            if suggestions:
                raise UserError(
                    _("I don't know /{name}. Did you mean {suggestions}? Type /help to see them all.").format(
                        name=shown, suggestions=_or_list([f"/{s}" for s in suggestions])
                    )
                )
            raise UserError(_("I don't know /{name}. Type /help to see what I can do.").format(name=shown))
        if not permissions.fits_chat(command, event.chat.is_private):
            if event.chat.is_private:
                raise UserError(_("Please use /{name} in your group's chat.").format(name=command.name))
            raise UserError(_("Please send /{name} to me in a private chat.").format(name=command.name))
        return command

    async def _context(
        self, session: AsyncSession, event: InboundEvent, resolved: groups.Resolved | None = None
    ) -> Context:
        """Who acted and where. `resolved`: found already for a batch of group-chat messages."""
        actor = event.actor
        name, handle = account_names(actor)
        now = self.clock.now()
        if resolved is not None and resolved.account is not None:
            keep_names_current(resolved.account, resolved.person, name, handle)
            ctx = self._new_context(session, event, resolved.person)
            ctx.channel, ctx.group, ctx.membership = resolved.channel, resolved.group, resolved.membership
            ctx.pending_here = resolved.pending_id
            return ctx
        if event.chat.is_private:
            person = await ensure_person(
                session,
                platform=actor.platform,
                user_id=actor.id,
                display_name=name,
                handle=handle,
                now=now,
                private=True,
            )
            ctx = self._new_context(session, event, person)
            memberships = await groups.active_memberships_of(session, person.id)
            if len(memberships) == 1:
                ctx.membership, ctx.group = memberships[0]
            ctx.several_groups = len(memberships) > 1
            return ctx
        # The common case, a group chat, takes one query (the hot path: see bench/dispatch.py).
        found = await groups.resolve_in_chat(
            session,
            platform=actor.platform,
            user_id=actor.id,
            display_name=name,
            handle=handle,
            chat_id=event.chat.id,
            now=now,
        )
        ctx = self._new_context(session, event, found.person)
        ctx.channel, ctx.group, ctx.membership = found.channel, found.group, found.membership
        ctx.pending_here = found.pending_id
        return ctx

    async def _end_question(self, ctx: Context) -> None:
        """A command ends any question the bot was waiting to hear answered in this chat: someone who
        moved on must not have their next words taken as that answer."""
        if ctx.chat.is_private:
            for chat_id in (ctx.chat.id, conversations.ANY_PRIVATE_CHAT):
                ended = await conversations.clear_pending(
                    ctx.session, platform=ctx.actor.platform, chat_id=chat_id, user_id=ctx.actor.id
                )
                ctx.question_ended = ctx.question_ended or ended
        elif ctx.pending_here is not None:
            await conversations.delete_pending(ctx.session, ctx.pending_here)
            ctx.question_ended = True

    async def sections(self, session: AsyncSession, name: str, about: object) -> list[str]:
        """Every feature's lines for a section (see Unit.section), in the order the features are listed."""
        lines: list[str] = []
        for provider in self.registry.sections.get(name, []):
            lines.extend(await provider(session, about))
        return lines

    def _new_context(self, session: AsyncSession, event: InboundEvent, person: Any) -> Context:
        ctx = Context(
            session,
            self.clock,
            event=event,
            person=person,
            port=self.ports.get(event.actor.platform),
            declared_settings=self.registry.settings,
            declared_my_settings=self.registry.my_settings,
            declared_hideables=self.registry.hideables,
            declared_personal_data=self._personal_data,
            default_timezone=self.default_timezone,
            memo=self.memo,
            section_source=self.sections,
        )

        async def usable() -> list[tuple[str, str]]:
            return [(c.name, c.summary) for c in await permissions.usable_commands(self.registry, ctx)]

        ctx.usable_commands = usable
        return ctx

    async def _command(self, ctx: Context, command: Command, event: CommandCall) -> Any:
        if command.needs_group and ctx.group is None:
            raise UserError(no_group_message(event.chat.is_private, ctx.several_groups))
        await permissions.check(ctx, command.access, command.guard)
        try:
            ctx.args = parse_args(command, event.args)
        except MissingArgument as missing:
            if missing.given is None:
                raise
            # Guide step by step: the person's next message in this chat supplies the missing part.
            return await self._ask_for(ctx, command, missing)
        picked = dict(event.members)
        for param in command.params:
            if param.kind is ParamKind.MEMBER and ctx.args.get(param.name) is not None:
                ctx.args[param.name] = await find_member(ctx, ctx.args[param.name], picked.get(param.name))
        try:
            return await command.handler(ctx)
        except NeedArgument as needed:
            # A part that turned out to be needed: ask for it, keeping everything typed so far.
            param = next(p for p in command.params if p.name == needed.param)
            return await self._ask_for(ctx, command, MissingArgument(command, param, clean_text(event.args)))

    async def _ask_for(self, ctx: Context, command: Command, missing: MissingArgument) -> Reply:
        """Ask for a missing part of a command, with its likely answers as buttons when it has them."""
        await ctx.ask(CONTINUE_COMMAND, {"command": command.name, "given": missing.given})
        offered = await missing.param.offer(ctx) if missing.param.offer is not None else []
        buttons = Reply.rows(*[[Button(label, FILL_ACTION, value)] for label, value in offered])
        return Reply(missing.question(offered=bool(offered)), buttons=buttons)

    async def _answering(self, ctx: Context, answer: Callable[[], Awaitable[Any]]) -> Any:
        """Run the answer to a question in a savepoint. If the answer is not right (a UserError), what it
        did is undone but the question stays answered, so the person is never caught in it: the bot says
        what was wrong and, only if the handler asks again, waits for a better answer."""
        marks = (len(ctx.outgoing), len(ctx.events), set(ctx.rescheduled), set(ctx.refresh_keys))
        try:
            async with ctx.session.begin_nested():
                return await answer()
        except UserError as exc:
            del ctx.outgoing[marks[0] :], ctx.events[marks[1] :]
            ctx.rescheduled, ctx.refresh_keys = marks[2], marks[3]
            ctx.asked = None
            if exc.ask_again is not None:
                await ctx.ask(exc.ask_again[0], dict(exc.ask_again[1]))
            return Reply(exc.message, private=True)

    async def _continue_command(self, ctx: Context, data: dict[str, Any], text: str) -> Any:
        """The answer to "Please type …": the command runs again with it added."""
        command = self.registry.commands.get(str(data.get("command", "")))
        if command is None or text.lstrip().startswith("/"):
            return None
        given = str(data.get("given", ""))
        joiner = f" {command.separator} " if command.separator else " "
        args = f"{given}{joiner}{text}" if given else text
        event = CommandCall(name=command.name, args=args, actor=ctx.actor, chat=ctx.chat)
        return await self._command(ctx, command, event)

    async def _press(self, ctx: Context, event: ButtonPress) -> Any:
        if event.action == FILL_ACTION:
            return await self._fill(ctx, event.payload)
        action = self.registry.actions.get(event.action)
        if action is None or len(event.payload) > 64:
            raise UserError(_("That button no longer works. Please type /help to start again."))
        if action.needs_group and ctx.group is None:
            raise UserError(no_group_message(event.chat.is_private, ctx.several_groups))
        await permissions.check(ctx, action.access)
        return await action.handler(ctx)

    async def _fill(self, ctx: Context, value: str) -> Any:
        """A button offered beside a question: it answers the question as if its value were typed, only for
        the person who was asked and only while the question waits."""
        pending = await conversations.take_pending(
            ctx.session, platform=ctx.actor.platform, chat_id=ctx.chat.id, user_id=ctx.actor.id, now=self.clock.now()
        )
        if pending is None or pending.prompt != CONTINUE_COMMAND:
            raise UserError(_("That question isn't waiting for your answer any more. Please type the command again."))
        data = json.loads(pending.data)
        return await self._answering(ctx, lambda: self._continue_command(ctx, data, value))

    async def _reply(self, ctx: Context, event: ChatMessage) -> Any:
        """A message answering one of the bot's posts (a reply, or a message in its thread) goes to the
        feature that posted it, by the post's key."""
        assert event.reply_to is not None
        ref = event.reply_to
        key = await outbox.key_of_posted(ctx.session, ref.chat.platform, ref.chat.id, ref.id)
        handler = self.registry.replies.get(key.partition(":")[0]) if key else None
        if handler is None:
            return None
        ctx.replied_key = key
        return await self._answering(ctx, lambda: handler(ctx))

    async def _signal(self, ctx: Context, event: InboundEvent) -> Any:
        """Someone spoke, joined or left: answer a question the bot asked them, and tell listening
        features (the roster, taking part) what happened in a set-up group chat."""
        now = self.clock.now()
        result = None
        pending = None
        waiting = event.chat.is_private or ctx.pending_here is not None  # the group-chat lookup saw any question
        if isinstance(event, ChatMessage) and event.text and waiting:
            pending = await conversations.take_pending(
                ctx.session,
                platform=event.actor.platform,
                chat_id=event.chat.id,
                user_id=event.actor.id,
                now=now,
                private=event.chat.is_private,
            )
            prompt = self.registry.prompts.get(pending.prompt) if pending is not None else None
            if pending is not None and pending.prompt == CONTINUE_COMMAND:
                data = json.loads(pending.data)
                result = await self._answering(ctx, lambda: self._continue_command(ctx, data, event.text))
            elif pending is not None and prompt is not None:
                ctx.prompt_data = json.loads(pending.data)
                result = await self._answering(ctx, lambda: prompt.handler(ctx))
        if result is None and isinstance(event, ChatMessage) and event.reply_to is not None:
            result = await self._reply(ctx, event)
        if ctx.group is None or event.chat.is_private:
            return result
        person = ctx.me
        if ctx.membership is None:
            standing = Standing.STRANGER
        else:
            standing = Standing.MEMBER if ctx.membership.active else Standing.LEFT
        if isinstance(event, ChatMessage):
            channel_id = ctx.channel.id if ctx.channel is not None else None
            # Words meant for the bot (an answer to its question, a reply to its post) are not the group's talk.
            talk = "" if pending is not None or event.reply_to is not None else event.text
            ctx.emit(Spoke(ctx.group.id, person.id, channel_id, standing, now, talk))
        elif isinstance(event, MemberJoined):
            ctx.emit(Joined(ctx.group.id, person.id, standing, now))
        elif isinstance(event, MemberLeft):
            ctx.emit(Left(ctx.group.id, person.id, standing, now))
        return result


class MemoCache(dict[str, Any]):
    """Facts that never change once written (a vote's options and who may vote), kept in memory so
    busy events do not read them again. Bounded: the oldest half is dropped when it is full."""

    LIMIT = 2000

    def __setitem__(self, key: str, value: Any) -> None:
        if len(self) >= self.LIMIT:
            for old in list(self)[: self.LIMIT // 2]:
                del self[old]
        super().__setitem__(key, value)


def as_replies(result: Any) -> list[Reply]:
    """Handlers may return one Reply, several, or nothing."""
    if result is None:
        return []
    if isinstance(result, Reply):
        return [result]
    if isinstance(result, Sequence):
        return list(result)
    raise TypeError(f"a handler returned {type(result).__name__}, not Reply")


def describe(event: InboundEvent) -> str:
    """A log line for an event: never message text or argument text (they may be personal)."""
    kind = type(event).__name__
    detail = ""
    if isinstance(event, CommandCall):
        detail = f" /{event.name[:32]!r}"
    elif isinstance(event, ButtonPress):
        # Never the payload: beside a person, a ballot's payload would say how they voted in an anonymous vote.
        detail = f" {event.action[:24]!r}"
    return f"{kind}{detail} from {event.actor.platform}:{event.actor.id} in {event.chat.platform}:{event.chat.id}"


def _or_list(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " or " + items[-1]
