"""What a cloud-to-cloud bridge provides by other means, or cannot provide at all, each with its reason.

Conformance checks consult this table (and only this table) before calling a mandatory element missing.
Every entry names a class of element with one reason that follows from the C2C contract, never a single
mapping's convenience; docs/conformance.md explains each class. A mapping that does bind an exempt element
is counted as mapping it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

__all__ = ["Exemption", "ExemptionKind", "exemption"]


class ExemptionKind(Enum):
    #: carried by the capability report itself: counted as mapped
    PLATFORM = "platform"
    #: needs a Matter fabric (group multicast, fabric-scoped scene tables): not applicable over C2C
    FABRIC = "fabric"
    #: needs the server to run a transition over time and accept a later Stop: not applicable over C2C
    TRANSITION = "transition"


@dataclass(frozen=True, slots=True)
class Exemption:
    kind: ExemptionKind
    reason: str

    @property
    def counts_as_mapped(self) -> bool:
        return self.kind is ExemptionKind.PLATFORM


_GLOBALS = Exemption(
    ExemptionKind.PLATFORM,
    "a global attribute: the capability report states the revision, feature map, attributes, commands and events",
)
_DESCRIPTOR = Exemption(
    ExemptionKind.PLATFORM,
    "the capability report's endpoints and deviceTypes carry what the Descriptor cluster describes",
)
_GROUPS = Exemption(
    ExemptionKind.FABRIC,
    "group membership serves group-addressed messages on a Matter fabric; C2C commands address one managed thing",
)
_SCENES = Exemption(
    ExemptionKind.FABRIC,
    "scene tables are fabric-scoped and keyed by group id; C2C has neither fabric nor groups",
)
_GLOBAL_SCENE = Exemption(
    ExemptionKind.FABRIC,
    "defined through the global scene of the Scenes Management cluster, which is fabric-scoped",
)
_TRANSITION = Exemption(
    ExemptionKind.TRANSITION,
    "a rate-driven move continues until a later Stop; a C2C command becomes one vendor request for a target "
    "state, so there is no running transition to continue or stop",
)

GLOBAL_ATTRIBUTES = frozenset(
    {"ClusterRevision", "FeatureMap", "AttributeList", "AcceptedCommandList", "GeneratedCommandList", "EventList"}
)

_CLUSTERS: dict[str, Exemption] = {
    "Descriptor": _DESCRIPTOR,
    "Groups": _GROUPS,
    "ScenesManagement": _SCENES,
}

_ELEMENTS: dict[tuple[str, str], Exemption] = {
    ("OnOff", "GlobalSceneControl"): _GLOBAL_SCENE,
    ("OnOff", "OnWithRecallGlobalScene"): _GLOBAL_SCENE,
    ("LevelControl", "Move"): _TRANSITION,
    ("LevelControl", "MoveWithOnOff"): _TRANSITION,
    ("LevelControl", "Stop"): _TRANSITION,
    ("LevelControl", "StopWithOnOff"): _TRANSITION,
    ("ColorControl", "MoveHue"): _TRANSITION,
    ("ColorControl", "MoveSaturation"): _TRANSITION,
    ("ColorControl", "MoveColor"): _TRANSITION,
    ("ColorControl", "MoveColorTemperature"): _TRANSITION,
    ("ColorControl", "EnhancedMoveHue"): _TRANSITION,
    ("ColorControl", "StopMoveStep"): _TRANSITION,
}


def exemption(cluster: str, element: str | None = None) -> Exemption | None:
    """The exemption of a whole cluster (element None) or of one of its elements, if any."""
    if element is None:
        return _CLUSTERS.get(cluster)
    if element in GLOBAL_ATTRIBUTES:
        return _GLOBALS
    return _ELEMENTS.get((cluster, element)) or _CLUSTERS.get(cluster)


def exemptions() -> dict[str, Exemption]:
    """Every entry, keyed `Cluster` or `Cluster.Element` (for the documentation and its test)."""
    table = dict(_CLUSTERS)
    table.update({f"{c}.{e}": x for (c, e), x in _ELEMENTS.items()})
    table.update({f"*.{name}": _GLOBALS for name in sorted(GLOBAL_ATTRIBUTES)})
    return table
