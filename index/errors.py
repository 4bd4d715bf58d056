"""Errors whose text is written for the person who sees it, with the CLI exit code to use.

Every class here is raised by the index itself; the bot raises the same classes (it sits
on top of the index, so the hierarchy lives at the lowest layer) and maps ``exit_code`` to
the process's exit status.
"""


class NewsbotError(Exception):
    """Base class: the message says what happened and what to do next."""

    exit_code = 1


class UsageError(NewsbotError):
    """A wrong argument or path (e.g. articles not found)."""

    exit_code = 2


class NoIndexError(NewsbotError):
    """No index yet (or its collections are gone): the message says how to build it."""

    exit_code = 3

    def __init__(self, message: str = "No index yet — run `newsbot index build` first.") -> None:
        super().__init__(message)


class IndexFormatError(NoIndexError):
    """An index this newsbot cannot use or upgrade in place: written by a newer newsbot, or
    damaged (index/store/upgrades.py); the message says what to run."""


class ConfigError(NewsbotError):
    """Missing token or key, unreachable Chroma server or LLM, incompatible model."""

    exit_code = 4


class ModelMismatchError(ConfigError):
    """The index was built with another embedding model than the one configured."""


class BuildLockedError(NewsbotError):
    """Another build of the same index folder is running."""

    exit_code = 1
