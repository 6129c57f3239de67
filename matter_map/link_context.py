"""What a part of the linker (custom capabilities) may ask of the linker: a protocol, so neither imports the other."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from matter_map import model as m
from matter_map.catalog import Catalog, ClusterInfo
from matter_map.diagnostics import Severity
from matter_map.ir import AttributeIR, Chain, CommandIR, MatterType, RuleIR, Source
from matter_map.paths import VendorPath
from matter_map.yaml_loader import DocPath


class LinkContext(Protocol):
    """The linker's services: diagnostics, sources, paths, rules, chains and requests, checked as it checks them."""

    mapping: m.Mapping
    catalog: Catalog

    def report(
        self, code: str, message: str, path: DocPath, hint: str = "", severity: Severity = Severity.ERROR
    ) -> None: ...

    def source(self, path: DocPath) -> Source: ...

    def vendor_path(self, text: str, path: DocPath) -> VendorPath | None: ...

    def rule(self, rule: Any, path: DocPath) -> RuleIR | None: ...

    def range_param(self, pair: Sequence[Any], path: DocPath) -> tuple[Any, Any]: ...

    def chain(
        self, steps: Sequence[Any], path: DocPath, target: MatterType | None, cluster: ClusterInfo | None
    ) -> Chain | None: ...

    def check_kind(self, chain: Chain, mtype: MatterType, path: DocPath) -> None: ...

    def request_command(
        self, request: m.RequestSpec, path: DocPath, field_names: set[str], common: dict[str, Any]
    ) -> CommandIR | None: ...

    def write_value(
        self,
        value: Any,
        field_names: set[str],
        owner: str,
        attr: AttributeIR,
        path: DocPath,
        *,
        noun: str = "field",
    ) -> Any: ...
