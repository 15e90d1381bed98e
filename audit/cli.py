"""The command line: parse arguments, call the library, print or write its results.

Every AuditError becomes one clear line on standard error and a non-zero exit; so does an OSError
that escapes the library (a rule or corpus path that cannot be read), naming its path. The output
folder is checked before any work is done, and the tables are written together (all or none, see
report.write_files) before they are printed, so a closed pipe (`audit run | head`) cannot lose them.

Standard output gets the screen (`--format table`, the default) or the facts, or with `--claims` the
claims, as CSV, JSON or JSON Lines, filtered as asked; standard error gets the warnings, one line
each, and on a terminal a progress bar for runs over a second. The files in `--out` always hold
every claim and fact.
"""

from __future__ import annotations

import functools
import gc
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from audit.bundled import bundled
from audit.errors import AuditError
from audit.model import CLAIM_COLUMNS, FACT_COLUMNS, VERDICTS
from audit.report.choices import DEFAULT_LIMIT, FORMATS
from audit.report.lines import one_line
from audit.rules import DEFAULT_RULES_DIR, load_rules
from audit.rules.regexes import kept_regexes

if TYPE_CHECKING:
    from collections.abc import Mapping

    import polars as pl

    from audit.report.screen import Desk

# The library (polars, extraction, the report) is imported by the command that needs it, when it runs:
# `audit --help` and a mistyped option answer at once.

# numpy's OpenBLAS starts a thread a core as it loads (0.04 s of processor time a run, more by the clock on
# a busy machine); no stage multiplies float matrices, so one thread unless the user chose otherwise.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

DEFAULT_FOLDER = bundled("seeds")

_rules_option = click.option(
    "--rules",
    "rules_dir",
    type=click.Path(path_type=Path),
    default=None,
    help=f"Folder of rule files (*.toml). Default: the bundled rules ({DEFAULT_RULES_DIR.name}/).",
)
_width_option = click.option(
    "--width", type=click.IntRange(min=20), default=None, help="Width of the screen (default: the terminal's, else 80)."
)
_FILE_OPTIONS = (
    click.option(
        "-o",
        "--out",
        "out_dir",
        type=click.Path(path_type=Path),
        default=Path("reports"),
        show_default=True,
        help="Folder to write claims.csv and facts.csv into (created if missing).",
    ),
    click.option("--bom", is_flag=True, help="Write CSV as UTF-8 with a byte-order mark (for Excel)."),
    click.option("--json", "as_json", is_flag=True, help="Also write claims.json and facts.json."),
    click.option("--parquet", is_flag=True, help="Also write claims.parquet and facts.parquet."),
    click.option(
        "--sqlite",
        "sqlite_file",
        type=click.Path(path_type=Path, dir_okay=False),
        default=None,
        help="Also write both tables, indexed, to this SQLite file (for `datasette FILE`).",
    ),
    click.option("--html/--no-html", default=True, help="Write report.html beside the tables (default: on)."),
)
_VIEW_OPTIONS = (
    click.option(
        "--format",
        "fmt",
        type=click.Choice(FORMATS),
        default="table",
        show_default=True,
        help="Standard output: the screen, or the facts (with --claims the claims) as CSV, JSON or JSON Lines.",
    ),
    click.option("--claims", "of_claims", is_flag=True, help="Show or output the claims instead of the facts."),
    click.option("--all", "show_all", is_flag=True, help="Show the facts stated by one source too."),
    click.option("--sources", "source_details", is_flag=True, help="Show every detail of the sources."),
    click.option("--verdict", "verdicts", multiple=True, type=click.Choice(VERDICTS), help="Only this verdict."),
    click.option("--measure", "measures", multiple=True, help="Only this measure (killed, pause ...)."),
    click.option("--story", "stories", multiple=True, help="Only this story (S1 ...)."),
    click.option(
        "--min-sources",
        type=click.IntRange(min=1),
        default=None,
        help="Only facts with this many independent sources or more.",
    ),
    click.option(
        "--limit",
        type=click.IntRange(min=0),
        default=DEFAULT_LIMIT,
        show_default=True,
        help="The screen shows at most this many facts (or claims); 0 for all.",
    ),
    _width_option,
)


def _options(decorators):
    """Apply several click options at once, listed in the order --help shows them."""

    def apply(command):
        for decorator in reversed(decorators):
            command = decorator(command)
        return command

    return apply


@dataclass(frozen=True)
class Outputs:
    """The files a command writes."""

    out_dir: Path
    bom: bool = False
    as_json: bool = False
    parquet: bool = False
    sqlite_file: Path | None = None
    html: bool = True

    def paths(self) -> list[Path]:
        """Every file written."""
        names = ["claims.csv", "facts.csv"] + (["report.html"] if self.html else [])
        names += ["claims.json", "facts.json"] if self.as_json else []
        names += ["claims.parquet", "facts.parquet"] if self.parquet else []
        return [self.out_dir / name for name in names] + ([self.sqlite_file] if self.sqlite_file else [])


@dataclass(frozen=True)
class View:
    """What goes to standard output."""

    fmt: str = "table"
    of_claims: bool = False
    options: Any = None  # report.screen.ScreenOptions
    width: int | None = None


def _outputs(
    out_dir: Path, bom: bool, as_json: bool, parquet: bool, sqlite_file: Path | None, html: bool = True
) -> Outputs:
    """The files asked for; their folders are checked before any work is done."""
    _check_out(out_dir)
    if sqlite_file is not None:
        if sqlite_file.is_dir():
            raise AuditError(f"{sqlite_file}: is a folder; --sqlite wants a file name")
        _check_out(sqlite_file.parent)
    return Outputs(out_dir, bom, as_json, parquet, sqlite_file, html)


def _view(fmt, of_claims, show_all, source_details, verdicts, measures, stories, min_sources, limit, width) -> View:
    """The view asked for by the options."""
    from audit.report.screen import ScreenOptions
    from audit.report.select import FactFilter

    wanted = FactFilter(tuple(verdicts), tuple(measures), tuple(stories), min_sources)
    return View(fmt, of_claims, ScreenOptions(show_all, wanted, limit, source_details), width)


def _warn(warnings: tuple[str, ...], kind: str = "warning") -> None:
    """Print each warning as exactly one line on standard error, whatever its length or content."""
    for warning in warnings:
        click.echo(f"{kind}: {one_line(warning)}", err=True)


def _write(
    outputs: Outputs, claims: pl.DataFrame, facts: pl.DataFrame, page: tuple | None, hedges: Mapping[str, str]
) -> list[Path]:
    """Write every file asked for (the report page given among them), all or none; return the paths."""
    from audit import report
    from audit.report.formats import claim_records, fact_records, json_text, parquet_bytes, sqlite_bytes

    out, bom = outputs.out_dir, outputs.bom
    files: dict[Path, tuple[str | bytes, str]] = {
        out / "claims.csv": report.csv_file(claims, CLAIM_COLUMNS, bom),
        out / "facts.csv": report.csv_file(facts, FACT_COLUMNS, bom),
    }
    if outputs.as_json:
        files[out / "claims.json"] = (json_text(claim_records(claims)), "utf-8")
        files[out / "facts.json"] = (json_text(fact_records(facts, claims, hedges)), "utf-8")
    if outputs.parquet:
        files[out / "claims.parquet"] = (parquet_bytes(claims, CLAIM_COLUMNS), "")
        files[out / "facts.parquet"] = (parquet_bytes(facts, FACT_COLUMNS), "")
    if outputs.sqlite_file is not None:
        files[outputs.sqlite_file] = (sqlite_bytes(claims, facts), "")
    if page is not None:
        files[out / "report.html"] = page
    report.write_files(files, manifest=out / report.MANIFEST)  # last: vouches that the files are of one run
    return list(files)


def screen_width(width: int | None) -> int:
    """The screen's width: --width, else $COLUMNS, else the terminal's (of stdout, stderr or stdin), else 80.

    Piped (`audit run | less`) the screen still fits the terminal it is read on.
    """
    if width:
        return width
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    for stream in (sys.stdout, sys.stderr, sys.stdin):
        try:
            return os.get_terminal_size(stream.fileno()).columns
        except (AttributeError, OSError, ValueError):
            continue
    return 80


def _show(desk: Desk, view: View, written: list[Path]) -> None:
    """Print the screen (or the facts or claims in a stdout format), then the files written."""
    from rich.console import Console

    from audit import report
    from audit.report.formats import stdout_text
    from audit.report.select import select_claims, select_facts

    if view.fmt == "table":
        console = Console(width=screen_width(view.width), highlight=False)
        (report.print_claims if view.of_claims else report.print_screen)(console, desk, view.options)
        for path in written:
            click.echo(f"wrote {one_line(str(path))}")
        return
    wanted = view.options.wanted
    facts = select_facts(desk.facts, wanted)
    claims = select_claims(desk.claims, desk.facts, wanted) if view.of_claims else desk.claims
    click.echo(stdout_text(view.fmt, facts, claims, view.of_claims, desk.written), nl=False)
    for path in written:
        click.echo(f"wrote {one_line(str(path))}", err=True)  # standard output holds only the data


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


def _same_file(a: Path, b: Path) -> bool:
    """Whether two paths name one file (through links and `..`), existing or not."""
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return a.resolve() == b.resolve()


def _refuse_own_input(claims_csv: Path, outputs: Outputs, force: bool) -> None:
    """`audit reconcile` never replaces the claims table it reads, unless --force."""
    if force:
        return
    for path in outputs.paths():
        if _same_file(path, claims_csv):
            raise AuditError(
                f"{claims_csv}: --out {outputs.out_dir} would replace the claims table being reconciled; "
                "write elsewhere (-o DIR) or add --force"
            )


#: Set by `main`: this process is the command's alone (not a test's, nor a program's that calls the CLI).
_OWN_PROCESS = False
#: In the command's own process the young objects are collected every YOUNG_OBJECTS new ones, not Python's 700:
#: it makes them in bursts that live until it ends (the modules imported, the pages' records), which a run of
#: the seeds walked in 150 young collections (0.02 to 0.03 s); a cycle dropped waits a little longer (a few MB).
YOUNG_OBJECTS = 50_000


def _settle() -> None:
    """In the command's own process, leave every object there is now (the modules imported, then the audit's
    tables) out of the garbage collections to come: they live until the process ends, yet each full
    collection walked them all (two a small run, the last as the process exits: 30 ms each of a one-second
    run). Elsewhere nothing: the caller's garbage is the caller's to collect."""
    if _OWN_PROCESS:
        gc.freeze()


def _kept_regexes(command):
    """A command run within kept_regexes(): every pattern compiled on the way (the library's modules' own, the
    stages', the guards') is built from the user cache when this Python compiled it before."""

    @functools.wraps(command)
    def run_kept(*args, **kwargs):
        with kept_regexes():
            return command(*args, **kwargs)

    return run_kept


class AuditGroup(click.Group):
    """A click group that turns every AuditError into one clear line and exit code 1."""

    def invoke(self, ctx: click.Context):
        """Run the command; report bad input as `Error: <file>: <problem>`."""
        try:
            return super().invoke(ctx)
        except AuditError as exc:
            raise click.ClickException(one_line(str(exc))) from None
        except OSError as exc:
            if isinstance(exc, BrokenPipeError):
                raise
            where = f"{exc.filename}: " if exc.filename else ""
            raise click.ClickException(one_line(f"{where}{exc.strerror or exc}")) from None


@click.group(cls=AuditGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="audit")
def cli() -> None:
    """Audit the numeric claims of several news pages about one story.

    Reads a folder of saved pages (.txt, .html, with an optional sources.toml), extracts every count,
    amount, date and duration with its exact words, and lines them up across sources with a verdict.
    """


@cli.command()
@click.argument("folder", required=False, type=click.Path(path_type=Path))
@_options(_FILE_OPTIONS)
@_rules_option
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes that read and extract the pages (default: the machine's cores; 1: no workers).",
)
@click.option(
    "--dask",
    "dask_address",
    metavar="ADDRESS",
    default=None,
    help="Read and extract on a Dask cluster: its scheduler's address (tcp://host:8786), or 'local' for "
    "a few worker processes on this machine.",
)
@_options(_VIEW_OPTIONS)
@_kept_regexes
def run(
    folder: Path | None, out_dir: Path, bom, as_json, parquet, sqlite_file, html, rules_dir, jobs, dask_address, **view
) -> None:
    """Audit FOLDER (default: the bundled seeds/): show who says what, write claims.csv, facts.csv and
    report.html."""
    from rich.console import Console

    from audit import report
    from audit.pipeline import audit_folder
    from audit.reconcile import written_table
    from audit.report.names import sources_of_corpus
    from audit.report.progress import ProgressBar
    from audit.report.screen import Desk

    _settle()
    outputs = _outputs(out_dir, bom, as_json, parquet, sqlite_file, html)
    shown = _view(**view)
    rules = load_rules(rules_dir)
    with ProgressBar(Console(stderr=True)) as progress:
        result = audit_folder(folder or DEFAULT_FOLDER, rules, progress, jobs=jobs, dask=dask_address)
    _settle()  # what the reports read lives until the end too
    _warn(result.warnings)
    page = report.html_file(result.claims, result.facts, result.corpus, rules, "", result.warnings) if html else None
    hedges = written_table(rules)  # hedge words as this rules folder writes them ("at least", "~")
    written = _write(outputs, result.claims, result.facts, page, hedges)
    sources = sources_of_corpus(result.corpus, result.claims)
    desk = Desk(result.claims, result.facts, sources, str(out_dir / "facts.csv"), str(out_dir / "claims.csv"), hedges)
    _show(desk, shown, written)


@cli.command()
@click.argument("folder", required=False, type=click.Path(path_type=Path))
@_rules_option
@_width_option
@_kept_regexes
def sources(folder: Path | None, rules_dir: Path | None, width: int | None) -> None:
    """Show how FOLDER was read: sources, articles, dates and where they came from, copies, stories."""
    from rich.console import Console

    from audit import report
    from audit.ingest import read_corpus

    console = Console(width=screen_width(width), highlight=False)
    corpus = read_corpus(folder or DEFAULT_FOLDER, load_rules(rules_dir))
    _warn(corpus.warnings + tuple(w for d in corpus.documents for w in d.warnings))
    console.print(report.sources_table(corpus))
    console.print(report.articles_table(corpus))


@cli.command(name="reconcile")
@click.argument("claims_csv", type=click.Path(path_type=Path))
@_options(_FILE_OPTIONS)
@click.option("--force", is_flag=True, help="Write even where that replaces CLAIMS_CSV itself.")
@_rules_option
@_options(_VIEW_OPTIONS)
@_kept_regexes
def reconcile_cmd(
    claims_csv: Path, out_dir: Path, bom, as_json, parquet, sqlite_file, html, force: bool, rules_dir, **view
) -> None:
    """Reconcile a claims table edited by hand (CLAIMS_CSV): show the same screen as `audit run`, and
    write facts.csv and claims.csv again."""
    from audit import report
    from audit.pipeline import reconcile_claims
    from audit.reconcile import written_table
    from audit.report.names import sources_of_claims
    from audit.report.screen import Desk

    _settle()
    outputs = _outputs(out_dir, bom, as_json, parquet, sqlite_file, html)
    _refuse_own_input(claims_csv, outputs, force)
    shown = _view(**view)
    rules = load_rules(rules_dir)
    _warn(rules.warnings)  # a rule file left empty on purpose
    result = reconcile_claims(claims_csv, rules)  # copies found in the claims themselves, without the corpus
    _settle()
    claims, facts, copies = result.claims, result.facts, result.copies
    _warn(
        tuple(f"{copy} copies {original} (identical sentences); counted once" for copy, original in copies.items()),
        kind="copy",
    )
    page = report.html_file(claims, facts, None, rules, claims_csv.name) if html else None
    hedges = written_table(rules)
    written = _write(outputs, claims, facts, page, hedges)
    desk = Desk(
        claims,
        facts,
        sources_of_claims(claims, copies),
        str(out_dir / "facts.csv"),
        str(out_dir / "claims.csv"),
        hedges,
    )
    _show(desk, shown, written)


def main() -> None:
    """Entry point of the `audit` console script."""
    global _OWN_PROCESS
    _OWN_PROCESS = True
    gc.set_threshold(YOUNG_OBJECTS, *gc.get_threshold()[1:])
    try:
        cli(prog_name="audit")
    except BrokenPipeError:
        # The reader of our output went away (`audit run | head`): the files are written; stop quietly.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(1)
