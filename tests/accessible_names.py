"""The form controls of a rendered page and the names a screen reader gives them.

A small reading of the accessible-name rules, enough for server-rendered forms: ``aria-labelledby``
(the referenced elements' text), then ``aria-label``, then a ``<label for=…>`` or a wrapping
``<label>``, then, for buttons, their own text (or an input button's ``value``). Controls inside
``hidden`` elements or of ``type=hidden`` are not announced and are left out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
CONTROLS = {"input", "select", "textarea", "button"}


@dataclass
class Node:
    tag: str
    attrs: dict
    parent: Node | None = None
    children: list = field(default_factory=list)  # Node or str

    def text(self) -> str:
        parts = []
        for child in self.children:
            if isinstance(child, str):
                parts.append(child)
            elif child.tag not in ("script", "style", "template"):
                parts.append(child.text())
        return " ".join(" ".join(parts).split())

    def walk(self):
        for child in self.children:
            if isinstance(child, Node):
                yield child
                yield from child.walk()

    def ancestors(self):
        node = self.parent
        while node is not None:
            yield node
            node = node.parent


class _Tree(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {})
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {k: (v or "") for k, v in attrs}, parent=self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Node(tag, {k: (v or "") for k, v in attrs}, self.current))

    def handle_endtag(self, tag):
        node = self.current
        while node is not self.root and node.tag != tag:
            node = node.parent
        if node is not self.root:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


@dataclass(frozen=True)
class Control:
    tag: str
    kind: str  # the input's type, "" for others
    id: str
    name: str  # the accessible name ("" when it has none)
    labelled_by_visible_text: bool  # a <label> or aria-labelledby, not only aria-label
    form_action: str
    field_name: str  # the control's own name attribute


def controls(html: str) -> list[Control]:
    """Every control a person can reach on the page, with its accessible name."""
    parser = _Tree()
    parser.feed(html)
    nodes = list(parser.root.walk())
    by_id = {n.attrs["id"]: n for n in nodes if n.attrs.get("id")}
    labels_for: dict[str, list[Node]] = {}
    for n in nodes:
        if n.tag == "label" and n.attrs.get("for"):
            labels_for.setdefault(n.attrs["for"], []).append(n)
    found = []
    for n in nodes:
        if n.tag not in CONTROLS:
            continue
        kind = n.attrs.get("type", "").lower() if n.tag == "input" else ""
        if (
            kind == "hidden"
            or "hidden" in n.attrs
            or any("hidden" in a.attrs for a in n.ancestors())
        ):
            continue
        name, visible = "", False
        if n.attrs.get("aria-labelledby"):
            ids = n.attrs["aria-labelledby"].split()
            name = " ".join(by_id[i].text() for i in ids if i in by_id)
            visible = bool(name)
        elif n.attrs.get("aria-label"):
            name = n.attrs["aria-label"]
        else:
            labels = labels_for.get(n.attrs.get("id", ""), [])
            labels += [a for a in n.ancestors() if a.tag == "label"]
            if labels:
                name = " ".join(label.text() for label in labels)
                visible = True
            elif n.tag == "button":
                name, visible = n.text(), True
            elif kind in ("submit", "button", "reset"):
                name, visible = n.attrs.get("value", ""), True
        form = next((a for a in n.ancestors() if a.tag == "form"), None)
        found.append(
            Control(
                tag=n.tag,
                kind=kind,
                id=n.attrs.get("id", ""),
                name=" ".join(name.split()),
                labelled_by_visible_text=visible,
                form_action=form.attrs.get("action", "") if form else "",
                field_name=n.attrs.get("name", ""),
            )
        )
    return found
