"""Reading a large JSONL export (issue 10 item 6): time and peak RSS of reading every
article (decode, parse, clean, detect language — no chunking, no embedding), streamed.

The export is synthetic: ``--articles`` records of ~4 KB, the 18 languages of
tests/index/language_table.py in turn. Each measurement runs in a fresh process.

    python -m benchmarks.ingest                     # 15,000 articles, ~60 MB, limit 20 MB
    python -m benchmarks.ingest --articles 1500
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.common import ROOT

READ = r"""
import json, resource, sys, time
from pathlib import Path
from index.ingest.corpus import iter_source, scan_sources
from index.types import Article
t = time.perf_counter()
(sf,), skipped = scan_sources(Path(sys.argv[1]), int(float(sys.argv[2]) * 1024 * 1024))
scan = time.perf_counter() - t
t = time.perf_counter()
n = bad = 0
for item in iter_source(sf):
    if isinstance(item, Article):
        n += 1
    else:
        bad += 1
read = time.perf_counter() - t
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"articles": n, "skipped": bad, "scan_s": round(scan, 2),
                  "read_s": round(read, 1), "ms_per_article": round(read / max(n, 1) * 1000, 2),
                  "peak_rss_mib": round(rss)}))
"""


def write_export(path: Path, count: int) -> None:
    sys.path.insert(0, str(ROOT))
    from tests.index.language_table import TABLE

    languages = list(TABLE)
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(count):
            base = TABLE[languages[i % len(languages)]][1]
            parts: list[str] = []
            while sum(len(p.encode()) for p in parts) < 3900:
                parts.append(f"{base} ({i}-{len(parts)})")
            record = {"id": f"s{i:05d}", "title": f"Story {i}", "text": "\n".join(parts)}
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=15_000)
    parser.add_argument("--max-file-mb", type=float, default=20.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        export = Path(tmp) / "export.jsonl"
        write_export(export, args.articles)
        size_mb = export.stat().st_size / 1024 / 1024
        out = subprocess.run(
            [sys.executable, "-c", READ, str(export), str(args.max_file_mb)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        result = json.loads(out.stdout.strip().splitlines()[-1])
        print(json.dumps({"export_mb": round(size_mb, 1), **result}))


if __name__ == "__main__":
    main()
