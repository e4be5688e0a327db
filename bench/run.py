"""`make bench`: the assistant and the stock `rasa init` assistant, measured the same way in the
same run. Writes results/bench/report.md, report.json and latency.png.

Each step is bounded: a fixed number of messages per load level, a timeout on every request.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import yaml

from bench.load import (
    ASSISTANT_CONVERSATIONS,
    ASSISTANT_LONG_CONVERSATION,
    STOCK_CONVERSATIONS,
    STOCK_LONG_CONVERSATION,
    load,
    long_conversation,
)
from bench.nlu_eval import evaluate
from bench.real_voices import (
    FRESH_VOICES,
    TARGET as REAL_VOICES_TARGET,
    report_lines as real_voices_lines,
    score as score_real_voices,
)
from bench.spanish_voices import (
    TARGET as SPANISH_TARGET,
    report_lines as spanish_lines,
    score as score_spanish,
)
from ops.settings import ROOT, Settings
from ops.stack import Stack

OUT = ROOT / "results" / "bench"
VENV_BIN = Path(sys.executable).parent
LEVELS = [(1, 60), (8, 240), (32, 640)]  # concurrent conversations, messages
REPLICA_LEVELS = [(32, 640), (128, 1280)]  # 1 vs 2 Rasa replicas behind the proxy
BUSY_USERS, BUSY_SOURCES, BUSY_SECONDS = 256, 64, 30  # the busy-reply rate, default proxy limits
# Every port the benchmark's stacks use: PORT_BASE + 0 ... + 399 (BENCH_PORT_BASE).
PORT_BASE = int(os.environ.get("BENCH_PORT_BASE", "25000"))
# The proxy's per-client limits would measure the limits, not Rasa: one client here is a crowd.
UNLIMITED = {"RATE_LIMIT_PER_SECOND": "100000", "RATE_LIMIT_BURST": "100000",
             "CONN_LIMIT_PER_CLIENT": "60000"}
TARGETS = {
    "intent_accuracy": 0.95, "out_of_scope_handled": 0.90, "p50_1": 25.0, "p95_1": 50.0,
    "throughput_ratio_32": 3.0, "p95_32": 500.0, "cold_start_ratio": 0.5, "rasa_memory_mb": 800.0,
    "long_conversation_ratio": 1.5,
}


def run(command: list[str], cwd: Path, env: dict | None = None) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env={**os.environ, **(env or {})}, text=True,
                          capture_output=True, timeout=1800)
    if done.returncode != 0:
        raise RuntimeError(
            f"{' '.join(command)} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
        )
    return time.perf_counter() - started, done.stdout + done.stderr


def train(project: Path, model_dir: Path, config: dict | None = None,
          nlu_only: bool = False) -> tuple[float, Path]:
    """Trains from scratch (an empty cache), with `config` instead of the project's config.yml
    when given, and returns (seconds, model path)."""
    with tempfile.TemporaryDirectory() as work:
        command = [str(VENV_BIN / "rasa"), "train", *(["nlu"] if nlu_only else ["--force"]),
                   "--fixed-model-name", "bench", "--out", str(model_dir), "--quiet"]
        if (project / "domain").is_dir():  # ours is split by topic; the stock one is one file
            command += ["--domain", "domain"]
        if config is not None:
            config_path = Path(work) / "config.yml"
            config_path.write_text(yaml.safe_dump(config, sort_keys=False))
            command += ["--config", str(config_path)]
        seconds, _ = run(command, project, {"RASA_CACHE_DIRECTORY": str(Path(work) / "cache"),
                                            "TQDM_DISABLE": "1", "RASA_TELEMETRY_ENABLED": "false"})
    return seconds, model_dir / "bench.tar.gz"


def stock_project(folder: Path) -> Path:
    """The `rasa init` project as Rasa ships it, served like ours: Redis stores, REST."""
    from rasa.cli.scaffold import create_initial_project

    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    create_initial_project(str(folder))
    # Our endpoints, but with Rasa's own Redis stores instead of rasa_extensions'.
    endpoints = yaml.safe_load((ROOT / "endpoints.yml").read_text())
    for store in ("tracker_store", "lock_store"):  # Rasa's own stores take no URL: its parts
        endpoints[store].update(type="redis", url="${REDIS_HOST}", port="${REDIS_PORT}",
                                db="${REDIS_TRACKER_DB}", password="${REDIS_PASSWORD}")
    endpoints["action_endpoint"].pop("enable_selective_domain", None)
    endpoints.pop("nlg", None)  # Rasa's own NLG: the stock replies carry no language
    (folder / "endpoints.yml").write_text(yaml.safe_dump(endpoints, sort_keys=False))
    (folder / "credentials.yml").write_text("rest:\n")
    return folder


def story_accuracy(model: Path, out: Path = OUT / "stories") -> dict:
    _, output = run([str(VENV_BIN / "rasa"), "test", "core", "--model", str(model), "--stories",
                     "tests/stories", "--out", str(out)], ROOT, {"TQDM_DISABLE": "1"})
    section = output.split("CONVERSATION level", 1)[-1]
    correct, total = map(int, re.search(r"Correct:\s+(\d+)\s*/\s*(\d+)", section).groups())
    return {"stories": total, "correct": correct, "story_accuracy": correct / total}


def process_tree(pid: int) -> list[int]:
    """The process and all its descendants (Rasa's Sanic workers when RASA_WORKERS > 1)."""
    tree = [pid]
    for member in tree:
        for task in Path(f"/proc/{member}/task").glob("*"):
            tree += [int(child) for child in (task / "children").read_text().split()]
    return tree


def rss_mb(pid: int | None) -> float:
    """Resident memory of the process and its children (shared pages counted in each)."""
    if not pid:
        return 0.0
    total_kb = 0
    for member in process_tree(pid):
        for line in Path(f"/proc/{member}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total_kb += int(line.split()[1])
    return total_kb / 1024


def first_reply_seconds(stack: Stack, service: str, first_message: str) -> float:
    """Process start to first answered message (for the action server: to answering /health
    and, for ours, running an action through Rasa)."""
    stack.stop(service)
    started = time.perf_counter()
    stack.start(service)
    body = json.dumps(
        {"sender": f"cold-{service}-{time.time()}", "message": first_message}
    ).encode()
    request = urllib.request.Request(f"{stack.settings.rasa_url}/webhooks/rest/webhook", data=body,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        assert json.loads(response.read()), "no reply"
    return time.perf_counter() - started


def bench_stack(name: str, project: Path, model: Path, offset: int, **env: str) -> Stack:
    """A stack of its own (state folder, ports PORT_BASE + offset ...), without the website,
    reached through its proxy; started."""
    base = PORT_BASE + offset
    env = {"STACK_STATE_DIR": str(OUT / f"state-{name}"), "LOCAL_REDIS_PORT": str(base),
           "ACTION_PORT": str(base + 10), "RASA_PORT": str(base + 20),
           "PUBLIC_PORT": str(base + 30), "WEB_PORT": str(base + 31), "RASA_MODEL": str(model),
           **UNLIMITED, **env}
    settings = Settings.from_env({**os.environ, **env})
    settings = Settings(**{**settings.__dict__, "project_dir": project, "with_web": False,
                           "redis_url": None})
    stack = Stack(settings)
    for attempt in range(3):
        stack.down()
        shutil.rmtree(settings.state_dir, ignore_errors=True)
        try:
            stack.up()
            return stack
        except RuntimeError:  # a port of the block taken for a moment by another client
            if attempt == 2:
                raise
            time.sleep(5)
    return stack


def replica_memory_mb(stack: Stack) -> list[float]:
    return [rss_mb(stack.pid(program)) for program in stack.programs("rasa")]


def measure_stack(name: str, project: Path, model: Path, offset: int,
                  conversations: list[list[str]], first_message: str,
                  long_messages: list[str], real_voices: bool = False) -> dict:
    """Served as before this benchmark compared replicas: one Rasa process, one action server."""
    stack = bench_stack(name, project, model, offset, RASA_REPLICAS="1", ACTION_REPLICAS="1")
    settings = stack.settings
    try:
        result = {"cold_start_rasa_s": first_reply_seconds(stack, "rasa", first_message),
                  "cold_start_actions_s": first_reply_seconds(stack, "actions", first_message)}
        if real_voices:  # First Contact Resolution through the real webhook (issue 13)
            result["real_voices"] = score_real_voices(settings.rasa_url)
            result["fresh_voices"] = score_real_voices(settings.rasa_url, FRESH_VOICES)
            result["spanish_voices"] = score_spanish(settings.rasa_url)  # issue 14
        load(settings.rasa_url, conversations, 2, 20)  # warm-up, not reported
        result["load"] = [load(settings.rasa_url, conversations, users, messages)
                          for users, messages in LEVELS]
        # Median turn cost of turns 91-100 against turns 1-10 of one conversation, alone.
        result["long_conversation"] = long_conversation(
            settings.rasa_url, long_messages, 100,
            process_tree(stack.pid("rasa")) + process_tree(stack.pid("actions")))
        result["rasa_memory_mb"] = rss_mb(stack.pid("rasa"))
        result["actions_memory_mb"] = rss_mb(stack.pid("actions"))
    finally:
        stack.down()
    return result


def measure_long_conversations(model: Path) -> dict:
    """One conversation of 100 turns through ours and through the stock assistant, one after
    the other in the same run (`make bench` measures it inside measure_stack)."""
    stock_dir = stock_project(OUT / "stock")
    _, stock_model = train(stock_dir, OUT / "models-stock")
    result = {}
    for name, project, trained, messages, offset in (
            ("assistant", ROOT, model, ASSISTANT_LONG_CONVERSATION, 0),
            ("stock rasa init", stock_dir, stock_model, STOCK_LONG_CONVERSATION, 50)):
        stack = bench_stack(f"long-{offset}", project, trained, offset, RASA_REPLICAS="1",
                            ACTION_REPLICAS="1")
        try:
            load(stack.settings.rasa_url, [messages[:4]], 2, 20)  # warm-up, not reported
            pids = process_tree(stack.pid("rasa")) + process_tree(stack.pid("actions"))
            long = long_conversation(stack.settings.rasa_url, messages, 100, pids)
            long.pop("latencies_ms")
            result[name] = long
        finally:
            stack.down()
    return result


def long_report(long: dict) -> list[str]:
    lines = ["| assistant | turns 1-10 ms | turns 91-100 ms | ratio | CPU ratio | errors |",
             "|---|---|---|---|---|---|"]
    for name, data in long.items():
        lines.append(f"| {name} | {data['first_10_median_ms']:.1f} | "
                     f"{data['last_10_median_ms']:.1f} | {data['ratio']:.2f} | "
                     f"{data['cpu_ratio']:.2f} | {data['errors']} |")
    return lines


def measure_replicas(model: Path) -> dict:
    """1 vs 2 Rasa replicas behind the proxy at 32 and 128 conversations, memory per replica;
    then the busy-reply rate at 256 conversations from 64 addresses under the default limits."""
    result: dict = {}
    for replicas in (1, 2):
        stack = bench_stack(f"replicas-{replicas}", ROOT, model, 100 + 50 * replicas,
                            RASA_REPLICAS=str(replicas))
        try:
            load(stack.settings.rasa_url, ASSISTANT_CONVERSATIONS, 4, 40)  # warm-up
            levels = [load(stack.settings.rasa_url, ASSISTANT_CONVERSATIONS, users, messages)
                      for users, messages in REPLICA_LEVELS]
            result[str(replicas)] = {"load": _summaries(levels),
                                     "memory_mb": replica_memory_mb(stack)}
        finally:
            stack.down()
    defaults = {key: os.environ.get(key, value) for key, value in
                {"RATE_LIMIT_PER_SECOND": "5", "RATE_LIMIT_BURST": "20",
                 "CONN_LIMIT_PER_CLIENT": "50"}.items()}
    stack = bench_stack("busy", ROOT, model, 250, **defaults)
    try:
        busy = load(stack.settings.rasa_url, ASSISTANT_CONVERSATIONS, BUSY_USERS,
                    seconds=BUSY_SECONDS, sources=BUSY_SOURCES)
        result["busy"] = {**_summaries([busy])[0], "replicas": stack.settings.rasa_replicas}
    finally:
        stack.down()
    return result


def _summaries(levels: list[dict]) -> list[dict]:
    return [{key: value for key, value in level.items() if key not in ("records", "latencies_ms")}
            for level in levels]


def replicas_report(replicas: dict) -> list[str]:
    lines = [
        "",
        "## Rasa replicas behind the proxy (REST, one Redis)",
        "",
        "| replicas | conversations | messages | p50 ms | p95 ms | msg/s | errors "
        "| memory per replica MB |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for count in ("1", "2"):
        memory = " / ".join(f"{mb:.0f}" for mb in replicas[count]["memory_mb"])
        for level in replicas[count]["load"]:
            lines.append(
                f"| {count} | {level['users']} | {level['messages']} | {level['p50_ms']:.1f} | "
                f"{level['p95_ms']:.1f} | {level['throughput_msg_s']:.1f} | {level['errors']} "
                f"| {memory} |"
            )
    busy = replicas["busy"]
    lines += [
        "",
        f"{BUSY_USERS} conversations from {BUSY_SOURCES} addresses for {BUSY_SECONDS} s, "
        f"default limits, {busy['replicas']} replicas: {busy['messages']} messages, busy replies "
        f"{busy['busy_rate']:.1%}, errors {busy['errors']}, "
        f"{busy['throughput_msg_s']:.1f} answered/s, "
        f"p95 {busy['p95_ms']:.0f} ms, slowest {busy['max_ms']:.0f} ms.",
    ]
    return lines

def chart(results: dict) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(1, len(LEVELS), figsize=(12, 4), sharey=False)
    for axis, (index, (users, _)) in zip(axes, enumerate(LEVELS), strict=True):
        data = [results[name]["load"][index]["latencies_ms"] for name in ("assistant", "stock")]
        axis.boxplot(data, labels=["assistant", "stock rasa init"], showfliers=False)
        axis.set_title(f"{users} concurrent conversation{'s' if users > 1 else ''}")
        axis.set_ylabel("latency per message (ms)")
    figure.tight_layout()
    figure.savefig(OUT / "latency.png", dpi=100)


def targets(results: dict) -> list[tuple[str, str, bool]]:
    ours, stock, nlu = results["assistant"], results["stock"], results["nlu"]
    one, many = ours["load"][0], ours["load"][2]
    ratio = many["throughput_msg_s"] / stock["load"][2]["throughput_msg_s"]
    long, stock_long = ours["long_conversation"], stock["long_conversation"]
    cold = ours["cold_start_rasa_s"] / stock["cold_start_rasa_s"]
    t = TARGETS
    voices = ours["real_voices"]["first_reply_correct"]
    fresh = ours["fresh_voices"]["first_reply_correct"]
    spanish = ours["spanish_voices"]["first_reply_correct"]
    return [
        (
            "held-out intent accuracy ≥ 0.95",
            f"{nlu['intent_accuracy']:.3f}",
            nlu["intent_accuracy"] >= t["intent_accuracy"],
        ),
        (
            f"real voices: first reply holds the fact ≥ {REAL_VOICES_TARGET}",
            f"{voices:.3f}",
            voices >= REAL_VOICES_TARGET,
        ),
        (
            f"fresh voices: first reply holds the fact ≥ {REAL_VOICES_TARGET}",
            f"{fresh:.3f}",
            fresh >= REAL_VOICES_TARGET,
        ),
        (
            f"Spanish: first reply in Spanish with the fact ≥ {SPANISH_TARGET}",
            f"{spanish:.3f}",
            spanish >= SPANISH_TARGET,
        ),
        (
            "out-of-scope handled ≥ 0.90",
            f"{nlu['out_of_scope_handled']:.3f}",
            nlu["out_of_scope_handled"] >= t["out_of_scope_handled"],
        ),
        ("1 conversation: p50 ≤ 25 ms", f"{one['p50_ms']:.1f} ms", one["p50_ms"] <= t["p50_1"]),
        ("1 conversation: p95 ≤ 50 ms", f"{one['p95_ms']:.1f} ms", one["p95_ms"] <= t["p95_1"]),
        (
            "32 conversations: throughput ≥ 3× stock",
            f"{ratio:.2f}×",
            ratio >= t["throughput_ratio_32"],
        ),
        (
            "32 conversations: p95 < 500 ms",
            f"{many['p95_ms']:.1f} ms",
            many["p95_ms"] < t["p95_32"],
        ),
        ("32 conversations: zero errors", str(many["errors"]), many["errors"] == 0),
        ("cold start ≤ half the stock's", f"{cold:.2f}×", cold <= t["cold_start_ratio"]),
        (
            "Rasa server memory ≤ 800 MB",
            f"{ours['rasa_memory_mb']:.0f} MB",
            ours["rasa_memory_mb"] <= t["rasa_memory_mb"],
        ),
        (
            "turns 91-100 ≤ 1.5× turns 1-10 (median, one conversation)",
            f"{long['ratio']:.2f}× (stock {stock_long['ratio']:.2f}×)",
            long["ratio"] <= t["long_conversation_ratio"],
        ),
    ]


def report(results: dict) -> str:
    nlu, ours, stock = results["nlu"], results["assistant"], results["stock"]
    conf = nlu["confirmation"]
    lines = ["# Benchmark report", "", f"Machine: {os.cpu_count()} cores. Run: {results['when']}.",
             "", "## Targets", "", "| target | measured | met |", "|---|---|---|"]
    lines += [
        f"| {name} | {value} | {'met' if ok else 'not met'} |"
        for name, value, ok in targets(results)
    ]
    lines += [
        "",
        "## Understanding (held-out, never trained on)",
        "",
        f"- {nlu['in_scope_messages']} in-scope messages: "
        f"intent accuracy {nlu['intent_accuracy']:.3f}, macro-F1 {nlu['intent_macro_f1']:.3f}, "
        f"sent to fallback {nlu['in_scope_sent_to_fallback']:.3f}",
        f"- {nlu['out_of_scope_messages']} unrelated messages: "
        f"out-of-scope or fallback reply {nlu['out_of_scope_handled']:.3f}",
        f"- entities: precision {nlu['entity_precision']:.3f}, "
        f"recall {nlu['entity_recall']:.3f}, F1 {nlu['entity_f1']:.3f}",
        f"- parse time {nlu['parse_ms_mean']:.1f} ms a message (in process)",
        f"- confirmation set (bench/confirmation_*, written after the pipeline was chosen): "
        f"{conf['in_scope_messages']} in-scope, intent accuracy {conf['intent_accuracy']:.3f}; "
        f"{conf['out_of_scope_messages']} unrelated, handled {conf['out_of_scope_handled']:.3f}",
        f"- Spanish set (bench/heldout_spanish.yml): {nlu['spanish']['messages']} messages, "
        f"intent accuracy {nlu['spanish']['intent_accuracy']:.3f}",
        "",
        "Most confused intent pairs:",
        "",
        "| true | predicted | count |",
        "|---|---|---|",
    ]
    lines += [f"| {c['true']} | {c['predicted']} | {c['count']} |" for c in nlu["top_confusions"]]
    lines += ["", "## First Contact Resolution in real customers' voices (end to end, REST)", ""]
    lines += real_voices_lines(ours["real_voices"])
    lines += ["", "The fresh set (bench/heldout_fresh_voices.yml, written on 2026-11-30 "
              "before that session's changes, in other voices):", ""]
    lines += real_voices_lines(ours["fresh_voices"])
    lines += ["", "## First Contact Resolution in Spanish (end to end, REST)", ""]
    lines += spanish_lines(ours["spanish_voices"])
    story = results["stories"]
    lines += [
        "",
        "## Dialogue",
        "",
        f"Story accuracy: {story['correct']}/{story['stories']} = {story['story_accuracy']:.3f}",
        "",
        "## Speed through the real stack (REST, Redis stores, action server)",
        "",
        "| assistant | conversations | messages | p50 ms | p95 ms | p99 ms | msg/s | errors |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, data in (("assistant", ours), ("stock rasa init", stock)):
        for level in data["load"]:
            lines.append(
                f"| {name} | {level['users']} | {level['messages']} | {level['p50_ms']:.1f} | "
                f"{level['p95_ms']:.1f} | {level['p99_ms']:.1f} | "
                f"{level['throughput_msg_s']:.1f} | {level['errors']} |"
            )
    lines += [
        "",
        "One conversation of 100 turns (median ms of turns 1-10 and 91-100):",
        "",
        "| assistant | turns 1-10 | turns 91-100 | ratio | CPU s turns 1-10 | CPU s turns 91-100 "
        "| CPU ratio | errors |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, data in (("assistant", ours), ("stock rasa init", stock)):
        long = data["long_conversation"]
        lines.append(
            f"| {name} | {long['first_10_median_ms']:.1f} | {long['last_10_median_ms']:.1f} | "
            f"{long['ratio']:.2f} | {long['first_10_cpu_s']:.2f} | {long['last_10_cpu_s']:.2f} | "
            f"{long['cpu_ratio']:.2f} | {long['errors']} |"
        )
    if "replicas" in results:
        lines += replicas_report(results["replicas"])
    lines += ["", "![latency](latency.png)", "", "## Cost", "",
              "| | assistant | stock rasa init | ratio |", "|---|---|---|---|"]
    for key, label in (
        ("cold_start_rasa_s", "Rasa cold start (s)"),
        ("cold_start_actions_s", "action server cold start (s)"),
        ("rasa_memory_mb", "Rasa memory after load (MB)"),
        ("actions_memory_mb", "action server memory (MB)"),
        ("training_s", "training time (s)"),
        ("model_mb", "model size (MB)"),
    ):
        a, b = ours[key], stock[key]
        lines.append(f"| {label} | {a:.1f} | {b:.1f} | {a / b if b else 0:.2f} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    if argv == ["--long"]:  # only the long conversation, ours (trained model) and stock's
        long = measure_long_conversations(ROOT / "models" / "current.tar.gz")
        (OUT / "long.json").write_text(json.dumps(long, indent=2))
        print("\n".join(long_report(long)))
        return 0
    if argv == ["--replicas"]:  # only the replica comparison, with the trained model
        replicas = measure_replicas(ROOT / "models" / "current.tar.gz")
        (OUT / "replicas.json").write_text(json.dumps(replicas, indent=2))
        print("\n".join(replicas_report(replicas)))
        return 0
    results: dict = {"when": time.strftime("%Y-%m-%d %H:%M:%S %Z")}
    print("training the assistant from scratch ...", flush=True)
    ours_seconds, ours_model = train(ROOT, OUT / "models-assistant")
    print("training the stock rasa init assistant ...", flush=True)
    stock_dir = stock_project(OUT / "stock")
    stock_seconds, stock_model = train(stock_dir, OUT / "models-stock")
    print("understanding and dialogue ...", flush=True)
    results["nlu"] = evaluate(str(ours_model))
    results["stories"] = story_accuracy(ours_model)
    print("the assistant under load ...", flush=True)
    results["assistant"] = measure_stack("assistant", ROOT, ours_model, 0,
                                         ASSISTANT_CONVERSATIONS, "what is the fax number",
                                         ASSISTANT_LONG_CONVERSATION, real_voices=True)
    print("the stock assistant under load ...", flush=True)
    results["stock"] = measure_stack("stock", stock_dir, stock_model, 50,
                                     STOCK_CONVERSATIONS, "hello", STOCK_LONG_CONVERSATION)
    print("1 vs 2 Rasa replicas, the busy-reply rate ...", flush=True)
    results["replicas"] = measure_replicas(ours_model)
    for name, seconds, model in (
        ("assistant", ours_seconds, ours_model),
        ("stock", stock_seconds, stock_model),
    ):
        results[name]["training_s"] = seconds
        results[name]["model_mb"] = model.stat().st_size / 1e6
    chart(results)
    (OUT / "report.md").write_text(report(results))
    for data in (results["assistant"], results["stock"]):
        data["load"] = _summaries(data["load"])
        data["long_conversation"].pop("latencies_ms")
    for voices in ("real_voices", "fresh_voices", "spanish_voices"):  # the ten worst stay
        results["assistant"][voices].pop("failures", None)  # in the report
    (OUT / "report.json").write_text(json.dumps(results, indent=2, default=str))
    print((OUT / "report.md").read_text())
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
