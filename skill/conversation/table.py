"""The dialogue, as a table: for each phase (what the last answer asked), what each
kind of utterance does. Read this file to know how the skill answers anything.

`COMMON` is what an utterance does in every phase; a phase's own row overrides it
for the utterances that answer that phase's question. Every value names an action
of `Dialogue` (dialogue.py). What a phase says again on a reprompt, on "what?" or
after a misheard utterance is `Dialogue.question()`, one place per phase.

Rules the table keeps (tested for every phase x every utterance):
- Pain, faintness and emergencies stop at once, everywhere, each with its own words
  (symptoms.py tells them apart); the sensations neuropathy brings every day (numb,
  tingling, cold) get one line and the exercise goes on; a cramp pauses.
- Yes and no only answer a question that was asked; elsewhere they re-ask.
- Start, "let's go" and resume carry on from the place; only "start over" goes
  back to the top, and it asks first when exercises are already done today.
- Wait keeps the session open; stop, pause and "I'm done" keep the place.
- Nothing heard is echoed: an unknown exercise or phrase is a fallback.

To add an utterance: its intent and samples in skill/alexa/intents.toml, a line in
COMMON (and in any phase it answers differently), an action in dialogue.py, and
`make model`.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from skill.conversation import state as phase

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

Row = Mapping[str, str]

COMMON: Row = MappingProxyType(
    {
        SAFETY: "faint_stop",
        EMERGENCY: "emergency_stop",
        PAIN: "pain_stop",
        SYMPTOM: "symptom_told",
        FEELING_WORSE: "pain_stop",  # "not great" mid-routine: stop, gently
        FEELING_USUAL: "not_asked",
        MISSING_THING: "missing_thing",
        DONE_TODAY: "answer_today",
        STOP: "leave",
        CANCEL: "leave",
        HOME: "leave",
        PAUSE: "pause",
        DONE_FOR_TODAY: "done_for_today",
        FETCH: "fetch_and_return",
        WAIT: "take_your_time",
        HELP: "help",
        PARDON: "say_again",
        REPEAT: "say_again",
        LOST_COUNT: "say_again",
        FALLBACK: "not_understood",
        YES: "not_asked",
        NO: "not_asked",
        FEELING_BETTER: "not_asked",
        THANKS: "you_are_welcome",
        NEXT: "carry_on",
        START: "carry_on",
        RESUME: "carry_on",
        PREVIOUS: "go_back",
        SKIP: "skip",
        START_OVER: "start_over",
        START_EXERCISE: "start_exercise",
        WARM_UP: "warm_up",
        SLOWER: "slower",
        FASTER: "faster",
        HARDER: "harder",
        EASIER: "easier",
        SET_REPS: "set_reps",
        TOE_CURL_ORDER: "set_toe_curl_order",
        PROGRESS: "answer_progress_with_card",
        TOTAL_DAYS: "answer_total_days",
        THIS_WEEK: "answer_this_week_with_card",
        YESTERDAY: "answer_yesterday",
        STREAK: "answer_streak",
        BEST_STREAK: "answer_best_streak",
        HOW_LONG: "answer_how_long",
        WHATS_NEXT: "answer_whats_next",
        WHAT_DO_I_NEED: "answer_what_to_have",
        HOW_TO: "how_to",
        LIST: "list_exercises",
        SET_REMINDER: "set_reminder",
        READ_REMINDER: "read_reminder",
        CANCEL_REMINDER: "cancel_reminder",
    }
)

_BEGIN = {YES: "begin", NEXT: "begin", START: "begin", RESUME: "begin"}
_ASK_AGAIN = {NEXT: "say_again", START: "say_again", RESUME: "say_again"}

PHASES: Mapping[str, Row] = MappingProxyType(
    {
        phase.START: {},
        phase.OFFER_WARM_UP: {YES: "warm_up", NO: "begin", NEXT: "begin", START: "begin"},
        phase.OFFER_RESUME: {
            YES: "resume_offered",
            NEXT: "resume_offered",
            START: "resume_offered",
            RESUME: "resume_offered",
            FEELING_BETTER: "resume_offered",
            FEELING_USUAL: "resume_offered",
            NO: "offer_start_over",
        },
        phase.ASK_FEELING: {
            FEELING_BETTER: "feeling_better",
            FEELING_USUAL: "feeling_usual",
            SYMPTOM: "check_in_symptom",
            FEELING_WORSE: "rest_today",
            PAIN: "rest_today",
            YES: "feeling_unclear",  # "yes" to "how are you feeling?" is not "I'm fine"
            NEXT: "feeling_better",
            START: "feeling_better",
            RESUME: "feeling_better",
            NO: "rest_today",
        },
        phase.CRAMP: {
            NEXT: "cramp_passed",
            START: "cramp_passed",
            RESUME: "cramp_passed",
            YES: "cramp_passed",
            FEELING_BETTER: "cramp_passed",
            FEELING_USUAL: "cramp_passed",
            NO: "take_your_time",
        },
        phase.OFFER_AGAIN: {**_BEGIN, NO: "goodbye"},
        phase.OFFER_START: {**_BEGIN, NO: "goodbye"},
        phase.OFFER_EXERCISE: {
            YES: "start_offered_exercise",
            NEXT: "start_offered_exercise",
            START: "start_offered_exercise",
            NO: "decline_offer",
        },
        phase.OFFER_SKIPPED: {
            YES: "fill_in_skipped",
            NEXT: "fill_in_skipped",
            START: "fill_in_skipped",
            NO: "end_with_gaps",
            SKIP: "end_with_gaps",
        },
        phase.OFFER_STANDING: {YES: "accept_standing", NO: "decline_progression"},
        phase.OFFER_MORE_REPS: {YES: "accept_more_reps", NO: "decline_progression"},
        phase.OFFER_REDO: {
            YES: "redo",
            REPEAT: "redo",
            LOST_COUNT: "recount",
            NEXT: "advance",
            NO: "keep_going",
        },
        phase.CONFIRM_START_OVER: {
            YES: "start_from_top",
            START_OVER: "start_from_top",
            NO: "decline_offer",
        },
        phase.CHOOSE: {NO: "decline_offer"},
        phase.GATE: {NEXT: "past_gate", START: "past_gate", RESUME: "past_gate", REPEAT: "redo"},
        phase.ROUTINE: {
            NEXT: "advance",
            START: "advance",
            RESUME: "advance",
            REPEAT: "redo",
            LOST_COUNT: "recount",
        },
        # A reminder question is answered by yes, no or a time; "next" or "start" at the
        # offer (the routine is done) moves on, as no thanks; at the time questions it
        # asks again, with an example time, rather than moving the routine.
        phase.OFFER_REMINDER: {
            YES: "reminder_yes",
            NO: "reminder_no",
            NEXT: "reminder_no",
            START: "reminder_no",
            RESUME: "reminder_no",
        },
        phase.ASK_REMINDER_TIME: {NO: "reminder_no", **_ASK_AGAIN},
        phase.CONFIRM_REMINDER_TIME: {YES: "reminder_yes", NO: "reminder_no", **_ASK_AGAIN},
        phase.FINISH_UNSAVED: {
            NEXT: "retry_finish",
            YES: "retry_finish",
            START: "retry_finish",
            REPEAT: "retry_finish",
        },
    }
)

# What each action does, in a word: the utterance corpus checks these, and every
# action that ends the session without a safety stop keeps the place.
KINDS: Mapping[str, str] = MappingProxyType(
    {
        # the symptom classes (symptoms.py)
        "acknowledge_symptom": "baseline",
        "cramp_pause": "cramp",
        "pain_stop": "pain",
        "faint_stop": "faint",
        "emergency_stop": "emergency",
        "symptom_told": "baseline",  # its class is the reply's own action, above
        "check_in_symptom": "carry_on",
        "cramp_passed": "carry_on",
        "feeling_usual": "carry_on",
        "feeling_unclear": "say_again",
        "missing_thing": "equipment",
        "unknown_exercise": "fallback",
        "answer_today": "answer",
        "leave": "keep_place",
        "pause": "keep_place",
        "done_for_today": "keep_place",
        "fetch_and_return": "keep_place",
        "rest_today": "keep_place",
        "goodbye": "goodbye",
        "end_with_gaps": "goodbye",
        "take_your_time": "wait",
        "help": "help",
        "say_again": "say_again",
        "not_understood": "fallback",
        "not_asked": "say_again",
        "you_are_welcome": "say_again",
        "carry_on": "carry_on",
        "advance": "carry_on",
        "past_gate": "carry_on",
        "begin": "carry_on",
        "resume_offered": "carry_on",
        "feeling_better": "carry_on",
        "fill_in_skipped": "carry_on",
        "start_offered_exercise": "carry_on",
        "retry_finish": "carry_on",
        "keep_going": "say_again",
        "go_back": "go_back",
        "redo": "redo",
        "recount": "redo",
        "skip": "skip",
        "start_over": "start_over",
        "offer_start_over": "start_over",
        "start_from_top": "start_over",
        "start_exercise": "choose_exercise",
        "warm_up": "warm_up",
        "slower": "pace",
        "faster": "pace",
        "harder": "settings",
        "easier": "settings",
        "set_reps": "settings",
        "set_toe_curl_order": "settings",
        "accept_standing": "settings",
        "accept_more_reps": "settings",
        "decline_progression": "say_again",
        "decline_offer": "say_again",
        "answer_progress": "answer",
        "answer_total_days": "answer",
        "answer_this_week": "answer",
        "answer_yesterday": "answer",
        "answer_streak": "answer",
        "answer_best_streak": "answer",
        "answer_how_long": "answer",
        "answer_whats_next": "answer",
        "answer_what_to_have": "answer",
        "how_to": "answer",
        "list_exercises": "answer",
        "answer_progress_with_card": "answer",
        "answer_this_week_with_card": "answer",
        "set_reminder": "reminder",
        "read_reminder": "reminder",
        "cancel_reminder": "reminder",
        "reminder_yes": "reminder",
        "reminder_no": "reminder",
    }
)

INTENTS = frozenset(COMMON)


def action_for(current_phase: str, intent: str) -> str:
    """The action for an utterance in a phase; an intent we do not know is a fallback."""
    row = PHASES.get(current_phase, {})
    return row.get(intent) or COMMON.get(intent) or COMMON[FALLBACK]
