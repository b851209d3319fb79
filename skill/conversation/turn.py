"""One turn of the conversation: an intent in, a Reply out.

Every method answers with something the person can say next, or ends the
session with a one-line way back. Progress changes made during a turn are
gathered into one ProgressUpdate and saved once, at the end of the turn (or
earlier when the answer depends on it: finishing the routine).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache

from skill.conversation import state as phases
from skill.conversation.state import SessionState
from skill.progress.records import Position, ProgressUpdate, UserProgress
from skill.progress.session_figures import SessionFigures
from skill.routine.model import Routine
from skill.routine.session import Route
from skill.routine.settings import Settings
from skill.speech.copy import Copy
from skill.speech.narrate import Segment, compiled, warm_up
from skill.speech.script import Item, Say

WELCOMED = "welcomed"  # a milestone id: the first-use welcome was given


@lru_cache(maxsize=64)
def _route(routine: Routine, settings: Settings, locale: str) -> Route:
    """The order of a compiled routine, built once per (settings, locale) like the segments."""
    return Route.of(compiled(routine, settings, locale))


@dataclass
class Reply:
    items: list[Item]
    reprompt: list[Item] | None = None  # None: the session ends
    # Only SessionEndedRequest answers with nothing at all.
    silent: bool = False


class Keeper:
    """Saves one user's progress; the host provides it (store + user id)."""

    def save(self, update: ProgressUpdate) -> UserProgress | None:  # pragma: no cover
        """The new state, or None when the store could not be reached."""
        raise NotImplementedError


Summarize = Callable[[UserProgress, date], SessionFigures]


@dataclass
class Turn:
    state: SessionState
    routine: Routine
    copy: Copy
    today: date
    now_ms: int
    keeper: Keeper
    summarize: Summarize
    update: ProgressUpdate = field(default_factory=ProgressUpdate)
    notes: list[Item] = field(default_factory=list)  # said before the answer (e.g. a locale note)

    # ------------------------------------------------------------ helpers
    @property
    def settings(self) -> Settings:
        return Settings.from_dict(self.state.settings)

    @property
    def segments(self) -> tuple[Segment, ...]:
        return compiled(self.routine, self.settings, self.copy.locale)

    @property
    def route(self) -> Route:
        return _route(self.routine, self.settings, self.copy.locale)

    @property
    def today_iso(self) -> str:
        return self.today.isoformat()

    def say(self, key: str, **values: object) -> Say:
        return Say(self.copy.say(key, **values))

    def name(self, exercise_id: str) -> str:
        return self.copy.exercise_name(exercise_id)

    def current_index(self) -> int | None:
        return self.route.locate(self.state.segment, self.state.exercise)

    def record(self, update: ProgressUpdate) -> None:
        self.update = self.update.merge(update)

    def ask(self, items: Sequence[Item], reprompt: Sequence[Item]) -> Reply:
        return Reply([*self.notes, *items], list(reprompt))

    def end(self, items: Sequence[Item]) -> Reply:
        return Reply([*self.notes, *items], None)

    def conclude(self, reply: Reply) -> Reply:
        """Save what this turn changed (one write), and say so if it failed."""
        if not self.update.is_empty():
            # Ride along with a write that happens anyway: where to resume, the zone.
            position = self.resume_position()
            extra = ProgressUpdate(
                position=position if not self.update.clear_position else None,
                time_zone=self.state.time_zone,
            )
            self.update = self.update.merge(extra)
        if not self.flush() and reply.reprompt is not None and self._matters():
            reply.items.append(self.say("progress.save_failed"))
        return reply

    def resume_position(self) -> Position | None:
        index = self.current_index()
        if self.state.phase != phases.ROUTINE or index is None:
            return None
        return self.position_after(index)

    def settle(self) -> None:
        """The person moved on from a finished exercise: it counts as done today."""
        if self.state.completing:
            done = frozenset({self.state.completing})
            self.record(ProgressUpdate(exercises_done={self.today_iso: done}))
            self.state.completing = None

    def keep_place(self) -> None:
        """Leaving mid-routine: count what was finished and save where to pick up."""
        self.settle()
        position = self.resume_position()
        if position is not None:
            self.record(ProgressUpdate(position=position))

    def _matters(self) -> bool:
        pending = ProgressUpdate.from_dict(self.state.pending)
        return bool(pending.exercises_done or pending.settings)

    def flush(self) -> bool:
        """Write the pending and new changes in one call; False when the store failed."""
        merged = ProgressUpdate.from_dict(self.state.pending).merge(self.update)
        self.update = ProgressUpdate()
        if merged.is_empty():
            return True
        saved = self.keeper.save(merged)
        if saved is None:
            self.state.pending = merged.to_dict()
            return False
        self.state.pending = {}
        self.state.summary = self.summarize(saved, self.today)
        return True

    def position_after(self, index: int) -> Position:
        """Where a later session should pick up after this segment was narrated."""
        route = self.route
        following = route.next(index)
        target = index if following is None else following
        return Position(route.exercise_at(target), route.segment_ids[target], self.now_ms)

    # ------------------------------------------------------------ narration
    def narrate(self, index: int, lead: Sequence[Item] = ()) -> Reply:
        segments, route = self.segments, self.route
        segment = segments[index]
        self.state.phase = phases.ROUTINE
        self.state.segment, self.state.exercise = segment.id, segment.exercise
        self.state.completing = segment.exercise if route.ends_exercise(index) else None
        if index == route.last:
            self.settle()
            return self.finish(segment, lead)
        reprompt = [*segment.prompt, self.say("asks.routine")]
        return self.ask([*lead, *segment.items], reprompt)

    def finish(self, segment: Segment, lead: Sequence[Item]) -> Reply:
        done = set(self.state.summary.done_today) | set(
            self.update.exercises_done.get(self.today_iso, ())
        )
        completes = set(self.routine.ids) <= done
        # The clear is stamped with this request's time, so an older position saved
        # later by another device cannot bring the finished routine back.
        stamp = Position(segment.exercise, segment.id, self.now_ms)
        self.record(
            ProgressUpdate(
                position=stamp,
                clear_position=True,
                milestones=frozenset(self.state.milestones_if_done) if completes else frozenset(),
            )
        )
        items: list[Item] = [*lead, *segment.items]
        if not self.flush():
            self.state.phase = phases.FINISH_UNSAVED
            items.append(self.say("progress.finish_save_failed"))
            return self.ask(items, [self.say("progress.finish_save_failed")])
        return self.end([*items, *self.closing_words(completes)])

    def closing_words(self, predicted: bool) -> list[Item]:
        """After a saved finish: the day count, or what is left to make the day count."""
        summary = self.state.summary
        if summary.last_day != self.today_iso:
            missing = [i for i in self.routine.ids if i not in summary.done_today]
            return [
                self.say("progress.not_complete", names=self.join_names(missing)),
                self.say("moves.bye"),
            ]
        words = [self.say("progress.finished_counts", days=self.days(summary.total))]
        if summary.streak >= 2:
            streak = self.copy.number(summary.streak)
            words.append(self.say("progress.finished_streak", streak=streak))
        if predicted:
            words += [self.say(f"milestones.{m}") for m in self.state.milestones_if_done]
        words.append(self.say("moves.see_you"))
        return words

    def days(self, count: int) -> str:
        if count == 1:
            return self.copy.say("progress.days.one")
        return self.copy.say("progress.days.many", count=self.copy.number(count))

    def join_names(self, exercise_ids: Sequence[str]) -> str:
        names = [self.name(i) for i in exercise_ids]
        if len(names) == 1:
            return names[0]
        return f"{', '.join(names[:-1])} {self.copy.say('exercises.and')} {names[-1]}"

    # ------------------------------------------------------------ opening
    def launch(self) -> Reply:
        state = self.state
        items: list[Item] = []
        if state.first_use:
            items += [self.say("welcome.first"), self.say("safety.not_medical_advice")]
            self.record(ProgressUpdate(milestones=frozenset({WELCOMED})))
            state.first_use = False
        else:
            items.append(self.say("welcome.back"))
        resume = self.resumable()
        if resume is not None:
            state.phase, state.offer = phases.OFFER_RESUME, self.route.segment_ids[resume]
            name = self.name(self.route.exercise_at(resume))
            items.append(self.say("welcome.offer_resume", name=name))
            return self.ask(items, [self.say("welcome.offer_resume_reprompt", name=name)])
        if self.today_iso == state.summary.last_day:
            state.phase = phases.OFFER_AGAIN
            items += [self.say("welcome.done_today"), self.say("welcome.offer_again")]
            return self.ask(items, [self.say("welcome.offer_again_reprompt")])
        if self.progression_offer():
            return self.reask(items)
        return self.offer_warm_up(items)

    def offer_warm_up(self, items: list[Item]) -> Reply:
        self.state.phase = phases.OFFER_WARM_UP
        first = self.name(self.routine.ids[0])
        items.append(self.say("welcome.offer_warm_up"))
        return self.ask(items, [self.say("welcome.offer_warm_up_reprompt", name=first)])

    def resumable(self) -> int | None:
        """The saved position, if it was saved today and is not the very start."""
        saved = Position.from_dict(self.state.saved_position) if self.state.saved_position else None
        if saved is None or saved.saved_at <= 0:
            return None
        if saved.segment.startswith("warm_up"):
            return None
        from skill.conversation.clock import local_date_of_ms

        if local_date_of_ms(saved.saved_at, self.state.time_zone) != self.today:
            return None
        index = self.route.locate(saved.segment, saved.exercise)
        return index if index else None

    def progression_offer(self) -> bool:
        """Ask at most one progression offer a session (remembered as made, accepted
        or not). True when one is now the open question."""
        state = self.state
        offers, state.offers = state.offers, []
        for offer in offers:
            setting, value = offer.get("setting"), offer.get("value")
            if setting == "raise_position" and self.settings.raise_position == "seated":
                state.phase, state.offer = phases.OFFER_STANDING, "standing"
            elif (
                setting == "raise_reps"
                and isinstance(value, int)
                and value > self.settings.raise_reps
            ):
                state.phase, state.offer = phases.OFFER_MORE_REPS, str(value)
            else:
                continue
            self.record(ProgressUpdate(milestones=frozenset({str(offer["id"])})))
            return True
        return False

    # ------------------------------------------------------------ moving
    def start_routine(self, lead: Sequence[Item] = ()) -> Reply:
        return self.narrate(self.route.first, lead)

    def next(self) -> Reply:
        state = self.state
        if state.phase == phases.FINISH_UNSAVED:
            return self.retry_finish()
        if state.phase in (phases.OFFER_WARM_UP, phases.WARM_UP, phases.START, phases.OFFER_START):
            return self.start_routine()
        if state.phase == phases.OFFER_RESUME:
            return self.yes()
        index = self.current_index()
        if state.phase != phases.ROUTINE or index is None:
            return self.help()
        self.settle()
        following = self.route.next(index)
        if following is None:
            return self.narrate(index)
        return self.narrate(following)

    def previous(self) -> Reply:
        index = self.current_index()
        if self.state.phase != phases.ROUTINE or index is None:
            return self.help()
        earlier = self.route.previous(index)
        if earlier is None:
            return self.narrate(index, [self.say("moves.first_already")])
        return self.narrate(earlier)

    def repeat(self) -> Reply:
        index = self.current_index()
        if self.state.phase == phases.ROUTINE and index is not None:
            return self.narrate(index)
        if self.state.phase == phases.WARM_UP:
            return self.warm_up()
        return self.reask()

    def start_over(self) -> Reply:
        return self.start_routine([self.say("moves.start_over")])

    def skip(self) -> Reply:
        """Skip the exercise at hand: at a prompt after a finished exercise that is
        the one just announced; in the middle of one, the rest of it."""
        index = self.current_index()
        if self.state.phase != phases.ROUTINE or index is None:
            return self.start_routine()
        route = self.route
        if self.state.completing:
            self.settle()
            upcoming = route.next(index)
            if upcoming is None:
                return self.end_of_routine_without_finishing()
            index = upcoming
        skipped = self.name(route.exercise_at(index))
        following = route.next_exercise(index)
        if following is None:
            return self.end_of_routine_without_finishing()
        return self.narrate(following, [self.say("moves.skip", name=skipped)])

    def end_of_routine_without_finishing(self) -> Reply:
        self.record(ProgressUpdate(clear_position=True))
        missing = [i for i in self.routine.ids if i not in self.done_today()]
        words = [self.say("moves.skip_last")]
        if missing:
            words.append(self.say("progress.not_complete", names=self.join_names(missing)))
        return self.end([*words, self.say("moves.bye")])

    def done_today(self) -> set[str]:
        return set(self.state.summary.done_today) | set(
            self.update.exercises_done.get(self.today_iso, ())
        )

    def start_exercise(self, exercise_id: str | None, heard: str | None) -> Reply:
        if exercise_id is None or exercise_id not in self.routine.ids:
            return self.unknown_exercise(heard)
        if exercise_id != self.state.completing:
            self.settle()
        index = self.route.start_of(exercise_id)
        assert index is not None  # every routine id has segments
        return self.narrate(index)

    def unknown_exercise(self, heard: str | None) -> Reply:
        self.state.phase = phases.CHOOSE
        heard = re.sub(r"^(the|a|an) ", "", heard.strip(), flags=re.I) if heard else None
        first = (
            self.say("exercises.unknown", heard=heard)
            if heard
            else self.say("exercises.unknown_plain")
        )
        listing = self.say("exercises.list", names=self.join_names(self.routine.ids))
        return self.ask([first, listing, self.say("asks.which")], [listing, self.say("asks.which")])

    def list_exercises(self) -> Reply:
        listing = self.say("exercises.list", names=self.join_names(self.routine.ids))
        self.state.phase = phases.CHOOSE
        return self.ask([listing, self.say("asks.which")], [self.say("asks.which")])

    def warm_up(self) -> Reply:
        self.state.phase = phases.WARM_UP
        segment = warm_up(self.routine, self.copy)
        return self.ask(list(segment.items), [self.say("asks.after_warm_up")])

    # ------------------------------------------------------------ yes / no
    def yes(self) -> Reply:
        state = self.state
        if state.phase == phases.OFFER_WARM_UP:
            return self.warm_up()
        if state.phase == phases.OFFER_RESUME:
            index = self.route.locate(state.offer, None) or self.route.first
            name = self.name(self.route.exercise_at(index))
            return self.narrate(index, [self.say("moves.carry_on", name=name)])
        if state.phase in (phases.OFFER_AGAIN, phases.OFFER_START):
            return self.start_routine()
        if state.phase == phases.OFFER_EXERCISE and state.offer in self.routine.ids:
            return self.start_exercise(state.offer, None)
        if state.phase == phases.OFFER_STANDING:
            self.change_settings(replace(self.settings, raise_position="standing"))
            return self.after_offer([self.say("offers.standing_yes")])
        if state.phase == phases.OFFER_MORE_REPS and (state.offer or "").isdigit():
            reps = int(state.offer or 0)
            self.change_settings(replace(self.settings, raise_reps=reps))
            return self.after_offer([self.say("offers.more_reps_yes", reps=self.copy.number(reps))])
        if state.phase == phases.FINISH_UNSAVED:
            return self.retry_finish()
        if state.phase in (phases.ROUTINE, phases.WARM_UP):
            return self.next()
        return self.fallback()

    def no(self) -> Reply:
        state = self.state
        if state.phase == phases.OFFER_WARM_UP:
            return self.start_routine()
        if state.phase == phases.OFFER_RESUME:
            return self.start_over()
        if state.phase in (phases.OFFER_AGAIN, phases.OFFER_START):
            return self.end([self.say("moves.bye")])
        if state.phase in (phases.OFFER_STANDING, phases.OFFER_MORE_REPS):
            return self.after_offer([self.say("moves.no_thanks")])
        if state.phase in (phases.OFFER_EXERCISE, phases.CHOOSE):
            return self.offer_start([self.say("moves.no_thanks")])
        return self.fallback()

    def after_offer(self, items: list[Item]) -> Reply:
        """After answering a progression offer: the next offer, or the warm-up question."""
        if self.progression_offer():
            return self.reask(items)
        return self.offer_warm_up(items)

    def offer_start(self, items: list[Item]) -> Reply:
        self.state.phase = phases.OFFER_START
        return self.ask([*items, self.say("asks.start")], [self.say("asks.start_reprompt")])

    # ------------------------------------------------------------ settings
    def change_settings(self, new: Settings) -> None:
        changed = {k: v for k, v in new.to_dict().items() if self.state.settings.get(k) != v}
        self.state.settings = new.to_dict()
        if changed:
            self.record(ProgressUpdate(settings=changed))

    def slower(self) -> Reply:
        return self.change_tempo(self.settings.slower(), "moves.slower", "moves.slowest")

    def faster(self) -> Reply:
        return self.change_tempo(self.settings.faster(), "moves.faster", "moves.fastest")

    def change_tempo(self, new: Settings, done_key: str, limit_key: str) -> Reply:
        ack = self.say(limit_key if new == self.settings else done_key)
        self.change_settings(new)
        index = self.current_index()
        if self.state.phase == phases.ROUTINE and index is not None:
            self.settle()
            # Said at a prompt: go straight on, at the new pace.
            following = self.route.next(index)
            return self.narrate(following if following is not None else index, [ack])
        return self.reask([ack])

    def harder(self) -> Reply:
        settings = self.settings
        index = self.current_index()
        exercise = self.route.exercise_at(index) if index is not None else None
        if exercise in (None, "toe_curls"):
            if settings.toe_curl_tool == "marbles":
                return self.reask([self.say("moves.marbles_already")])
            self.change_settings(replace(settings, toe_curl_tool="marbles"))
            return self.reask([self.say("moves.marbles_on")])
        if exercise == "heel_toe_raises" and settings.raise_position == "seated":
            offer = Reply([self.say("offers.standing")], [self.say("offers.standing_reprompt")])
            self.state.phase = phases.OFFER_STANDING
            return self.ask(offer.items, offer.reprompt or [])
        return self.reask([self.say("moves.harder_other")])

    # ------------------------------------------------------------ questions
    def progress(self) -> Reply:
        summary = self.state.summary
        if summary.total == 0:
            words = [self.say("progress.none")]
        else:
            words = [self.say("progress.total", days=self.days(summary.total))]
            if summary.streak >= 2:
                words.append(self.say("progress.streak", streak=self.copy.number(summary.streak)))
            week = self.days(summary.week) if summary.week else self.copy.number(0) + " days"
            words.append(self.say("progress.week", week=week))
            words.append(self.last_day_words(summary))
        return self.reask(words)

    def last_day_words(self, summary: SessionFigures) -> Say:
        last = date.fromisoformat(summary.last_day) if summary.last_day else self.today
        gap = (self.today - last).days
        if gap <= 0:
            return self.say("progress.last_today")
        if gap == 1:
            return self.say("progress.last_yesterday")
        return self.say("progress.last_days_ago", count=self.copy.number(gap))

    def how_to(self, exercise_id: str | None, heard: str | None) -> Reply:
        if exercise_id is None or exercise_id not in self.routine.ids:
            return self.unknown_exercise(heard)
        description = self.say(f"how_to.{exercise_id}")
        if self.state.phase == phases.ROUTINE:
            return self.reask([description])
        self.state.phase, self.state.offer = phases.OFFER_EXERCISE, exercise_id
        name = self.name(exercise_id)
        return self.ask(
            [description, self.say("asks.exercise_offer", name=name)],
            [self.say("asks.exercise_offer_reprompt", name=name)],
        )

    def help(self) -> Reply:
        index = self.current_index()
        words: list[Item]
        if self.state.phase == phases.ROUTINE and index is not None:
            words = [self.say("help.routine", name=self.name(self.route.exercise_at(index)))]
        else:
            words = [self.say("help.general")]
        words.append(self.say("safety.help_note"))
        if self.state.phase in (phases.ROUTINE, phases.START, phases.CHOOSE):
            return self.ask([*words, self.say("help.question")], [self.say("help.question")])
        return self.reask(words)

    def fallback(self) -> Reply:
        index = self.current_index()
        if self.state.phase == phases.ROUTINE and index is not None:
            name = self.name(self.route.exercise_at(index))
            return self.reask([self.say("fallback.routine", name=name)])
        if self.state.phase.startswith("offer_"):
            return self.reask([self.say("fallback.yes_no")])
        return self.reask([self.say("fallback.general")])

    def reask(self, lead: Sequence[Item] = ()) -> Reply:
        """Say `lead`, then ask again whatever the current phase asks."""
        state, lead = self.state, list(lead)
        first = self.name(self.routine.ids[0])
        index = self.current_index()
        if state.phase == phases.ROUTINE and index is not None:
            segment = self.segments[index]
            return self.ask([*lead, *segment.prompt], [*segment.prompt, self.say("asks.routine")])
        questions = {
            phases.OFFER_WARM_UP: (
                self.say("welcome.offer_warm_up"),
                self.say("welcome.offer_warm_up_reprompt", name=first),
            ),
            phases.OFFER_AGAIN: (
                self.say("welcome.offer_again"),
                self.say("welcome.offer_again_reprompt"),
            ),
            phases.WARM_UP: (self.say("asks.after_warm_up"), self.say("asks.after_warm_up")),
            phases.CHOOSE: (self.say("asks.which"), self.say("asks.which")),
            phases.FINISH_UNSAVED: (
                self.say("progress.finish_save_failed"),
                self.say("progress.finish_save_failed"),
            ),
        }
        if state.phase == phases.OFFER_RESUME and state.offer:
            resume_at = self.route.locate(state.offer, None) or 0
            name = self.name(self.route.exercise_at(resume_at))
            ask = self.say("welcome.offer_resume", name=name)
            return self.ask([*lead, ask], [self.say("welcome.offer_resume_reprompt", name=name)])
        if state.phase == phases.OFFER_EXERCISE and state.offer in self.routine.ids:
            name = self.name(state.offer)
            return self.ask(
                [*lead, self.say("asks.exercise_offer", name=name)],
                [self.say("asks.exercise_offer_reprompt", name=name)],
            )
        if state.phase == phases.OFFER_STANDING:
            return self.ask(
                [*lead, self.say("offers.standing")], [self.say("offers.standing_reprompt")]
            )
        if state.phase == phases.OFFER_MORE_REPS and (state.offer or "").isdigit():
            number = self.copy.number(int(state.offer or 0))
            return self.ask(
                [*lead, self.say("offers.more_reps", reps=number)],
                [self.say("offers.more_reps_reprompt", reps=number)],
            )
        if state.phase in questions:
            ask, again = questions[state.phase]
            return self.ask([*lead, ask], [again])
        return self.offer_start(lead)

    # ------------------------------------------------------------ leaving
    def stop(self) -> Reply:
        in_routine = self.state.phase == phases.ROUTINE
        self.keep_place()
        return self.end([self.say("moves.stop" if in_routine else "moves.bye")])

    def pause(self) -> Reply:
        if self.state.phase != phases.ROUTINE:
            return self.stop()
        self.keep_place()
        return self.end([self.say("moves.pause")])

    def resume(self) -> Reply:
        index = self.current_index()
        if self.state.phase == phases.ROUTINE and index is not None:
            return self.narrate(index, [self.say("moves.resume")])
        if self.state.phase == phases.OFFER_RESUME:
            return self.yes()
        return self.launch() if not self.state.segment else self.reask()

    def session_ended(self) -> Reply:
        self.keep_place()
        return Reply([], None, silent=True)

    def retry_finish(self) -> Reply:
        if not self.flush():
            return self.ask(
                [self.say("progress.finish_save_failed")],
                [self.say("progress.finish_save_failed")],
            )
        completes = set(self.routine.ids) <= set(self.state.summary.done_today)
        return self.end([self.say("progress.finish_saved_late"), *self.closing_words(completes)])
