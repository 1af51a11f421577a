"""Fill in a page's form as a browser would: every field with the value the page gives it."""

import lxml.html


def form_values(response, action_contains=""):
    """{name: value or [values]} of the page's largest POST form (or the one whose action holds
    `action_contains`); unticked boxes are left out, as a browser leaves them out."""
    page = lxml.html.fromstring(response.content.decode())
    forms = [form for form in page.forms if (form.method or "").lower() == "post"
             and action_contains in (form.action or "")]
    form = max(forms, key=lambda f: len(f.inputs))
    values = {}
    for name, value in form.form_values():
        if "__prefix__" in name:
            continue
        if value.startswith("\n"):   # a textarea's first line break, which browsers drop
            value = value[1:]
        values[name] = [*values[name], value] if name in values and isinstance(values[name], list) \
            else ([values[name], value] if name in values else value)
    return values


def row_fields(values, relation):
    """{index: {field: value}} of an inline list's rows in the form's values."""
    rows = {}
    for name, value in values.items():
        parts = name.split("-")
        if len(parts) == 3 and parts[0] == relation and parts[1].isdigit():
            rows.setdefault(int(parts[1]), {})[parts[2]] = value
    return rows


def find_row(values, relation, field, value):
    """The form name prefix ("role_rows-3-") of the row whose `field` is `value`."""
    for index, row in row_fields(values, relation).items():
        if row.get(field) == value:
            return f"{relation}-{index}-"
    raise AssertionError(f"no {relation} row with {field}={value!r}")
