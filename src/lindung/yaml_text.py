"""YAML read the way Lindung reads every file a user writes: a key given twice is refused.

Documents are parsed by libyaml where PyYAML was built with it (ten times faster: the framework
catalogue's YAML is read at every survey estimate); a document libyaml refuses is parsed again
by the pure-Python parser, so every refusal is worded and placed as PyYAML's own.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor


class _UniqueKeys(SafeConstructor):
    """PyYAML's safe constructor, refusing a mapping that names the same key twice (at any depth).

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


class UniqueKeyLoader(_UniqueKeys, yaml.SafeLoader):
    """The pure-Python safe loader with :class:`_UniqueKeys`: its errors are PyYAML's words."""


_FAST: type[Any] | None = None
if getattr(yaml, "__with_libyaml__", False):

    class _FastUniqueKeyLoader(_UniqueKeys, yaml.CSafeLoader):
        """libyaml's safe loader with :class:`_UniqueKeys`."""

    _FAST = _FastUniqueKeyLoader


def load_yaml(text: str) -> Any:
    """Return the document in ``text``; :class:`yaml.MarkedYAMLError` names a duplicated key."""
    if _FAST is not None:
        try:
            return yaml.load(text, Loader=_FAST)
        except yaml.YAMLError:
            pass  # refused: parsed again below, for PyYAML's own words and marks
    return yaml.load(text, Loader=UniqueKeyLoader)


def compose_yaml(text: str) -> yaml.Node | None:
    """Return the node tree of the document in ``text`` (its positions), parsed as
    :func:`load_yaml` parses it."""
    if _FAST is not None:
        try:
            node: yaml.Node | None = yaml.compose(text, Loader=yaml.CSafeLoader)
            return node
        except yaml.YAMLError:
            pass
    return yaml.compose(text, Loader=yaml.SafeLoader)
