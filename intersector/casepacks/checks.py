"""The case pack's checks: every problem as one plain sentence naming the line and the field.

The checker reads what it can and keeps going, so a facilitator fixing a file sees all the
problems at once rather than one per upload.
"""

from django.utils.translation import gettext as _

from intersector.casepacks import packs as p

TOP = ["format", "key", "version", "language", "title", "summary", "source", "licence",
       "background", "interest_groups", "roles", "phases", "families", "facilitator_guide",
       "debrief", "results_template"]
ROLE = ["key", "name", "organisation", "sector", "interest_group", "focus", "elements", "brief",
        "must_get", "can_give", "red_lines"]


class Where:
    """A place in the file: the field path a person reads and the mapping it lives in."""

    def __init__(self, path, mapping=None):
        self.path = path
        self.mapping = mapping

    def at(self, name, mapping=None):
        return Where(self.path + [name], mapping if mapping is not None else self.mapping)

    def line(self, field=None):
        """The field's line; for a missing field, where its mapping starts (none at the top)."""
        if not isinstance(self.mapping, p.yamlfile.Located):
            return None
        if field and field not in self.mapping.lines and not self.path:
            return None
        return self.mapping.line_of(field) if field else self.mapping.line


class Checker:
    def __init__(self, element_keys):
        self.element_keys = list(element_keys)
        self.must_get_where = {}   # id(Item) -> Where, to name the line of a bad `against`
        self.found = []   # (line or a large number, order found, sentence)

    @property
    def problems(self):
        """The sentences in file order (problems without a line last)."""
        return [text for _line, _order, text in sorted(self.found)]

    # -- reporting ----------------------------------------------------------------------------

    def add(self, where, message, field=None):
        path = " › ".join(where.path + ([field] if field else []))
        line = where.line(field)
        if line and path:
            text = _("Line %(line)s, %(field)s: %(problem)s")
        elif path:
            text = _("%(field)s: %(problem)s")
        else:
            text = _("%(problem)s")
        self.found.append((line or 10**9, len(self.found),
                           text % {"line": line, "field": path, "problem": message}))

    # -- typed fields ---------------------------------------------------------------------------

    def mapping(self, value, where, fields):
        if not isinstance(value, dict):
            self.add(where, _("this should be a set of fields (name: value)."))
            return None
        for name in value:
            if name not in fields:
                hint = p.suggest(str(name), fields)
                message = _("unknown field '%(name)s'.") % {"name": name}
                if hint:
                    message += " " + _("Did you mean '%(hint)s'?") % {"hint": hint}
                self.add(where, message, str(name))
        return value

    def text(self, data, name, where, *, required=True, single_line=False, limit=None):
        value = data.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.add(where, _("this field is missing or empty."), name)
            return ""
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            self.add(where, _("this should be text."), name)
            return ""
        limit = limit or (p.MAX_LINE_CHARS if single_line else p.MAX_TEXT_CHARS)
        if len(value) > limit:
            self.add(where, _("this text has %(n)s characters; at most %(limit)s fit here.")
                     % {"n": len(value), "limit": limit}, name)
        elif single_line and "\n" in value.strip():
            self.add(where, _("this should be one line."), name)
        return value.strip() if single_line else value.rstrip("\n")

    def key(self, data, name, where, *, required=True):
        value = self.text(data, name, where, required=required, single_line=True)
        if value and not p.KEY.match(value):
            self.add(where, _("'%(value)s' is not a usable key: use lower-case letters, digits "
                              "and hyphens, for example 'transit-district'.") % {"value": value},
                     name)
        return value

    def number(self, data, name, where, low, high, default=None):
        value = data.get(name, default)
        if isinstance(value, bool) or not isinstance(value, int):
            self.add(where, _("this should be a whole number from %(low)s to %(high)s.")
                     % {"low": low, "high": high}, name)
            return low
        if not low <= value <= high:
            self.add(where, _("%(value)s is out of range: use %(low)s to %(high)s.")
                     % {"value": value, "low": low, "high": high}, name)
        return value

    def items(self, data, name, where, *, required=True, limit=p.MAX_ITEMS):
        value = data.get(name)
        if value is None or value == []:
            if required:
                self.add(where, _("this list is missing or empty."), name)
            return []
        if not isinstance(value, list):
            self.add(where, _("this should be a list (each entry on its own line starting "
                              "with '- ')."), name)
            return []
        if len(value) > limit:
            self.add(where, _("this list has %(n)s entries; at most %(limit)s are allowed.")
                     % {"n": len(value), "limit": limit}, name)
            value = value[:limit]
        return value

    def unique(self, placed, what):
        """`placed`: [(thing with a key, its Where)]; a repeated key is named where it repeats."""
        seen = {}
        for thing, where in placed:
            if thing.key and thing.key in seen:
                first = seen[thing.key].line("key")
                message = _("the key '%(key)s' is used by two %(what)s; each needs its own.") % {
                    "key": thing.key, "what": what}
                if first:
                    message += " " + _("The other one is on line %(line)s.") % {"line": first}
                self.add(where, message, "key")
            seen.setdefault(thing.key, where)

    # -- the pack -----------------------------------------------------------------------------

    def pack(self, data):
        top = Where([], data)
        if not isinstance(data, dict):
            self.add(top, _("The file should be a set of fields such as format, key, title and "
                            "roles; this one is empty, a list or plain text."))
            return None
        self.mapping(data, top, TOP)
        if data.get("format") != p.FORMAT:
            self.add(top, _("this should be '%(format)s'. Is this file an Intersector case "
                            "pack?") % {"format": p.FORMAT}, "format")
        language = self.text(data, "language", top, single_line=True)
        if language and not p.LANGUAGE.match(language):
            self.add(top, _("use a language code such as 'en' or 'es'."), "language")
        groups = self.interest_groups(data, top)
        roles = self.roles(data, top, groups)
        phases = self.phases(data, top)
        low, high = self.families(data, top)
        results_intro, results_fields = self.results(data, top)
        return p.CasePack(
            key=self.key(data, "key", top), version=self.number(data, "version", top, 1, 10_000),
            language=language, title=self.text(data, "title", top, single_line=True),
            summary=self.text(data, "summary", top),
            source=self.text(data, "source", top), licence=self.text(data, "licence", top),
            background=self.sections(data, "background", top),
            interest_groups=groups, roles=roles, phases=phases, families_min=low,
            families_max=high, facilitator_guide=self.sections(data, "facilitator_guide", top),
            debrief=self.debrief(data, top), results_intro=results_intro,
            results_fields=results_fields)

    def sections(self, data, name, top):
        found = []
        for index, raw in enumerate(self.items(data, name, top), 1):
            where = top.at(f"{name} {index}", raw)
            if self.mapping(raw, where, ["heading", "text"]) is not None:
                found.append(p.Section(self.text(raw, "heading", where, single_line=True),
                                       self.text(raw, "text", where)))
        return found

    def interest_groups(self, data, top):
        found = []
        for index, raw in enumerate(self.items(data, "interest_groups", top), 1):
            where = top.at(f"interest_groups {index}", raw)
            if self.mapping(raw, where, ["key", "name", "description"]) is not None:
                found.append((p.InterestGroup(
                    self.key(raw, "key", where), self.text(raw, "name", where, single_line=True),
                    self.text(raw, "description", where, required=False)), where))
        self.unique(found, _("interest groups"))
        return [group for group, _where in found]

    def roles(self, data, top, groups):
        found = []
        for index, raw in enumerate(self.items(data, "roles", top, limit=p.MAX_ROLES), 1):
            label = raw.get("key") if isinstance(raw, dict) else None
            where = top.at(f"roles › {label}" if isinstance(label, str) else f"role {index}", raw)
            if self.mapping(raw, where, ROLE) is not None:
                found.append((self.role(raw, where, groups), where))
        duplicates = len({role.key for role, _where in found}) < len(found)
        self.unique(found, _("roles"))
        found = [role for role, _where in found]
        if not duplicates:   # with two roles of one key, "against" would be ambiguous
            self.against(found)
        for sector in p.SECTORS:
            if found and not any(role.sector == sector for role in found):
                self.add(top, _("no role is in the sector '%(sector)s'. Every table needs "
                                "government, business and non-profit roles.")
                         % {"sector": sector}, "roles")
        for group in groups:
            if found and not any(role.interest_group == group.key for role in found):
                self.add(top, _("no role belongs to the interest group '%(key)s'. Add a role "
                                "or remove the group.") % {"key": group.key}, "interest_groups")
        return found

    def role(self, raw, where, groups):
        sector = self.text(raw, "sector", where, single_line=True)
        if sector and sector not in p.SECTORS:
            self.add(where, _("'%(value)s' is not a sector here: use government, business or "
                              "non-profit.") % {"value": sector}, "sector")
        group = self.text(raw, "interest_group", where, single_line=True)
        group_keys = [g.key for g in groups]
        if group and group_keys and group not in group_keys:
            self.add(where, _("'%(value)s' is not one of the pack's interest groups (%(keys)s).")
                     % {"value": group, "keys": ", ".join(group_keys)}, "interest_group")
        brief = self.text(raw, "brief", where)
        words = len(brief.split())
        if words > p.MAX_BRIEF_WORDS:
            self.add(where, _("the brief has %(n)s words; at most %(limit)s fit in the reading "
                              "time. Shorten it or move background everyone reads to the case.")
                     % {"n": words, "limit": p.MAX_BRIEF_WORDS}, "brief")
        elements = self.elements(raw, where)
        items = {name: self.role_items(raw, name, where, elements)
                 for name in ("must_get", "can_give", "red_lines")}
        elements = [key for key in elements if key]
        return p.Role(
            key=self.key(raw, "key", where), name=self.text(raw, "name", where, single_line=True),
            organisation=self.text(raw, "organisation", where, single_line=True),
            sector=sector, interest_group=group, brief=brief, elements=elements,
            must_get=items["must_get"], can_give=items["can_give"], red_lines=items["red_lines"],
            focus=self.text(raw, "focus", where, required=False, single_line=True))

    def elements(self, raw, where):
        """The role's element keys; None stands for a list with a mistake already reported."""
        found = []
        listed = self.items(raw, "elements", where)
        for value in listed:
            if not isinstance(value, str):
                self.add(where, _("each element should be a key such as 'finances'."), "elements")
            elif value not in self.element_keys:
                self.unknown_element(value, where, "elements")
            elif value in found:
                self.add(where, _("'%(key)s' is listed twice.") % {"key": value}, "elements")
            else:
                found.append(value)
        return found if len(found) == len(listed) else found + [None]

    def unknown_element(self, value, where, name):
        message = _("'%(key)s' is not an element of the scorecard.") % {"key": value}
        hint = p.suggest(value, self.element_keys)
        if hint:
            message += " " + _("Did you mean '%(hint)s'?") % {"hint": hint}
        self.add(where, message, name)

    def role_items(self, raw, name, where, elements):
        found = []
        for index, item in enumerate(self.items(raw, name, where), 1):
            spot = where.at(f"{name} {index}", item if isinstance(item, dict) else raw)
            if isinstance(item, str):    # a plain sentence: an item about no particular element
                item = {"text": item}
            fields = ["text", "element", "against"] if name == "must_get" else ["text", "element"]
            if self.mapping(item, spot, fields) is None:
                continue
            element = self.text(item, "element", spot, required=False, single_line=True)
            if element and element not in self.element_keys:
                self.unknown_element(element, spot, "element")
            elif element and element not in elements and None not in elements:
                self.add(spot, _("'%(key)s' is not in this role's elements; add it there.")
                         % {"key": element}, "element")
            against = self.items(item, "against", spot, required=False)
            if against and not element:
                self.add(spot, _("name the element this must-get is about, so the roles it is "
                                 "against can be checked."), "against")
            if not all(isinstance(key, str) for key in against):
                self.add(spot, _("list role keys here, for example [chamber]."), "against")
                against = []
            found.append(p.Item(self.text(item, "text", spot, limit=1000), element, against))
            self.must_get_where[id(found[-1])] = spot
        return found

    def against(self, roles):
        """Each role named in a must-get's `against` exists and has a red line there."""
        by_key = {role.key: role for role in roles}
        for role in roles:
            for item in role.must_get:
                spot = self.must_get_where.get(id(item), Where(["roles", role.key]))
                for key in item.against:
                    other = by_key.get(key)
                    if other is None:
                        self.add(spot, _("there is no role '%(key)s'.") % {"key": key}, "against")
                    elif other is role:
                        self.add(spot, _("a role cannot be against itself."), "against")
                    elif item.element and not any(line.element == item.element
                                                  for line in other.red_lines):
                        self.add(spot, _("'%(key)s' has no red line on '%(element)s', so this "
                                         "must-get does not run into it there.")
                                 % {"key": key, "element": item.element}, "against")

    def phases(self, data, top):
        if "phases" not in data:
            return p.default_phases()
        found = []
        for index, raw in enumerate(self.items(data, "phases", top), 1):
            where = top.at(f"phases {index}", raw)
            if self.mapping(raw, where, ["key", "title", "minutes", "instructions"]) is not None:
                found.append(p.Phase(
                    self.key(raw, "key", where), self.text(raw, "title", where, single_line=True),
                    self.number(raw, "minutes", where, 1, 120),
                    self.text(raw, "instructions", where, required=False)))
        if [phase.key for phase in found] != p.PHASE_KEYS:
            self.add(top, _("the phases must be, in this order: %(keys)s.")
                     % {"keys": ", ".join(p.PHASE_KEYS)}, "phases")
        return found

    def families(self, data, top):
        raw = data.get("families", {"min": 3, "max": 5})
        where = top.at("families", raw)
        if self.mapping(raw, where, ["min", "max"]) is None:
            return 3, 5
        low = self.number(raw, "min", where, 1, 6, default=3)
        high = self.number(raw, "max", where, 1, 6, default=5)
        if low > high:
            self.add(where, _("'min' is larger than 'max'."))
        return low, high

    def debrief(self, data, top):
        if "debrief" not in data:
            return p.common_debrief()
        found = []
        for index, raw in enumerate(self.items(data, "debrief", top), 1):
            where = top.at(f"debrief {index}", raw)
            if self.mapping(raw, where, ["key", "question"]) is not None:
                found.append((p.Question(self.key(raw, "key", where),
                                         self.text(raw, "question", where, limit=1000)), where))
        self.unique(found, _("debrief questions"))
        return [question for question, _where in found]

    def results(self, data, top):
        raw = data.get("results_template")
        where = top.at("results_template", raw)
        if raw is None:
            self.add(top, _("this field is missing or empty."), "results_template")
            return "", []
        if self.mapping(raw, where, ["intro", "fields"]) is None:
            return "", []
        fields = []
        for index, item in enumerate(self.items(raw, "fields", where), 1):
            spot = where.at(f"fields {index}", item)
            if self.mapping(item, spot, ["key", "label", "help"]) is not None:
                fields.append((p.ResultField(self.key(item, "key", spot),
                                             self.text(item, "label", spot, single_line=True),
                                             self.text(item, "help", spot, required=False)), spot))
        self.unique(fields, _("result fields"))
        return self.text(raw, "intro", where), [f for f, _spot in fields]
