"""Finds rows of a page that mix Thai digits (๐–๙) with Arabic digits (0–9).

A "row" is the text of a table row, list item, paragraph, heading, caption, label, option or
definition: what a reader takes in at once. Attributes, scripts and styles are not read, nor
text marked as another language than the page's (a Thai name quoted on an English page, "เขต ๑").
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

ROWS = {"tr", "li", "p", "h1", "h2", "h3", "h4", "caption", "label", "option", "dt", "dd", "legend"}
SKIPPED = {"script", "style", "template", "title"}
VOID = {"br", "img", "input", "meta", "link", "hr", "source", "wbr"}
THAI = re.compile("[๐-๙]")
ARABIC = re.compile("[0-9]")


class _Rows(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.open: list[tuple[str, list[str]]] = []
        self.done: list[str] = []
        self.skip = 0
        self.page_lang = ""
        self.langs: list[tuple[str, str]] = []  # (tag, lang) of elements that set one

    def handle_starttag(self, tag, attrs):
        lang = dict(attrs).get("lang")
        if tag == "html":
            self.page_lang = lang or ""
        elif lang and tag not in VOID:
            self.langs.append((tag, lang))
        if tag in SKIPPED:
            self.skip += 1
        elif tag in ROWS:
            self.open.append((tag, []))

    def handle_endtag(self, tag):
        if self.langs and self.langs[-1][0] == tag:
            self.langs.pop()
        if tag in SKIPPED:
            self.skip = max(0, self.skip - 1)
        elif tag in ROWS:
            for index in range(len(self.open) - 1, -1, -1):
                if self.open[index][0] == tag:
                    _tag, parts = self.open.pop(index)
                    self.done.append(re.sub(r"\s+", " ", "".join(parts)).strip())
                    break

    def handle_data(self, data):
        quoted = self.langs and self.langs[-1][1] != self.page_lang
        if not self.skip and not quoted:
            for _tag, parts in self.open:
                parts.append(data)


def mixed_rows(html: str) -> list[str]:
    """The rows of ``html`` that hold both kinds of digit."""
    reader = _Rows()
    reader.feed(html)
    return [row for row in reader.done if THAI.search(row) and ARABIC.search(row)]
