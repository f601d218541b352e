"""Lay a piece of the booklet out before knowing its first page number; number it later.

A piece of the abstracts starts where the piece before it ends, which is known only once
that one is laid out. Waiting would lay the pieces out one after the other. Instead each is
laid out at once from a guessed first page, and when the real one is known only the page
margin boxes (running header, page number) are made again, as WeasyPrint makes them at the
end of its layout: the content of a page does not depend on its number.

A piece laid out from a guessed start whose real start differs by an odd number changes
side: the left page's margins become the right page's. The page box is made again
for the other side and the content moved across by the difference of the two left margins;
the booklet's
pages have the same text width on both sides, so nothing else moves. A style that gives
the two sides different text widths cannot be renumbered that way: `Layout.renumber`
refuses (returns False), and the piece is laid out again from its real start.

A piece laid out to be numbered later is left unfinished (`finished=False`): WeasyPrint
would give every page its margin boxes and lay out the backgrounds of every box, and
renumbering would make the margin boxes again (a tenth of the layout time of a page of
abstracts) and, across sides, the backgrounds too. `renumber` does both, once.

A piece that prints page numbers (the contents, the day grids, the speaker index) is laid
out the same way, with placeholders as wide as the numbers will be; `Layout.patch` then
puts the numbers in the text boxes that show the placeholders.

This uses WeasyPrint's layout internals (the versions `pyproject.toml` allows); the tests
compare renumbered and patched pieces with pieces laid out at their real start, pixel for
pixel.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass


@dataclass
class Layout:
    document: object  # weasyprint.Document
    context: object  # weasyprint.layout.LayoutContext
    root_box: object
    page_boxes: list
    html: object  # weasyprint.HTML
    first_page: int  # the number the layout started from
    finished: bool = True  # whether the pages have their margin boxes and backgrounds

    @classmethod
    def render(
        cls, html, stylesheets, font_config, first_page: int, finished: bool = True
    ) -> Layout:
        """`HTML.render()`, keeping what renumbering needs. `finished=False`: the pages get
        their margin boxes (running header, page number) and the boxes their backgrounds
        from `renumber` only."""
        from weasyprint import DEFAULT_OPTIONS
        from weasyprint.css.counters import CounterStyle
        from weasyprint.document import Document, DocumentMetadata, Page
        from weasyprint.formatting_structure.build import build_formatting_structure
        from weasyprint.html import get_html_metadata
        from weasyprint.layout import layout_document

        options = dict(DEFAULT_OPTIONS, stylesheets=stylesheets)
        counter_style = CounterStyle()
        context = Document._build_layout_context(html, font_config, counter_style, {}, options)
        root_box = build_formatting_structure(
            html.etree_element, context.style_for, context.get_image_from_uri,
            html.base_url, context.target_collector, counter_style, context.footnotes,
        )  # fmt: skip
        # what the pages will have when laid out: unfinished only if WeasyPrint let us
        with contextlib.nullcontext(True) if finished else _unfinished() as finished:
            page_boxes = list(layout_document(html, root_box, context))
        document = Document(
            [Page(box) for box in page_boxes],
            DocumentMetadata(**get_html_metadata(html)),
            html.url_fetcher, font_config, {}, options["output_intent"],
        )  # fmt: skip
        document._html = html
        return cls(document, context, root_box, page_boxes, html, first_page, finished)

    def renumber(self, first_page: int) -> bool:
        """Number the pages from `first_page`, each on its side (odd pages on the side of
        a document's first page), and finish them (margin boxes, backgrounds). False if
        the pages cannot change side."""
        from weasyprint.document import Page
        from weasyprint.formatting_structure import boxes
        from weasyprint.layout.background import layout_backgrounds, layout_box_backgrounds
        from weasyprint.layout.page import make_margin_boxes

        delta = first_page - self.first_page
        # Odd pages are right-hand pages (left-hand in a right-to-left booklet).
        odd = "right" if self.root_box.style["direction"] == "ltr" else "left"
        even = "left" if odd == "right" else "right"
        flip = bool(self.page_boxes) and self.page_boxes[0].page_type.side != (
            odd if first_page % 2 else even
        )
        if delta == 0 and not flip and self.finished:
            return True
        context = self.context
        pages = list(self.page_boxes)
        if flip:
            moved = [self._other_side(page) for page in pages]
            if any(page is None for page in moved):
                return False
            pages = moved
        for i in range(len(pages)):
            state = context.page_maker[i + 1][3]
            counters = state[1]
            if "page" in counters:
                counters["page"] = [value + delta for value in counters["page"]]
        for i, page in enumerate(pages):
            content = [c for c in page.children if not isinstance(c, boxes.MarginBox)]
            context.current_page = i + 1
            state = context.page_maker[i + 1][3]
            margins = list(make_margin_boxes(context, page, state))
            page.children = tuple(content + margins)
            if flip or not self.finished:  # everything moved, or has no background yet
                layout_backgrounds(page, context.get_image_from_uri)
            else:  # only the margin boxes are new
                for box in margins:
                    layout_box_backgrounds(page, box, context.get_image_from_uri)
        self.page_boxes = pages
        self.document.pages = [Page(page) for page in pages]
        self.first_page = first_page
        self.finished = True
        return True

    def patch(self, values: list[str]) -> bool:
        """Show the page numbers `values` where the layout shows placeholders: `values` are
        the `data-page` attributes of the HTML with real numbers, in document order, the
        HTML being the same as this layout's but for them. Each number is shown by generated
        content (`attr(data-page)`) or is the element's whole text; a text box showing one
        gets the real number if it is exactly as wide as the placeholder (tabular figures,
        the same number of digits or padded to it), so that nothing else on the page moves.
        False, with nothing changed, if any number cannot be put in place that way: the
        piece is to be laid out again."""
        from weasyprint.formatting_structure import boxes
        from weasyprint.text.line_break import create_layout, line_size

        elements = [e for e in self.html.etree_element.iter() if e.get("data-page") is not None]
        if len(elements) != len(values):
            return False
        new = {e: v for e, v in zip(elements, values, strict=True) if e.get("data-page") != v}
        if not new:
            return True
        changes = []

        def visit(box) -> bool:
            if isinstance(box, boxes.TextBox):
                element = box.element
                if element in new:
                    old = element.get("data-page")
                    generated = "::" in (box.element_tag or "")
                    own = not generated and element.text == old and not len(element)
                    if old and old in box.text and (generated or own):
                        text = box.text.replace(old, new[element])
                        layout = create_layout(text, box.style, self.context, None, 0)
                        width, _ = line_size(layout.get_first_line()[0], box.style)
                        if abs(width - box.width) > 1e-3:
                            return False
                        changes.append((box, text))
                return True
            return all(visit(child) for child in getattr(box, "children", ()))

        if not all(visit(page) for page in self.page_boxes):
            return False
        for box, text in changes:
            box.text = text
            box.pango_layout.text = text  # what drawing shapes again (`reactivate`)
        return True

    def _other_side(self, page):
        """The page box for the other side, the page's content moved to its margins."""
        from weasyprint.formatting_structure import boxes
        from weasyprint.layout.page import (
            PageType,
            page_height,
            page_width,
            set_page_type_computed_styles,
        )
        from weasyprint.layout.percent import resolve_percentages

        old = page.page_type
        side = "left" if old.side == "right" else "right"
        page_type = PageType(side, old.blank, old.name, old.index, old.groups)
        context = self.context
        set_page_type_computed_styles(page_type, self.html, context.style_for)
        style = context.style_for(page_type)
        style["overflow"] = self.root_box.viewport_overflow
        new = boxes.PageBox(page_type, style)
        device_size = new.style["size"]
        resolve_percentages(new, device_size)
        new.position_x = new.position_y = 0
        page_width(new, context, device_size[0])
        page_height(new, context, device_size[1])
        if abs(new.width - page.width) > 0.01 or abs(new.height - page.height) > 0.01:
            return None  # another text width on this side: the text would break elsewhere
        dx = new.content_box_x() - page.content_box_x()
        dy = new.content_box_y() - page.content_box_y()
        content = [c for c in page.children if not isinstance(c, boxes.MarginBox)]
        for child in content:
            child.translate(dx, dy)
        new.children = content
        new.fixed_boxes = getattr(page, "fixed_boxes", [])
        return new


@contextlib.contextmanager
def _unfinished():
    """While laying out, WeasyPrint makes no margin boxes and lays out no backgrounds.
    Yields whether the pages will be finished all the same: if its layout no longer does
    these through `weasyprint.layout.make_margin_boxes` and `layout_backgrounds`, nothing
    is changed."""
    import weasyprint.layout as module

    names = ("make_margin_boxes", "layout_backgrounds")
    found = {name: getattr(module, name, None) for name in names}
    if None in found.values():
        yield True
        return
    module.make_margin_boxes = lambda context, page, state: ()
    module.layout_backgrounds = lambda page, get_image_from_uri: None
    try:
        yield False
    finally:
        for name, function in found.items():
            setattr(module, name, function)
