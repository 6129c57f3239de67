"""Unique, checked names for the generated module, and the module-level constants they stand for."""

from __future__ import annotations

from collections.abc import Callable

from matter_map.codegen.layout import Block, Node, as_call, as_list, flat, from_json
from matter_map.codegen.literals import Code, code, identifier, literal, snake
from matter_map.paths import Select, VendorPath


class Names:
    """Hands out identifiers (checked, never reused) and collects the constants emitted before the code."""

    def __init__(self) -> None:
        self.used: set[str] = set()
        self.constants = Block(packed=True)
        self._paths: dict[str, Code] = {}
        self._keys: dict[str, Code] = {}
        self.types: dict[str, Code] = {}
        self.functions: list[Block] = []
        self.tables = Block(packed=True)
        self.readers: dict[tuple[str, str], Code] = {}
        self.readers_by_id: dict[int, Code] = {}
        self.records: dict[int, Code] = {}
        self._memo: dict[int, tuple[Code, object]] = {}
        self._same: dict[tuple[str, str], Code] = {}

    def fresh(self, prefix: str, *parts: str, upper: bool = False) -> Code:
        """`_read_level_control_current_level`; a number is appended when the name is taken."""
        base = "_".join([prefix, *(snake(p) for p in parts)]) if parts else prefix
        if upper:
            base = base.upper()
        name, n = base, 1
        while name in self.used:
            n += 1
            name = f"{base}_{n}"
        self.used.add(name)
        return identifier(name)

    def reserve(self, *names: str) -> None:
        self.used.update(names)

    def constant(
        self, prefix: str, function: Code | None, args: list[Node] | Node, *parts: str, late: bool = False
    ) -> Code:
        """A module-level `NAME = function(args...)` (or `NAME = args` when function is None).

        Constants go before the functions; `late` ones (records naming functions) after them. An early constant
        equal to one already emitted is that one (a where-tuple shared by a binding's reader, writer and record)."""
        if function is not None:
            assert isinstance(args, list)
            value: Node = as_call(function, args)
        else:
            assert not isinstance(args, list)
            value = args
        key = (prefix, flat(value))
        if not late and key in self._same:
            return self._same[key]
        name = self.fresh(prefix, *parts, upper=True)
        (self.tables if late else self.constants).display("$name = ", value, name=name)
        if not late:
            self._same[key] = name
        return name

    def path(self, path: VendorPath) -> Code:
        """The segments of a vendor path as a module constant (keys, indexes, `[key, value]` selections)."""
        found = self._paths.get(path.text)
        if found is None:
            segments: list[Node] = [
                as_list([literal(s.key), literal(s.value)]) if isinstance(s, Select) else literal(s)
                for s in path.segments
            ]
            found = self.constant("_PATH", None, as_list(segments))
            self._paths[path.text] = found
        return found

    def key(self, value: object) -> Code:
        """`rule_key(value)` of a rule's literal, computed once at import."""
        text = repr(value)
        found = self._keys.get(text)
        if found is None:
            found = self.constant("_KEY", code("rule_key"), [from_json(value)])
            self._keys[text] = found
        return found

    def key_set(self, values: tuple[object, ...]) -> Code:
        """`frozenset(map(rule_key, values))` of a rule's `in` list, computed once at import."""
        text = "set:" + repr(list(values))
        found = self._keys.get(text)
        if found is None:
            call = as_call(code("map"), [code("rule_key"), from_json(list(values))])
            found = self.constant("_KEYS", code("frozenset"), [call])
            self._keys[text] = found
        return found

    def memo(self, key: object, make: Callable[[], Code]) -> Code:
        """One constant per IR object (a binding's where-tuple, an enum table); the object is kept alive."""
        found = self._memo.get(id(key))
        if found is None:
            found = (make(), key)
            self._memo[id(key)] = found
        return found[0]
