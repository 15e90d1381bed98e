"""HTML pages: the main text (trafilatura, headline first) and the published-time meta date of the head."""

from __future__ import annotations

import datetime as dt
import logging
import re
from html import unescape
from pathlib import Path

from audit.errors import AuditError
from audit.ingest.published import _iso_minutes, check_published

_META_DATES = (
    ("property", "article:published_time"),
    ("property", "og:published_time"),
    ("itemprop", "datePublished"),
    ("name", "pubdate"),
    ("name", "publishdate"),
    ("name", "date"),
)


#: Nesting past this depth is read as plain text nodes: libxml2 drops what lies deeper than 255 levels
#: unless told otherwise, and trafilatura's cost grows fast with depth (12 s at 2,000 levels).
MAX_DEPTH = 200


def html_text(path: Path, html: str) -> tuple[str, str, tuple[str, ...]]:
    """The main text of an HTML page (its headline first), its published-time meta date, and warnings."""
    import trafilatura

    # trafilatura logs parser complaints; the run reports problems itself, one line per file.
    logging.getLogger("trafilatura").addHandler(logging.NullHandler())
    logging.getLogger("trafilatura").propagate = False
    warnings: tuple[str, ...] = ()
    try:
        depth = _depth(html)
        if depth > MAX_DEPTH:
            body = _stripped_text(html)
            warnings = (f"{path.name}: HTML nested more than {MAX_DEPTH} levels deep; read as plain text",)
        else:
            body = trafilatura.extract(html, include_comments=False, include_tables=True) or ""
        if not body.strip():
            body = trafilatura.html2txt(html) or ""
        if not body.strip():
            body = _all_text(html)  # a fragment too broken for trafilatura: keep every text node
    except Exception as exc:  # noqa: BLE001  a parser failure on a broken page must not stop the run
        raise AuditError(f"{path.name}: cannot read HTML: {exc}") from None
    if not body.strip():
        raise AuditError(f"{path.name}: no text found in the HTML")
    title, date = _html_head(html)
    first = body.lstrip().split("\n", 1)[0].strip()
    if title and title != first:
        body = f"{title}\n\n{body}"
    return body, date, warnings


_DROPPED = re.compile(r"<(script|style|noscript|head)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]*>")
_BLOCK = re.compile(r"<(?:p|div|br|li|h[1-6]|tr)\b[^>]*>", re.IGNORECASE)


def _stripped_text(html: str) -> str:
    """Every text of a page with its tags removed, block by block: linear, whatever the nesting (a parser
    gives up past 2,047 levels and loses what lies deeper)."""
    text = _TAG.sub("", _BLOCK.sub("\n", _DROPPED.sub("", html)))
    return "\n".join(" ".join(line.split()) for line in unescape(text).splitlines() if line.strip())


def _tree(html: str):
    """The page parsed with no depth limit (None when it cannot be parsed)."""
    import lxml.html
    from lxml.etree import ParserError

    try:
        return lxml.html.fromstring(html, parser=lxml.html.HTMLParser(huge_tree=True))
    except (ParserError, ValueError):
        return None


def _depth(html: str) -> int:
    """How deep the page's elements nest (0 when it cannot be parsed), in one pass over the tree."""
    tree = _tree(html)
    if tree is None:
        return 0
    depth_of = {tree: 0}
    for node in tree.iterdescendants():
        depth_of[node] = depth_of[node.getparent()] + 1
    return max(depth_of.values())


def _all_text(html: str) -> str:
    """Every text node of an HTML fragment outside scripts and styles, block by block."""
    tree = _tree(html)
    if tree is None:
        return ""
    for node in tree.xpath("//script|//style|//noscript"):
        node.drop_tree()
    for node in tree.iter("p", "div", "br", "li", "h1", "h2", "h3", "tr"):
        node.tail = "\n" + (node.tail or "")
    return "\n".join(" ".join(line.split()) for line in tree.text_content().splitlines() if line.strip())


def _html_head(html: str) -> tuple[str, str]:
    """The page's headline (h1, og:title or title) and the ISO date of its published-time meta tag."""
    import lxml.html
    from lxml.etree import ParserError

    try:
        tree = lxml.html.fromstring(html)
    except (ParserError, ValueError):
        return "", ""
    title = ""
    for xpath in ("//h1", "//meta[@property='og:title']/@content", "//title"):
        found = tree.xpath(xpath)
        if found:
            title = found[0] if isinstance(found[0], str) else found[0].text_content()
            title = " ".join(title.split())
            if title:
                break
    for attribute, value in _META_DATES:
        for content in tree.xpath(f"//meta[@{attribute}='{value}']/@content"):
            date = _iso_from_meta(str(content).strip())
            if date:
                return title, date
    return title, ""


def _iso_from_meta(value: str) -> str:
    """An ISO date or datetime from a meta tag's content, "" when it is not one."""
    try:
        stamp = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value[:10] if check_published(value[:10]) and len(value) >= 10 else ""
    return _iso_minutes(stamp) if stamp.tzinfo else stamp.date().isoformat()
