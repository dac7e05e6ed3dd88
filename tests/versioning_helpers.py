"""Shared steps of the version-check tests: read an edit page's form as a browser would send
it, change a field, send it back."""

import re
from html.parser import HTMLParser

from core.versioning import FIELD

TOKEN = re.compile(r'name="(?:[\w-]+-)?' + FIELD + r'" value="([^"]+)"')


class _Forms(HTMLParser):
    """Every <form> of a page as the list of (name, value) pairs a browser submits."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self._form = [], None
        self._select = self._option = self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = []
            self.forms.append(self._form)
        if self._form is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("submit", "button", "file", "reset", "image"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self._form.append((name, a.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select":
            self._select = [name, "multiple" in a, [], None]
        elif tag == "option" and self._select is not None:
            self._option = [a.get("value"), "selected" in a, ""]
        elif tag == "textarea" and name:
            self._textarea = [name, ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data
        if self._option is not None:
            self._option[2] += data

    def handle_endtag(self, tag):
        if tag == "option" and self._option is not None:
            value, selected, text = self._option
            value = text.strip() if value is None else value
            self._select[2].append(value)
            if selected:
                self._form.append((self._select[0], value))
                self._select[3] = True
            self._option = None
        elif tag == "select" and self._select is not None:
            name, multiple, values, chosen = self._select
            if not chosen and not multiple and values:
                self._form.append((name, values[0]))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self._form.append((self._textarea[0], self._textarea[1].removeprefix("\n")))
            self._textarea = None
        elif tag == "form":
            self._form = None


def edit_form(response):
    """The fields of the page's form that carries the version field, as a dict of lists."""
    assert response.status_code in (200, 409), response.status_code
    parser = _Forms()
    parser.feed(response.content.decode())
    for pairs in parser.forms:
        if any(name.endswith(FIELD) for name, _value in pairs):
            data = {}
            for name, value in pairs:
                data.setdefault(name, []).append(value)
            return data
    raise AssertionError("the edit page carries no version field")


def opened(client, url):
    """The edit form as a person opens it now."""
    return edit_form(client.get(url))


def assert_conflict(response, stored, typed):
    """The conflict page: status 409, both versions shown, the typed value kept in the form,
    and a new fingerprint to send it again with. Returns the form as now shown."""
    body = response.content.decode()
    assert response.status_code == 409, response.status_code
    assert 'id="version-conflict"' in body
    assert stored in body and typed in body
    data = edit_form(response)
    assert any(typed in value for values in data.values() for value in values)
    return data


def token_of(response):
    found = TOKEN.search(response.content.decode())
    assert found, "the page carries no version field"
    return found.group(1)
