"""The registry of problem codes: every code any layer reports, declared once with its meaning and what to do."""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

from matter_map import runtime
from matter_map.runtime import Location, Problem, TranslationError, TranslationProblem, UnknownProblemCodeError

__all__ = [
    "CATEGORIES",
    "REGISTRY",
    "CodeInfo",
    "Location",
    "Problem",
    "TranslationError",
    "TranslationProblem",
    "UnknownProblemCodeError",
    "codes_of",
    "info",
]

#: the layers a problem arises in, in the order docs/problems.md lists them
CATEGORIES = ("mapping", "translation", "payload", "connector")

#: (layers, what it means, what to do) per code; the runtime declares the translation codes it raises itself
_Entry = tuple[tuple[str, ...], str, str]

_MAPPING: dict[str, _Entry] = {
    # reading the file
    "unreadable": (("mapping",), "the mapping file cannot be read", "check the file name and its permissions"),
    "encoding": (("mapping",), "the mapping file is not UTF-8", "save the file as UTF-8"),
    "document-too-large": (
        ("mapping",),
        "the file, or what its aliases expand to, exceeds the size a mapping may have",
        "split the file, or repeat values instead of expanding large aliases",
    ),
    "yaml-syntax": (("mapping",), "the file is not well-formed YAML", "fix the YAML at the position shown"),
    "yaml-tag": (("mapping",), "an explicit YAML tag (`!!str`, `!foo`)", "remove the tag: a mapping is plain data"),
    "yaml-recursive-alias": (("mapping",), "an alias that contains itself", "write the value out instead"),
    "yaml-node": (("mapping",), "a YAML node of a kind a mapping cannot hold", "use objects, lists and scalars"),
    "yaml-encoding": (
        ("mapping",),
        "a lone UTF-16 surrogate escape, which is not a character",
        "escape the full surrogate pair, or write the character itself",
    ),
    "yaml-key": (("mapping",), "an object key that is not a plain string", "quote the key"),
    "yaml-merge-key": (("mapping",), "a merge key (`<<`)", "repeat the keys instead of merging them"),
    "duplicate-key": (("mapping",), "a key given twice in one object", "keep one of the two (both are shown)"),
    "not-a-mapping": (("mapping",), "the file's top level is not an object", "start the file with `vendor:` etc."),
    # vendor profiles of fragments
    "missing-fragment": (("mapping",), "a profile names a fragment file that does not exist", "check the name"),
    "duplicate-fragment": (
        ("mapping",),
        "two fragment files of a profile define the same fragment name",
        "rename one of the fragments",
    ),
    # the language (the typed model)
    "missing-key": (("mapping",), "a required key is absent", "add the key the message names"),
    "unknown-key": (("mapping",), "a key the mapping language does not have", "check the spelling (see the hint)"),
    "invalid-value": (("mapping",), "a value that is not one the key allows", "use one of the values listed"),
    "invalid": (("mapping",), "a value the mapping language refuses", "follow docs/mapping-language.md for the key"),
    "wrong-type": (
        ("mapping", "payload"),
        "a value of the wrong kind (text for a number, a list for an object; in a payload, the wrong JSON type)",
        "write the value as the kind the message names (quote YAML 1.1 words such as `on`)",
    ),
    "too-short": (("mapping", "payload"), "a text or list shorter than allowed", "add the missing items or text"),
    "too-long": (("mapping", "payload"), "a text or list longer than allowed", "shorten it"),
    "unknown-transform": (("mapping",), "a transform name that does not exist", "use a transform of the language"),
    # the Matter catalog and the bindings
    "bad-path": (("mapping",), "a vendor path that does not parse", "write paths as `a.b`, `a[0]`, `a[key=value]`"),
    "duplicate-endpoint": (("mapping",), "an endpoint id used twice", "give each endpoint its own id"),
    "unknown-device-type": (("mapping",), "a device type the Matter catalog does not have", "see `matter-map catalog`"),
    "unknown-cluster": (("mapping",), "a cluster the Matter catalog does not have", "see `matter-map catalog`"),
    "unknown-attribute": (("mapping",), "an attribute the cluster does not have", "check the name (see the hint)"),
    "unknown-command": (("mapping",), "a command the cluster does not have", "check the name (see the hint)"),
    "unknown-event": (("mapping",), "an event the cluster does not have", "check the name (see the hint)"),
    "unknown-field": (("mapping",), "a field the command or event does not have", "check the name (see the hint)"),
    "unknown-feature": (("mapping",), "a feature the cluster does not have", "use a feature code of the cluster"),
    "unknown-element": (
        ("mapping",),
        "an element named as unavailable that the cluster does not have",
        "name an attribute or command of the cluster",
    ),
    "unknown-enum-value": (("mapping",), "a key that is not a member of the attribute's enum", "use a member"),
    "unknown-property": (("mapping",), "a custom capability property that is not declared", "declare it first"),
    "missing-field": (("mapping",), "a mandatory field of a command or event is not bound", "bind it or give a const"),
    "missing-reason": (
        ("mapping",),
        "an element marked unavailable without saying why",
        "say why the vendor API cannot provide it",
    ),
    "unavailable-but-bound": (("mapping",), "an element is both bound and marked unavailable", "keep one of the two"),
    "revision-out-of-range": (("mapping",), "a cluster revision outside 1..10", "set the revision you target"),
    "type-mismatch": (
        ("mapping",),
        "the transforms produce a kind of value the Matter type cannot hold (a fraction for an integer)",
        "give the last numeric transform a `round:` policy, or fix the transform chain",
    ),
    "const-out-of-range": (("mapping",), "a constant outside its Matter type's range", "use a value in range"),
    "range-exceeds-constraint": (
        ("mapping",),
        "the declared vendor range maps beyond the Matter attribute's constraint",
        "fix the vendor `range:` or end the transforms with a `clamp`",
    ),
    "range-unproven": (
        ("mapping",),
        "nothing proves the translated value stays within the Matter constraint",
        "declare the vendor `range:` or end the transforms with a `clamp`",
    ),
    "non-invertible-transform": (
        ("mapping",),
        "a transform that cannot be run backwards (two ends equal, a factor of 0)",
        "give distinct ends, or mark the binding `read_only: true`",
    ),
    "non-invertible-path": (
        ("mapping",),
        "a written vendor path selects from a list, so a write cannot be built from it",
        "mark the binding `read_only: true` or bind a key-only path",
    ),
    "bad-clamp": (("mapping",), "a clamp whose minimum is above its maximum", "swap the bounds"),
    "bad-decimal": (("mapping",), "a decimal scale outside 0..9 or a step below 1", "use a scale and step in range"),
    "bad-step": (("mapping",), "a step command that wraps an attribute without bounds", "drop `wrap` or bound it"),
    "bad-alias": (("mapping",), "an enum alias pointing at a value the table does not have", "point at a value"),
    "unbound-write-target": (
        ("mapping",),
        "a command writes an attribute that no vendor path is bound to",
        "bind the attribute, or drop the command",
    ),
    "read-only-write-target": (
        ("mapping",),
        "a command writes an attribute that is a constant or read-only here",
        "bind it writable, or drop the command",
    ),
    "missing-write-encoding": (
        ("mapping",),
        "a write needs a method and url, and neither it nor the top-level `write:` gives them",
        "add `write: {method, url}` at the top level or on the binding",
    ),
    # custom capabilities
    "bad-capability-id": (("mapping",), "a custom capability id of the wrong form", "write it as `vendor.Name`"),
    "empty-capability": (("mapping",), "a custom capability with no properties and no actions", "declare some"),
    "bad-name": (("mapping",), "a property or action name that is not letters and digits", "rename it"),
    "bad-id": (("mapping",), "an id that is not a number of at most 32 bits", "write it like `0xFC00` or `3`"),
    "duplicate-id": (("mapping",), "two properties or actions with the same id", "give each its own id"),
    # vendor schemas
    "vendor-schema-type": (
        ("mapping",),
        "the vendor schema gives a type the binding cannot read",
        "fix the binding's path or transforms",
    ),
    "vendor-schema-range": (
        ("mapping",),
        "the vendor schema's range disagrees with the mapping's declared range",
        "make the two agree",
    ),
    "vendor-schema-enum": (
        ("mapping",),
        "the vendor schema's enum disagrees with the mapping's enum table",
        "map every value the schema lists",
    ),
    "vendor-schema-missing-path": (
        ("mapping",),
        "a bound vendor path the vendor schema does not declare",
        "fix the path, or extend the schema if the vendor sends it",
    ),
    "vendor-schema-unresolved": (
        ("mapping",),
        "a vendor path that cannot be followed in the vendor schema",
        "simplify the schema at that point",
    ),
    "vendor-schema-refused": (("mapping",), "the vendor schema itself is not valid", "fix the vendor schema file"),
    "vendor-schema-unreadable": (("mapping",), "the vendor schema file cannot be read", "check the file"),
}

_TRANSLATION: dict[str, _Entry] = {
    "no-matching-mapping": (
        ("translation", "connector"),
        "no mapping of the folder recognises the payload",
        "check the payload's device kind, or add a mapping whose `match:` recognises it",
    ),
    "ambiguous-mapping": (
        ("translation",),
        "several mappings of the folder recognise the payload",
        "make their `match:` rules exclusive",
    ),
    "not-a-device": (("translation",), "a payload composed per device is not a JSON object", "send the device"),
    "no-fragment-applies": (
        ("translation",),
        "no fragment of the vendor profile binds anything the device declares",
        "add a fragment for what the device declares, or leave the device out",
    ),
    "composition-not-conformant": (
        ("translation",),
        "the fragments chosen for the device do not make a conformant Matter device",
        "add the fragment that supplies what the conformance check names",
    ),
    "composition-invalid": (
        ("translation",),
        "the fragments chosen for the device do not compose into a valid mapping",
        "fix the fragments so that they validate together (the message lists the mapping problems)",
    ),
    "unrecognised-payload": (
        ("translation",),
        "the payload does not have the shape of the mapping's device kind",
        "send a payload of the device kind the mapping is for",
    ),
}

_PAYLOAD: dict[str, _Entry] = {
    "missing-required": (
        ("payload",),
        "a member the service model (or the C2C contract, for this Operation) requires is absent",
        "add the member; in a mapping, bind what the Matter element needs",
    ),
    "unknown-member": (("payload",), "a key that is not a member of the model structure", "remove the key"),
    "enum": (("payload",), "a string outside the shape's enum", "use one of the enum's values"),
    "pattern": (("payload",), "a string the shape's pattern does not fully match", "send text the pattern allows"),
    "pattern-unsupported": (
        ("payload",),
        "the model's pattern cannot be translated to Python, so the value is refused (fails closed)",
        "report it: the checker needs to learn the pattern",
    ),
    "too-small": (("payload",), "a number below the shape's minimum", "send a number in range"),
    "too-large": (("payload",), "a number above the shape's maximum", "send a number in range"),
    "not-json": (
        ("payload",),
        "not JSON: NaN, infinity, a non-string key, a set, nesting too deep, or json.dumps refuses it",
        "send plain JSON values",
    ),
    "hex-id": (
        ("payload",),
        "a Matter id the C2C contract wants as 0x and hex digits (at most 32 bits)",
        "write the id as `0x` and hex digits",
    ),
    "document": (
        ("payload",),
        "a document member whose JSON shape the C2C contract fixes (an object) is something else",
        "send an object keyed by hex id",
    ),
    "union": (("payload",), "a tagged union with zero or several members set", "set exactly one member"),
}

_CONNECTOR: dict[str, _Entry] = {
    # the request from IoT Managed Integrations
    "bad-event": (("connector",), "the Lambda event has no payload object", "send an AWS.* operation event"),
    "unknown-operation": (("connector",), "payload.operationName is not an AWS operation", "send a known one"),
    "bad-connector-id": (("connector",), "no valid connectorId in the event or the configuration", "configure one"),
    "bad-discovery-id": (("connector",), "payload.deviceDiscoveryId is missing or malformed", "send a valid id"),
    "bad-trace-id": (("connector",), "payload.traceId is missing or malformed", "send a valid traceId"),
    "bad-user-id": (("connector",), "a user id that is not one AWS.ActivateUser returned", "send the returned id"),
    "trace-id-reused": (("connector",), "a traceId used before for another command", "use a new traceId"),
    "command-in-progress": (
        ("connector",),
        "the command with this traceId is still running",
        "wait for its DEVICE_COMMAND_RESPONSE before retrying",
    ),
    "unknown-kind": (("connector",), "no mapping has that vendor device kind", "deploy a mapping for it"),
    "unknown-device": (("connector",), "the connector's store does not know the device", "run discovery first"),
    "missing-auth": (("connector",), "the request carries no usable header.auth", "send a token or a secret ARN"),
    "unsupported-auth": (
        ("connector",),
        "header.auth.type is neither OAuth2.0 nor GeneralAuthorization",
        "use one of the two",
    ),
    "secret-unavailable": (("connector",), "the secret could not be read", "check the ARN and the role's access"),
    "translation": (("connector",), "a translation failed without a problem listed", "read the connector's log"),
    # webhooks
    "bad-webhook": (("connector",), "a webhook body that is empty, not JSON or nested too deeply", "send JSON"),
    "bad-signature": (("connector",), "the webhook signature is missing or wrong", "check the shared secret"),
    "webhook-too-large": (("connector",), "the webhook body is too large", "send smaller updates"),
    # the vendor cloud
    "unauthorized": (("connector",), "the vendor refused the credentials", "link the account again"),
    "not-found": (("connector",), "the vendor does not know the device or resource", "run discovery again"),
    "throttled": (("connector",), "the vendor throttled the request", "retry later"),
    "vendor-rejected": (("connector",), "the vendor rejected the request (another 4xx)", "check the mapping's write"),
    "vendor-unavailable": (("connector",), "the vendor failed the request with a 5xx", "retry later"),
    "vendor-unreachable": (("connector",), "the vendor could not be reached", "check the network and base URL"),
    "vendor-timeout": (("connector",), "the vendor did not answer within the time budget", "retry later"),
    "bad-vendor-response": (
        ("connector",),
        "the vendor's response is not JSON, too large, nested too deeply or lacks what was expected",
        "check the vendor API version the mapping is written for",
    ),
    "bad-url": (("connector",), "a request path leaves the vendor base path or holds a dot segment", "fix the url"),
    "foreign-url": (("connector",), "a request URL points outside the vendor base URL", "fix the mapping's url"),
    "bad-header": (("connector",), "a header value that is not valid in HTTP", "fix the header template"),
    "not-configured": (("connector",), "no user endpoint is configured for this vendor", "configure it"),
    # the connector's own services
    "store-unavailable": (("connector",), "the connector's store could not be reached", "retry later"),
    "event-not-delivered": (("connector",), "SendConnectorEvent could not be delivered", "retry later"),
}


class CodeInfo(NamedTuple):
    """What the registry knows of one code."""

    code: str
    layers: tuple[str, ...]
    summary: str
    action: str


def _registry(*tables: Mapping[str, _Entry]) -> dict[str, CodeInfo]:
    registry: dict[str, CodeInfo] = {}
    for table in tables:
        for code, (layers, summary, action) in table.items():
            if code in registry:
                raise ValueError(f"problem code {code!r} is declared twice")
            if not set(layers) <= set(CATEGORIES):
                raise ValueError(f"problem code {code!r} names an unknown layer in {layers}")
            registry[code] = CodeInfo(code, layers, summary, action)
    return registry


#: every problem code, declared once: the runtime's (translation) and those of this module
REGISTRY: Mapping[str, CodeInfo] = _registry(runtime.PROBLEM_CODES, _MAPPING, _TRANSLATION, _PAYLOAD, _CONNECTOR)
runtime.register_problem_codes(REGISTRY)


def codes_of(layer: str) -> dict[str, str]:
    """code → summary for the codes that arise in `layer`."""
    return {code: info.summary for code, info in REGISTRY.items() if layer in info.layers}


def info(code: str) -> CodeInfo:
    """The registry's entry of `code`; UnknownProblemCodeError when no table declares it."""
    found = REGISTRY.get(code)
    if found is None:
        raise UnknownProblemCodeError(f"problem code {code!r} is not registered")
    return found
