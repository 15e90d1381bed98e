"""Report: the screen (report.screen, with report.names, report.wording, report.sources and report.fit),
rich tables for `audit sources` (report.tables),
files for fact-checkers and other programs (report.files: CSV, atomic writes; report.formats: JSON,
JSON Lines, Parquet, SQLite), the HTML page a fact-checker reads (report.html), filters (report.select),
one-line warnings (report.lines) and a progress bar (report.progress). The main names are importable from here."""

from __future__ import annotations

from audit.lazy import lazy_names

# Each name is imported from its module when first asked for (`from audit.report import html_file`),
# so that importing one light module of the package (report.lines, report.choices) loads no polars.
_WHERE = {
    **dict.fromkeys(
        (
            "MANIFEST",
            "csv_file",
            "csv_text",
            "json_file",
            "outputs_problem",
            "read_claims_csv",
            "write_atomic",
            "write_csv",
            "write_files",
        ),
        "files",
    ),
    **dict.fromkeys(("html_file", "html_text"), "html"),
    **dict.fromkeys(("Desk", "ScreenOptions", "print_claims", "print_screen"), "screen"),
    **dict.fromkeys(
        (
            "VERDICT_STYLES",
            "articles_table",
            "facts_table",
            "legend",
            "notes_table",
            "print_report",
            "shown_facts",
            "sources_table",
        ),
        "tables",
    ),
}


__getattr__ = lazy_names(__name__, _WHERE, globals())


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
