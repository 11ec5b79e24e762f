"""The `cleaner` command. Commands are thin: parse options, call the library, print.

Exit codes: 0 success (quarantined inputs are reported, not failures); 1 the run failed (I/O
error, unusable partial output); 2 usage or configuration error; 3 no document came out because
every input was quarantined.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

import click
import orjson

from cleaner.config import EXTRACT_MODES, Config, ConfigError
from cleaner.io.outputs import (
    COMPRESSIONS,
    DECOMPRESS_ERRORS,
    FORMATS,
    RAW_MODES,
    MissingRaw,
    RawTexts,
    read_output_lines,
)
from cleaner.io.writers import ResumeError

EXIT_FAILED, EXIT_USAGE, EXIT_ALL_QUARANTINED = 1, 2, 3


def _load_config(path: str | None, compress: str | None = None, raw: str | None = None,
                 fields: dict[str, object] | None = None, form: str | None = None,
                 extract_mode: str | None = None) -> Config:
    """The --config file's configuration, with --compress, --raw and --format (when given) over its output keys,
    the --*-field options over its input.fields and --extract-mode over extract.mode."""
    given = {"compress": compress, "raw": raw, "format": form}
    chosen_fields = {role: value for role, value in (fields or {}).items() if value not in (None, ())}
    try:
        return Config.from_file(path, {key: value for key, value in given.items() if value is not None},
                                {role: list(value) if isinstance(value, tuple) else value
                                 for role, value in chosen_fields.items()},
                                {"mode": extract_mode} if extract_mode else None)
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from exc


config_option = click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False),
                             help="TOML file overriding any threshold (see cleaner/config.py).")
jobs_option = click.option("--jobs", "-j", default=1, show_default=True, type=click.IntRange(1),
                           help="Worker processes; output is identical for any number.")
engine_option = click.option("--engine", type=click.Choice(["local", "ray"]), default="local", show_default=True,
                             help="local: a process pool. ray: Ray Data (pip install 'cleaner[ray]'), same output.")
address_option = click.option("--address", default=None,
                              help="Ray cluster to join (e.g. 10.0.0.5:6379); default: a local Ray with --jobs CPUs.")
compress_option = click.option("--compress", type=click.Choice(COMPRESSIONS), default=None,
                                help="Compress every JSONL written (.jsonl.gz, .jsonl.zst) [default: config "
                                     "output.compress, none].")
raw_option = click.option("--raw", type=click.Choice(RAW_MODES), default=None,
                          help="Input text in each record (inline), in raw.jsonl beside it (sidecar), or dropped "
                               "(none) [default: config output.raw, inline].")
FIELD_OPTIONS = (
    click.option("--html-field", "html", multiple=True,
                 help="JSONL/Parquet field holding HTML, tried first; repeat for several [default: html]."),
    click.option("--text-field", "text", multiple=True,
                 help="Field holding the content, HTML or text told apart by content; repeat for several "
                      "[default: text, content]."),
    click.option("--id-field", "id", default=None, help="Field kept as metadata.input_id [default: id]."),
    click.option("--url-field", "url", default=None, help="Field holding the document's URL [default: url]."),
    click.option("--date-field", "date", default=None,
                 help="Field holding the retrieval time (ISO 8601, or a Parquet timestamp) [default: added]."),
)


def field_options(command: Callable[..., None]) -> Callable[..., None]:
    """--html-field, --text-field, --id-field, --url-field, --date-field: which row fields hold what
    (config input.fields; README, Inputs), passed to the command as one `fields` dict."""
    @functools.wraps(command)  # keeps the options declared below this one (click keeps them on the function)
    def with_fields(*args: object, html: tuple[str, ...], text: tuple[str, ...], id: str | None, url: str | None,
                    date: str | None, **kwargs: object) -> None:
        return command(*args, fields={"html": html, "text": text, "id": id, "url": url, "date": date}, **kwargs)

    for option in reversed(FIELD_OPTIONS):
        with_fields = option(with_fields)
    return with_fields


format_option = click.option("--format", "form", type=click.Choice(FORMATS), default=None,
                              help="Records as documents.jsonl or documents.parquet [default: config output.format, "
                                   "jsonl].")
extract_mode_option = click.option(
    "--extract-mode", type=click.Choice(EXTRACT_MODES), default=None,
    help="HTML extraction: fast (trafilatura alone) or accurate (several extractors, the best-agreeing output "
         "kept; docs/extraction.md) [default: config extract.mode, accurate].")
resume_option = click.option("--resume", is_flag=True, help="Continue an interrupted run in the same --out directory.")


def processing_options(command: Callable[..., None]) -> Callable[..., None]:
    """--config, --jobs, --engine and --address: how every corpus-processing command runs."""
    for option in (address_option, engine_option, jobs_option, config_option):
        command = option(command)
    return command


def _output_folder(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """An output option names a folder to create or reuse (or - for stdout), never an existing file."""
    if value and value != "-" and Path(value).exists() and not Path(value).is_dir():
        raise click.BadParameter(f"{value} is a file, not a folder", ctx, param)
    return value


def _index_spec(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    from cleaner.dedup.storage import index_spec_problem

    problem = value and index_spec_problem(value)
    if problem:
        raise click.BadParameter(problem, ctx, param)
    return value


def _fail(message: object) -> NoReturn:
    click.echo(f"error: {message}", err=True)
    sys.exit(EXIT_FAILED)


def _check_engine(engine: str, inputs: tuple[str, ...], out: str | None = None) -> None:
    """The Ray engine reads and writes files that its workers can reach: no stdin or stdout."""
    if engine == "ray" and ("-" in inputs or out == "-"):
        raise click.UsageError("--engine ray reads files and writes --out DIR; use the local engine for - (stdio)")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="cleaner")
def main() -> None:
    """Turn scraped articles into a clean, auditable corpus."""


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--out", "out", required=True, callback=_output_folder,
              help="Output directory, or - for JSON lines on stdout.")
@processing_options
@resume_option
@compress_option
@raw_option
@format_option
@extract_mode_option
@field_options
@click.option("--progress/--no-progress", default=None, help="Progress on stderr (default: when a TTY).")
def clean(inputs: tuple[str, ...], out: str, config_path: str | None, jobs: int, engine: str, address: str | None,
          resume: bool, compress: str | None, raw: str | None, form: str | None, extract_mode: str | None,
          progress: bool | None, fields: dict[str, object]) -> None:
    """Clean INPUTS (files, directories, .jsonl[.gz], .parquet, .warc[.gz], .wet[.gz], or - for stdin) into --out."""
    from cleaner.runner import clean_corpus, clean_to_stream

    _check_engine(engine, inputs, out)
    if out == "-" and (compress or raw or form):
        raise click.UsageError("--compress, --raw and --format shape the files of --out DIR; --out - writes "
                               "plain records")
    config = _load_config(config_path, compress, raw, fields, form, extract_mode)
    if out == "-":
        counts = clean_to_stream(list(inputs), sys.stdout.buffer, sys.stderr, config, jobs)
        documents = counts["documents"]
    else:
        try:
            info = clean_corpus(list(inputs), Path(out), config, jobs=jobs, resume=resume,
                                progress=sys.stderr.isatty() if progress is None else progress,
                                engine=engine, address=address)
        except ResumeError as exc:
            _fail(exc)
        counts = info["counts"]
        documents = counts["documents"]
        click.echo(f"{counts['documents']} documents, {counts['quarantined']} quarantined -> {out}", err=True)
    if documents == 0:
        sys.exit(EXIT_ALL_QUARANTINED)


def _record_lines(record_or_file: str) -> tuple[str, Path | None, list[bytes]]:
    """Where the records come from (for error messages), the file if any, and their JSON lines."""
    if record_or_file == "-":
        return "<stdin>", None, sys.stdin.buffer.read().splitlines()
    if record_or_file.lstrip().startswith("{"):
        return "<argument>", None, [record_or_file.encode("utf-8")]
    return record_or_file, Path(record_or_file), read_output_lines(Path(record_or_file))


def _matches(record: object, doc_id: str | None) -> bool:
    """Whether `record` is the one asked for by --id (its id or input key); any record when no id is given."""
    if not doc_id:
        return True
    if not isinstance(record, dict):
        return False
    metadata = record.get("metadata")
    return doc_id in (record.get("id"), metadata.get("input_key") if isinstance(metadata, dict) else None)


def _invalid(where: str, number: int, problem: str) -> NoReturn:
    from cleaner.untrusted import terminal_safe

    click.echo(f"error: {terminal_safe(where)}:{number}: invalid record: {problem}", err=True)
    sys.exit(EXIT_USAGE)


@main.command()
@click.argument("record_or_file")
@click.option("--id", "doc_id", help="Only the record with this id (or input key).")
@click.option("--color/--no-color", default=None, help="Colour (default: when stdout is a TTY).")
def explain(record_or_file: str, doc_id: str | None, color: bool | None) -> None:
    """Show what was removed from each record and why (a documents.jsonl, a record, or - for stdin).

    A record to show that lacks a field it needs, or a line that is not JSON, stops the command with the
    line and the field at fault (exit 2); with --id, lines that are not JSON are skipped with a warning.
    Control characters in the records are printed as escapes such as \\x1b.
    """
    colour = sys.stdout.isatty() if color is None else color
    try:
        where, path, lines = _record_lines(record_or_file)
        with RawTexts(path) as raw:
            shown = _explain_lines(where, lines, raw, doc_id, colour)
    except DECOMPRESS_ERRORS as exc:
        raise click.UsageError(f"cannot read {record_or_file}: {exc}") from exc
    if shown == 0:
        raise click.UsageError("no matching record")


def _explain_lines(where: str, lines: list[bytes], raw: RawTexts, doc_id: str | None, colour: bool) -> int:
    """Print the explanation of every matching record; returns how many were shown."""
    from cleaner.explain import explain_record
    from cleaner.untrusted import InvalidRecord, check_record, terminal_safe

    shown = 0
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            if not doc_id:
                _invalid(where, number, f"not JSON ({exc.msg})")
            # looking for one record: a corrupt line elsewhere in a large file should not hide it
            click.echo(f"warning: {terminal_safe(where)}:{number}: not JSON ({exc.msg}), skipped", err=True)
            continue
        if not _matches(record, doc_id):
            continue
        try:
            raw.fill(record)
            check_record(record)
        except (InvalidRecord, MissingRaw) as exc:
            _invalid(where, number, str(exc))
        click.echo(explain_record(record, colour), color=colour)
        shown += 1
    return shown


@main.command()
@click.argument("source", type=click.Path(exists=True, dir_okay=False))
@click.option("--out", required=True, callback=_output_folder,
              help="Output directory (documents, duplicates, clusters .jsonl).")
@click.option("--index", "index", default=None, callback=_index_spec,
              help="SQLite file or redis://host:port/db holding every document seen so far "
                   "[default: <out>/dedup-index.sqlite].")
@click.option("--mark-only", is_flag=True, help="Keep every document; only add metadata.dedup.")
@processing_options
@compress_option
def dedup(source: str, out: str, index: str | None, mark_only: bool, config_path: str | None, jobs: int, engine: str,
          address: str | None, compress: str | None) -> None:
    """Find near-duplicates in SOURCE (a documents.jsonl or documents.parquet) and against the index; keep one per
    cluster. A Parquet source gives Parquet records files."""
    from cleaner.dedup.index import IndexMismatch
    from cleaner.dedup.stage import dedup_corpus
    from cleaner.dedup.storage import IndexUnavailable

    config = _load_config(config_path, compress)
    if engine == "ray" and (index or config["dedup"]["index"]):
        raise click.UsageError("--engine ray deduplicates one corpus on its own; a persistent --index needs the "
                               "local engine")
    try:
        if engine == "ray":
            from cleaner.engine.ray import connected
            from cleaner.engine.ray_dedup import dedup_file

            with connected(address, jobs):
                summary = dedup_file(Path(source), Path(out), config, mark_only=mark_only)
        else:
            summary = dedup_corpus(Path(source), Path(out), config, index=index, mark_only=mark_only)
    except (IndexMismatch, MissingRaw, *DECOMPRESS_ERRORS) as exc:
        raise click.UsageError(str(exc)) from exc
    except IndexUnavailable as exc:
        _fail(exc)
    counts = summary["counts"]
    click.echo(f"{counts['documents']} documents, {counts.get('kept', 0)} kept, "
               f"{counts['documents'] - counts.get('kept', 0)} duplicates in {counts['clusters']} clusters -> {out}",
               err=True)


@main.command()
@click.argument("target", metavar="OUT_DIR_OR_JSONL", type=click.Path(exists=True, path_type=Path))
@click.option("--report", "report_dir", type=click.Path(path_type=Path), default=None,
              help="Report directory [default: reports/<name of OUT_DIR_OR_JSONL>].")
@click.option("--views", default=300, show_default=True, type=click.IntRange(1),
              help="Per-document views to write; a larger corpus gets a deterministic sample.")
def audit(target: Path, report_dir: Path | None, views: int) -> None:
    """Write the audit report (index.html, summary.json, summary.md) for a cleaned output."""
    from cleaner.report.audit import default_report_dir, write_report

    report = report_dir or default_report_dir(target)
    try:
        written = write_report(target, report, view_limit=views)
    except (FileNotFoundError, MissingRaw, *DECOMPRESS_ERRORS) as exc:
        raise click.UsageError(str(exc)) from exc
    invalid = orjson.loads((written / "summary.json").read_bytes())["invalid_records"]
    if invalid["count"]:
        first = invalid["examples"][0]
        click.echo(f"warning: skipped {invalid['count']} invalid line(s), listed in the report; the first: "
                   f"{first['file']}:{first['line']}: {first['field']}: {first['problem']}", err=True)
    click.echo(f"report -> {written / 'index.html'}", err=True)


@main.command("filter")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", required=True, callback=_output_folder,
              help="Output directory (documents.jsonl kept, dropped.jsonl dropped with the reason, filter.json).")
@click.option("--drop-if", "drop_if", multiple=True, required=True,
              help="Drop when this fails: a quality family (gopher_quality, gopher_repetition, c4, fineweb), "
                   "FAMILY:REASON, or any. Repeat for more.")
@config_option
@compress_option
def filter_command(source: Path, out: str, drop_if: tuple[str, ...], config_path: str | None,
                   compress: str | None) -> None:
    """Drop the documents of SOURCE (a documents.jsonl) whose quality verdicts meet a --drop-if condition."""
    from cleaner.annotate.quality.filter import FilterError, filter_corpus

    config = _load_config(config_path, compress)
    try:
        summary = filter_corpus(source, Path(out), config, list(drop_if))
    except (FilterError, MissingRaw, *DECOMPRESS_ERRORS) as exc:
        raise click.UsageError(str(exc)) from exc
    counts = summary["counts"]
    click.echo(f"{counts['documents']} documents, {counts['kept']} kept, {counts['dropped']} dropped "
               f"({counts['not_assessed']} not assessed, never dropped) -> {out}", err=True)


@main.command()
def rules() -> None:
    """List every noise rule with its category and description."""
    from cleaner.noise import RULES

    for name, rule in sorted(RULES.rules.items(), key=lambda kv: (kv[1].category, kv[0])):
        click.echo(f"{rule.category:<22} {name:<28} {rule.description}")


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--out", default="out", show_default=True, callback=_output_folder, help="Output directory.")
@click.option("--report", "report_dir", default=None, callback=_output_folder,
              help="Report directory [default: reports/<out name>].")
@processing_options
@resume_option
@compress_option
@raw_option
@format_option
@extract_mode_option
@field_options
def run(inputs: tuple[str, ...], out: str, report_dir: str | None, config_path: str | None, jobs: int,
        engine: str, address: str | None, resume: bool, compress: str | None, raw: str | None, form: str | None,
        extract_mode: str | None, fields: dict[str, object]) -> None:
    """The main job: clean INPUTS into --out, then write the audit report."""
    from cleaner.dedup.storage import IndexUnavailable
    from cleaner.runner import run_all

    _check_engine(engine, inputs)
    config = _load_config(config_path, compress, raw, fields, form, extract_mode)
    report = Path(report_dir) if report_dir else Path("reports") / Path(out).resolve().name
    try:
        summary = run_all(list(inputs), Path(out), report, config, jobs=jobs, resume=resume,
                          progress=sys.stderr.isatty(), engine=engine, address=address)
    except (ResumeError, IndexUnavailable) as exc:
        _fail(exc)
    for line in summary:
        click.echo(line, err=True)


if __name__ == "__main__":
    main()
