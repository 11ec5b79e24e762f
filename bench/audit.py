"""Audit a generated corpus and print its size, the time taken and the peak memory.

    PYTHONPATH=. python3 bench/audit.py --documents 100000 --work /tmp/audit-bench
    PYTHONPATH=. python3 bench/audit.py --documents 100000 --sources 100000  # a domain per document

The corpus is generated in a child process first, so the figure printed is the audit's own peak RSS.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--sources", type=int, default=30, help="distinct web domains in the corpus")
    parser.add_argument("--work", type=Path, default=Path("/tmp/audit-bench"))
    args = parser.parse_args()
    corpus = args.work / f"corpus-{args.documents}-{args.sources}"
    if not (corpus / "documents.jsonl").exists():
        subprocess.run([sys.executable, "-c", "import sys; from pathlib import Path; from bench.corpus import "
                        "write_corpus; write_corpus(Path(sys.argv[1]), int(sys.argv[2]), sources=int(sys.argv[3]))",
                        str(corpus), str(args.documents), str(args.sources)], check=True)
    from cleaner.report.audit import write_report

    started = time.monotonic()
    report = write_report(corpus, args.work / f"report-{args.documents}-{args.sources}")
    seconds = time.monotonic() - started
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB
    size_mib = (corpus / "documents.jsonl").stat().st_size / 2**20
    views = len(list((report / "docs").glob("*.html")))
    print(f"documents={args.documents} sources={args.sources} documents.jsonl={size_mib:.0f} MiB audit={seconds:.1f} s "
          f"({args.documents / seconds:,.0f} docs/s) peak_rss={peak_mib:.0f} MiB views={views}")


if __name__ == "__main__":
    main()
