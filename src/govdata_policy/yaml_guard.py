"""A look at a YAML text's shape before it is built into Python values.

Every YAML file the package reads (rule files, profiles, mappings, calendar overrides, YAML
test cases) is written by a person and may come from anyone. Two shapes of a small file cost
without bound once built:

- aliases ("billion laughs"): ``&a [x, x, …]`` then ``&b [*a, *a, …]`` ten levels deep is a
  1 KB file whose values, once anything walks them (``str()``, pydantic, a deep copy), are
  10**11 strings: a mapping file like that ran out of memory after 40 s, a YAML test case
  hung. An alias that refers to its own collection makes a value with no end at all.
- nesting: ``[[[[…]]]]`` a few thousand deep overflows Python's recursion limit in the
  loader or in validation (a traceback), and some 200,000 deep crashes libyaml's C composer
  (a segmentation fault, no message at all).

The events of a text are parsed once, iteratively (no recursion, no values built: about a
third of the time of the load itself), counting how deep collections nest and how many nodes
the aliases would add. Files without aliases (all the bundled ones) are never refused for their
size: only what aliases add beyond the text is bounded.
"""

from __future__ import annotations

from typing import Any

import yaml

MAX_DEPTH = 100  # the bundled files nest under 10 deep
MAX_ALIAS_NODES = 100_000  # nodes aliases may add beyond those written


class YamlShapeError(yaml.MarkedYAMLError):
    """A YAML text refused for its shape; ``problem`` and ``problem_mark`` as a parser error has them."""

    def __init__(self, problem: str, mark: Any) -> None:
        super().__init__(problem=problem, problem_mark=mark)


def check_shape(text: str, loader: type) -> None:
    """Raise YamlShapeError when ``text`` nests deeper than MAX_DEPTH or its aliases would add
    more than MAX_ALIAS_NODES nodes (or refer to a collection they are inside of)."""
    counts: list[int] = []  # nodes so far in each open collection, itself counted
    anchors: list[str | None] = []  # the anchor of each open collection
    sizes: dict[str, int] = {}  # anchor -> nodes its value holds, aliases in it expanded
    added = 0
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, yaml.CollectionStartEvent):
            if len(counts) >= MAX_DEPTH:
                raise YamlShapeError(f"nested more than {MAX_DEPTH} deep", event.start_mark)
            counts.append(1)
            anchors.append(event.anchor)
        elif isinstance(event, yaml.CollectionEndEvent):
            size = counts.pop()
            anchor = anchors.pop()
            if anchor is not None:
                sizes[anchor] = size
            if counts:
                counts[-1] += size
        elif isinstance(event, yaml.ScalarEvent):
            if event.anchor is not None:
                sizes[event.anchor] = 1
            if counts:
                counts[-1] += 1
        elif isinstance(event, yaml.AliasEvent):
            if event.anchor in anchors:
                raise YamlShapeError(f"the alias *{event.anchor} refers to a collection it is inside of "
                                     "(a value with no end)", event.start_mark)
            size = sizes.get(event.anchor, 1)  # an undefined alias: the loader names it
            added += size - 1
            if added > MAX_ALIAS_NODES:
                raise YamlShapeError(f"aliases (*{event.anchor} and others) would repeat more than "
                                     f"{MAX_ALIAS_NODES:,} values: write them out, or use fewer", event.start_mark)
            if counts:
                counts[-1] += size


class NoRepeatedKeys:
    """A loader mixin (before the loader class among the bases): a ConstructorError at a key given twice in
    one mapping. YAML keeps the last silently, so a second ``period:``, header or ``off:`` undid the first
    with no word. Rule, profile, mapping and calendar files all load with it."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)  # type: ignore[attr-defined]
            if not isinstance(key, str | int | float | bool):
                continue  # a list or mapping as a key: the constructor refuses it with its line
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"the key {key!r} is given twice in one mapping (keep one)", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)  # type: ignore[misc]


def load(text: str, loader: type) -> Any:
    """``yaml.load(text, Loader=loader)`` after ``check_shape``; both raise ``yaml.YAMLError``."""
    check_shape(text, loader)
    return yaml.load(text, Loader=loader)  # every loader passed is a SafeLoader subclass


def worded_error(text: str, refused: yaml.MarkedYAMLError, loader: type) -> yaml.MarkedYAMLError:
    """libyaml's error for ``text``, or the one PyYAML's own parser (``loader``, the same constructors on
    ``yaml.SafeLoader``) gives for it: the same line, in more words. libyaml's messages do not name the
    character (a tab: "found character that cannot start any token") nor an undefined alias. Asked only
    of a text libyaml refused: a text that loads takes libyaml's path alone."""
    try:
        load(text, loader)
    except yaml.MarkedYAMLError as worded:
        return worded
    except yaml.YAMLError:
        pass
    return refused
