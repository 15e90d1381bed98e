"""HTML pages: the main text (trafilatura, headline first) and the published-time meta date of the head."""

from __future__ import annotations

import datetime as dt
import logging
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


def html_text(path: Path, html: str) -> tuple[str, str]:
    """The main text of an HTML page (its headline first) and its published-time meta date, if any."""
    import trafilatura

    # trafilatura logs parser complaints; the run reports problems itself, one line per file.
    logging.getLogger("trafilatura").addHandler(logging.NullHandler())
    logging.getLogger("trafilatura").propagate = False
    try:
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
    return body, date


def _all_text(html: str) -> str:
    """Every text node of an HTML fragment outside scripts and styles, block by block."""
    import lxml.html
    from lxml.etree import ParserError

    try:
        tree = lxml.html.fromstring(html)
    except (ParserError, ValueError):
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
