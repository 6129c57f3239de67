"""Conformance expressions (parse, three-valued evaluation) and the device-type coverage check of mappings."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from matter_map.c2c_policy import ExemptionKind, exemption, exemptions
from matter_map.catalog import load_catalog
from matter_map.cli import main
from matter_map.conformance import (
    And,
    Choice,
    Compare,
    Expr,
    Name,
    Not,
    Or,
    VerdictKind,
    compare_revision,
    evaluate,
    evaluate_expr,
    parse,
)
from matter_map.coverage import Status, check_mapping
from matter_map.loader import compile_text, load_mapping, mapping_files

from .conftest import HUE, MAPPINGS

CATALOG = load_catalog()


def all_conformance_texts() -> set[str]:
    texts: set[str] = set()
    for cluster in CATALOG.clusters:
        for group in (cluster.attributes, cluster.commands, cluster.events, cluster.features):
            texts.update(element.conformance for element in group)
        for command in cluster.commands:
            texts.update(f.conformance for f in command.fields)
    for device in CATALOG.device_types:
        for requirement in device.requirements:
            texts.add(requirement.conformance)
            texts.update(e.conformance for e in requirement.elements)
    return texts


def test_every_catalog_conformance_parses() -> None:
    texts = all_conformance_texts()
    assert len(texts) > 300
    for text in texts:
        parse(text)


def features(*codes: str) -> Any:
    return lambda name: name in codes if name.isupper() else None


def no_compare(_: Compare) -> None:
    return None


@pytest.mark.parametrize(
    ("text", "on", "kind"),
    [
        ("M", (), VerdictKind.MANDATORY),
        ("O", (), VerdictKind.OPTIONAL),
        ("LT", ("LT",), VerdictKind.MANDATORY),
        ("LT", (), VerdictKind.DISALLOWED),
        ("[LT]", ("LT",), VerdictKind.OPTIONAL),
        ("[LT]", (), VerdictKind.DISALLOWED),
        ("!OFFONLY", (), VerdictKind.MANDATORY),
        ("!OFFONLY", ("OFFONLY",), VerdictKind.DISALLOWED),
        ("[!OFFONLY]", (), VerdictKind.OPTIONAL),
        ("HS | XY | CT", ("CT",), VerdictKind.MANDATORY),
        ("HS | XY | CT", (), VerdictKind.DISALLOWED),
        ("LF & PA_LF, [LF]", ("LF",), VerdictKind.OPTIONAL),
        ("LF & PA_LF, [LF]", ("LF", "PA_LF"), VerdictKind.MANDATORY),
        ("[!(LT | DF)]", ("DF",), VerdictKind.DISALLOWED),
        ("P, M", (), VerdictKind.PROVISIONAL),
        ("D", (), VerdictKind.DEPRECATED),
        ("M, D", (), VerdictKind.MANDATORY),
        ("X", (), VerdictKind.DISALLOWED),
        ("desc", (), VerdictKind.DESCRIBED),
        ("AUTO, O.a+", (), VerdictKind.OPTIONAL),
        ("AUTO, O.a+", ("AUTO",), VerdictKind.MANDATORY),
    ],
)
def test_examples(text: str, on: tuple[str, ...], kind: VerdictKind) -> None:
    assert evaluate(text, features(*on), no_compare).kind is kind


def test_revision_comparisons() -> None:
    for revision, kind in ((7, VerdictKind.MANDATORY), (6, VerdictKind.OPTIONAL)):
        verdict = evaluate("Rev >= v7, O", features(), lambda e, r=revision: compare_revision(e, r))
        assert verdict.kind is kind
    assert compare_revision(Compare("Status", "==", "Success"), 3) is None


def test_choice_and_unknown_conditions() -> None:
    verdict = evaluate("O.a+", features(), no_compare)
    assert verdict.choice == Choice("a", at_least=True)
    assert evaluate("[PS].b", features("PS"), no_compare).choice == Choice("b", at_least=False)
    unknown = evaluate("Active, O", lambda _: None, no_compare)
    assert (unknown.kind, unknown.undecided) == (VerdictKind.UNKNOWN, VerdictKind.MANDATORY)


NAMES = ("A", "B", "C")
_ORDER = {False: 0, None: 1, True: 2}
_VALUE = {v: k for k, v in _ORDER.items()}


def expressions() -> st.SearchStrategy[Expr]:
    leaves = st.sampled_from(NAMES).map(Name)
    return st.recursive(
        leaves,
        lambda inner: st.one_of(
            inner.map(Not),
            st.tuples(inner, inner).map(lambda p: And(*p)),
            st.tuples(inner, inner).map(lambda p: Or(*p)),
        ),
        max_leaves=8,
    )


def render(expr: Expr) -> str:
    if isinstance(expr, Name):
        return expr.name
    if isinstance(expr, Not):
        return f"!({render(expr.operand)})"
    op = "&" if isinstance(expr, And) else "|"
    assert isinstance(expr, And | Or)
    return f"({render(expr.left)} {op} {render(expr.right)})"


def kleene(expr: Expr, env: dict[str, bool | None]) -> bool | None:
    """The reference: Kleene logic is min/max over false < unknown < true."""
    if isinstance(expr, Name):
        return env[expr.name]
    if isinstance(expr, Not):
        inner = kleene(expr.operand, env)
        return None if inner is None else not inner
    assert isinstance(expr, And | Or)
    left, right = _ORDER[kleene(expr.left, env)], _ORDER[kleene(expr.right, env)]
    return _VALUE[min(left, right) if isinstance(expr, And) else max(left, right)]


@given(expressions(), st.fixed_dictionaries({n: st.sampled_from([True, False, None]) for n in NAMES}))
def test_parse_and_evaluate_agree_with_kleene_logic(expr: Expr, env: dict[str, bool | None]) -> None:
    (clause,) = parse(render(expr))
    assert clause.condition is not None
    assert evaluate_expr(clause.condition, env.get, no_compare) is kleene(expr, env)


# --- coverage of mappings ----------------------------------------------------------------------------------


@pytest.mark.parametrize("file", list(mapping_files([MAPPINGS])), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_shipped_mapping_covers_its_device_types(file: Any) -> None:
    report = check_mapping(load_mapping(file).compiled, CATALOG)
    assert report.problems == ()
    assert report.count(Status.MISSING) == 0
    assert report.summary()["missing"] == 0


EXTENDED = (HUE / "extended_color_light.yaml").read_text()


def report_for(text: str) -> Any:
    return check_mapping(compile_text(text, "m.yaml").compiled, CATALOG)


def test_a_removed_mandatory_command_is_missing() -> None:
    text = EXTENDED.replace(
        "          StepColor:\n"
        "            step: [{attribute: CurrentX, size: StepX}, {attribute: CurrentY, size: StepY}]\n",
        "",
    )
    assert text != EXTENDED
    report = report_for(text)
    assert not report.ok
    (row,) = [r for r in report.rows if r.status is Status.MISSING]
    assert (row.cluster, row.kind, row.name, row.conformance) == ("ColorControl", "command", "StepColor", "XY")


def test_a_missing_required_feature_is_reported() -> None:
    text = EXTENDED.replace("        features: [XY, CT]\n", "        features: [XY]\n", 1)
    report = report_for(text)
    assert any(r.kind == "feature" and r.name == "CT" and r.status is Status.MISSING for r in report.rows)


def test_global_attributes_count_as_mapped() -> None:
    report = check_mapping(load_mapping(HUE / "dimmable_light.yaml").compiled, CATALOG)
    globals_ = [r for r in report.rows if r.cluster == "OnOff" and r.name in ("FeatureMap", "ClusterRevision")]
    assert [r.status for r in globals_] == [Status.MAPPED, Status.MAPPED]


def test_fabric_clusters_are_exempt_and_bound_disallowed_ones_are_errors() -> None:
    report = check_mapping(load_mapping(MAPPINGS / "smartthings" / "lock.yaml").compiled, CATALOG)
    assert not any(r.cluster == "Groups" for r in report.rows)  # X for Door Lock: neither required nor listed
    lock_text = (
        MAPPINGS / "smartthings" / "lock.yaml"
    ).read_text() + "      Groups:\n        attributes:\n          NameSupport: {const: 0}\n"
    bad = report_for(lock_text)
    assert any(r.cluster == "Groups" and r.status is Status.DISALLOWED for r in bad.rows)
    assert not bad.ok
    light = check_mapping(load_mapping(HUE / "dimmable_light.yaml").compiled, CATALOG)
    exempt = {r.name for r in light.rows if r.status is Status.EXEMPT}
    assert {"Groups", "ScenesManagement", "Descriptor", "Move", "Stop", "GlobalSceneControl"} <= exempt


def test_unavailable_must_name_a_mandatory_unbound_element() -> None:
    step = (
        "            step: {attribute: CurrentLevel, direction: StepMode, size: StepSize, up: 0, down: 1, "
        "on_off: OnOff.OnOff}\n"
    )
    declared = EXTENDED.replace(
        step, step + "        unavailable:\n          OnTransitionTime: declared although it is optional here\n", 1
    )
    assert declared != EXTENDED
    report = report_for(declared)
    assert any("OnTransitionTime is declared unavailable" in p for p in report.problems)


def test_choice_sets_need_a_member() -> None:
    text = (MAPPINGS / "tuya" / "motion_sensor.yaml").read_text().replace("        features: [PIR]\n", "")
    report = report_for(text)
    assert any(r.kind == "choice" and r.status is Status.MISSING for r in report.rows)


def test_policy_table_states_a_reason_for_every_entry() -> None:
    table = exemptions()
    assert table["Groups"].kind is ExemptionKind.FABRIC
    assert exemption("OnOff", "ClusterRevision") is not None
    assert exemption("OnOff", "OnWithTimedOff") is None  # a vendor timer can provide it: no blanket exemption
    assert all(len(e.reason) > 40 for e in table.values())


def test_cli_coverage_exit_codes(tmp_path: Any, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["coverage", str(MAPPINGS)]) == 0
    out, err = capsys.readouterr()
    result = json.loads(out)
    assert result["ok"] is True
    assert len(result["mappings"]) == len(list(mapping_files([MAPPINGS])))
    assert "required" in err
    assert "mapped" in err
    broken = tmp_path / "broken.yaml"
    broken.write_text(EXTENDED.replace("          Toggle: {toggle: OnOff}\n", "", 1))
    assert main(["coverage", str(broken)]) == 1
    out, err = capsys.readouterr()
    assert json.loads(out)["ok"] is False
    assert "missing: OnOff.Toggle" in err
