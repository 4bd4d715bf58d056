"""``python -m bot.locales update``: extract the code's texts and merge them into every
catalog; ``python -m bot.locales check``: exit 1 when a catalog is out of step."""

from __future__ import annotations

import sys

from bot.locales.catalogs import problems, update


def main(argv: list[str]) -> int:
    command = argv[0] if argv else ""
    if command == "update":
        for path in update():
            print(f"wrote {path}")
        return 0
    if command == "check":
        found = problems()
        for line in found:
            print(line, file=sys.stderr)
        return 1 if found else 0
    print("usage: python -m bot.locales update|check", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
