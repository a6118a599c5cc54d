"""Everything the discussion papers feature says, marked for translation. Short, plain and kind."""

from __future__ import annotations

from bot.i18n import _, ngettext

TITLE_PART = _("The paper's title")
SUMMARY_PART = _("A short summary")
PAPER_PART = _("The paper: its text or a link")
POST_PART = _("When to post it")
OPEN_PART = _("How long views stay open")
DOCUMENT_PART = _("The paper as a document")
NEEDS_PAPER = _(
    "Please give the paper itself: its text, a link to it, or a document sent with the command. "
    "For example: /paper Hospital transport | What should change? | https://example.org/paper.pdf"
)
LINK_NOT_A_LINK = _("That doesn't look like a working link. Please give a link starting with https://.")
FILE_TOO_BIG = _(
    "That document is bigger than 10 MB, the most every platform lets me post. Please share a link to it instead."
)
EMPTY_FILE = _("That document is empty. Please send it again.")
VIEW_PART = _("Your view")
EMPTY_VIEW = _("Please type your view in a few words.")
VIEW_TOO_LONG = _("Please keep your view under 2,000 characters, and type it again.")
ADD_VIEW_BUTTON = _("Add my view")
WITH_MY_NAME = _("Share with my name")
WITHOUT_MY_NAME = _("Share without my name")
STALE_BUTTON = _("That button no longer works. Type /papers to see the papers.")
NO_PAPERS = _("There are no discussion papers yet. A co-chair can add one with /paper.")
PAPERS_HEADING = _("Discussion papers:")
COCHAIRS_ONLY_PAPERS = _("Only co-chairs can add discussion papers in this group. Ask a co-chair if you have one.")
ALREADY_ANSWERED = _("That view was already shared, or the question has expired. Press Add my view to start again.")
HIDDEN = _("(hidden by a co-chair)")
VIEW_KEPT_NAMED = _("Thank you. Your view is shared with the group, with your name.")
VIEW_KEPT_ANONYMOUS = _(
    "Thank you. Your view is shared with the group without your name. Nothing in the group's records links "
    "it to you; whoever runs the bot can see its server logs, but your words are never written there."
)
MEMBERS_TITLE = _("Members can add papers")
MEMBERS_SUMMARY = _("Whether any member may add a discussion paper (yes or no).")
REMINDERS_TITLE = _("Reminders about papers")
REMINDERS_SUMMARY = _("Whether I remind you before views on a discussion paper close (yes or no).")


def no_such_paper(number: int | str) -> str:
    return _("There is no discussion paper {number} in this group. Type /papers to see them.").format(number=number)


def close_before_post(post: str, close: str) -> str:
    return _(
        "Views would close on {close}, before the paper is posted on {post}. Please choose a later closing time. "
        "Nothing was saved."
    ).format(post=post, close=close)


def cannot_read_open(typed: str) -> str:
    return _("I couldn't read “{typed}” as how long views stay open. Try “for 7 days” or “until Friday 5pm”.").format(
        typed=typed
    )


def scheduled(number: int, post: str, close: str) -> str:
    return _("Done. Discussion paper {number} will be posted on {post}; views are welcome until {close}.").format(
        number=number, post=post, close=close
    )


def posted_now(number: int, close: str) -> str:
    return _("Done. Discussion paper {number} is posted; views are welcome until {close}.").format(
        number=number, close=close
    )


def paper_post(number: int, title: str, summary: str, body: str | None, link: str | None, close: str) -> str:
    lines = [_("Discussion paper {number}: {title}").format(number=number, title=title), summary]
    if body:
        lines.append(body)
    if link:
        lines.append(_("Read it here: {link}").format(link=link))
    lines.append(
        _(
            "Your views are welcome until {close}. Reply to this message, press Add my view, or send me a private "
            "message with /view {number}."
        ).format(close=close, number=number)
    )
    return "\n".join(lines)


def paper_closed_post(number: int, title: str) -> str:
    return _("Discussion paper {number}: {title}. Views have closed; thank you to everyone who shared one.").format(
        number=number, title=title
    )


def ask_view(number: int, title: str) -> str:
    return _(
        "Please type your view on discussion paper {number}, “{title}”. Next you can choose whether to share it "
        "with your name. (Type /cancel to stop.)"
    ).format(number=number, title=title)


def named_or_not(number: int) -> str:
    return _("How shall I share your view on paper {number}?").format(number=number)


def views_closed(number: int, when: str) -> str:
    return _("Views on discussion paper {number} closed on {when}, so I can't add yours now.").format(
        number=number, when=when
    )


def not_posted_yet(number: int, when: str) -> str:
    return _("Discussion paper {number} will be posted on {when}; views are welcome from then.").format(
        number=number, when=when
    )


def relayed_named(number: int, name: str, text: str) -> str:
    return _("A view on paper {number} from {name}: {text}").format(number=number, name=name, text=text)


def relayed_anonymous(number: int, text: str) -> str:
    return _("A view on paper {number}, shared without a name: {text}").format(number=number, text=text)


def reminder(name: str, number: int, title: str, close: str) -> str:
    return _(
        "Hello {name}. A kind reminder: views on discussion paper {number}, “{title}”, are welcome until {close}. "
        "If you've already shared your view without your name, please ignore this. "
        "(You can turn these reminders off with /mysettings.)"
    ).format(name=name, number=number, title=title, close=close)


def summary_heading(number: int, title: str, views: int, members: int, anonymous: int) -> str:
    text = _("Views on discussion paper {number}, “{title}”, have closed.").format(number=number, title=title)
    if views == 0:
        return text + " " + _("No views were shared.")
    text += " " + ngettext("{count} view", "{count} views", views).format(count=views)
    if members:
        text += " " + ngettext("from {count} member", "from {count} members", members).format(count=members)
    if anonymous:
        text += " " + ngettext(
            "({count} shared without a name).", "({count} shared without a name).", anonymous
        ).format(count=anonymous)
    else:
        text += "."
    return text


def summary_view(name: str | None, text: str) -> str:
    if name is None:
        return _("A member (without a name): {text}").format(text=text)
    return _("{name}: {text}").format(name=name, text=text)


def not_heard(count: int, anonymous: int) -> str:
    if count == 0:
        return _("Every member has been heard on it.")
    text = ngettext(
        "{count} member has not yet been heard on it by name.",
        "{count} members have not yet been heard on it by name.",
        count,
    ).format(count=count)
    if anonymous:
        text += " " + _("Some of them may have shared a view without their name.")
    return text


def paper_line(number: int, title: str, status: str) -> str:
    return _("Paper {number}: {title}. {status}").format(number=number, title=title, status=status)


def status_scheduled(when: str) -> str:
    return _("To be posted on {when}.").format(when=when)


def status_open(close: str, views: int) -> str:
    return ngettext(
        "Open for views until {close}; {count} view so far.",
        "Open for views until {close}; {count} views so far.",
        views,
    ).format(close=close, count=views)


def status_closed(close: str, views: int) -> str:
    return ngettext("Closed on {close} with {count} view.", "Closed on {close} with {count} views.", views).format(
        close=close, count=views
    )


def add_view_to(number: int) -> str:
    return _("Add my view to paper {number}").format(number=number)


def members_described(value: str) -> str:
    if value == "yes":
        return _("Any member can add a discussion paper.")
    return _("Only co-chairs add discussion papers.")


def reminders_described(value: str) -> str:
    if value == "no":
        return _("I don't remind you before views on a paper close.")
    return _("I remind you a day before views on a paper close, if you haven't shared one by name.")


NOT_CHECKED = _("The linked or attached paper itself isn't checked; /plain checks any text you paste.")


def plain_heading(number: int) -> str:
    return _("How easy paper {number} is to read (its title, summary and text):").format(number=number)
