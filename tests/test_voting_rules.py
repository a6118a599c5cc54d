"""The pure parts of voting, tested directly: what a press does to a ballot, tallies, quorum,
instant run-off and consensus (commands/voting/rules.py); reading a one-line vote
(commands/voting/spec.py); and reading "Friday 5pm" in the group's time zone (bot/when.py)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from bot.errors import UserError
from bot.when import parse_when
from commands.voting.rules import (
    CONSENSUS_OPTIONS,
    YES_NO_OPTIONS,
    ConsensusOutcome,
    LimitReached,
    QuorumKind,
    Round,
    VoteKind,
    consensus_outcome,
    counts,
    instant_runoff,
    leaders,
    press,
    quorum_needed,
)
from commands.voting.spec import Extras, parse_choices, parse_extras

# Option ids, as the database would give them.
A, B, C, D = 11, 12, 13, 14
LONDON = "Europe/London"
NEW_YORK = "America/New_York"
#: Monday 2 November 2026, 9am in London (GMT, after the clocks went back).
MONDAY_MORNING = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
#: Tuesday 20 October 2026, 10am in London (still BST; the clocks go back on Sunday 25 October).
BEFORE_CLOCKS_GO_BACK = datetime(2026, 10, 20, 9, 0, tzinfo=UTC)


def utc(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


# ---- press: what one tap does to a ballot --------------------------------------------------------


def test_yes_no_press_on_an_empty_ballot_records_that_choice() -> None:
    assert press(VoteKind.YES_NO, 1, (), A) == (A,)


def test_yes_no_press_replaces_the_earlier_choice() -> None:
    assert press(VoteKind.YES_NO, 1, (A,), B) == (B,)


def test_yes_no_press_on_the_same_choice_keeps_it() -> None:
    assert press(VoteKind.YES_NO, 1, (A,), A) == (A,)


def test_pick_one_press_replaces_the_earlier_choice() -> None:
    assert press(VoteKind.PICK_ONE, 1, (A,), C) == (C,)


def test_consensus_press_replaces_the_earlier_choice() -> None:
    assert press(VoteKind.CONSENSUS, 1, (A,), D) == (D,)


def test_pick_many_press_adds_a_choice_below_the_limit() -> None:
    assert press(VoteKind.PICK_MANY, 2, (A,), B) == (A, B)


def test_pick_many_press_on_a_chosen_option_takes_it_back() -> None:
    assert press(VoteKind.PICK_MANY, 2, (A, B), A) == (B,)


def test_pick_many_press_beyond_the_limit_is_refused() -> None:
    with pytest.raises(LimitReached):
        press(VoteKind.PICK_MANY, 2, (A, B), C)


def test_pick_many_press_at_the_limit_can_still_take_a_choice_back() -> None:
    assert press(VoteKind.PICK_MANY, 2, (A, B), B) == (A,)


def test_ranked_presses_record_preferences_in_the_order_pressed() -> None:
    ballot: tuple[int, ...] = ()
    for option in (C, A, B):
        ballot = press(VoteKind.RANKED, 1, ballot, option)
    assert ballot == (C, A, B)


def test_ranked_press_on_a_ranked_option_takes_it_out_and_moves_later_ones_up() -> None:
    assert press(VoteKind.RANKED, 1, (C, A, B), A) == (C, B)


def test_ranked_press_is_not_limited_by_max_choices() -> None:
    assert press(VoteKind.RANKED, 1, (A, B, C), D) == (A, B, C, D)


# ---- counts --------------------------------------------------------------------------------------


def test_counts_give_every_option_a_count_even_with_no_votes() -> None:
    assert counts([A, B, C], []) == {A: 0, B: 0, C: 0}


def test_counts_count_each_option_a_ballot_includes() -> None:
    assert counts([A, B, C], [(A,), (A, B), (B, C), (A, C)]) == {A: 3, B: 2, C: 2}


def test_counts_first_only_counts_first_preferences() -> None:
    assert counts([A, B, C], [(A, B, C), (B, A), (A, C)], first_only=True) == {A: 2, B: 1, C: 0}


def test_counts_ignore_options_that_are_not_part_of_the_vote() -> None:
    assert counts([A, B], [(A, D), (D,)]) == {A: 1, B: 0}


def test_counts_skip_empty_ballots() -> None:
    assert counts([A, B], [(), (B,)], first_only=True) == {A: 0, B: 1}


# ---- quorum --------------------------------------------------------------------------------------


def test_no_quorum_needs_nobody() -> None:
    assert quorum_needed(40, QuorumKind.NONE, 0) == 0


def test_number_quorum_needs_that_many_people_whatever_the_group_size() -> None:
    assert quorum_needed(40, QuorumKind.NUMBER, 5) == 5


def test_share_quorum_of_an_exact_share_needs_exactly_that_many() -> None:
    assert quorum_needed(10, QuorumKind.SHARE, 50) == 5


def test_share_quorum_rounds_a_part_person_up() -> None:
    assert quorum_needed(7, QuorumKind.SHARE, 60) == 5  # 4.2 people → 5


def test_share_quorum_of_one_percent_of_a_small_group_needs_one_person() -> None:
    assert quorum_needed(3, QuorumKind.SHARE, 1) == 1


# ---- leaders -------------------------------------------------------------------------------------


def test_leaders_is_the_single_option_with_most_votes() -> None:
    assert leaders({A: 3, B: 5, C: 1}) == [B]


def test_leaders_lists_every_option_tied_for_most_votes() -> None:
    assert leaders({A: 4, B: 1, C: 4}) == [A, C]


def test_leaders_is_empty_when_nobody_voted_for_anything() -> None:
    assert leaders({A: 0, B: 0}) == []


def test_leaders_of_no_options_is_empty() -> None:
    assert leaders({}) == []


# ---- instant run-off -----------------------------------------------------------------------------


def test_instant_runoff_with_a_first_round_majority_ends_in_round_one() -> None:
    rankings = [(A, B), (A,), (A, C), (B, A), (C,)]
    assert instant_runoff([A, B, C], rankings) == [Round(1, {A: 3, B: 1, C: 1}, 0, winners=(A,))]


def test_instant_runoff_moves_eliminated_ballots_to_next_preferences_over_three_rounds() -> None:
    rankings = [
        *[(A,)] * 4,
        *[(B,)] * 3,
        *[(C, B)] * 2,
        (D, B),
    ]
    rounds = instant_runoff([A, B, C, D], rankings)
    assert rounds == [
        Round(1, {A: 4, B: 3, C: 2, D: 1}, 0, eliminated=(D,)),
        Round(2, {A: 4, B: 4, C: 2}, 0, eliminated=(C,)),
        Round(3, {A: 4, B: 6}, 0, winners=(B,)),
    ]


def test_instant_runoff_eliminates_all_options_tied_for_fewest_together() -> None:
    rankings = [*[(A,)] * 5, *[(B, D)] * 2, *[(C, D)] * 2, *[(D,)] * 3]
    rounds = instant_runoff([A, B, C, D], rankings)
    assert rounds[0] == Round(1, {A: 5, B: 2, C: 2, D: 3}, 0, eliminated=(B, C))
    assert rounds[1] == Round(2, {A: 5, D: 7}, 0, winners=(D,))
    assert len(rounds) == 2


def test_instant_runoff_with_everyone_tied_declares_all_of_them_tied_winners() -> None:
    rankings = [(A, B), (A, B), (B, A), (B, A)]
    assert instant_runoff([A, B], rankings) == [Round(1, {A: 2, B: 2}, 0, winners=(A, B))]


def test_instant_runoff_ending_in_a_tie_after_eliminations_declares_a_tie() -> None:
    rankings = [(A,), (A,), (B,), (B,), (C,)]
    rounds = instant_runoff([A, B, C], rankings)
    assert rounds[-1] == Round(2, {A: 2, B: 2}, 1, winners=(A, B))


def test_instant_runoff_counts_ballots_with_no_continuing_preference_as_exhausted() -> None:
    rankings = [(A,), (A,), (A,), (B,), (B,), (C,)]
    rounds = instant_runoff([A, B, C], rankings)
    assert [r.exhausted for r in rounds] == [0, 1]


def test_instant_runoff_majority_is_of_continuing_votes_not_of_all_ballots() -> None:
    # A has 3 of 6 ballots (no majority) in round 1, then 3 of the 5 still counting.
    rankings = [(A,), (A,), (A,), (B,), (B,), (C,)]
    rounds = instant_runoff([A, B, C], rankings)
    assert rounds[0].winners == ()
    assert rounds[1] == Round(2, {A: 3, B: 2}, 1, winners=(A,))


def test_instant_runoff_with_no_ballots_has_one_round_and_no_winner() -> None:
    assert instant_runoff([A, B], []) == [Round(1, {A: 0, B: 0}, 0)]


# ---- consensus -----------------------------------------------------------------------------------


def test_consensus_with_no_votes_is_no_votes() -> None:
    assert consensus_outcome([]) is ConsensusOutcome.NO_VOTES


def test_consensus_is_reached_when_more_agree_than_disagree() -> None:
    assert consensus_outcome(["Agree", "Agree", "Disagree", "Abstain"]) is ConsensusOutcome.REACHED


def test_consensus_one_block_stops_the_proposal_however_many_agree() -> None:
    assert consensus_outcome(["Agree"] * 9 + ["Block"]) is ConsensusOutcome.BLOCKED


def test_consensus_is_not_reached_when_agree_and_disagree_are_equal() -> None:
    assert consensus_outcome(["Agree", "Disagree"]) is ConsensusOutcome.NOT_REACHED


def test_consensus_is_not_reached_when_everyone_abstains() -> None:
    assert consensus_outcome(["Abstain", "Abstain"]) is ConsensusOutcome.NOT_REACHED


# ---- parse_choices: the choices part of a one-line vote ------------------------------------------


@pytest.mark.parametrize("text", ["", "yes/no", "Yes / No", "yes, no", "yes/no/abstain", "YesNo"])
def test_choices_yes_no_or_nothing_make_a_yes_no_vote_with_abstain(text: str) -> None:
    choices = parse_choices(text)
    assert (choices.kind, choices.labels) == (VoteKind.YES_NO, list(YES_NO_OPTIONS))


def test_choices_consensus_make_a_consensus_vote_with_its_four_answers() -> None:
    choices = parse_choices("Consensus")
    assert (choices.kind, choices.labels) == (VoteKind.CONSENSUS, list(CONSENSUS_OPTIONS))


def test_choices_separated_by_commas_make_a_pick_one_vote() -> None:
    choices = parse_choices(" Tea ,Coffee,  Water ")
    assert (choices.kind, choices.labels, choices.max_choices) == (VoteKind.PICK_ONE, ["Tea", "Coffee", "Water"], 1)


def test_choices_on_separate_lines_make_a_pick_one_vote() -> None:
    assert parse_choices("Tea\nCoffee\n\nWater").labels == ["Tea", "Coffee", "Water"]


@pytest.mark.parametrize(
    "text", ["pick 2: Tea, Coffee, Cake", "choose 2 - Tea, Coffee, Cake", "Up to 2: Tea, Coffee, Cake"]
)
def test_choices_pick_n_make_a_pick_many_vote_with_that_limit(text: str) -> None:
    choices = parse_choices(text)
    assert (choices.kind, choices.labels, choices.max_choices) == (VoteKind.PICK_MANY, ["Tea", "Coffee", "Cake"], 2)


@pytest.mark.parametrize("text", ["ranked: Tea, Coffee, Cake", "Rank: Tea, Coffee, Cake", "ranked - Tea, Coffee, Cake"])
def test_choices_ranked_make_a_ranked_vote(text: str) -> None:
    choices = parse_choices(text)
    assert (choices.kind, choices.labels) == (VoteKind.RANKED, ["Tea", "Coffee", "Cake"])


def test_choices_starting_with_a_word_like_rankin_make_a_pick_one_vote() -> None:
    choices = parse_choices("Rankin Road, Smith Street")
    assert (choices.kind, choices.labels) == (VoteKind.PICK_ONE, ["Rankin Road", "Smith Street"])


def test_choices_ranking_keeps_the_first_label_whole() -> None:
    assert parse_choices("Ranking: Tea, Coffee").labels == ["Tea", "Coffee"]


@pytest.mark.parametrize("text", ["Tea", "Tea,", "ranked: Tea", "pick 1: Tea"])
def test_choices_with_only_one_choice_ask_for_at_least_two(text: str) -> None:
    with pytest.raises(UserError, match="at least two choices"):
        parse_choices(text)


def test_choices_that_repeat_regardless_of_case_are_refused() -> None:
    with pytest.raises(UserError, match="Two of the choices are the same"):
        parse_choices("Tea, Coffee, tea")


def test_choices_more_than_ten_are_refused() -> None:
    with pytest.raises(UserError, match="at most 10 choices"):
        parse_choices(", ".join(f"Choice {n}" for n in range(1, 12)))


def test_choices_exactly_ten_are_accepted() -> None:
    assert len(parse_choices(", ".join(f"Choice {n}" for n in range(1, 11))).labels) == 10


def test_choices_longer_than_sixty_characters_are_refused() -> None:
    with pytest.raises(UserError, match="under 60 characters"):
        parse_choices("Tea, " + "x" * 61)


@pytest.mark.parametrize("limit", [0, 3, 9])
def test_choices_pick_n_outside_one_to_one_fewer_than_the_choices_is_refused(limit: int) -> None:
    with pytest.raises(UserError, match="With 3 choices, people can pick from 1 to 2"):
        parse_choices(f"pick {limit}: Tea, Coffee, Cake")


def test_choices_pick_one_fewer_than_the_choices_is_the_largest_limit_allowed() -> None:
    assert parse_choices("pick 2: Tea, Coffee, Cake").max_choices == 2


# ---- parse_extras ----------------------------------------------------------------------------------


def test_extras_empty_mean_a_plain_vote() -> None:
    assert parse_extras("") == Extras()


@pytest.mark.parametrize("text", ["anonymous", "Secret", "secret  ballot"])
def test_extras_anonymous_make_the_vote_anonymous(text: str) -> None:
    assert parse_extras(text) == Extras(anonymous=True)


@pytest.mark.parametrize("text", ["hide results", "Hidden", "results hidden"])
def test_extras_hide_results_hide_the_counts(text: str) -> None:
    assert parse_extras(text) == Extras(hide_results=True)


@pytest.mark.parametrize("text", ["lay partners only", "Lay only", "lay partners"])
def test_extras_lay_partners_only_limit_who_may_vote(text: str) -> None:
    assert parse_extras(text) == Extras(lay_only=True)


@pytest.mark.parametrize("text", ["quorum 5", "Quorum of 5", "quorum5"])
def test_extras_quorum_number_needs_that_many_people(text: str) -> None:
    assert parse_extras(text) == Extras(quorum_kind=QuorumKind.NUMBER, quorum_value=5)


@pytest.mark.parametrize("text", ["quorum 60%", "quorum 60 %", "QUORUM OF 60%"])
def test_extras_quorum_percent_needs_that_share(text: str) -> None:
    assert parse_extras(text) == Extras(quorum_kind=QuorumKind.SHARE, quorum_value=60)


def test_extras_several_at_once_all_apply() -> None:
    assert parse_extras(" Anonymous , , hide results,lay partners only, quorum 60% ") == Extras(
        anonymous=True, hide_results=True, lay_only=True, quorum_kind=QuorumKind.SHARE, quorum_value=60
    )


def test_extras_quorum_of_zero_people_is_refused() -> None:
    with pytest.raises(UserError, match="at least 1 person"):
        parse_extras("quorum 0")


@pytest.mark.parametrize("text", ["quorum 0%", "quorum 101%"])
def test_extras_quorum_share_outside_one_to_a_hundred_percent_is_refused(text: str) -> None:
    with pytest.raises(UserError, match="between 1% and 100%"):
        parse_extras(text)


def test_extras_unknown_words_are_refused_naming_them_and_listing_what_works() -> None:
    with pytest.raises(UserError, match=re.escape("I don't understand “public”. You can add: anonymous")):
        parse_extras("anonymous, Public")


# ---- parse_when: "Friday 5pm" in the group's time zone ---------------------------------------------


def test_when_a_weekday_and_time_is_that_day_this_week() -> None:
    assert parse_when("Friday 5pm", LONDON, MONDAY_MORNING) == utc(2026, 11, 6, 17)


def test_when_in_three_days_is_three_days_from_now() -> None:
    assert parse_when("in 3 days", LONDON, MONDAY_MORNING) == utc(2026, 11, 5, 9)


def test_when_tomorrow_noon_is_midday_tomorrow() -> None:
    assert parse_when("tomorrow noon", LONDON, MONDAY_MORNING) == utc(2026, 11, 3, 12)


def test_when_a_day_month_and_time_is_read() -> None:
    assert parse_when("3 Dec 18:30", LONDON, MONDAY_MORNING) == utc(2026, 12, 3, 18, 30)


def test_when_a_numeric_date_is_read_day_first_the_uk_way() -> None:
    assert parse_when("3/12 18:30", LONDON, MONDAY_MORNING) == utc(2026, 12, 3, 18, 30)


@pytest.mark.parametrize(("text", "expected"), [("3 Dec", utc(2026, 12, 3, 17)), ("Friday", utc(2026, 11, 6, 17))])
def test_when_a_day_with_no_time_means_5pm_that_day(text: str, expected: datetime) -> None:
    assert parse_when(text, LONDON, MONDAY_MORNING) == expected


def test_when_a_day_with_no_time_in_summer_time_means_5pm_local() -> None:
    assert parse_when("23 Oct", LONDON, BEFORE_CLOCKS_GO_BACK) == utc(2026, 10, 23, 16)


def test_when_a_date_after_the_clocks_go_back_is_read_in_gmt() -> None:
    assert parse_when("27 Oct 18:30", LONDON, BEFORE_CLOCKS_GO_BACK) == utc(2026, 10, 27, 18, 30)


def test_when_a_date_before_the_clocks_go_back_is_read_in_british_summer_time() -> None:
    assert parse_when("23 Oct 18:30", LONDON, BEFORE_CLOCKS_GO_BACK) == utc(2026, 10, 23, 17, 30)


def test_when_is_read_in_the_groups_own_time_zone() -> None:
    # New York is on EDT (UTC-4) until Sunday 1 November 2026, then EST (UTC-5).
    assert parse_when("27 Oct 18:30", NEW_YORK, BEFORE_CLOCKS_GO_BACK) == utc(2026, 10, 27, 22, 30)


def test_when_in_another_time_zone_follows_that_zones_clock_change() -> None:
    assert parse_when("3 Dec 18:30", NEW_YORK, BEFORE_CLOCKS_GO_BACK) == utc(2026, 12, 3, 23, 30)


@pytest.mark.parametrize("text", ["yesterday", "1 Nov 2026 10:00", "2 Nov 2026 9am"])
def test_when_a_time_that_has_passed_is_refused(text: str) -> None:
    with pytest.raises(UserError, match="already passed"):
        parse_when(text, LONDON, MONDAY_MORNING)


@pytest.mark.parametrize("text", ["in 2 years", "3 Dec 2027 18:30"])
def test_when_more_than_a_year_away_is_refused(text: str) -> None:
    with pytest.raises(UserError, match="more than a year away"):
        parse_when(text, LONDON, MONDAY_MORNING)


@pytest.mark.parametrize("text", ["blah flurb wibble", "the twelfth of never"])
def test_when_gibberish_is_refused_with_examples(text: str) -> None:
    with pytest.raises(UserError, match=r"didn't understand .* Try “Friday 5pm”"):
        parse_when(text, LONDON, MONDAY_MORNING)


@pytest.mark.parametrize("text", ["", "   "])
def test_when_nothing_asks_when(text: str) -> None:
    with pytest.raises(UserError, match="Please say when"):
        parse_when(text, LONDON, MONDAY_MORNING)


def test_a_choice_that_starts_with_ranking_or_pick_but_has_no_colon_stays_a_choice() -> None:
    assert parse_choices("Ranking Road, Pick 2 Lane").kind is VoteKind.PICK_ONE
    assert parse_choices("Ranking Road, Pick 2 Lane").labels == ["Ranking Road", "Pick 2 Lane"]
