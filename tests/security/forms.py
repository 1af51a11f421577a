"""The forms a page really shows: read from its HTML, so the tests post what a browser would."""

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin

TEXT_TYPES = {"text", "search", "email", "url", "tel", "password", ""}


@dataclass
class Form:
    action: str
    method: str
    enctype: str
    fields: list = field(default_factory=list)  # (name, kind, value) in page order

    @property
    def text_fields(self):
        """Names a person types into (text boxes, text areas, password boxes)."""
        names = []
        for name, kind, _value in self.fields:
            if (kind in TEXT_TYPES or kind == "textarea") and name not in names:
                names.append(name)
        return names

    @property
    def file_fields(self):
        return [name for name, kind, _value in self.fields if kind == "file"]

    def data(self, **changes):
        """What a browser sends: hidden values, the first choice of each list, the typed text."""
        data, seen_choice, clicked = {}, set(), False
        for name, kind, value in self.fields:
            if kind in ("submit", "image") and not clicked:  # the first button is the one pressed
                clicked = True
                data.setdefault(name, value or "")
                continue
            if kind in ("submit", "button", "image", "reset", "file"):
                continue
            if kind == "checkbox" and value is None:
                continue  # not ticked: a browser sends nothing
            if kind in ("checkbox", "radio"):
                if name in seen_choice:
                    continue
                seen_choice.add(name)
            if name not in data:
                data[name] = value if value is not None else ""
        for name, value in changes.items():
            data[name] = value
        return data

    def key(self):
        return self.action, tuple(sorted({name for name, _kind, _value in self.fields}))


class FormParser(HTMLParser):
    def __init__(self, page_url):
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms = []
        self.current = None
        self.select = None
        self.textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            action = urljoin(self.page_url, attrs.get("action") or self.page_url)
            self.current = Form(action.split("#")[0], (attrs.get("method") or "get").lower(),
                                attrs.get("enctype") or "")
            self.forms.append(self.current)
        if tag == "option" and self.select is not None:
            value = attrs.get("value", "")
            if value and (self.select[1] is None or "selected" in attrs):
                self.select[1] = value
            return
        if self.current is None or not attrs.get("name"):
            return
        name = attrs["name"]
        if tag == "input":
            kind = (attrs.get("type") or "text").lower()
            default = attrs.get("value")
            if default is None and kind in TEXT_TYPES:
                default = sample_for(kind, name)
            if kind == "checkbox":
                default = (default or "on") if "checked" in attrs else None
            elif kind == "radio":
                default = default or "on"
                if "checked" in attrs:  # the ticked choice goes first, so it is the one sent
                    self.current.fields.insert(0, (name, kind, default))
                    return
            self.current.fields.append((name, kind, default))
        elif tag == "select":
            self.select = [name, None]
        elif tag == "textarea":
            self.textarea = len(self.current.fields)
            self.current.fields.append((name, "textarea", ""))
        elif tag == "button" and attrs.get("type", "submit") == "submit":
            self.current.fields.append((name, "submit", attrs.get("value", "")))

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "select" and self.select is not None and self.current is not None:
            self.current.fields.append((self.select[0], "select", self.select[1] or ""))
            self.select = None
        elif tag == "textarea" and self.textarea is not None and self.current is not None:
            name, kind, value = self.current.fields[self.textarea]
            self.current.fields[self.textarea] = (name, kind, value or "Some text\non two lines")
            self.textarea = None

    def handle_data(self, data):
        if self.textarea is not None and self.current is not None:
            name, kind, value = self.current.fields[self.textarea]
            self.current.fields[self.textarea] = (name, kind, value + data.lstrip("\n") if not value else value + data)


def sample_for(kind, name):
    if kind == "email" or "email" in name:
        return "someone@example.org"
    if kind == "url":
        return "https://example.org/"
    if kind == "password":
        return "a-long-pass-phrase-42"
    return "Some text"


def forms_in(html, page_url):
    parser = FormParser(page_url)
    parser.feed(html)
    return parser.forms
