"""Report: the screen (report.screen, with report.names, report.wording, report.sources and report.fit),
rich tables for `audit sources` (report.tables),
files for fact-checkers and other programs (report.files: CSV, atomic writes; report.formats: JSON,
JSON Lines, Parquet, SQLite), the HTML page a fact-checker reads (report.html), filters (report.select),
one-line warnings (report.lines) and a progress bar (report.progress). The main names are importable from here."""

from __future__ import annotations

from audit.report.files import (
    MANIFEST,
    csv_file,
    csv_text,
    json_file,
    outputs_problem,
    read_claims_csv,
    write_atomic,
    write_csv,
    write_files,
)
from audit.report.html import html_file, html_text
from audit.report.screen import Desk, ScreenOptions, print_claims, print_screen
from audit.report.tables import (
    VERDICT_STYLES,
    articles_table,
    facts_table,
    legend,
    notes_table,
    print_report,
    shown_facts,
    sources_table,
)

__all__ = [
    "MANIFEST",
    "VERDICT_STYLES",
    "Desk",
    "ScreenOptions",
    "print_claims",
    "print_screen",
    "articles_table",
    "csv_file",
    "csv_text",
    "facts_table",
    "html_file",
    "html_text",
    "json_file",
    "legend",
    "notes_table",
    "outputs_problem",
    "print_report",
    "read_claims_csv",
    "shown_facts",
    "sources_table",
    "write_atomic",
    "write_csv",
    "write_files",
]
