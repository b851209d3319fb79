"""The dialogue, as a table: for each phase (what the last answer asked), what each
kind of utterance does. Read this file to know how the skill answers anything.

`COMMON` is what an utterance does in every phase; a phase's own row overrides it
for the utterances that answer that phase's question. Every value is an action, a
plain function in skill/conversation/actions/ declared with its kind (`@action`).
What a phase asks (on a reprompt, "what?" or after a misheard utterance) is data in
questions.py. dialogue.py runs the table, with the check-in after a safety stop in
front of it.

Rules the table keeps (pinned action by action in tests/test_table_golden.py):
- A safety word stops at once, everywhere.
- Yes and no only answer a question that was asked; elsewhere they re-ask.
- Start, "let's go" and resume carry on from the place; only "start over" goes
  back to the top, and it asks first when exercises are already done today.
- Wait keeps the session open; stop, pause and "I'm done" keep the place.
- Nothing heard is echoed: an unknown exercise or phrase is a fallback.

To add an utterance: its intent and samples in skill/alexa/intents/<language>.toml, a line in
COMMON (and in any phase it answers differently), an action in actions/, a line in
the golden test, and `make model`.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from skill.conversation import state as phase
from skill.conversation.actions import (
    answers,
    care,
    equipment,
    feelings,
    leaving,
    moving,
    offers,
    reminders,
    safety,
)
from skill.conversation.actions import settings as setting
from skill.conversation.turn import Action

# -- kinds of utterance: the interaction model's intents ------------------------------
NEXT = "AMAZON.NextIntent"
PREVIOUS = "AMAZON.PreviousIntent"
REPEAT = "AMAZON.RepeatIntent"
START_OVER = "AMAZON.StartOverIntent"
PAUSE = "AMAZON.PauseIntent"
RESUME = "AMAZON.ResumeIntent"
YES = "AMAZON.YesIntent"
NO = "AMAZON.NoIntent"
HELP = "AMAZON.HelpIntent"
STOP = "AMAZON.StopIntent"
CANCEL = "AMAZON.CancelIntent"
HOME = "AMAZON.NavigateHomeIntent"
FALLBACK = "AMAZON.FallbackIntent"
START = "StartRoutineIntent"
START_EXERCISE = "StartExerciseIntent"
SAFETY = "SafetyIntent"  # faint, dizzy, wobbly, unwell
EMERGENCY = "EmergencyIntent"  # a fall, the chest, the breath
PAIN = "PainIntent"
SYMPTOM = "SymptomIntent"  # the SYMPTOM slot's id is the class: baseline_* or cramp
FEELING_USUAL = "FeelingUsualIntent"
FEELING_WORSE = "FeelingWorseIntent"
DONE_TODAY = "DoneTodayIntent"
MISSING_THING = "MissingThingIntent"
WAIT = "WaitIntent"
FETCH = "FetchIntent"
DONE_FOR_TODAY = "DoneForTodayIntent"
PARDON = "PardonIntent"
LOST_COUNT = "LostCountIntent"
FEELING_BETTER = "FeelingBetterIntent"
THANKS = "ThanksIntent"
PROGRESS = "ProgressIntent"
TOTAL_DAYS = "TotalDaysIntent"
THIS_WEEK = "ThisWeekIntent"
YESTERDAY = "YesterdayIntent"
STREAK = "StreakIntent"
BEST_STREAK = "BestStreakIntent"
HOW_LONG = "HowLongIntent"
WHATS_NEXT = "WhatsNextIntent"
WHAT_DO_I_NEED = "WhatDoINeedIntent"
HOW_TO = "HowToIntent"
LIST = "ListExercisesIntent"
SLOWER = "SlowerIntent"
FASTER = "FasterIntent"
SKIP = "SkipIntent"
WARM_UP = "WarmUpIntent"
HARDER = "HarderIntent"
EASIER = "EasierIntent"
SET_REPS = "SetRepsIntent"
TOE_CURL_ORDER = "ToeCurlOrderIntent"
SET_REMINDER = "SetReminderIntent"  # set or change: the one daily reminder
READ_REMINDER = "ReadReminderIntent"
CANCEL_REMINDER = "CancelReminderIntent"
# Care partners (skill/sharing): the person shares, a relative follows and asks.
SHARE = "ShareProgressIntent"
FOLLOW = "FollowIntent"
CODE = "CodeIntent"  # a number: a code when one was asked for
ASK_ABOUT = "FollowerAskIntent"
MESSAGE = "SendMessageIntent"
WHO_FOLLOWS = "WhoFollowsIntent"
STOP_SHARING = "StopSharingIntent"
FOR_WHOM = "ForWhomIntent"

Row = Mapping[str, Action]

COMMON: Row = MappingProxyType(
    {
        SAFETY: safety.faint_stop,
        EMERGENCY: safety.emergency_stop,
        PAIN: safety.pain_stop,
        SYMPTOM: feelings.symptom_told,
        FEELING_WORSE: safety.pain_stop,  # "not great" mid-routine: stop, gently
        FEELING_USUAL: answers.not_asked,
        MISSING_THING: equipment.missing_thing,
        DONE_TODAY: answers.answer_today,
        STOP: leaving.leave,
        CANCEL: leaving.leave,
        HOME: leaving.leave,
        PAUSE: leaving.pause,
        DONE_FOR_TODAY: leaving.done_for_today,
        FETCH: leaving.fetch_and_return,
        WAIT: leaving.take_your_time,
        HELP: answers.help,
        PARDON: answers.say_again,
        REPEAT: answers.say_again,
        LOST_COUNT: answers.say_again,
        FALLBACK: answers.not_understood,
        YES: answers.not_asked,
        NO: answers.not_asked,
        FEELING_BETTER: answers.not_asked,
        THANKS: answers.you_are_welcome,
        NEXT: moving.carry_on,
        START: moving.carry_on,
        RESUME: moving.carry_on,
        PREVIOUS: moving.go_back,
        SKIP: moving.skip,
        START_OVER: moving.start_over,
        START_EXERCISE: moving.start_exercise,
        WARM_UP: moving.warm_up,
        SLOWER: setting.slower,
        FASTER: setting.faster,
        HARDER: setting.harder,
        EASIER: setting.easier,
        SET_REPS: setting.set_reps,
        TOE_CURL_ORDER: setting.set_toe_curl_order,
        PROGRESS: answers.answer_progress,
        TOTAL_DAYS: answers.answer_total_days,
        THIS_WEEK: answers.answer_this_week,
        YESTERDAY: answers.answer_yesterday,
        STREAK: answers.answer_streak,
        BEST_STREAK: answers.answer_best_streak,
        HOW_LONG: answers.answer_how_long,
        WHATS_NEXT: answers.answer_whats_next,
        WHAT_DO_I_NEED: answers.answer_what_to_have,
        HOW_TO: answers.how_to,
        LIST: answers.list_exercises,
        SET_REMINDER: reminders.set_reminder,
        READ_REMINDER: reminders.read_reminder,
        CANCEL_REMINDER: reminders.cancel_reminder,
        SHARE: care.offer_share,
        FOLLOW: care.follow,
        CODE: care.number_heard,
        ASK_ABOUT: care.ask_about,
        FOR_WHOM: care.ask_about,
        MESSAGE: care.send_message,
        WHO_FOLLOWS: care.who_follows,
        STOP_SHARING: care.stop_sharing,
    }
)


def yes_no(
    yes: Action, no: Action, *also_yes: str, more: Mapping[str, Action] | None = None
) -> dict[str, Action]:
    """A yes/no question's row, declared once: its yes, its no, the utterances that mean
    yes there too ("next", "let's go"), and any other answer it takes."""
    return {YES: yes, NO: no, **{intent: yes for intent in also_yes}, **(more or {})}


_GO_ON = (NEXT, START, RESUME)  # "next", "let's go", "carry on"
_ASK_AGAIN = {NEXT: answers.say_again, START: answers.say_again, RESUME: answers.say_again}

ROWS: Mapping[str, Row] = MappingProxyType(
    {
        phase.START: {},
        phase.OFFER_WARM_UP: yes_no(
            moving.warm_up, moving.begin, more={NEXT: moving.begin, START: moving.begin}
        ),
        phase.OFFER_RESUME: yes_no(
            moving.resume_offered, moving.offer_start_over, *_GO_ON, FEELING_BETTER, FEELING_USUAL
        ),
        # "Yes" to "how are you feeling?" is not "I'm fine": it asks again, in a word.
        phase.ASK_FEELING: yes_no(
            safety.feeling_unclear,
            safety.rest_today,
            more={
                **{intent: safety.feeling_better for intent in (*_GO_ON, FEELING_BETTER)},
                FEELING_USUAL: safety.feeling_usual,
                SYMPTOM: feelings.check_in_symptom,
                FEELING_WORSE: safety.rest_today,
                PAIN: safety.rest_today,
            },
        ),
        phase.CRAMP: {
            **{intent: feelings.cramp_passed for intent in (*_GO_ON, YES, FEELING_BETTER)},
            FEELING_USUAL: feelings.cramp_passed,
            NO: leaving.take_your_time,
        },
        phase.OFFER_AGAIN: yes_no(moving.begin, leaving.goodbye, *_GO_ON),
        phase.OFFER_START: yes_no(moving.begin, leaving.goodbye, *_GO_ON),
        phase.OFFER_EXERCISE: yes_no(
            moving.start_offered_exercise, offers.decline_offer, NEXT, START
        ),
        phase.OFFER_SKIPPED: yes_no(
            moving.fill_in_skipped,
            moving.end_with_gaps,
            NEXT,
            START,
            more={SKIP: moving.end_with_gaps},
        ),
        phase.OFFER_STANDING: yes_no(offers.accept_standing, offers.decline_progression),
        phase.OFFER_MORE_REPS: yes_no(offers.accept_more_reps, offers.decline_progression),
        phase.OFFER_REDO: yes_no(
            moving.redo,
            moving.keep_going,
            REPEAT,
            more={LOST_COUNT: moving.recount, NEXT: moving.advance},
        ),
        phase.CONFIRM_START_OVER: yes_no(moving.start_from_top, offers.decline_offer, START_OVER),
        phase.CHOOSE: {NO: offers.decline_offer},
        phase.GATE: {
            NEXT: moving.past_gate,
            START: moving.past_gate,
            RESUME: moving.past_gate,
            REPEAT: moving.redo,
        },
        phase.ROUTINE: {
            NEXT: moving.advance,
            START: moving.advance,
            RESUME: moving.advance,
            REPEAT: moving.redo,
            LOST_COUNT: moving.recount,
        },
        # A reminder question is answered by yes, no or a time. At the offer (the routine
        # is done) "next" or "let's go" moves on, as no thanks; at the time questions they
        # ask again, with an example time, rather than moving the routine.
        phase.OFFER_REMINDER: {
            **yes_no(reminders.reminder_yes, reminders.reminder_no),
            **{intent: reminders.reminder_no for intent in _GO_ON},
        },
        phase.ASK_REMINDER_TIME: {NO: reminders.reminder_no, **_ASK_AGAIN},
        phase.CONFIRM_REMINDER_TIME: {
            **yes_no(reminders.reminder_yes, reminders.reminder_no),
            **_ASK_AGAIN,
        },
        phase.FINISH_UNSAVED: {
            NEXT: offers.retry_finish,
            YES: offers.retry_finish,
            START: offers.retry_finish,
            REPEAT: offers.retry_finish,
        },
        # Sharing questions: no leaves things as they were; a yes where a code, a name or
        # words are wanted asks again (COMMON's not_asked).
        phase.CONFIRM_SHARE: yes_no(care.give_code, care.keep_sharing_as_is),
        phase.AWAIT_CODE: {CODE: care.use_code, NO: care.keep_sharing_as_is},
        phase.AWAIT_MESSAGE: {NO: care.keep_sharing_as_is},
        phase.WHOSE: {FOR_WHOM: care.whose_chosen, NO: care.keep_sharing_as_is},
        phase.CONFIRM_STOP: yes_no(care.stop_confirmed, care.keep_sharing_as_is),
    }
)

INTENTS = frozenset(COMMON)
ACTIONS = frozenset(act for row in (COMMON, *ROWS.values()) for act in row.values())


def action_for(current_phase: str, intent: str) -> Action:
    """The action for an utterance in a phase; an intent we do not know is a fallback."""
    row = ROWS.get(current_phase, {})
    return row.get(intent) or COMMON.get(intent) or COMMON[FALLBACK]
