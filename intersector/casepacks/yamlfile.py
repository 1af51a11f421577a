"""Reading and writing a case pack's YAML: safe loading that remembers line numbers.

Only plain YAML is accepted (PyYAML's SafeLoader: no Python objects). On top of that a pack
may not use anchors/aliases (`&a` ... `*a`: a small file could otherwise expand into a huge
one) and may not name the same field twice in one place (YAML would silently keep the last).
Every mapping comes back as a `Located` dict that knows the line of each of its fields, so
the validator can tell a facilitator "line 42" instead of "somewhere in roles".
"""

import yaml


class YamlProblem(Exception):
    """The file cannot be read as a case pack's YAML; `line` is 1-based (None: unknown)."""

    def __init__(self, line, kind, detail=""):
        super().__init__(kind)
        self.line = line
        self.kind = kind          # "alias" | "duplicate" | "tag" | "syntax" | "depth"
        self.detail = detail


class Located(dict):
    """A mapping from the file; `line` is where it starts, `lines[field]` where a field is."""

    line = None
    lines: dict

    def line_of(self, field):
        return getattr(self, "lines", {}).get(field, self.line)


class _Loader(yaml.SafeLoader):
    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise YamlProblem(event.start_mark.line + 1, "alias")
        return super().compose_node(parent, index)


def _construct_map(loader, node):
    data = Located()
    data.line = node.start_mark.line + 1
    data.lines = {}
    yield data
    for key_node, _value_node in node.value:
        if isinstance(key_node, yaml.ScalarNode):
            if key_node.value in data.lines:
                raise YamlProblem(key_node.start_mark.line + 1, "duplicate", key_node.value)
            data.lines[key_node.value] = key_node.start_mark.line + 1
    data.update(loader.construct_mapping(node))


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_map)


def parse(text):
    """The YAML `text` as plain Python data (mappings are `Located`); raises YamlProblem."""
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader
    except YamlProblem:
        raise
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark
        raise YamlProblem(mark.line + 1 if mark else None, "tag") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise YamlProblem(mark.line + 1 if mark else None, "syntax", exc.problem or "") from None
    except yaml.YAMLError as exc:
        raise YamlProblem(None, "syntax", str(exc)) from None
    except RecursionError:
        raise YamlProblem(None, "depth") from None


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow=False, indentless=False):
        # Indent lists under their field, as people write them by hand.
        return super().increase_indent(flow, False)


def _str(dumper, value):
    # Briefs and guides are paragraphs: write them as literal blocks, as a person would.
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _list(dumper, value):
    # Short lists of keys (elements, against) stay on one line: [finances, governance].
    short = all(isinstance(v, str) and "\n" not in v and len(v) < 40 for v in value)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value,
                                     flow_style=bool(value) and short)


_Dumper.add_representer(str, _str)
_Dumper.add_representer(list, _list)
_Dumper.add_representer(Located, _Dumper.represent_dict)


def dump(data):
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100,
                     default_flow_style=False)
