"""YAML read the way Lindung reads every file a user writes: a key given twice is refused."""

from __future__ import annotations

from typing import Any

import yaml
from yaml.constructor import ConstructorError


class UniqueKeyLoader(yaml.SafeLoader):
    """PyYAML's safe loader, refusing a mapping that names the same key twice (at any depth).

    PyYAML keeps the last of two equal keys silently, so a typo such as ``0-14:`` written for
    ``65+:`` would relabel one group's estimates as another's.
    """

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, yaml.Node] = {}
        for key_node, _value in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node, deep=True)
            try:
                first = seen.get(key)
            except TypeError:
                continue  # an unhashable key: the base loader refuses it with its own words
            if first is not None:
                raise ConstructorError(
                    f"key {key!r} first given at line {first.start_mark.line + 1}",
                    first.start_mark,
                    f"key {key!r} is given twice; keep one",
                    key_node.start_mark,
                )
            seen[key] = key_node
        return super().construct_mapping(node, deep=deep)


def load_yaml(text: str) -> Any:
    """Return the document in ``text``; :class:`yaml.MarkedYAMLError` names a duplicated key."""
    return yaml.load(text, Loader=UniqueKeyLoader)
