"""The HTML report: one self-contained page a fact-checker reads (report.html, written beside the CSVs).

It is built from the claims and facts frames, and from the corpus where there is one (`audit run`;
`audit reconcile` has only the claims table, so sentences, copies and sources come from its columns).
The page is rendered from the jinja2 templates in audit/report/templates/ with autoescape on, so every
value from a page or the manifest is text, never markup; only http(s) manifest URLs become links. The
CSS and JS are inlined from the same folder: the page fetches nothing and opens from a USB stick.

Sentences: with the corpus, each claim's sentence is cut from its page at the sentence span that holds
`char_start`..`char_end`, so the marked words are exactly the claim's `text`; without it, the `text` is
found in the `sentence` column (the n-th claim of a sentence with the same words takes the n-th match).

Rendering and writing live here (the jinja2 environment, inlined assets, the script's JSON, the CSP
hashes); the data the template reads is built by `audit.report.page_data` (and `audit.report.timeline`).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import io
import itertools
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import jinja2
import markupsafe
import polars as pl

from audit.cache import entry_path, library_version, write_atomic
from audit.model import VERDICTS, Corpus
from audit.numbers import Numbers
from audit.reconcile import unit_table, written_table
from audit.report.files import Pieces
from audit.report.page_data import (
    MEANINGS,
    FactView,
    FactViews,
    _headlines,
    _outlet_labels,
    _sources,
    _story_key,
    _summary,
)
from audit.rules import RuleSet, load_rules

TEMPLATES = Path(__file__).parent / "templates"
#: Single-source facts shown at a time; the page's "show more" button adds as many again.
SINGLES_PAGE = 100


def html_file(
    claims: pl.DataFrame,
    facts: pl.DataFrame,
    corpus: Corpus | None = None,
    rules: RuleSet | None = None,
    title: str = "",
    warnings: Iterable[str] = (),
) -> tuple[Pieces, str]:
    """The report as (HTML text pieces, encoding) for report.write_files: the page's data is built here, its
    text rendered piece by piece as it is written (never one string)."""
    context = _context(claims, facts, corpus, rules, title, warnings)
    return Pieces(lambda: _render(context)), "utf-8"


def html_text(
    claims: pl.DataFrame,
    facts: pl.DataFrame,
    corpus: Corpus | None = None,
    rules: RuleSet | None = None,
    title: str = "",
    warnings: Iterable[str] = (),
) -> str:
    """The whole report page: summary, multi-source facts story by story, single-source facts, sources."""
    return "".join(_render(_context(claims, facts, corpus, rules, title, warnings)))


def _render(context: dict) -> Iterator[str]:
    """The page's text, piece by piece, from the template's data: the template's pieces joined _JOINED at a
    time (it streams hundreds of thousands of short ones; a writer taking them one by one spends more than
    rendering them)."""
    stream = _environment().get_template("report.html").generate(**context)
    while batch := list(itertools.islice(stream, _JOINED)):
        yield "".join(batch)


#: Pieces of the template's stream joined into one piece of the page's text.
_JOINED = 256


def _context(
    claims: pl.DataFrame,
    facts: pl.DataFrame,
    corpus: Corpus | None,
    rules: RuleSet | None,
    title: str,
    warnings: Iterable[str],
) -> dict:
    """What the template reads: the summary, the facts story by story, the single-source facts, the sources."""
    outlets = _outlet_labels(claims, corpus)
    index = {label: number for number, label in enumerate(outlets)}
    rules = rules if rules is not None else _bundled_rules()
    units = (unit_table(rules), rules.part(Numbers).scales)
    headlines = _headlines(claims, corpus)
    # Each story's views are built as the page reaches them: the views of every claim at once are most of a
    # gigabyte at 100,000 pages.
    views = FactViews(facts, claims, corpus, index, written_table(rules), units, headlines)
    singles = views.singles()
    style, script = _asset("report.css"), _asset("report.js")
    return dict(
        title=title or (Path(corpus.folder).name if corpus else "") or "audit report",
        style=style,
        script=script,
        style_hash=_csp_hash(style),
        script_hash=_csp_hash(script),
        meanings=MEANINGS,
        headlines=headlines,
        summary=_summary(claims, facts, corpus, outlets),
        stories=views.stories(),
        singles=singles,
        singles_json=_SinglesJson(singles),
        singles_page=SINGLES_PAGE,
        sources=_sources(claims, corpus),
        outlets=outlets,
        verdicts=VERDICTS,
        measures=sorted(set(facts["measure"].drop_nulls().to_list()) - {""}),
        story_ids=sorted(set(facts["story"].drop_nulls().to_list()) - {""}, key=_story_key),
        warnings=list(warnings),
    )


@functools.cache
def _asset(name: str) -> markupsafe.Markup:
    """Our own stylesheet or script from TEMPLATES, inlined as it is (it is code, not page data)."""
    text = (TEMPLATES / name).read_text(encoding="utf-8")
    if "</" in text:
        raise ValueError(f"{name}: '</' would end the inline element early")
    return markupsafe.Markup(text)


@dataclass(frozen=True)
class _SinglesJson:
    """The single-source facts as JSON for the page's script, which lists them a page at a time: one JSON
    array, given a fact at a time (the template writes the pieces as they come; the array of a page of
    100,000 claims is never one string).

    In a <script type="application/json"> block nothing is escaped by the HTML parser, so every "<", ">"
    and "&" is written as a JSON escape: no page text can end the block or open a tag.
    """

    singles: Iterable[FactView]

    def __iter__(self) -> Iterator[markupsafe.Markup]:
        yield markupsafe.Markup("[")
        for number, fact in enumerate(self.singles):
            text = json.dumps(_single_data(fact), ensure_ascii=False, separators=(",", ":"))
            for char in "<>&\u2028\u2029":
                text = text.replace(char, f"\\u{ord(char):04x}")
            yield markupsafe.Markup("," + text if number else text)
        yield markupsafe.Markup("]")


def _single_data(fact: FactView) -> dict:
    """One single-source fact as the script needs it (the keys report.js reads)."""
    return {
        "id": fact.fact_id,
        "story": fact.story,
        "measure": fact.measure,
        "what": fact.measure or f"{fact.kind} (no named measure)",
        "subject": fact.subject,
        "event": fact.event_date,
        "best": fact.best,
        "note": "" if fact.note == "one independent source" else fact.note,
        "outlets": fact.outlets,
        "claims": [
            {
                "id": c.claim_id,
                "outlet": c.outlet,
                "sid": c.short,
                "source": c.source,
                "copy": c.copy_of,
                "denied": c.denied,
                "published": c.published,
                "value": c.written,
                "before": c.mark.before,
                "words": c.mark.text,
                "after": c.mark.after,
                "title": c.mark.title,
                "found": c.mark.found,
                "speaker": c.speaker,
                "url": c.url,
            }
            for c in fact.claims
        ],
    }


def _csp_hash(text: str) -> str:
    """The Content-Security-Policy source that allows exactly this inline style or script, nothing else."""
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


class _Loader(jinja2.FileSystemLoader):
    """Templates from TEMPLATES with each line's indentation dropped: the files stay readable, and a page
    of 10,000 facts carries no megabytes of spaces (HTML collapses them anyway)."""

    def get_source(self, environment: jinja2.Environment, template: str):
        """The template's text, lines unindented."""
        source, filename, uptodate = super().get_source(environment, template)
        return _INDENT.sub("", source), filename, uptodate


_INDENT = re.compile(r"^[ \t]+", re.MULTILINE)


class _KeptTemplates(jinja2.BytecodeCache):
    """The templates as jinja2 compiled them, kept in the user cache (audit.cache): compiling them is a
    tenth of a second a run, loading the kept code a millisecond. An entry is named by the template, a
    digest of its text, this package's code (the environment's options are code) and jinja2's version;
    one that cannot be read is compiled again (jinja2 checks its own magic and the text's checksum)."""

    def _path(self, bucket: jinja2.bccache.Bucket):
        return entry_path("templates", bucket.key, bucket.checksum, library_version("jinja2"))

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """The kept code of the bucket's template, when there is a usable one."""
        path = self._path(bucket)
        try:
            data = path.read_bytes() if path is not None else None
        except OSError:
            return
        if data is not None:
            bucket.load_bytecode(io.BytesIO(data))

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Keep the code jinja2 just compiled (nothing when the cache cannot be written)."""
        path = self._path(bucket)
        if path is not None:
            out = io.BytesIO()
            bucket.write_bytecode(out)
            write_atomic(path, out.getvalue())


@functools.cache
def _environment() -> jinja2.Environment:
    """The template environment: files from TEMPLATES, every value escaped, unknown names an error; the
    compiled templates kept in the user cache."""
    return jinja2.Environment(
        loader=_Loader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=_KeptTemplates(),
    )


@functools.cache
def _bundled_rules() -> RuleSet:
    """The bundled rules, read once (for callers that pass none)."""
    return load_rules()
