"""The command line: parse arguments, call the library, print or write its results.

Every AuditError becomes one clear line on standard error and a non-zero exit; so does an OSError
that escapes the library (a rule or corpus path that cannot be read), naming its path. The output
folder is checked before any work is done, and the tables are written together (all or none, see
report.write_files) before they are printed, so a closed pipe (`audit run | head`) cannot lose them.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click
import polars as pl
from rich.console import Console

from audit import report
from audit.bundled import bundled
from audit.errors import AuditError
from audit.model import CLAIM_COLUMNS, FACT_COLUMNS
from audit.pipeline import audit_folder
from audit.reconcile import detect_copies, reconcile
from audit.rules import DEFAULT_RULES_DIR, load_rules

DEFAULT_FOLDER = bundled("seeds")

_rules_option = click.option(
    "--rules",
    "rules_dir",
    type=click.Path(path_type=Path),
    default=None,
    help=f"Folder of rule files (*.toml). Default: the bundled rules ({DEFAULT_RULES_DIR.name}/).",
)
_out_option = click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path),
    default=Path("reports"),
    show_default=True,
    help="Folder to write claims.csv and facts.csv into (created if missing).",
)
_bom_option = click.option("--bom", is_flag=True, help="Write CSV as UTF-8 with a byte-order mark (for Excel).")
_json_option = click.option("--json", "as_json", is_flag=True, help="Also write claims.json and facts.json.")
_width_option = click.option("--width", type=int, default=None, help="Terminal width for the tables.")
_html_option = click.option("--html/--no-html", default=True, help="Write report.html beside the tables (default: on).")


def _warn(console: Console, warnings: tuple[str, ...]) -> None:
    """Print each warning as one line on standard error."""
    for warning in warnings:
        console.print(f"warning: {warning}", markup=False, highlight=False)


def _write(
    out_dir: Path, claims: pl.DataFrame, facts: pl.DataFrame, bom: bool, as_json: bool, page: tuple | None = None
) -> list[Path]:
    """Write the two tables (and JSON when asked, and the report page given) all or none; return the paths."""
    files = {
        out_dir / "claims.csv": report.csv_file(claims, CLAIM_COLUMNS, bom),
        out_dir / "facts.csv": report.csv_file(facts, FACT_COLUMNS, bom),
    }
    if as_json:
        files[out_dir / "claims.json"] = report.json_file(claims.select(CLAIM_COLUMNS))
        files[out_dir / "facts.json"] = report.json_file(facts.select(FACT_COLUMNS))
    if page:
        files[out_dir / "report.html"] = page
    report.write_files(files)
    return list(files)


def _check_out(out_dir: Path) -> None:
    """Fail before any work when the output folder cannot be one: a file, or under a file."""
    for folder in (out_dir, *out_dir.parents):
        if folder.exists():
            if not folder.is_dir():
                what = "is a file" if folder == out_dir else f"is inside {folder}, which is a file"
                raise AuditError(f"{out_dir}: {what}, not a folder to write into")
            if not os.access(folder, os.W_OK | os.X_OK):
                raise AuditError(f"{out_dir}: cannot write there (no permission on {folder})")
            return


class AuditGroup(click.Group):
    """A click group that turns every AuditError into one clear line and exit code 1."""

    def invoke(self, ctx: click.Context):
        """Run the command; report bad input as `Error: <file>: <problem>`."""
        try:
            return super().invoke(ctx)
        except AuditError as exc:
            raise click.ClickException(str(exc)) from None
        except OSError as exc:
            if isinstance(exc, BrokenPipeError):
                raise
            where = f"{exc.filename}: " if exc.filename else ""
            raise click.ClickException(f"{where}{exc.strerror or exc}") from None


@click.group(cls=AuditGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="audit")
def cli() -> None:
    """Audit the numeric claims of several news pages about one story.

    Reads a folder of saved pages (.txt, .html, with an optional sources.toml), extracts every count,
    amount, date and duration with its exact words, and lines them up across sources with a verdict.
    """


@cli.command()
@click.argument("folder", required=False, type=click.Path(path_type=Path))
@_out_option
@_rules_option
@_bom_option
@_json_option
@_width_option
@_html_option
def run(
    folder: Path | None, out_dir: Path, rules_dir: Path | None, bom: bool, as_json: bool, width: int | None, html: bool
) -> None:
    """Audit FOLDER (default: the bundled seeds/): print the tables, write claims.csv and facts.csv."""
    console, errors = Console(width=width), Console(stderr=True, width=width)
    _check_out(out_dir)
    rules = load_rules(rules_dir)
    result = audit_folder(folder or DEFAULT_FOLDER, rules)
    _warn(errors, result.warnings)
    page = report.html_file(result.claims, result.facts, result.corpus, rules, "", result.warnings) if html else None
    written = _write(out_dir, result.claims, result.facts, bom, as_json, page)
    report.print_report(console, result.corpus, result.claims, result.facts)
    for path in written:
        console.print(f"wrote {path}", markup=False, highlight=False)


@cli.command()
@click.argument("folder", required=False, type=click.Path(path_type=Path))
@_rules_option
@_width_option
def sources(folder: Path | None, rules_dir: Path | None, width: int | None) -> None:
    """Show how FOLDER was read: sources, articles, dates and where they came from, copies, stories."""
    from audit.ingest import read_corpus

    console, errors = Console(width=width), Console(stderr=True, width=width)
    corpus = read_corpus(folder or DEFAULT_FOLDER, load_rules(rules_dir))
    _warn(errors, corpus.warnings + tuple(w for d in corpus.documents for w in d.warnings))
    console.print(report.sources_table(corpus))
    console.print(report.articles_table(corpus))


@cli.command(name="reconcile")
@click.argument("claims_csv", type=click.Path(path_type=Path))
@_out_option
@_rules_option
@_bom_option
@_json_option
@_width_option
@_html_option
def reconcile_cmd(
    claims_csv: Path, out_dir: Path, rules_dir: Path | None, bom: bool, as_json: bool, width: int | None, html: bool
) -> None:
    """Reconcile a claims table edited by hand (CLAIMS_CSV) and write facts.csv and claims.csv again."""
    console = Console(width=width)
    _check_out(out_dir)
    rules = load_rules(rules_dir)
    claims = report.read_claims_csv(claims_csv)
    # Without the corpus, copies are found in the claims themselves (word-for-word identical sentences).
    copies = detect_copies(claims)
    for copy, original in copies.items():
        console.print(
            f"copy: {copy} copies {original} (identical sentences); counted once", markup=False, highlight=False
        )
    claims, facts = reconcile(claims, rules, copies)
    page = report.html_file(claims, facts, None, rules, claims_csv.name) if html else None
    written = _write(out_dir, claims, facts, bom, as_json, page)
    sources = sorted(claims["source"].unique().to_list())
    console.print(report.facts_table(facts, claims, sources))
    console.print(report.notes_table(facts))
    for path in written:
        console.print(f"wrote {path}", markup=False, highlight=False)


def main() -> None:
    """Entry point of the `audit` console script."""
    try:
        cli(prog_name="audit")
    except BrokenPipeError:
        # The reader of our output went away (`audit run | head`): the files are written; stop quietly.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(1)
