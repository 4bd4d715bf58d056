"""A build server for the kill tests: imports everything once, then forks one build per
request so a test can SIGKILL builds at random moments without paying Python start-up
each time. stdin: "build"  → stdout: "<pid>" (the forked build) ; "quit" ends it.

    python -m tests.hardening.fork_builder ARTICLES INDEX_DIR
"""

from __future__ import annotations

import os
import sys


def main() -> None:
    from bot.settings import Settings
    from index import embedding  # noqa: F401 - imported before forking
    from index.building.builder import build_index
    from index.ingest import chunking  # noqa: F401
    from index.store import backend  # noqa: F401

    articles, index_dir = sys.argv[1], sys.argv[2]
    print("ready", flush=True)
    for line in sys.stdin:
        if line.strip() != "build":
            break
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                settings = Settings(
                    _env_file=None,  # type: ignore[call-arg]
                    articles=articles,
                    index_dir=index_dir,
                    embedding="hash",
                    embed_batch_size=4,
                )
                build_index(settings)
            except BaseException:  # noqa: BLE001 - reported through the exit code
                code = 1
            os._exit(code)
        print(pid, flush=True)
        _, status = os.waitpid(pid, 0)
        print(f"exit {status}", flush=True)


if __name__ == "__main__":
    main()
