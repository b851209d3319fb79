"""`python -m skill package`: write (or `--check`) skill-package/ for `ask deploy`.

The ASK CLI deploys a folder in Amazon's skill-package format:

    skill-package/skill.json                              the manifest
    skill-package/interactionModels/custom/<locale>.json  one model per locale

Both come from the repo's single sources: the models are the files `python -m skill
model` writes into interaction_model/ (copied byte for byte, one per locale of every
language in skill/locales/languages.toml), and the manifest is
interaction_model/skill.json with its text filled in from the routine data and each
locale's own words:

- `publishingInformation.locales` and `privacyAndCompliance.locales` may be keyed by a
  language ("en") and by a locale ("en-GB"); each published locale gets the language's
  entry with its own laid over it, so words shared by a language are written once;
- `{minutes}` is the routine's length as the skill says it, `{exercises}` the routine's
  exercise names, `{standing}` those done standing, `{invocation}` the invocation name,
  all in that locale's words;
- `distributionCountries` are the countries of the published locales.

No endpoint goes into the package: `ask deploy` writes the function's ARN (and the
events it subscribes to, from ask-resources.json) into skill-package/skill.json after
the stack is up. Rewriting the package keeps what the deployer wrote. For the SAM path,
`--endpoint ARN --manifest-out FILE` writes a manifest with the endpoint and events set.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from skill.routine.model import Routine, load_routine
from skill.routine.settings import Settings
from skill.speech.copy import SUPPORTED_LOCALES, Copy, copy_for
from skill.speech.narrate import compiled, total_seconds

SOURCE = Path("interaction_model")
OUT = Path("skill-package")
RESOURCES = Path("ask-resources.json")
MODELS = Path("interactionModels") / "custom"
# What the ASK CLI writes into the manifest after a deploy (kept on rewrite, ignored by --check).
DEPLOYER_WRITES = (("apis", "custom", "endpoint"), ("apis", "custom", "regions"), ("events",))


def spoken_minutes(seconds: float, copy: Copy) -> str:
    """A length as the skill says it ("about twelve minutes"): the dialogue's rounding."""
    count = max(1, math.ceil(seconds / 60 - 0.25))
    if count == 1:
        return copy.say("time.one_minute")
    return copy.say("time.minutes", count=copy.number(count))


def spoken_list(words: Sequence[str], copy: Copy) -> str:
    """ "a, b and c" as the locale says it (its grammar: "y", or "e" before an "i" sound)."""
    return copy.join(words)


def invocation_name(locale: str, source: Path = SOURCE) -> str:
    """The locale's invocation name, as its model file gives it to Alexa."""
    model = json.loads((source / f"{locale}.json").read_text("utf-8"))
    return str(model["interactionModel"]["languageModel"]["invocationName"])


def listing_values(
    locale: str, routine: Routine | None = None, source: Path = SOURCE
) -> dict[str, str]:
    """The placeholders of the manifest's text, in `locale`'s words."""
    routine = routine or load_routine()
    copy = copy_for(locale)
    seconds = total_seconds(compiled(routine, Settings(), locale))
    standing = [e.id for e in routine.exercises if e.standing]
    return {
        "minutes": spoken_minutes(seconds, copy),
        "exercises": spoken_list([copy.exercise_name(i) for i in routine.ids], copy),
        "standing": spoken_list([copy.exercise_name(i) for i in standing], copy),
        "invocation": invocation_name(locale, source),
    }


def _fill(value: Any, values: Mapping[str, str]) -> Any:
    if isinstance(value, str):
        try:
            return value.format_map(values)
        except (KeyError, ValueError) as error:
            known = ", ".join(f"{{{name}}}" for name in values)
            raise SystemExit(
                f"interaction_model/skill.json: {error} in {value[:60]!r}: "
                f"the placeholders are {known}; write braces as {{{{ }}}}"
            ) from None
    if isinstance(value, list):
        return [_fill(item, values) for item in value]
    if isinstance(value, dict):
        return {key: _fill(item, values) for key, item in value.items()}
    return value


def _per_locale(entries: Mapping[str, Any], locale: str, what: str) -> dict[str, Any]:
    language = locale.split("-")[0]
    if language not in entries and locale not in entries:
        raise SystemExit(f"interaction_model/skill.json: no {what} for {locale} (or {language})")
    return {**entries.get(language, {}), **entries.get(locale, {})}


def build_manifest(
    source: Mapping[str, Any], locales: Sequence[str], folder: Path = SOURCE
) -> dict[str, Any]:
    """The manifest for `locales` from the source's text, every placeholder filled."""
    manifest = json.loads(json.dumps(source["manifest"]))  # a deep copy
    routine = load_routine()
    publishing = manifest["publishingInformation"]
    privacy = manifest["privacyAndCompliance"]
    publishing["locales"] = {
        locale: _fill(
            _per_locale(publishing["locales"], locale, "store listing"),
            listing_values(locale, routine, folder),
        )
        for locale in locales
    }
    privacy["locales"] = {
        locale: _per_locale(privacy["locales"], locale, "privacy policy") for locale in locales
    }
    publishing["distributionCountries"] = sorted({locale.split("-")[1] for locale in locales})
    return {"manifest": manifest}


def subscribed_events(resources: Path = RESOURCES) -> list[str]:
    """The skill events ask-resources.json subscribes to (the deployer adds them)."""
    data = json.loads(resources.read_text("utf-8"))
    config = data["profiles"]["default"]["skillInfrastructure"]["userConfig"]
    return list(config.get("skillEvents", {}).get("subscriptions", []))


def with_endpoint(manifest: Mapping[str, Any], arn: str, events: Sequence[str]) -> dict[str, Any]:
    """The manifest as the deployer leaves it: endpoint and events set (for the SAM path)."""
    done: dict[str, Any] = json.loads(json.dumps(manifest))
    done["manifest"]["apis"]["custom"]["endpoint"] = {"uri": arn}
    if events:
        done["manifest"]["events"] = {
            "endpoint": {"uri": arn},
            "subscriptions": [{"eventName": name} for name in events],
        }
    return done


def _dump(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _drop_deployed(manifest: Mapping[str, Any]) -> dict[str, Any]:
    """The manifest without what the deployer writes into it."""
    copy: dict[str, Any] = json.loads(json.dumps(manifest))
    for path in DEPLOYER_WRITES:
        node = copy["manifest"]
        for key in path[:-1]:
            node = node.get(key, {})
        node.pop(path[-1], None)
    return copy


def _keep_deployed(fresh: dict[str, Any], existing: Path) -> dict[str, Any]:
    """`fresh` with the endpoint and events a deploy wrote into the existing file."""
    if not existing.exists():
        return fresh
    old = json.loads(existing.read_text("utf-8"))["manifest"]
    for path in DEPLOYER_WRITES:
        node_old: Any = old
        for key in path:
            node_old = node_old.get(key) if isinstance(node_old, dict) else None
        if node_old is None:
            continue
        node = fresh["manifest"]
        for key in path[:-1]:
            node = node.setdefault(key, {})
        node[path[-1]] = node_old
    return fresh


def package_files(source: Path = SOURCE) -> dict[Path, str]:
    """Relative path -> text of every file in the package."""
    locales = SUPPORTED_LOCALES  # every language's (skill/locales/languages.toml)
    text = (source / "skill.json").read_text("utf-8")
    manifest = build_manifest(json.loads(text), locales, source)
    files = {Path("skill.json"): _dump(manifest)}
    for locale in locales:
        files[MODELS / f"{locale}.json"] = (source / f"{locale}.json").read_text("utf-8")
    return files


def stale_files(out: Path = OUT, source: Path = SOURCE) -> list[Path]:
    """Package files missing, different from the sources, or left over from a locale."""
    expected = package_files(source)
    stale = []
    for rel, text in expected.items():
        path = out / rel
        if not path.exists():
            stale.append(path)
        elif rel.name == "skill.json":
            if _drop_deployed(json.loads(path.read_text("utf-8"))) != json.loads(text):
                stale.append(path)
        elif path.read_text("utf-8") != text:
            stale.append(path)
    models = out / MODELS
    extra = set(models.glob("*.json")) - {out / rel for rel in expected}
    return stale + sorted(extra)


def write(out: Path = OUT, source: Path = SOURCE) -> list[Path]:
    written = []
    models = out / MODELS
    for rel, text in package_files(source).items():
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if rel.name == "skill.json":
            text = _dump(_keep_deployed(json.loads(text), path))
        path.write_text(text, "utf-8")
        written.append(path)
    for leftover in set(models.glob("*.json")) - set(written):
        leftover.unlink()  # a locale no longer published
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m skill package", description=__doc__)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--source", type=Path, default=SOURCE)
    parser.add_argument("--check", action="store_true", help="exit 1 if the package is stale")
    parser.add_argument("--endpoint", help="the function's ARN (SAM path): see --manifest-out")
    parser.add_argument("--manifest-out", type=Path, help="write the manifest with --endpoint")
    args = parser.parse_args(argv)
    if args.check:
        stale = stale_files(args.out, args.source)
        for path in stale:
            print(f"stale: {path} (run: make skill-package)", file=sys.stderr)
        return 1 if stale else 0
    if args.endpoint or args.manifest_out:
        if not (args.endpoint and args.manifest_out):
            parser.error("--endpoint and --manifest-out go together")
        if not args.endpoint.startswith("arn:aws:lambda:"):
            parser.error("--endpoint: a Lambda ARN (arn:aws:lambda:...)")
        manifest = json.loads(package_files(args.source)[Path("skill.json")])
        done = with_endpoint(manifest, args.endpoint, subscribed_events())
        args.manifest_out.write_text(_dump(done), "utf-8")
        print(f"wrote {args.manifest_out}")
        return 0
    for path in write(args.out, args.source):
        print(f"wrote {path}")
    return 0
