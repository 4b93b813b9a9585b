"""User text in reports: escaped where it enters Markdown or HTML, and the converted
page sanitised and locked by a Content-Security-Policy.

Three layers, each enough on its own for the payloads we know:

1. :func:`md` turns a user string (a design name, an id, a flag naming ids) into
   Markdown that renders as exactly that text: every character Markdown or HTML
   could read as markup becomes a numeric character reference.
2. :func:`sanitize_outputs` renders the notebook's Markdown outputs to HTML and
   cleans every HTML output with ``nh3`` against :data:`ALLOWED_TAGS` (no script,
   no event handler, no ``javascript:`` URL, no style sheet).
3. :data:`CSP` goes first into the report's ``<head>``: no script runs at all,
   inline or loaded, and nothing is fetched from the network.
"""

from __future__ import annotations

import nbformat

MARKUP_CHARACTERS = frozenset("\\`*_{}[]()#+-.!|~<>&\"'=:;$")
"""Characters that Markdown, inline HTML or MathJax could read as markup."""

ALLOWED_TAGS = frozenset(
    {
        "a", "b", "br", "caption", "code", "div", "em", "h1", "h2", "h3", "h4", "h5", "h6",
        "hr", "i", "li", "ol", "p", "pre", "small", "span", "strong", "sub", "sup", "table",
        "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
    }
)  # fmt: skip
"""Tags the report's tables and Markdown use; everything else is removed."""

ALLOWED_ATTRIBUTES = {
    "*": {"class"},
    "a": {"href", "title"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
}
"""Attributes kept on the allowed tags (no ``style``, no ``on*`` handlers)."""

CSP = (
    "default-src 'none'; img-src data:; font-src data:; style-src 'unsafe-inline'; "
    "script-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'"
)
"""The report page's Content-Security-Policy: static text, inline styles and data: images
only; no script of any kind, no request leaves the page."""


def md(text: object) -> str:
    """A user string as Markdown that renders to exactly that text, on one line.

    Parameters
    ----------
    text : object
        Any value; ``str(text)`` is escaped. Line breaks and other control
        characters become spaces (a name cannot start a new Markdown block).
    """
    out = []
    for c in str(text):
        if c in MARKUP_CHARACTERS:
            out.append(f"&#{ord(c)};")
        elif c.isprintable():
            out.append(c)
        else:
            out.append(" ")
    return "".join(out)


def code(text: object) -> str:
    """A user string (an id, a file name) as inline code in Markdown, escaped as :func:`md`."""
    return f"<code>{md(text)}</code>"


def clean_html(html: str) -> str:
    """``html`` with only :data:`ALLOWED_TAGS` and :data:`ALLOWED_ATTRIBUTES` left (nh3);
    links keep only http, https and mailto URLs."""
    import nh3

    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


def sanitize_outputs(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Clean every HTML and Markdown output of an executed report notebook in place.

    A Markdown output is rendered to HTML first (the same renderer nbconvert uses)
    and replaced by the cleaned HTML, so nothing reaches the page unsanitised.
    JavaScript outputs are dropped. Returns ``nb``.
    """
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data")
            if not data:
                continue
            data.pop("application/javascript", None)
            if "text/markdown" in data:
                data["text/html"] = markdown2html_mistune(_text(data.pop("text/markdown")))
            if "text/html" in data:
                data["text/html"] = clean_html(_text(data["text/html"]))
    return nb


def with_csp(page: str) -> str:
    """``page`` with :data:`CSP` as the first element of its ``<head>``."""
    head = page.find("<head>")
    if head < 0:
        raise ValueError("the report page has no <head>")
    meta = f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
    return page[: head + 6] + meta + page[head + 6 :]


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else str(value)
