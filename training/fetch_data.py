"""Download the training files listed in sources.py and verify each sha256.

    python -m training.fetch_data                    # from GitHub (raw files at the commit)
    python -m training.fetch_data --mirror DIR       # from bare mirrors DIR/<owner>+<name>/repo

Files land in training/data/raw/<source>/<path>; a file already there with the right
sha256 is kept. Any mismatch stops the run: the figures in README.md hold only for these
exact bytes.
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
import urllib.request
from pathlib import Path

from training.sources import ALL_SOURCES, Source

RAW = Path(__file__).resolve().parent / "data" / "raw"


def raw_path(source: Source, path: str) -> Path:
    return RAW / source.name / path


def _download(source: Source, path: str, mirror: Path | None) -> bytes:
    if mirror is not None:
        git_dir = mirror / source.repo.replace("/", "+") / "repo"
        return subprocess.run(
            ["git", "--git-dir", str(git_dir), "show", f"{source.commit}:{path}"],
            check=True,
            capture_output=True,
        ).stdout
    url = f"https://raw.githubusercontent.com/{source.repo}/{source.commit}/{path}"
    with urllib.request.urlopen(url, timeout=120) as response:
        return bytes(response.read())


def fetch(mirror: Path | None) -> int:
    bad = 0
    for source in ALL_SOURCES:
        for path, sha in source.files:
            target = raw_path(source, path)
            if target.exists() and hashlib.sha256(target.read_bytes()).hexdigest() == sha:
                continue
            data = _download(source, path, mirror)
            got = hashlib.sha256(data).hexdigest()
            if got != sha:
                print(
                    f"sha256 mismatch: {source.repo}@{source.commit}:{path} {got}", file=sys.stderr
                )
                bad += 1
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            print(f"ok {source.name} {path} ({len(data):,} bytes)")
    return bad


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mirror", type=Path, help="folder of bare git mirrors")
    args = parser.parse_args()
    sys.exit(1 if fetch(args.mirror) else 0)


if __name__ == "__main__":
    main()
