"""Struct-typed attributes: constants checked field by field (enum members by name) and structs built from
vendor values, each field through its own transforms and type check; generated modules refuse them."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from matter_map.codegen import CodegenError, render_module
from matter_map.diagnostics import MappingError
from matter_map.errors import TranslationError
from matter_map.ir import CompiledMapping, ConstSource
from matter_map.loader import compile_text
from matter_map.translator import Translator

HEAD = """matter_map: 1
vendor: acme
kind: meter
title: a test meter
match: {path: id, present: true}
device: {id: id}
endpoints:
  - id: 1
    device_types: [ElectricalSensor]
    clusters:
      PowerTopology: {features: [NODE]}
      ElectricalEnergyMeasurement:
        features: [IMPE, CUME]
        attributes:
"""

ACCURACY = """          Accuracy:
            const:
              MeasurementType: {kind}
              Measured: true
              MinMeasuredValue: 0
              MaxMeasuredValue: 1000000
              AccuracyRanges: [{{RangeMin: 0, RangeMax: 1000000, PercentMax: {percent}}}]
"""

ENERGY = """          CumulativeEnergyImported:
            fields:
              Energy:
                path: kwh
                range: [0, 100000]
                transforms: [scale: {factor: 1000000, round: half_even}]
              StartTimestamp: {const: 1700000000}
"""


def compile_meter(text: str) -> CompiledMapping:
    return compile_text(HEAD + text, "meter.yaml").compiled


def problems(text: str) -> list[tuple[str, str]]:
    with pytest.raises(MappingError) as caught:
        compile_meter(text)
    return [(d.code, d.message) for d in caught.value.diagnostics if d.severity.value == "error"]


def test_a_struct_constant_by_field_names_becomes_field_ids_with_enum_numbers() -> None:
    compiled = compile_meter(ACCURACY.format(kind="ElectricalEnergy", percent=500) + ENERGY)
    accuracy = next(a for _, c in compiled.clusters() for a in c.attributes if a.name == "Accuracy")
    assert accuracy.reads == ConstSource(
        {
            "0x0000": 14,
            "0x0001": True,
            "0x0002": 0,
            "0x0003": 1000000,
            "0x0004": [{"0x0000": 0, "0x0001": 1000000, "0x0002": 500}],
        }
    )


@pytest.mark.parametrize(
    ("kind", "percent", "expected"),
    [
        ("Electrical", 500, "'Electrical' is not a member of the enum"),
        ("ElectricalEnergy", 70000, "PercentMax: 70000 is above the maximum 10000"),
    ],
)
def test_struct_constant_fields_are_validated(kind: str, percent: int, expected: str) -> None:
    found = problems(ACCURACY.format(kind=kind, percent=percent) + ENERGY)
    assert [code for code, _ in found] == ["const-out-of-range"]
    assert expected in found[0][1]


def test_unknown_and_missing_struct_constant_fields() -> None:
    text = ACCURACY.format(kind="ElectricalEnergy", percent=1).replace("Measured: true", "Measurd: true")
    (code, message), *_ = problems(text + ENERGY)
    assert code == "const-out-of-range"
    assert "has no field 'Measurd'" in message
    assert "needs the field 'Measured'" in message


def test_struct_fields_binding_is_checked_against_the_struct() -> None:
    accuracy = ACCURACY.format(kind="ElectricalEnergy", percent=1)
    missing = ENERGY.replace("              Energy:", "              Enrgy:")
    codes = {code for code, _ in problems(accuracy + missing)}
    assert codes == {"unknown-field", "missing-field"}
    not_struct = accuracy + ENERGY.replace("CumulativeEnergyImported", "CumulativeEnergyReset")
    assert {code for code, _ in problems(not_struct)} <= {"type-mismatch", "unknown-field", "missing-field"}


METER = compile_meter(ACCURACY.format(kind="ElectricalEnergy", percent=1) + ENERGY)


def energy_of(state: Any) -> Any:
    events = Translator(METER).to_matter(state)
    for cluster in events[0]["MatterEndpoint"]["clusters"]:
        if cluster["id"] == "0x0091":
            return cluster["attributes"].get("0x0001")
    return None


@given(st.integers(0, 100000))
def test_a_struct_is_built_from_the_vendor_value(kwh: int) -> None:
    assert energy_of({"id": "m1", "kwh": kwh}) == {"0x0000": kwh * 1000000, "0x0001": 1700000000}


def test_a_missing_or_implausible_field_value_is_a_problem() -> None:
    with pytest.raises(TranslationError) as caught:
        Translator(METER).to_matter({"id": "m1"})
    assert [p.code for p in caught.value.problems] == ["missing-vendor-value"]
    with pytest.raises(TranslationError) as caught:
        Translator(METER).to_matter({"id": "m1", "kwh": 10**9})
    assert [p.code for p in caught.value.problems] == ["implausible-vendor-value"]


def test_the_code_generator_refuses_struct_fields_rather_than_emit_wrong_code() -> None:
    with pytest.raises(CodegenError, match="built from struct fields"):
        render_module(METER)


def test_mapping_docs_list_each_struct_field() -> None:
    from matter_map.catalog import load_catalog
    from matter_map.mapping_docs import render_mapping

    lines = [line for line in render_mapping(METER, load_catalog(), "") if "CumulativeEnergyImported" in line]
    assert [line.split("|")[1].strip() for line in lines] == [
        "CumulativeEnergyImported.Energy",
        "CumulativeEnergyImported.StartTimestamp",
    ]
