"""Typed models of a vendor profile and its fragments: parts of a device composed into one mapping per device."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from matter_map.model import ClusterBinding, DeviceSpec, Identifier, WriteEncoding, _Strict

VARIABLE_HELP = (
    "`${name}` is the code chosen for `codes.name`, `${name.spec}` the path of its spec (the device's `function` "
    "entry when it has one, else its `status_range` entry), `${n}` the instance and `${component}` the component"
)


class Declares(_Strict):
    """Where a device lists its parts: exactly one of `codes` or `components`."""

    codes: list[str] | None = Field(
        default=None,
        description="object paths whose keys are the parts the device declares (Tuya: status_range, function)",
    )
    writable: str | None = Field(
        default=None,
        description="with `codes`: the object path whose keys are the parts the device accepts writes for "
        "(Tuya: function); a binding of another part is read-only and commands that write it are not offered",
    )
    state_prefix: str = Field(
        default="status.", description="with `writable`: the prefix of the vendor paths that hold part values"
    )
    components: str | None = Field(
        default=None,
        description="an object path whose keys are components, each an object keyed by capability (SmartThings)",
    )

    @model_validator(mode="after")
    def _one_form(self) -> Declares:
        if (self.codes is None) == (self.components is None):
            raise ValueError("`declares` needs exactly one of `codes` or `components`")
        return self


class Profile(_Strict):
    """A vendor's device parts: fragments composed per device from what the device declares."""

    matter_map: Literal[1] = Field(description="mapping language version")
    vendor: Identifier
    profile: Identifier
    title: str = Field(min_length=1, max_length=200)
    spec_version: str = Field(default="1.4", pattern=r"^\d+\.\d+$")
    device: DeviceSpec
    base_url: str = ""
    write: WriteEncoding | None = None
    declares: Declares
    category: str | None = Field(default=None, description="vendor path of the device category")
    classes: dict[Identifier, list[str]] = Field(
        default_factory=dict,
        description="device class (light, plug, cover, sensor, thermostat, air_conditioner) → vendor categories; "
        "the class and the clusters an endpoint ends up with choose its Matter device type",
    )
    fragments: list[str] = Field(min_length=1, description="fragment files (relative to the profile), in order")


class Fragment(_Strict):
    """One vendor part (a Tuya DP group, a SmartThings capability) bound to Matter clusters."""

    fragment: Identifier
    title: str = Field(min_length=1, max_length=200)
    priority: int = Field(default=0, description="within a group, the highest priority whose codes resolve wins")
    group: Identifier | None = Field(
        default=None, description="at most one fragment of a group per endpoint (alternatives of one part)"
    )
    categories: list[str] | None = Field(default=None, description="only devices of these vendor categories")
    device_class: Identifier | None = Field(
        default=None,
        alias="class",
        description="the device class this part implies when the vendor category names none (SmartThings)",
    )
    codes: dict[Identifier, list[str]] = Field(
        default_factory=dict,
        description="each name takes the first of its codes the device declares; every name must resolve. "
        + VARIABLE_HELP,
    )
    absent: list[str] = Field(default_factory=list, description="codes the device must not declare")
    instances: list[int] | None = Field(
        default=None, description="values of `${n}`: one instance per value whose codes resolve (gangs, outlets)"
    )
    endpoint: str = Field(
        default="main", description="the endpoint key; fragments with the same key share one Matter endpoint"
    )
    every_endpoint: bool = Field(
        default=False, description="added to every endpoint the other fragments produced (Identify)"
    )
    clusters: dict[str, ClusterBinding] = Field(min_length=1)
