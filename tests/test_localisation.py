"""The localisation design: catalogues complete and current, the grammar each language
needs, and the same words safe in every locale (docs/localisation.md)."""

from __future__ import annotations

import itertools
import re
from typing import Any

import pytest

from skill.dev import catalogues
from skill.reminders.spoken_time import LocalTime, say_time
from skill.routine.model import load_routine
from skill.routine.settings import RAISE_POSITIONS, TOE_CURL_ORDERS, TOE_CURL_TOOLS, Settings
from skill.speech import ssml
from skill.speech.copy import LANGUAGES, SOURCE_LANGUAGE, SUPPORTED_LOCALES, copy_for
from skill.speech.narrate import compile_routine

OTHER_LOCALES = [locale for locale in SUPPORTED_LOCALES if not locale.startswith("en-")]
PLACEHOLDER = re.compile(r"\{(\w+)(?::(\w*))?\}")


# -- catalogues: every key translated, none stale ---------------------------------------------
@pytest.mark.parametrize("name", catalogues.catalogue_names())
def test_every_catalogue_is_complete_and_current(name: str) -> None:
    """A key added to en.toml, or an English sentence changed, fails here until translated
    (`make catalogues` adds it, or marks it fuzzy, for the translator)."""
    assert catalogues.check(name) == []


@pytest.mark.parametrize("locale", OTHER_LOCALES)
def test_no_word_falls_back_to_english(locale: str) -> None:
    assert copy_for(locale).untranslated == frozenset()


def test_a_new_or_changed_english_sentence_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    table: dict[str, Any] = {**catalogues.source_table()}
    table["safety"] = {**table["safety"], "take_care": "Take good care.", "brand_new": "Hello."}
    monkeypatch.setattr(catalogues, "source_table", lambda: table)
    assert catalogues.check("es") == [
        "es: safety.take_care: the English changed (run --update, then translate)",
        "es: safety.brand_new: not translated",
    ]
    updated = catalogues.update("es")
    changed = updated.get("Take good care.", context="safety.take_care")
    assert changed is not None and changed.fuzzy and changed.string == "Cuídese."
    assert changed.previous_id == ["Take care."]  # what the translator compares against
    new = updated.get("Hello.", context="safety.brand_new")
    assert new is not None and new.string == "" and not new.fuzzy
    # The regional catalogue keeps only its own entries.
    regional = catalogues.update("es-MX")
    assert {str(m.context) for m in regional if m.id} == {
        str(m.context) for m in catalogues.read("es-MX") or [] if m.id
    }


def test_the_compiled_catalogue_lays_the_region_over_the_language() -> None:
    assert copy_for("es-ES").say("needs.counter") != copy_for("es-MX").say("needs.counter")
    assert "encimera" in copy_for("es-ES").say("needs.counter")
    assert "barra de la cocina" in copy_for("es-MX").say("needs.counter")
    assert copy_for("es-MX").say("welcome.feeling_better") == "Qué bueno."
    assert copy_for("es-US").say("welcome.feeling_better") == "Qué bien."


@pytest.mark.parametrize("locale", OTHER_LOCALES)
def test_placeholders_match_the_english(locale: str) -> None:
    """Same names (capitalised or not), and only the forms the grammar knows."""
    english, other = copy_for("en-US"), copy_for(locale)
    for key in english.sentence_keys():
        source = english.raw(key)
        if not isinstance(source, str):
            continue
        want = {name.lower() for name, _ in PLACEHOLDER.findall(source)}
        found = PLACEHOLDER.findall(other.raw(key))
        assert {name.lower() for name, _ in found} == want, key
        assert {spec for _, spec in found} <= {"", "m", "f"}, key


# -- grammar ----------------------------------------------------------------------------------
def test_spanish_numbers_agree_with_their_noun() -> None:
    es = copy_for("es-US")
    assert es.say("time.minutes", count=es.number(21)) == "veintiún minutos"
    assert es.say("progress.days.many", count=es.number(21)) == "veintiún días"
    assert es.say("needs.marbles", bowls=es.number(2), count=es.number(21)) == (
        "dos tazones y veintiuna canicas"
    )
    assert es.say("heel_toe_raises.heel_side", side=es.side("left"), reps=es.number(21)) == (
        "Talón izquierdo, veintiuna veces."
    )
    assert es.say("moves.fewer", reps=es.number(4)) == (
        "Muy bien, a partir de ahora cuatro veces con cada pie."
    )
    assert es.number(1) == "uno" and es.number(11) == "once"  # counting: "uno, dos..."
    assert es.grammar.form(es.number(11), "m") == "once"
    assert es.minute_number(31) == "treinta y uno" and es.minute_number(40) == "cuarenta"
    en = copy_for("en-US")
    assert en.say("time.minutes", count=en.number(21)) == "twenty-one minutes"
    assert en.minute_number(45) == "forty-five"


def test_lists_join_in_each_language() -> None:
    assert copy_for("en-GB").join(["a", "b", "c"]) == "a, b and c"
    es = copy_for("es-MX")
    assert es.join(["toalla", "pelota"]) == "toalla y pelota"
    assert es.join(["agua", "hielo"]) == "agua y hielo"
    assert es.join(["pelota", "inclinaciones"]) == "pelota e inclinaciones"
    assert es.join(["toalla", "hilo"]) == "toalla e hilo"
    assert es.join(["solo"]) == "solo" and es.join([]) == ""


@pytest.mark.parametrize(
    ("hour", "minute", "spanish", "english"),
    [
        (9, 0, "las nueve de la mañana", "nine in the morning"),
        (20, 30, "las ocho y media de la tarde", "half past eight in the evening"),
        (13, 0, "la una de la tarde", "one in the afternoon"),
        (21, 5, "las nueve y cinco de la noche", "nine oh five at night"),
        (7, 45, "las siete y cuarenta y cinco de la mañana", "seven forty-five in the morning"),
        (12, 0, "las doce del mediodía", "twelve noon"),
    ],
)
def test_clock_times_in_each_language(hour: int, minute: int, spanish: str, english: str) -> None:
    assert say_time(LocalTime(hour, minute), copy_for("es-US")) == spanish
    assert say_time(LocalTime(hour, minute), copy_for("en-US")) == english


@pytest.mark.parametrize(
    ("locale", "spoken"),
    [
        ("en-US", "nine one one"),
        ("en-GB", "nine nine nine"),
        ("en-AU", "triple zero"),
        ("en-IN", "one one two"),
        ("es-US", "nueve uno uno"),
        ("es-MX", "nueve uno uno"),
        ("es-ES", "uno uno dos"),
    ],
)
def test_emergency_numbers_by_country(locale: str, spoken: str) -> None:
    copy = copy_for(locale)
    assert copy.emergency_number() == spoken
    assert spoken in copy.say("safety.emergency", number=copy.emergency_number())


# -- every locale's narration: valid SSML, within Alexa's limits ------------------------------
@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_every_segment_is_valid_ssml_in_every_locale(locale: str) -> None:
    copy = copy_for(locale)
    for tool, position, order in itertools.product(
        TOE_CURL_TOOLS, RAISE_POSITIONS, TOE_CURL_ORDERS
    ):
        settings = Settings(toe_curl_tool=tool, raise_position=position, toe_curl_order=order)
        for segment in compile_routine(load_routine(), settings, copy):
            document = ssml.document(segment.items)
            assert ssml.problems(document) == [], (locale, segment.id)


def test_languages_are_data() -> None:
    assert SOURCE_LANGUAGE in LANGUAGES
    assert set(LANGUAGES["es"].locales) == {"es-US", "es-MX", "es-ES"}
    assert SUPPORTED_LOCALES[0] == "en-US"
