"""`ask deploy`: the ASK CLI project (ask-resources.json, skill-package/, the build hook and
the cfn-deployer's template) is current with the repo's sources, says what we do, and
deploys what the SAM path deploys.

Everything per locale is read from the intents spec's list of locales, so a locale added
there is checked here without a change to this file.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from skill.alexa.envelopes import Conversation
from skill.alexa.permissions import REMINDERS_SCOPE
from skill.dev import skill_package
from skill.dev.utterances import matcher, phrases
from skill.speech.copy import SUPPORTED_LOCALES
from tests.alexa_driver import Driver

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "skill-package"
SOURCE = ROOT / "interaction_model"
RESOURCES = ROOT / "ask-resources.json"
STACK = ROOT / "infrastructure" / "cfn-deployer" / "skill-stack.yaml"
SAM = ROOT / "template.yaml"
HOOK = ROOT / "hooks" / "build.sh"
LOCALES = SUPPORTED_LOCALES
# What the ASK CLI's cfn-deployer passes to the stack (ask-cli, lib/builtins/deploy-delegates/
# cfn-deployer/index.js, _mapStackParameters; SkillClientId/SkillClientSecret only when the
# template names both) and the output it reads back as the skill's endpoint (helper.js).
DEPLOYER_PARAMETERS = {
    "SkillId", "LambdaRuntime", "LambdaHandler", "CodeBucket", "CodeKey", "CodeVersion",
}  # fmt: skip
DEPLOYER_OUTPUT = "SkillEndpoint"
# The store disclaimer health skills are asked to carry in their description, per language:
# a language added to the spec needs its own words here (and in interaction_model/skill.json).
DISCLAIMER = {
    "en": ("not a substitute for professional medical advice", "dial your local emergency number"),
    "es": ("no sustituye el consejo, el diagnóstico ni el tratamiento de un profesional",
           "llame al número de emergencias"),
}  # fmt: skip
# The intent each example phrase must reach, in order: open the skill, then two one-shots.
EXAMPLE_INTENTS = ("launch", "TotalDaysIntent", "ListExercisesIntent")
# Limits of the store listing (the developer console's, for each locale).
LIMITS = {"name": 50, "summary": 160, "description": 4000, "keywords": 30}
NO_API = "https://127.0.0.1:1"  # no device: the Settings API fails at once


def driver(locale: str = "en-US") -> Driver:
    return Driver(Conversation(locale=locale, api_endpoint=NO_API))


def package_manifest() -> dict[str, Any]:
    manifest: dict[str, Any] = json.loads((PACKAGE / "skill.json").read_text())["manifest"]
    return manifest


def resources_config() -> dict[str, Any]:
    config: dict[str, Any] = json.loads(RESOURCES.read_text())
    return config


def user_config() -> dict[str, Any]:
    infra = resources_config()["profiles"]["default"]["skillInfrastructure"]
    assert infra["type"] == "@ask-cli/cfn-deployer"
    config: dict[str, Any] = infra["userConfig"]
    return config


# ---------------------------------------------------------------------------- the package


def test_the_committed_package_is_current() -> None:
    stale = skill_package.stale_files(PACKAGE, SOURCE)
    assert stale == [], "run: make skill-package"


def test_a_stale_or_left_over_file_is_caught(tmp_path: Path) -> None:
    out = tmp_path / "skill-package"
    skill_package.write(out, SOURCE)
    assert skill_package.stale_files(out, SOURCE) == []
    model = out / skill_package.MODELS / f"{LOCALES[0]}.json"
    model.write_text(model.read_text().replace('"version"', '"versionX"'))
    left_over = out / skill_package.MODELS / "xx-XX.json"
    left_over.write_text("{}")
    assert skill_package.stale_files(out, SOURCE) == [model, left_over]
    skill_package.write(out, SOURCE)
    assert not left_over.exists() and skill_package.stale_files(out, SOURCE) == []


def test_what_ask_deploy_writes_into_the_manifest_is_kept_and_not_stale(tmp_path: Path) -> None:
    out = tmp_path / "skill-package"
    skill_package.write(out, SOURCE)
    arn = "arn:aws:lambda:us-east-1:123456789012:function:foot-skill:live"
    deployed = skill_package.with_endpoint(
        json.loads((out / "skill.json").read_text()), arn, ["SKILL_DISABLED"]
    )
    (out / "skill.json").write_text(json.dumps(deployed))
    assert skill_package.stale_files(out, SOURCE) == []
    skill_package.write(out, SOURCE)  # `make skill-package` after a deploy
    kept = json.loads((out / "skill.json").read_text())["manifest"]
    assert kept["apis"]["custom"]["endpoint"] == {"uri": arn}
    assert kept["events"]["subscriptions"] == [{"eventName": "SKILL_DISABLED"}]


def test_the_models_are_the_interaction_model_files_for_every_locale() -> None:
    models = PACKAGE / skill_package.MODELS
    assert sorted(p.stem for p in models.glob("*.json")) == sorted(LOCALES)
    for locale in LOCALES:
        assert (models / f"{locale}.json").read_bytes() == (SOURCE / f"{locale}.json").read_bytes()


def test_no_placeholder_endpoint_goes_up_with_the_package() -> None:
    text = (PACKAGE / "skill.json").read_text()
    manifest = package_manifest()
    assert set(manifest["apis"]["custom"]) <= {"interfaces"}, "the deployer sets the endpoint"
    assert "events" not in manifest, "the deployer adds the events (ask-resources.json)"
    assert "arn:" not in text and "REGION" not in text and "ACCOUNT" not in text
    texts = [t for listing in manifest["publishingInformation"]["locales"].values()
             for v in listing.values() for t in (v if isinstance(v, list) else [v])]  # fmt: skip
    assert not [t for t in texts if "{" in t or "}" in t], "a placeholder left unfilled"


def test_the_sam_path_manifest_carries_the_endpoint_and_the_events(tmp_path: Path) -> None:
    out = tmp_path / "skill.deploy.json"
    arn = "arn:aws:lambda:us-east-1:123456789012:function:foot-routine-skill:live"
    done = subprocess.run(
        [sys.executable, "-m", "skill", "package", "--endpoint", arn, "--manifest-out", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    manifest = json.loads(out.read_text())["manifest"]
    assert manifest["apis"]["custom"]["endpoint"] == {"uri": arn}
    assert manifest["events"] == {
        "endpoint": {"uri": arn},
        "subscriptions": [{"eventName": "SKILL_DISABLED"}],
    }
    assert manifest["publishingInformation"] == package_manifest()["publishingInformation"]
    bad = subprocess.run(
        [sys.executable, "-m", "skill", "package", "--endpoint", "https://x", "--manifest-out",
         str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert bad.returncode == 2 and "Lambda ARN" in bad.stderr and "Traceback" not in bad.stderr


def amazons_reading(text: str, model: str) -> Any:
    """`text` read into Amazon's skill-package classes and written back: a field name the
    schema does not know is dropped, an enum value it does not know raises."""
    from ask_sdk_model_runtime.serializer import DefaultSerializer

    serializer = DefaultSerializer()
    return serializer.serialize(serializer.deserialize(text, model))


MANIFEST_MODEL = "ask_smapi_model.v1.skill.manifest.skill_manifest_envelope.SkillManifestEnvelope"
MODEL_MODEL = (
    "ask_smapi_model.v1.skill.interaction_model.interaction_model_data.InteractionModelData"
)


def test_every_field_is_one_amazons_schema_knows() -> None:
    texts = [(PACKAGE / "skill.json").read_text()]
    arn = "arn:aws:lambda:us-east-1:123456789012:function:foot-routine-skill:live"
    texts.append(
        json.dumps(skill_package.with_endpoint(json.loads(texts[0]), arn, ["SKILL_DISABLED"]))
    )
    for text in texts:
        assert amazons_reading(text, MANIFEST_MODEL) == json.loads(text)
    for model in (PACKAGE / skill_package.MODELS).glob("*.json"):
        assert amazons_reading(model.read_text(), MODEL_MODEL) == json.loads(model.read_text())
    misspelt = json.loads(texts[0])
    misspelt["manifest"]["privacyAndCompliance"]["usesHealthData"] = False
    assert amazons_reading(json.dumps(misspelt), MANIFEST_MODEL) != misspelt  # the check works


def test_a_wrong_placeholder_or_a_missing_language_is_one_line(tmp_path: Path) -> None:
    source = tmp_path / "interaction_model"
    shutil.copytree(SOURCE, source)
    manifest = json.loads((source / "skill.json").read_text())
    listing = manifest["manifest"]["publishingInformation"]["locales"]
    listing["en"]["summary"] = "About {minuets} a day."
    (source / "skill.json").write_text(json.dumps(manifest))
    for change, said in (
        (lambda: None, "'minuets'"),
        (lambda: listing.pop("en"), "no store listing for en-US"),
    ):
        change()
        (source / "skill.json").write_text(json.dumps(manifest))
        with pytest.raises(SystemExit) as stopped:  # Python prints its text: one line
            skill_package.main(["--source", str(source), "--out", str(tmp_path / "out")])
        message = str(stopped.value.code)
        assert said in message and "\n" not in message, message


# ---------------------------------------------------------------------------- the manifest


def test_every_locale_is_published_with_its_privacy_policy_and_country() -> None:
    manifest = package_manifest()
    publishing = manifest["publishingInformation"]
    assert sorted(publishing["locales"]) == sorted(LOCALES)
    assert sorted(manifest["privacyAndCompliance"]["locales"]) == sorted(LOCALES)
    assert publishing["isAvailableWorldwide"] is False
    assert publishing["distributionCountries"] == sorted({x.split("-")[1] for x in LOCALES})


@pytest.mark.parametrize("locale", LOCALES)
def test_the_store_listing_of_each_locale(locale: str) -> None:
    manifest = package_manifest()
    listing = manifest["publishingInformation"]["locales"][locale]
    assert 0 < len(listing["name"]) <= LIMITS["name"]
    assert 0 < len(listing["summary"]) <= LIMITS["summary"]
    assert 0 < len(listing["description"]) <= LIMITS["description"]
    assert 0 < len(listing["keywords"]) <= LIMITS["keywords"]
    assert len(listing["examplePhrases"]) == 3
    for icon in ("smallIconUri", "largeIconUri"):
        assert listing[icon].startswith("https://") and listing[icon].endswith(".png")
    policy = manifest["privacyAndCompliance"]["locales"][locale]["privacyPolicyUrl"]
    assert policy.startswith("https://")
    language = locale.split("-")[0]
    assert language in DISCLAIMER, f"no store disclaimer known for {language!r}: add it above"
    for words in DISCLAIMER[language]:
        assert words in listing["description"], (locale, words)


@pytest.mark.parametrize("locale", LOCALES)
def test_the_listing_states_the_routine_as_the_data_has_it(locale: str, skill_env: Path) -> None:
    """Length and exercise names are filled from the routine data, in the locale's words,
    and the length is what the skill itself answers to "how long does it take"."""
    values = skill_package.listing_values(locale, source=SOURCE)
    description = package_manifest()["publishingInformation"]["locales"][locale]["description"]
    assert values["minutes"] in description and values["exercises"] in description
    person = driver(locale=locale)
    person.launch()
    assert values["minutes"] in person.say("HowLongIntent").text


def test_privacy_and_compliance_answers_match_what_the_skill_does() -> None:
    privacy = package_manifest()["privacyAndCompliance"]
    assert privacy["allowsPurchases"] is False  # no in-skill purchasing anywhere
    assert privacy["containsAds"] is False
    assert privacy["isChildDirected"] is False  # older adults
    assert privacy["isExportCompliant"] is True
    # Not a HIPAA skill: adherence only (dates, exercises, settings), never symptoms.
    assert privacy["usesHealthInfo"] is False
    # Opaque Alexa ids and dates; no name, address, email or phone is read or stored.
    assert privacy["usesPersonalInfo"] is False
    # The skill store's categories (the manifest's enum) include HEALTH_AND_FITNESS and
    # EXERCISE_AND_WORKOUT: a guided daily exercise routine is the second.
    assert package_manifest()["publishingInformation"]["category"] == "EXERCISE_AND_WORKOUT"


def test_the_permissions_are_the_ones_the_skill_uses() -> None:
    declared = {p["name"] for p in package_manifest()["permissions"]}
    # Reminders: the voice permission request and the reminders client use this scope;
    # person_id: skill personalization, read from context.System.person (skill/alexa/context.py).
    assert declared == {REMINDERS_SCOPE, "alexa::person_id:read"}
    used = "\n".join(p.read_text() for p in (ROOT / "skill").rglob("*.py"))
    assert "person_id" in used and "REMINDERS_SCOPE" in used


# ---------------------------------------------------------------------------- example phrases


def example_phrases() -> list[tuple[str, int, str]]:
    listing = json.loads((PACKAGE / "skill.json").read_text())["manifest"]
    locales = listing["publishingInformation"]["locales"]
    return [
        (locale, index, phrase)
        for locale in LOCALES
        for index, phrase in enumerate(locales[locale]["examplePhrases"])
    ]


@pytest.mark.parametrize(("locale", "index", "phrase"), example_phrases())
def test_example_phrases_reach_their_intent_in_the_model(
    locale: str, index: int, phrase: str
) -> None:
    """Certification's most common failure: each example phrase must be a sample of the
    intent it stands for (after "Alexa, ask <invocation> (to)"), and the first one opens."""
    heard = matcher(locale).match(phrase)
    wanted = EXAMPLE_INTENTS[index]
    if wanted == "launch":
        assert heard.kind == "launch", phrase
        return
    assert (heard.intent, heard.one_shot) == (wanted, True), phrase
    said = phrases(locale.split("-")[0])  # "ask ... to", "pregunta a ... que", in the language
    invocation = said.normalise(skill_package.invocation_name(locale, SOURCE))
    rest = said.normalise(phrase).removeprefix("alexa ")
    for verb in said.one_shot_verbs:
        rest = rest.removeprefix(f"{said.normalise(verb)} {invocation} ")
    model = json.loads((SOURCE / f"{locale}.json").read_text())["interactionModel"]
    (intent,) = [i for i in model["languageModel"]["intents"] if i["name"] == wanted]
    samples = {said.normalise(s) for s in intent["samples"]}
    joined = [rest.removeprefix(f"{join} ") for join in said.one_shot_joins]
    assert rest in samples or set(joined) & samples, (phrase, "is not a sample")


# ---------------------------------------------------------------------------- ask-resources.json


def test_ask_resources_point_at_the_package_the_code_and_the_template() -> None:
    config = resources_config()
    assert config["askcliResourcesVersion"] == "2020-03-31"
    profile = config["profiles"]["default"]
    assert (ROOT / profile["skillMetadata"]["src"]).resolve() == PACKAGE
    code = ROOT / profile["code"]["default"]["src"]
    assert (code / "lambda_function.py").is_file()
    user = user_config()
    assert (ROOT / user["templatePath"]).resolve() == STACK
    module, function = user["handler"].split(".")
    assert (code / f"{module}.py").is_file()
    assert f"def {function}(event, context)" in (code / f"{module}.py").read_text()
    assert user["targetEndpoint"] == ["custom"]


def test_the_runtime_is_the_one_the_zip_is_built_for() -> None:
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import build_lambda
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    python, _ = build_lambda.runtime_and_arch(SAM)
    assert user_config()["runtime"] == f"python{python}"


def test_the_subscribed_events_are_handled_without_speech(skill_env: Path) -> None:
    assert skill_package.subscribed_events(RESOURCES) == ["SKILL_DISABLED"]
    person = driver()
    person.launch()
    gone = person.send(person.talk.skill_disabled())  # Driver: no speech on an event
    assert "outputSpeech" not in gone.body


def test_ask_deploy_builds_with_the_hook() -> None:
    """The ASK CLI runs hooks/build.sh (its custom build flow) when the file exists and is
    executable; tests/test_lambda_artifact.py checks the zip it makes."""
    assert HOOK.is_file() and os.access(HOOK, os.X_OK)
    assert "scripts/build_lambda.py" in HOOK.read_text()


# ---------------------------------------------------------------------------- the deployer's stack


def cfn_lint() -> str:
    beside = Path(sys.executable).parent / "cfn-lint"
    found = str(beside) if beside.exists() else shutil.which("cfn-lint")
    assert found, "cfn-lint is not installed (test extra)"
    return found


def test_cfn_lint_passes_on_the_deployer_template() -> None:
    done = subprocess.run(
        [cfn_lint(), str(STACK)], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr


def decoded(path: Path) -> dict[str, Any]:
    from cfnlint.decode import decode

    template, matches = decode(str(path))
    assert template is not None and not matches, matches
    return dict(template)


@pytest.fixture(scope="module")
def stack() -> dict[str, Any]:
    return decoded(STACK)


def test_the_stack_takes_what_the_deployer_passes_and_gives_the_endpoint(
    stack: dict[str, Any],
) -> None:
    assert set(stack["Parameters"]) == DEPLOYER_PARAMETERS  # any other would be unset
    function = stack["Resources"]["SkillFunction"]["Properties"]
    assert function["Code"] == {
        "S3Bucket": {"Ref": "CodeBucket"},
        "S3Key": {"Ref": "CodeKey"},
        "S3ObjectVersion": {"Ref": "CodeVersion"},
    }
    assert function["Runtime"] == {"Ref": "LambdaRuntime"}
    assert function["Handler"] == {"Ref": "LambdaHandler"}
    resources = stack["Resources"]
    (alias_id,) = [k for k, v in resources.items() if v["Type"] == "AWS::Lambda::Alias"]
    assert stack["Outputs"][DEPLOYER_OUTPUT]["Value"] == {"Ref": alias_id}
    (permission,) = [v for v in resources.values() if v["Type"] == "AWS::Lambda::Permission"]
    assert permission["Properties"]["FunctionName"] == {"Ref": alias_id}
    assert permission["Properties"]["Principal"] == "alexa-appkit.amazon.com"
    assert permission["Properties"]["EventSourceToken"] == {"Ref": "SkillId"}


def test_every_deploy_publishes_a_version_for_snapstart(stack: dict[str, Any]) -> None:
    resources = stack["Resources"]
    (version_id,) = [k for k, v in resources.items() if v["Type"] == "AWS::Lambda::Version"]
    version = resources[version_id]["Properties"]
    # A version's properties cannot change: naming the code's S3 version replaces it.
    assert "${CodeVersion}" in version["Description"]["Fn::Sub"]
    (alias,) = [v for v in resources.values() if v["Type"] == "AWS::Lambda::Alias"]
    assert alias["Properties"]["FunctionVersion"] == {"Fn::GetAtt": [version_id, "Version"]}
    assert alias["Properties"]["Name"] == "live"


def test_the_stack_deploys_what_the_sam_template_deploys(stack: dict[str, Any]) -> None:
    sam = decoded(SAM)["Resources"]
    ours = stack["Resources"]
    for name in ("ProgressTable", "SkillFunctionRole", "SkillFunctionLogGroup"):
        assert ours[name] == sam[name], name
    theirs, mine = sam["SkillFunction"]["Properties"], ours["SkillFunction"]["Properties"]
    for key in ("FunctionName", "Architectures", "Timeout", "MemorySize", "SnapStart", "Role",
                "LoggingConfig"):  # fmt: skip
        assert mine[key] == theirs[key], key
    env = dict(theirs["Environment"]["Variables"], ALEXA_SKILL_ID={"Ref": "SkillId"})
    assert mine["Environment"]["Variables"] == env
    assert theirs["Handler"] == user_config()["handler"]
    assert theirs["Runtime"] == user_config()["runtime"]


def test_the_answer_is_given_within_alexas_wait(stack: dict[str, Any]) -> None:
    assert stack["Resources"]["SkillFunction"]["Properties"]["Timeout"] < 8
