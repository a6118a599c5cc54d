"""The dispatcher: one inbound event → one transaction → replies, sent only after the commit.

Flow: resolve the person (created on first sight) and the group (from the chat, or in a private
chat from the person's only group), check where and who, parse arguments, run the handler, commit.
A UserError rolls back and shows its kind message; anything else rolls back, logs an error id and
apologises with that id.
"""

from __future__ import annotations

import json
import logging
import secrets
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from bot.batching import Batch, Batcher, BatchHandler
from bot.clock import Clock
from bot.context import Context, account_names, no_group_message
from bot.errors import UserError
from bot.i18n import _
from bot.live import LiveMessages
from bot.ports import DeliveryFailed, PlatformPort
from bot.registry import Access, Action, Command, MissingArgument, Registry, Where, clean_text, parse_args
from bot.types import (
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
    buttons_to_json,
)
from storage import Database, queries

log = logging.getLogger("touchstone.dispatch")

#: The pending question "please type the missing part of a command" (see Dispatcher._command).
CONTINUE_COMMAND = "continue_command"


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
        default_timezone: str = "Europe/London",
    ) -> None:
        self.registry = registry
        self.database = database
        self.clock = clock
        self.default_timezone = default_timezone
        self.ports: dict[Platform, PlatformPort] = {}
        #: Called after a commit that changed scheduled work (the scheduler re-reads the database).
        self.on_jobs_changed: Callable[[], Awaitable[None]] | None = None
        self.live = LiveMessages(database, clock, registry.renderers, self.deliver, default_timezone=default_timezone)
        self.memo: MemoCache = MemoCache()
        self._batchers: dict[str, Batcher] = {}

    def attach(self, port: PlatformPort) -> None:
        """Connect an adapter so replies addressed to its platform can be delivered."""
        self.ports[port.platform] = port

    async def handle(self, event: InboundEvent) -> Outcome:
        """Handle one event and return what the asker should see. Never raises."""
        if isinstance(event, ButtonPress):
            action = self.registry.actions.get(event.action)
            if action is not None and action.batch is not None:
                return await self._batcher(action).submit(event)
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
            results = await batch_handler(Batch(session, self.clock, self.memo, events))
        outcomes: list[Outcome | None] = []
        for result in results:
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

    async def _handle_one(self, event: InboundEvent) -> Outcome:
        outcome = Outcome()
        jobs_changed = False
        refresh: set[str] = set()
        try:
            replies, ctx = await self._run(event)
            toast, jobs_changed, refresh, outcome.asked = ctx.toast, ctx.jobs_changed, ctx.refresh_keys, ctx.asked
        except UserError as exc:
            replies, toast = [Reply(exc.message, private=True)], exc.message
        except Exception:
            error_id = secrets.token_hex(4).upper()
            log.exception("error %s while handling %s", error_id, describe(event))
            message = apology(error_id)
            outcome.error_id = error_id
            replies, toast = [Reply(message, private=True)], message
        outcome.toast = toast
        for reply in replies:
            if reply.to is None:
                outcome.replies.append(reply)
            else:
                await self.deliver(reply)
        for key in refresh:
            self.live.request(key)
        if jobs_changed and self.on_jobs_changed is not None:
            try:
                await self.on_jobs_changed()
            except Exception:
                log.exception("could not refresh scheduled work")
        return outcome

    async def deliver(self, reply: Reply) -> MessageRef | None:
        """Send a reply addressed to another chat or person; failures are logged, never raised."""
        try:
            return await self.deliver_or_raise(reply)
        except Exception:
            assert reply.to is not None
            log.exception("delivery to %s failed", reply.to.platform)
            return None

    async def deliver_or_raise(self, reply: Reply) -> MessageRef | None:
        """Send a reply addressed to another chat or person through its platform's adapter.

        A refusal that will not change (DeliveryFailed: the person never opened a private chat with
        the bot) gives None. Anything else (a network error) is raised, so the outbox can retry."""
        assert reply.to is not None
        port = self.ports.get(reply.to.platform)
        if port is None:
            log.warning("no adapter for %s; a message was not delivered", reply.to.platform)
            return None
        try:
            ref = await port.deliver(reply, reply.to)
        except DeliveryFailed:
            log.info("delivery to %s:%s was refused", reply.to.platform, reply.to.id)
            return None
        if ref is not None and reply.key and reply.edit is None:
            await self.remember(reply.key, ref)
        return ref

    async def chat_moved(self, platform: Platform, old_chat_id: str, new_chat_id: str) -> bool:
        """A platform gave a chat a new id (a Telegram group upgraded to a supergroup): keep its data."""
        async with self.database.unit_of_work() as session:
            moved = await queries.move_channel(session, platform, old_chat_id, new_chat_id)
        if moved:
            log.info("%s chat %s is now %s; its group moved with it", platform, old_chat_id, new_chat_id)
        return moved

    async def hold(self, reply: Reply, user: UserRef) -> None:
        """Keep a private message the platform refused (the person never opened a private chat with
        the bot); /start sends it as soon as they do."""
        body = json.dumps({"text": reply.text, "buttons": buttons_to_json(reply.buttons)})
        async with self.database.unit_of_work() as session:
            await queries.hold_message(
                session, platform=user.platform, user_id=user.id, body=body, now=self.clock.now()
            )

    async def remember(self, key: str, ref: MessageRef) -> None:
        """Note a message the bot sent under a key, so later events can edit it."""
        async with self.database.unit_of_work() as session:
            await queries.remember_posted(
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

    async def _run(self, event: InboundEvent) -> tuple[list[Reply], Context]:
        command: Command | None = None
        if isinstance(event, CommandCall):
            command = self._find_command(event)
        async with self.database.unit_of_work() as session:
            ctx = await self._context(session, event)
            if isinstance(event, CommandCall):
                assert command is not None
                result = await self._command(ctx, command, event)
            elif isinstance(event, ButtonPress):
                result = await self._press(ctx, event)
            else:
                result = await self._signal(ctx, event)
        return as_replies(result), ctx

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
        if command.where is Where.GROUP and event.chat.is_private:
            raise UserError(_("Please use /{name} in your group's chat.").format(name=command.name))
        if command.where is Where.PRIVATE and not event.chat.is_private:
            raise UserError(_("Please send /{name} to me in a private chat.").format(name=command.name))
        return command

    async def _context(self, session: Any, event: InboundEvent) -> Context:
        actor = event.actor
        name, handle = account_names(actor)
        now = self.clock.now()
        if event.chat.is_private:
            person = await queries.ensure_person(
                session, platform=actor.platform, user_id=actor.id, display_name=name, handle=handle, now=now
            )
            ctx = self._new_context(session, event, person)
            groups = await queries.active_memberships_of(session, person.id)
            if len(groups) == 1:
                ctx.membership, ctx.group = groups[0]
            ctx.several_groups = len(groups) > 1
            return ctx
        # The common case, a group chat, takes one query (the hot path: see bench/dispatch.py).
        found = await queries.resolve_in_chat(
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
        return ctx

    def _new_context(self, session: Any, event: InboundEvent, person: Any) -> Context:
        return Context(
            event=event,
            session=session,
            clock=self.clock,
            registry=self.registry,
            port=self.ports.get(event.actor.platform),
            person=person,
            default_timezone=self.default_timezone,
            memo=self.memo,
        )

    async def _command(self, ctx: Context, command: Command, event: CommandCall) -> Any:
        if command.needs_group and ctx.group is None:
            raise UserError(no_group_message(event.chat.is_private, ctx.several_groups))
        check_access(ctx, command.access)
        try:
            ctx.args = parse_args(command, event.args)
        except MissingArgument as missing:
            if missing.given is None:
                raise
            # Guide step by step: the person's next message in this chat supplies the missing part.
            await ctx.ask(CONTINUE_COMMAND, {"command": command.name, "given": missing.given})
            return Reply(missing.question())
        return await command.handler(ctx)

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
        action = self.registry.actions.get(event.action)
        if action is None:
            raise UserError(_("That button no longer works. Please type /help to start again."))
        if action.needs_group and ctx.group is None:
            raise UserError(no_group_message(event.chat.is_private, ctx.several_groups))
        check_access(ctx, action.access)
        if len(event.payload) > 64:
            raise UserError(_("That button no longer works. Please type /help to start again."))
        return await action.handler(ctx)

    async def _signal(self, ctx: Context, event: InboundEvent) -> Any:
        """Someone spoke, joined or left: answer a question the bot asked them, and keep the roster
        and contributions of a set-up group chat."""
        now = self.clock.now()
        result = None
        if isinstance(event, ChatMessage) and event.text:
            pending = await queries.take_pending(
                ctx.session,
                platform=event.actor.platform,
                chat_id=event.chat.id,
                user_id=event.actor.id,
                now=now,
                private=event.chat.is_private,
            )
            prompt = self.registry.prompts.get(pending.prompt) if pending is not None else None
            if pending is not None and pending.prompt == CONTINUE_COMMAND:
                result = await self._continue_command(ctx, json.loads(pending.data), event.text)
            elif pending is not None and prompt is not None:
                ctx.prompt_data = json.loads(pending.data)
                result = await prompt.handler(ctx)
        if ctx.group is None or event.chat.is_private:
            return result
        if isinstance(event, (ChatMessage, MemberJoined)) and ctx.membership is None:
            # Seen for the first time: add to the roster. Someone who chose to leave is not re-added.
            ctx.membership, _new = await queries.join_group(
                ctx.session, group_id=ctx.group.id, person_id=ctx.person.id, kind=None, now=now
            )
        if isinstance(event, ChatMessage) and ctx.is_member and ctx.channel is not None:
            await queries.record_contribution(
                ctx.session, group_id=ctx.group.id, person_id=ctx.person.id, channel_id=ctx.channel.id, at=now
            )
        if isinstance(event, MemberLeft) and ctx.is_member and ctx.membership is not None:
            await queries.leave_group(ctx.session, ctx.membership, now)
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


def check_access(ctx: Context, access: Access) -> None:
    """Refuse kindly unless the person may use this here."""
    if access is Access.MEMBER and not ctx.is_member:
        if ctx.chat.is_private:
            raise UserError(_("Only members can do that. Type /join in your group's chat to join."))
        raise UserError(_("Only members can do that. Type /join to become a member."))
    if access is Access.COCHAIR and not ctx.is_cochair:
        raise UserError(_("Only co-chairs can do that. Ask a co-chair if you need it done."))


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
        detail = f" {event.action[:24]!r}:{event.payload[:64]!r}"
    return f"{kind}{detail} from {event.actor.platform}:{event.actor.id} in {event.chat.platform}:{event.chat.id}"


def _or_list(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " or " + items[-1]
