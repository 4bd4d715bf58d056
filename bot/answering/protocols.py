"""The engine's boundaries as `typing.Protocol`s: checked by mypy, no `Any` and `getattr`.

`AnswerEngine` is what every front end uses — the CLI, the REPL, the Discord bot and
`newsbot eval`; `bot.answering.engine.Engine` is the implementation, tests pass small fakes.
What the engine needs from the index is `index.protocols.Retriever`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from bot.answering.conversation import Conversation
    from bot.answering.types import Answer
    from index.building.report import BuildProgress, BuildReport, IndexStatus
    from index.types import ArticleInfo, Passage


@runtime_checkable
class AnswerEngine(Protocol):
    """Search, answer, list, describe and rebuild one index. Every method blocks: async
    callers run them in a thread."""

    def search(self, query: str, k: int | None = None) -> list[Passage]:
        """Ranked passages for `query` (k defaults to the settings' top_k)."""
        ...

    def ask(
        self,
        question: str,
        conversation: Conversation | None = None,
        readers: Sequence[str] = (),
    ) -> Answer:
        """The cited answer. With a conversation, a follow-up is resolved against it and
        the turn is then recorded in it (callers never add the turn themselves). `readers`:
        languages the asker reads besides the question's, in order of preference."""
        ...

    def articles(self) -> list[ArticleInfo]:
        """Every indexed article (raises NoIndexError when there is no index yet)."""
        ...

    def status(self) -> IndexStatus:
        """Articles and chunks per language, model, last build time, location."""
        ...

    def rebuild(
        self, full: bool = False, progress: Callable[[BuildProgress], None] | None = None
    ) -> BuildReport:
        """Index new and changed articles (all with `full`); questions keep being answered."""
        ...

    def warm_up(self) -> None:
        """Load now what the first question would load; never raises for a missing index."""
        ...

    def calibrate(self) -> None:
        """Compute the refusal statistics the index's build did not store (an index of an
        older version); never raises for a missing index."""
        ...
