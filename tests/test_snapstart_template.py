"""template.yaml runs the skill with SnapStart, and Alexa calls the published alias.

Checked on the template as CloudFormation receives it: SAM's own translator expands
the function into a version, the `live` alias and the Alexa permission.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

TEMPLATE = Path(__file__).resolve().parents[1] / "template.yaml"


@pytest.fixture(scope="module")
def expanded(monkeypatch_module: pytest.MonkeyPatch) -> dict[str, Any]:
    from cfnlint.decode import decode
    from samtranslator.translator.transform import transform

    monkeypatch_module.setenv("AWS_DEFAULT_REGION", "us-east-1")  # SAM needs a region to expand
    template, matches = decode(str(TEMPLATE))
    assert template is not None and not matches, matches
    template["Resources"]["SkillFunction"]["Properties"]["CodeUri"] = "s3://bucket/lambda.zip"

    class NoManagedPolicies:  # the role is explicit: nothing to look up in AWS
        def load(self) -> dict[str, str]:
            return {}

    expanded: dict[str, Any] = transform(
        template, {"AlexaSkillId": "amzn1.ask.skill.0000"}, NoManagedPolicies()
    )
    return expanded


@pytest.fixture(scope="module")
def monkeypatch_module() -> Any:
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def of_type(template: dict[str, Any], kind: str) -> dict[str, Any]:
    return {k: v for k, v in template["Resources"].items() if v["Type"] == kind}


def test_snapstart_on_a_supported_python_runtime(expanded: dict[str, Any]) -> None:
    (function,) = of_type(expanded, "AWS::Lambda::Function").values()
    props = function["Properties"]
    assert props["SnapStart"] == {"ApplyOn": "PublishedVersions"}
    major, minor = props["Runtime"].removeprefix("python").split(".")
    assert (int(major), int(minor)) >= (3, 12)  # SnapStart for Python starts at 3.12


def test_alexa_invokes_the_alias_and_the_output_names_it(expanded: dict[str, Any]) -> None:
    (alias_id,) = of_type(expanded, "AWS::Lambda::Alias")
    alias = expanded["Resources"][alias_id]["Properties"]
    versions = of_type(expanded, "AWS::Lambda::Version")
    assert alias["Name"] == "live" and alias["FunctionVersion"]["Fn::GetAtt"][0] in versions
    permissions = of_type(expanded, "AWS::Lambda::Permission").values()
    alexa = [p["Properties"] for p in permissions if "EventSourceToken" in p["Properties"]]
    assert alexa and all(p["FunctionName"] == {"Ref": alias_id} for p in alexa)
    assert expanded["Outputs"]["SkillFunctionAliasArn"]["Value"] == {"Ref": alias_id}


def test_the_deployed_function_never_allows_loopback_api_endpoints(
    expanded: dict[str, Any],
) -> None:
    (function,) = of_type(expanded, "AWS::Lambda::Function").values()
    variables = function["Properties"]["Environment"]["Variables"]
    assert "ALEXA_API_ALLOW_LOOPBACK" not in variables  # tests and local development only
