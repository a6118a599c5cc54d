"""Sentences the group feature shares between its handlers: the standard touchstone, how members
describe themselves, and the roster."""

from __future__ import annotations

from bot.i18n import _, ngettext
from storage.groups import MemberKind, Role

DEFAULT_PRINCIPLES = _(
    "Our touchstone: how we work together.\n"
    "1. Everyone is an equal partner.\n"
    "2. We build our agendas together, from members' ideas.\n"
    "3. Discussion papers invite everyone to share their views.\n"
    "4. We settle issues by voting.\n"
    "5. We each come to at least 8 in every 10 meetings.\n"
    "6. We always ask who has not had a say yet, and think about why.\n"
    "7. We use plain language. When jargon creeps in, we explain it in a glossary.\n"
    "8. We keep a skills bank, so everyone's skills are used.\n"
    "9. Anyone who asks gets support and training.\n"
    "10. Lay members sign off finished projects."
)

KIND_BUTTON_LABELS = {
    MemberKind.LAY_PARTNER: _("Lay partner"),
    MemberKind.PROFESSIONAL: _("Professional"),
    MemberKind.OTHER: _("Other"),
}


def kind_phrase(kind: MemberKind | None) -> str:
    """How a member's kind reads inside a sentence."""
    return {
        MemberKind.LAY_PARTNER: _("a lay partner"),
        MemberKind.PROFESSIONAL: _("a professional"),
        MemberKind.OTHER: _("other"),
        None: _("not chosen yet"),
    }[kind]


def roster_heading(group: str, count: int) -> str:
    return ngettext("“{group}” has {count} member.", "“{group}” has {count} members.", count).format(
        group=group, count=count
    )


def roster_line(name: str, role: Role, kind: MemberKind | None) -> str:
    line = _("{name}, co-chair, {kind}.") if role is Role.COCHAIR else _("{name}, {kind}.")
    return line.format(name=name, kind=kind_phrase(kind))

