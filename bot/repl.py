"""`newsbot repl`: a chat with the articles, follow-ups included.

`chat_loop` knows nothing about models or terminals: it takes a function that reads a
line and a `ChatSession`, which holds an `AnswerEngine` (bot.answering.protocols), a
function that writes text and the conversation. Tests drive it directly; `run_repl` plugs
in prompt_toolkit (line editing, history under the index dir) or plain `input()` when
stdin is a pipe.
"""

from __future__ import annotations

import json
import logging
import sys
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from typing import TYPE_CHECKING, Any, TypeVar

from bot.question_input import check_question
from index.errors import NewsbotError, NoIndexError
from index.language import language_name

if TYPE_CHECKING:
    from bot.answering.conversation import Conversation
    from bot.answering.protocols import AnswerEngine
    from bot.settings import Settings

log = logging.getLogger(__name__)

NO_INDEX = "No index yet — type :reindex or run `newsbot index build`."
HELP = """\
Ask a question in any language; follow-ups ("and who inspired him?") use the conversation.
  :sources   articles in the index, with their language
  :reset     forget the conversation
  :reindex   index new or changed articles (:reindex full rebuilds everything)
  :json      toggle JSON output (the `newsbot ask --json` object)
  :help      this text
  :quit      leave (or Ctrl-D); Ctrl-C cancels a question being answered"""

ProgressFactory = Callable[[], AbstractContextManager[Any]]
T = TypeVar("T")


class Cancelled(Exception):
    """The user pressed Ctrl-C while a question was being answered."""


class ChatSession:
    """State of one chat: the conversation, the output mode, and the command handlers."""

    def __init__(
        self,
        backend: AnswerEngine,
        write: Callable[[str], None],
        conversation: Conversation | None = None,
        progress: ProgressFactory | None = None,
    ) -> None:
        self.backend = backend
        self.write = write
        self.conversation = conversation if conversation is not None else new_conversation()
        self.progress = progress or (lambda: nullcontext(None))
        self.json_mode = False
        self.commands: dict[str, Callable[[str], bool]] = {
            ":help": self.cmd_help,
            ":sources": self.cmd_sources,
            ":reset": self.cmd_reset,
            ":reindex": self.cmd_reindex,
            ":json": self.cmd_json,
            ":quit": self.cmd_quit,
            ":exit": self.cmd_quit,
            ":q": self.cmd_quit,
        }

    # -- one line of input; False means "leave" ---------------------------------------
    def handle(self, line: str) -> bool:
        text = line.strip()
        if not text:
            return True
        if text.startswith(":"):
            name, _, arg = text.partition(" ")
            handler = self.commands.get(name.lower())
            if handler is None:
                self.write(f"Unknown command {name} — type :help")
                return True
            return self.guard(lambda: handler(arg.strip()))
        return self.guard(lambda: self.question(text))

    def guard(self, action: Callable[[], bool]) -> bool:
        """Errors become one sentence for the user; tracebacks go to the log."""
        try:
            return action()
        except Cancelled:
            self.write("(cancelled)")
        except NoIndexError:
            self.write(NO_INDEX)
        except NewsbotError as exc:
            self.write(f"error: {exc}")
        except Exception as exc:  # keep the chat alive; details in the log
            log.exception("REPL command failed")
            self.write(f"Something went wrong ({type(exc).__name__}: {exc}).")
        return True

    # -- questions ---------------------------------------------------------------------
    def question(self, text: str) -> bool:
        question = check_question(text)
        # The worker answers on a copy: a cancelled question never enters the conversation.
        work = self.conversation.copy()
        answer = run_cancellable(lambda: self.backend.ask(question, work))
        self.conversation = work
        if self.json_mode:
            self.write(json.dumps(answer.to_json(), ensure_ascii=False, indent=2))
        else:
            from bot.cli.plain_text import format_answer

            self.write(format_answer(answer))
        return True

    # -- commands ----------------------------------------------------------------------
    def cmd_help(self, _: str) -> bool:
        self.write(HELP)
        return True

    def cmd_sources(self, _: str) -> bool:

        articles = self.backend.articles()
        if not articles:
            self.write("The index holds no articles.")
            return True
        languages = sorted({a.language for a in articles})
        self.write(f"{len(articles)} articles in {len(languages)} languages:")
        for a in sorted(articles, key=lambda a: a.id):
            where = a.url or a.source
            self.write(
                f"  {a.id}  {a.title or '(untitled)'} — {language_name(a.language)} — {where}"
            )
        return True

    def cmd_reset(self, _: str) -> bool:
        self.conversation.reset()
        self.write("Conversation cleared.")
        return True

    def cmd_reindex(self, arg: str) -> bool:
        from bot.cli.progress import build_report_renderables, render_text

        full = arg.lower() in ("full", "--full")
        self.write("Rebuilding the whole index…" if full else "Indexing new or changed articles…")
        try:
            with self.progress() as callback:
                report = self.backend.rebuild(full=full, progress=callback)
        except KeyboardInterrupt:
            self.write("Reindex interrupted; the index being served is unchanged.")
            return True
        self.write(render_text(build_report_renderables(report)).rstrip())
        return True

    def cmd_json(self, _: str) -> bool:
        self.json_mode = not self.json_mode
        self.write(f"JSON output {'on' if self.json_mode else 'off'}.")
        return True

    def cmd_quit(self, _: str) -> bool:
        return False


def run_cancellable(work: Callable[[], T], poll: float = 0.05) -> T:
    """Run `work` in a daemon thread; Ctrl-C in the caller's thread raises Cancelled at once.

    The thread cannot be killed: a cancelled answer finishes in the background and is
    dropped (blocking calls inside the engine keep their own timeouts).
    """
    results: list[T] = []
    errors: list[BaseException] = []
    done = threading.Event()

    def target() -> None:
        try:
            results.append(work())
        except BaseException as exc:  # handed to the caller's thread
            errors.append(exc)
        finally:
            done.set()

    worker = threading.Thread(target=target, name="newsbot-answer", daemon=True)
    try:
        worker.start()  # inside the try: Ctrl-C can land while start() waits for the thread
        while not done.wait(poll):
            pass
    except KeyboardInterrupt:
        raise Cancelled() from None
    if errors:
        raise errors[0]
    return results[0]


def chat_loop(
    session: ChatSession, read: Callable[[str], str], *, prompt: str = "> ", greeting: bool = True
) -> ChatSession:
    """Read lines into `session` until :quit or EOF (Ctrl-D); Ctrl-C at the prompt just
    clears the line."""
    if greeting:
        session.write(greet(session.backend))
    while True:
        try:
            line = read(prompt)
        except KeyboardInterrupt:
            continue
        except EOFError:
            break
        if not session.handle(line):
            break
    return session


def greet(backend: AnswerEngine) -> str:
    """One line: what is indexed, or how to build the index."""
    try:
        articles = backend.articles()
    except NoIndexError:
        return NO_INDEX
    except NewsbotError as exc:
        return f"error: {exc}"
    languages = len({a.language for a in articles})
    return (
        f"newsbot — {len(articles)} articles in {languages} languages. "
        "Ask a question; :help lists commands."
    )


def new_conversation() -> Conversation:
    from bot.answering.conversation import Conversation

    return Conversation()


def line_reader(settings: Settings) -> Callable[[str], str]:
    """prompt_toolkit with history on a terminal; plain input() for pipes and pexpect."""
    if not sys.stdin.isatty():
        return input
    from prompt_toolkit import PromptSession
    from prompt_toolkit.history import FileHistory

    history_dir = settings.resolved_index_dir()
    history_dir.mkdir(parents=True, exist_ok=True)
    session: PromptSession[str] = PromptSession(
        history=FileHistory(str(history_dir / "repl_history"))
    )
    return session.prompt


def run_repl(settings: Settings) -> None:
    """`newsbot repl`: the chat loop on this terminal, over the real engine."""
    from bot.answering.conversation import Conversation
    from bot.answering.engine import Engine
    from bot.cli.progress import build_progress

    def write(text: str) -> None:
        print(text, flush=True)

    session = ChatSession(
        Engine(settings),  # opens the index on first use: the REPL starts without one
        write,
        conversation=Conversation(max_tokens=settings.history_tokens),
        progress=lambda: build_progress(enabled=True),
    )
    chat_loop(session, line_reader(settings))
