"""Errors whose text is written for the person who sees it, with the CLI exit code to use."""


class NewsbotError(Exception):
    """Base class: the message says what happened and what to do next."""

    exit_code = 1


class UsageError(NewsbotError):
    exit_code = 2


class NoIndexError(NewsbotError):
    exit_code = 3

    def __init__(self, message: str = "No index yet — run `newsbot index build` first.") -> None:
        super().__init__(message)


class ConfigError(NewsbotError):
    """Missing token or key, unreachable Chroma server or LLM, incompatible model."""

    exit_code = 4


class ModelMismatchError(ConfigError):
    pass


class BuildLockedError(NewsbotError):
    exit_code = 1
