"""The Hue connector example: its SAM template (cfn-lint when installed, structure always) and README commands."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from .connector_support import HUE_EXAMPLE

TEMPLATE = HUE_EXAMPLE / "template.yaml"
README = HUE_EXAMPLE / "README.md"


class _CloudFormationLoader(yaml.SafeLoader):
    """YAML with CloudFormation's short intrinsic tags (`!Ref`, `!GetAtt`, `!Sub`, ...) read as `{"Fn::X": ...}`."""


def _intrinsic(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> dict[str, Any]:
    name = "Ref" if suffix == "Ref" else f"Fn::{suffix}"
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
        if suffix == "GetAtt":
            value = value.split(".", 1)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
    return {name: value}


_CloudFormationLoader.add_multi_constructor("!", _intrinsic)


def template() -> dict[str, Any]:
    return yaml.load(TEMPLATE.read_text(encoding="utf-8"), Loader=_CloudFormationLoader)  # a SafeLoader subclass


def test_the_template_has_the_function_and_its_resource_policy() -> None:
    doc = template()
    assert doc["Transform"] == "AWS::Serverless-2016-10-31"
    resources = doc["Resources"]
    function = resources["ConnectorFunction"]
    assert function["Type"] == "AWS::Serverless::Function"
    properties = function["Properties"]
    module, _, attribute = properties["Handler"].partition(".")
    assert (HUE_EXAMPLE / f"{module}.py").is_file()
    assert f"def {attribute}(" in (HUE_EXAMPLE / f"{module}.py").read_text(encoding="utf-8")
    assert re.fullmatch(r"python3\.(1[1-9])", properties["Runtime"])
    assert set(properties["Environment"]["Variables"]) >= {"HUE_BASE_URL", "CONNECTOR_ID", "TABLE_NAME"}
    statements = {s["Sid"]: s for p in properties["Policies"] if "Statement" in p for s in p["Statement"]}
    actions = {s["Action"] for s in statements.values()}
    assert actions == {"iotmanagedintegrations:SendConnectorEvent", "secretsmanager:GetSecretValue", "kms:Decrypt"}
    # GeneralAuthorization secrets live in the customer's account: any account, any region
    secrets = statements["ReadGeneralAuthorizationSecrets"]["Resource"]
    assert secrets == {"Fn::Sub": "arn:${AWS::Partition}:secretsmanager:*:*:secret:*"}
    assert statements["DecryptGeneralAuthorizationSecrets"]["Condition"] == {
        "StringLike": {"kms:ViaService": "secretsmanager.*.amazonaws.com"}
    }
    [permission] = [r for r in resources.values() if r["Type"] == "AWS::Lambda::Permission"]
    assert permission["Properties"]["Principal"] == "iotmanagedintegrations.amazonaws.com"
    assert permission["Properties"]["Action"] == "lambda:InvokeFunction"
    assert permission["Properties"]["FunctionName"] == {"Fn::GetAtt": ["ConnectorFunction", "Arn"]}
    assert "SourceAccount" not in permission["Properties"]  # a listed connector is invoked for other accounts
    # the webhook URL, the poll schedule, the table the function may use
    assert properties["FunctionUrlConfig"] == {"AuthType": "NONE"}
    [schedule] = properties["Events"].values()
    assert schedule["Type"] == "Schedule"
    table = resources[properties["Environment"]["Variables"]["TABLE_NAME"]["Ref"]]
    assert table["Type"] == "AWS::DynamoDB::Table"
    assert [k["AttributeName"] for k in table["Properties"]["KeySchema"]] == ["pk", "sk"]
    assert table["Properties"]["TimeToLiveSpecification"] == {"AttributeName": "expiration", "Enabled": True}
    assert {"DynamoDBCrudPolicy": {"TableName": {"Ref": "ConnectorTable"}}} in properties["Policies"]
    # every !Ref names a parameter, a resource or a pseudo parameter
    names = set(doc["Parameters"]) | set(resources)
    for ref in _refs(doc):
        assert ref in names or ref.startswith("AWS::"), ref


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["Ref"]] if set(node) == {"Ref"} else []
        return found + [r for v in node.values() for r in _refs(v)]
    if isinstance(node, list):
        return [r for v in node for r in _refs(v)]
    return []


def test_cfn_lint_accepts_the_template() -> None:
    cfn_lint = shutil.which("cfn-lint") or _venv_tool("cfn-lint")
    if cfn_lint is None:
        pytest.skip("cfn-lint is not installed: install the `lint` extra (the `test` extra includes it)")
    completed = subprocess.run([cfn_lint, str(TEMPLATE)], capture_output=True, text=True, timeout=120, check=False)
    assert completed.returncode == 0, completed.stdout + completed.stderr


def _venv_tool(name: str) -> str | None:
    import sys

    candidate = Path(sys.executable).parent / name
    return str(candidate) if candidate.exists() else None


def readme_commands() -> list[list[str]]:
    text = README.read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", text, flags=re.DOTALL)
    commands: list[list[str]] = []
    for block in blocks:
        words = shlex.split(block.replace("\\\n", " "), comments=True)
        for i, word in enumerate(words):
            if word == "aws" and words[i + 1 : i + 2] == ["iot-managed-integrations"]:
                end = next((j for j in range(i + 2, len(words)) if words[j] == "aws"), len(words))
                commands.append(words[i + 2 : end])
    return commands


def _pascal(flag: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in flag.split("-"))


def test_the_readme_commands_exist_in_the_service_model() -> None:
    import botocore.session
    from botocore.validate import ParamValidator

    model = botocore.session.get_session().get_service_model("iot-managed-integrations")
    commands = readme_commands()
    assert [c[0] for c in commands] == [
        "create-cloud-connector",
        "create-connector-destination",
        "create-account-association",
        "start-device-discovery",
        "list-discovered-devices",
        "create-managed-thing",
        "register-account-association",
        "send-managed-thing-command",
    ]
    for words in commands:
        operation = model.operation_model(_pascal(words[0]))
        shape = operation.input_shape
        params: dict[str, Any] = {}
        for flag, value in zip(words[1::2], words[2::2], strict=True):
            assert flag.startswith("--"), (words[0], flag)
            member = _pascal(flag[2:])
            assert member in shape.members, (words[0], flag)
            kind = shape.members[member].type_name
            params[member] = json.loads(value) if kind in ("structure", "list", "map") else value
        report = ParamValidator().validate(params, shape)
        assert not report.has_errors(), (words[0], report.generate_report())
