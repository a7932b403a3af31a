"""A page as a tree of elements, for tests that read what a page shows.

The standard library's :class:`html.parser.HTMLParser` reads the page; this module keeps what it
reads as elements with their attributes, children and text, so that a test asks for "the rows
of the table of class ``x``" or "the links and their words" in a line, instead of writing its own
parser. Our templates write well-formed HTML: an end tag closes the nearest open element of its
name, void elements (``br``, ``input``, ...) have no end.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param"}
    | {"source", "track", "wbr"}
)
#: elements whose text a reader does not see
HIDDEN = frozenset({"script", "style", "template"})


@dataclass
class Element:
    """One element: its tag, attributes and children (elements and text, in order)."""

    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Element | str] = field(default_factory=list)

    def get(self, name: str, default: str = "") -> str:
        return self.attrs.get(name, default)

    @property
    def classes(self) -> set[str]:
        return set(self.get("class").split())

    def iter(self, *tags: str, outside: tuple[str, ...] = ()) -> Iterator[Element]:
        """This element and every element below it, in document order (of ``tags`` if given),
        leaving out what is inside elements of the tags ``outside``."""
        if not tags or self.tag in tags:
            yield self
        for child in self.children:
            if isinstance(child, Element) and child.tag not in outside:
                yield from child.iter(*tags, outside=outside)

    def find_all(self, *tags: str, css_class: str | None = None, **attrs: str) -> list[Element]:
        """The elements below (or at) this one of ``tags``, with that class and attributes."""
        return [
            e
            for e in self.iter(*tags)
            if (css_class is None or css_class in e.classes)
            and all(e.attrs.get(k.replace("_", "-")) == v for k, v in attrs.items())
        ]

    def find(self, *tags: str, css_class: str | None = None, **attrs: str) -> Element:
        """The one such element; an assertion error if there is none or several."""
        found = self.find_all(*tags, css_class=css_class, **attrs)
        assert len(found) == 1, f"{len(found)} <{'|'.join(tags)}> of class {css_class} {attrs}"
        return found[0]

    @property
    def raw_text(self) -> str:
        """The text as written, a ``<br>`` read as a new line, hidden elements left out."""
        parts: list[str] = []
        for child in self.children:
            if isinstance(child, str):
                parts.append(child)
            elif child.tag == "br":
                parts.append("\n")
            elif child.tag not in HIDDEN:
                parts.append(child.raw_text)
        return "".join(parts)

    @property
    def text(self) -> str:
        """The words a reader sees, runs of white space made one space."""
        return " ".join(self.raw_text.split())

    @property
    def hrefs(self) -> list[str]:
        """The targets of the links in this element, in order."""
        return [a.get("href") for a in self.iter("a")]


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document")
        self._open = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs})
        self._open[-1].children.append(element)
        if tag not in VOID:
            self._open.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._open[-1].children.append(Element(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self._open) - 1, 0, -1):
            if self._open[depth].tag == tag:
                del self._open[depth:]
                return

    def handle_data(self, data: str) -> None:
        self._open[-1].children.append(data)


def parse(html: str) -> Element:
    """The page ``html`` as a tree; its root holds the top elements."""
    builder = _Builder()
    builder.feed(html)
    builder.close()
    return builder.root


def rows(table: Element) -> list[list[Element]]:
    """The cells (``td`` and ``th``) of each row of ``table``, heading rows included."""
    return [row.find_all("td", "th") for row in table.iter("tr")]
