"""`python -m skill catalogues`: the translation catalogues (gettext .po, through Babel).

English is the source (skill/locales/en.toml). Each other language has `<code>.po`, each
region whose words differ `<locale>.po` with only those entries. In every entry msgctxt
is the copy key ("prompts.next_side"; a list item "numbers.words.3"), msgid the English
text, msgstr the translation: what Poedit, Weblate or any gettext tool opens.

- `python -m skill catalogues --update` brings every catalogue in line with en.toml, as
  `pybabel update` does: a new key gets an empty entry, an entry whose English changed is
  marked fuzzy (its old English kept as `#| msgid`), a removed key goes obsolete.
- `python -m skill model` compiles them into skill/locales/compiled/<locale>.json (the
  language's words, the region's laid over), which is all the runtime reads.
- `check()` lists what a translator still has to do; tests/test_localisation.py fails on it.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from skill.speech.copy import LANGUAGES, LOCALES_DIR, SOURCE_LANGUAGE


def source_table() -> dict[str, Any]:
    # The TOML itself, not its prebuilt JSON (skill/prebuilt.py), whose keys are sorted:
    # the catalogues follow en.toml's order whether or not a built file is there.
    import tomllib

    return tomllib.loads((LOCALES_DIR / f"{SOURCE_LANGUAGE}.toml").read_text("utf-8"))


def source_entries(
    table: Mapping[str, Any] | None = None, prefix: str = ""
) -> Iterator[tuple[str, str]]:
    """(key, English) for every string in en.toml, in file order; empty strings skipped."""
    for name, value in (source_table() if table is None else table).items():
        key = f"{prefix}{name}"
        if isinstance(value, Mapping):
            yield from source_entries(value, key + ".")
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, str) and item:
                    yield f"{key}.{index}", item
        elif isinstance(value, str) and value:
            yield key, value


def catalogue_path(name: str) -> Path:
    return LOCALES_DIR / f"{name}.po"


def read(name: str) -> Catalog | None:
    path = catalogue_path(name)
    if not path.is_file():
        return None
    with path.open("rb") as handle:
        return read_po(handle, locale=name.replace("-", "_"))


def translations(catalog: Catalog | None) -> dict[str, str]:
    """Key -> translation: entries with a msgstr, not fuzzy (as gettext uses them)."""
    if catalog is None:
        return {}
    return {
        str(message.context): str(message.string)
        for message in catalog
        if message.id and message.context and message.string and not message.fuzzy
    }


def layers(locale: str) -> list[str]:
    """The catalogues of a locale, base first: ["es", "es-MX"]; English has no base."""
    language = locale.split("-")[0]
    return [locale] if language == SOURCE_LANGUAGE else [language, locale]


def compiled_texts() -> dict[str, str]:
    """File name -> text of every compiled catalogue (locales with no words of their own,
    English ones without a regional catalogue, get none)."""
    files = {}
    for language in LANGUAGES.values():
        for locale in language.locales:
            words: dict[str, str] = {}
            for name in layers(locale):
                words |= translations(read(name))
            if words:
                text = json.dumps(words, indent=0, ensure_ascii=False, sort_keys=True)
                files[f"{locale}.json"] = text + "\n"
    return files


def check(name: str) -> list[str]:
    """What is wrong with one catalogue, a line each (empty: nothing). A language's own
    catalogue must translate every key; a regional one may leave any out."""
    catalog = read(name)
    if catalog is None:
        return [f"{name}.po is missing"]
    source = dict(source_entries())
    problems = []
    regional = "-" in name
    present = {str(m.context): m for m in catalog if m.id and m.context}
    for key, english in source.items():
        message = present.get(key)
        if message is None:
            if not regional:
                problems.append(f"{name}: {key}: not translated")
            continue
        if message.id != english:
            problems.append(f"{name}: {key}: the English changed (run --update, then translate)")
        elif message.fuzzy:
            problems.append(f"{name}: {key}: marked fuzzy (check the translation)")
        elif not message.string and not regional:
            problems.append(f"{name}: {key}: not translated")
    problems += [f"{name}: {key}: no such key in en.toml" for key in present if key not in source]
    return problems


def update(name: str) -> Catalog:
    """The catalogue brought in line with en.toml, matched by key (msgctxt), not by how
    alike two English sentences look (pybabel's guess): a changed English sentence keeps
    its translation marked fuzzy, with the old English as previous msgid; a new key gets an
    empty entry (a regional catalogue gets none: it holds only what differs); a removed key
    goes obsolete."""
    old = read(name)
    catalog = Catalog(locale=name.replace("-", "_"), project="foot-routine-skill", fuzzy=False)
    if old is not None:
        catalog.mime_headers = old.mime_headers
        catalog.header_comment = old.header_comment
    present = {str(m.context): m for m in old or [] if m.id and m.context}
    for key, english in source_entries():
        message = present.pop(key, None)
        if message is None:
            if "-" not in name:
                catalog.add(english, "", context=key)
        elif message.id == english:
            catalog.add(english, message.string, context=key, flags=message.flags)
        else:
            catalog.add(english, message.string, context=key, flags={"fuzzy"},
                        previous_id=[str(message.id)])  # fmt: skip
    for key, message in present.items():
        catalog.obsolete[(str(message.id), key)] = message
    return catalog


def write(name: str, catalog: Catalog) -> None:
    with catalogue_path(name).open("wb") as handle:
        write_po(handle, catalog, width=100, omit_header=False, include_previous=True)


def catalogue_names() -> list[str]:
    names = [code for code in LANGUAGES if code != SOURCE_LANGUAGE]
    names += [
        locale
        for language in LANGUAGES.values()
        for locale in language.locales
        if catalogue_path(locale).is_file()
    ]
    return names


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m skill catalogues", description=__doc__)
    parser.add_argument("--update", action="store_true", help="bring every .po up to en.toml")
    args = parser.parse_args(argv)
    if args.update:
        for name in catalogue_names():
            write(name, update(name))
            print(f"updated {catalogue_path(name)}")
    problems = [problem for name in catalogue_names() for problem in check(name)]
    for problem in problems:
        print(problem)
    print(f"{len(problems)} to do in {len(catalogue_names())} catalogues")
    return 1 if problems else 0
