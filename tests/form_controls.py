"""What a page's form controls are called: the names a screen reader reads and get_by_label finds.

A small approximation of the accessible-name rules for the controls our pages use: aria-label,
aria-labelledby, a <label for>, an enclosing <label>, else the title; buttons by their text or
value. Enough to find controls with no name, and different controls sharing one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

CONTROLS = {"input", "select", "textarea", "button"}
UNNAMED_TYPES = {"hidden"}


@dataclass
class Control:
    tag: str
    attrs: dict
    wrapping_label: int | None = None  # index of the <label> it sits in
    text: str = ""  # a button's own text


@dataclass
class _Label:
    target: str | None
    text: list[str] = field(default_factory=list)


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.controls: list[Control] = []
        self.labels: list[_Label] = []
        self.ids: dict[str, list[str]] = {}
        self._open_labels: list[int] = []
        self._open_button: Control | None = None
        self._id_stack: list[tuple[str, str]] = []
        self._skip = 0  # inside a part hidden from everyone (aria-hidden, <template>, <script>)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "style", "template"):
            self._skip += 1
            return
        if attrs.get("id"):
            self._id_stack.append((tag, attrs["id"]))
            self.ids.setdefault(attrs["id"], [])
        if tag == "label":
            self.labels.append(_Label(attrs.get("for")))
            self._open_labels.append(len(self.labels) - 1)
        if tag == "img" and attrs.get("alt"):
            self.handle_data(attrs["alt"])
        if tag in CONTROLS and attrs.get("type") not in UNNAMED_TYPES:
            control = Control(tag, attrs, self._open_labels[-1] if self._open_labels else None)
            self.controls.append(control)
            if tag == "button":
                self._open_button = control

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template"):
            self._skip = max(0, self._skip - 1)
            return
        if tag == "label" and self._open_labels:
            self._open_labels.pop()
        if tag == "button":
            self._open_button = None
        if self._id_stack and self._id_stack[-1][0] == tag:
            self._id_stack.pop()

    def handle_data(self, data):
        if self._skip:
            return
        for index in self._open_labels:
            self.labels[index].text.append(data)
        if self._open_button is not None:
            self._open_button.text += data
        for _tag, ident in self._id_stack:
            self.ids[ident].append(data)


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().rstrip(":").strip()


def controls_with_names(html: str) -> list[tuple[Control, str]]:
    """Every visible-to-assistive-technology form control of ``html`` with its name ("" if none)."""
    reader = _Reader()
    reader.feed(html)
    by_target: dict[str, list[str]] = {}
    for label in reader.labels:
        if label.target:
            by_target.setdefault(label.target, []).append("".join(label.text))
    result = []
    for control in reader.controls:
        attrs = control.attrs
        if "aria-hidden" in attrs or attrs.get("tabindex") == "-1" and "hidden" in attrs:
            continue
        name = ""
        if attrs.get("aria-labelledby"):
            name = " ".join(
                "".join(reader.ids.get(i, [])) for i in attrs["aria-labelledby"].split()
            )
        elif attrs.get("aria-label"):
            name = attrs["aria-label"]
        elif attrs.get("id") and attrs["id"] in by_target:
            name = " ".join(by_target[attrs["id"]])
        elif control.wrapping_label is not None:
            name = "".join(reader.labels[control.wrapping_label].text)
        elif control.tag == "button" or attrs.get("type") in ("submit", "button", "reset"):
            name = control.text or attrs.get("value", "")
        if not _clean(name):
            name = attrs.get("title", "")
        result.append((control, _clean(name)))
    return result


def unnamed_controls(html: str) -> list[str]:
    """Controls nobody can find by a label: described by their tag and name attribute."""
    return [
        f"<{c.tag} name={c.attrs.get('name')!r} id={c.attrs.get('id')!r}>"
        for c, name in controls_with_names(html)
        if not name
    ]


def shared_names(html: str) -> dict[str, list[str]]:
    """Accessible names that more than one different control carries on the page (the radio
    buttons of one group count as one control)."""
    seen: dict[str, list[str]] = {}
    for index, (control, name) in enumerate(controls_with_names(html)):
        if not name:
            continue
        attrs = control.attrs
        key = f"radio {attrs.get('name')}" if attrs.get("type") == "radio" else f"#{index}"
        described = f"<{control.tag} name={attrs.get('name')!r} value={attrs.get('value')!r}>"
        if key not in [k for k, _d in seen.get(name, [])]:
            seen.setdefault(name, []).append((key, described))
    return {name: [d for _k, d in found] for name, found in seen.items() if len(found) > 1}
