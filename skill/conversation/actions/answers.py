"""Answers: help, "what?", thanks, misheard utterances, and questions about progress,
time, what comes next and what to have at hand. An answer keeps the place and asks
again what the phase asks."""

from __future__ import annotations

from datetime import date, timedelta

from skill.conversation import state as phases
from skill.conversation.narration import offer_exercise
from skill.conversation.nudging import nudges
from skill.conversation.places import exercises_done_today, missing_today, upcoming
from skill.conversation.questions import ask, question, reask, settled
from skill.conversation.turn import Heard, Reply, Turn, action
from skill.conversation.words import days, join, minutes, needs_of, things, things_for_all
from skill.speech.narrate import READY, spoken_numbers, total_seconds
from skill.speech.script import Item, Say


@action("help")
def help(turn: Turn, heard: Heard) -> Reply:
    index = turn.index
    if index is not None and turn.state.phase in (phases.ROUTINE, phases.GATE):
        words = [turn.say("help.routine", name=turn.name(turn.route.exercise_at(index)))]
    else:
        words = [turn.say("help.general")]
    return reask(turn, [*words, turn.say("safety.help_note")])


@action("say_again")
def say_again(turn: Turn, heard: Heard) -> Reply:
    return reask(turn)


@action("say_again")
def not_asked(turn: Turn, heard: Heard) -> Reply:
    """Yes or no where nothing was asked: ask what the phase asks."""
    return reask(turn)


@action("say_again")
def you_are_welcome(turn: Turn, heard: Heard) -> Reply:
    return reask(turn, [turn.say("moves.you_are_welcome")])


@action("fallback")
def not_understood(turn: Turn, heard: Heard) -> Reply:
    """Keep the place, say what can be said now, and vary the words. Nothing heard is
    repeated back."""
    state, copy = turn.state, turn.copy
    sorry = copy.raw("fallback.sorry")
    opening = Say(str(sorry[state.misheard % len(sorry)]))
    state.misheard += 1
    now = settled(turn, state.phase)
    asked, again = question(turn, now)
    options = copy.raw("fallback.options")
    hint = options.get(now) or options["default"]
    reply = ask(turn, [opening, Say(str(hint)), *asked], again, now)
    reply.action, reply.kind = not_understood.name, not_understood.kind  # also when delegated
    return reply


# ---------------------------------------------------------------- progress
def progress_words(turn: Turn) -> list[Item]:
    summary = turn.state.summary
    if summary.total == 0:
        return [turn.say("progress.none")]
    words: list[Item] = [turn.say("progress.total", days=days(turn, summary.total))]
    if summary.streak >= 2:
        words.append(turn.say("progress.streak", streak=turn.copy.number(summary.streak)))
    words.append(week_words(turn))
    return words


def week_words(turn: Turn) -> Say:
    week = turn.state.summary.week
    if week == 0:
        return turn.say("progress.week_none")
    return turn.say("progress.week", week=days(turn, week))


def with_card(turn: Turn, words: list[Item]) -> Reply:
    """The figures, plus the week's card in the Alexa app (once a day), then the question."""
    talk = nudges(turn)
    summary = turn.state.summary
    completed_today = summary.last_day == turn.today.isoformat()
    answer = talk.summary_card(turn.today, summary.total, summary.streak, completed_today)
    turn.state.nudges = talk.session.to_dict()
    if answer.card is None:
        return reask(turn, words)
    turn.record(answer.update)
    reply = reask(turn, [*words, *answer.items])
    reply.card = answer.card
    return reply


@action("answer")
def answer_progress(turn: Turn, heard: Heard) -> Reply:
    return with_card(turn, progress_words(turn))


@action("answer")
def answer_this_week(turn: Turn, heard: Heard) -> Reply:
    return with_card(turn, [week_words(turn)])


@action("answer")
def answer_total_days(turn: Turn, heard: Heard) -> Reply:
    summary = turn.state.summary
    if summary.total == 0:
        return reask(turn, [turn.say("progress.none")])
    return reask(turn, [turn.say("progress.total", days=days(turn, summary.total))])


@action("answer")
def answer_yesterday(turn: Turn, heard: Heard) -> Reply:
    summary = turn.state.summary
    yesterday = (turn.today - timedelta(days=1)).isoformat()
    if summary.last_day == yesterday or (
        summary.last_day == turn.today.isoformat() and summary.streak >= 2
    ):
        return reask(turn, [turn.say("progress.yesterday_yes")])
    return reask(turn, [turn.say("progress.yesterday_no"), last_day_words(turn)])


def last_day_words(turn: Turn) -> Say:
    summary = turn.state.summary
    if not summary.last_day:
        return turn.say("progress.last_never")
    gap = (turn.today - date.fromisoformat(summary.last_day)).days
    if gap <= 0:
        return turn.say("progress.last_today")
    if gap == 1:
        return turn.say("progress.last_yesterday")
    return turn.say("progress.last_days_ago", count=turn.copy.number(gap))


@action("answer")
def answer_streak(turn: Turn, heard: Heard) -> Reply:
    streak = turn.state.summary.streak
    if streak == 0:
        return reask(turn, [turn.say("progress.streak_none")])
    return reask(turn, [turn.say("progress.streak_now", days=days(turn, streak))])


@action("answer")
def answer_best_streak(turn: Turn, heard: Heard) -> Reply:
    best = turn.state.summary.best_streak
    if best == 0:
        return reask(turn, [turn.say("progress.none")])
    return reask(turn, [turn.say("progress.best_streak", days=days(turn, best))])


# ---------------------------------------------------------------- the routine
@action("answer")
def answer_how_long(turn: Turn, heard: Heard) -> Reply:
    index, segments = turn.index, turn.segments
    if index is None:
        whole = minutes(turn, total_seconds(segments))
        return reask(turn, [turn.say("answers.whole_routine", minutes=whole)])
    start = index if segments[index].kind == READY else index + 1
    left = sum(s.seconds for s in segments[start:])
    if left <= 0:
        return reask(turn, [turn.say("answers.nearly_done")])
    return reask(turn, [turn.say("answers.time_left", minutes=minutes(turn, left))])


@action("answer")
def answer_whats_next(turn: Turn, heard: Heard) -> Reply:
    coming = upcoming(turn)
    if coming is None:
        return reask(turn, [turn.say("answers.last_one")])
    index = turn.index
    here = index is not None and coming == turn.route.exercise_at(index)
    if here and turn.state.phase != phases.GATE:
        return reask(turn, [turn.say("answers.more_of", name=turn.name(coming))])
    return reask(turn, [turn.say("answers.next_is", name=turn.name(coming))])


@action("answer")
def answer_today(turn: Turn, heard: Heard) -> Reply:
    """ "Have I done my exercises today?" """
    finished = exercises_done_today(turn) | {turn.state.completing or ""}  # heard in full
    missing = [i for i in missing_today(turn) if i not in finished]
    done = [i for i in turn.routine.ids if i in finished]
    if turn.state.summary.last_day == turn.day.isoformat() or not missing:
        return reask(turn, [turn.say("today.all_done")])
    if not done:
        return reask(turn, [turn.say("today.none")])
    names = join(turn, [turn.name(i) for i in done])
    left = join(turn, [turn.name(i) for i in missing])
    return reask(turn, [turn.say("today.some", done=names, left=left)])


@action("answer")
def answer_what_to_have(turn: Turn, heard: Heard) -> Reply:
    index, coming = turn.index, upcoming(turn)
    if index is None:
        return reask(turn, [turn.say("answers.need_all", things=things_for_all(turn))])
    if coming is None:
        return reask(turn, [turn.say("answers.need_nothing_more")])
    needs = [n for n in needs_of(turn, coming) if n != "bare_feet"]
    name = turn.name(coming)
    if not needs:
        return reask(turn, [turn.say("answers.need_chair", name=name)])
    return reask(turn, [turn.say("answers.need", name=name, things=things(turn, needs))])


@action("answer")
def how_to(turn: Turn, heard: Heard) -> Reply:
    if heard.exercise is None or heard.exercise not in turn.routine.ids:
        return unknown_exercise(turn, heard)
    numbers = spoken_numbers(turn.routine.exercise(heard.exercise), turn.copy)
    description = turn.say(f"how_to.{heard.exercise}", **numbers)
    if turn.index is not None:
        return reask(turn, [description])
    return offer_exercise(turn, heard.exercise, [description])


@action("fallback")
def unknown_exercise(turn: Turn, heard: Heard) -> Reply:
    """An exercise we don't have: never echoed, and the list of ours."""
    reply = list_exercises(turn, heard)
    reply.items[len(turn.notes) : len(turn.notes)] = [turn.say("fallback.unknown_exercise")]
    reply.action, reply.kind = unknown_exercise.name, unknown_exercise.kind
    return reply


@action("answer")
def list_exercises(turn: Turn, heard: Heard) -> Reply:
    names = join(turn, [turn.name(i) for i in turn.routine.ids])
    listing = turn.say("exercises.list", names=names)
    if turn.index is not None:  # mid-routine the place stays; the list is an answer
        return reask(turn, [listing])
    return reask(turn, [listing], phases.CHOOSE)
