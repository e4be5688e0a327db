"""The README is a newcomer's first page: at most 200 lines, and everything it names exists. Each
make target it runs is in the Makefile, each module it runs with `python -m` can be imported,
each file or folder it names is in the repository, and each environment variable it names is read
somewhere in the code and listed in `.env.example`."""

from __future__ import annotations

import importlib.util
import re
import zoneinfo
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
# Made by the commands themselves (or the reader: `.env`), not kept in the repository.
GENERATED = ("results/", "var/", "models/", "build/", ".venv/", "node_modules/", ".env",
             "./.env")
PATH_ENDINGS = (".py", ".yml", ".yaml", ".md", ".txt", ".sh", ".j2", ".toml", ".json", ".png",
                ".example", "/")
ENV_NAME = re.compile(r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$|^PYTHON310$")


def readme() -> str:
    return README.read_text(encoding="utf-8")


def fenced(text: str) -> tuple[list[tuple[str, str]], str]:
    """The fenced blocks as (language, body), and the text outside them."""
    blocks, outside, current = [], [], None
    for line in text.splitlines():
        if line.startswith("```"):
            if current is None:
                current = (line[3:].strip(), [])
            else:
                blocks.append((current[0], "\n".join(current[1])))
                current = None
        elif current is not None:
            current[1].append(line)
        else:
            outside.append(line)
    assert current is None, "a code block is never closed"
    return blocks, "\n".join(outside)


def code_blocks(text: str, language: str) -> list[str]:
    return [body for lang, body in fenced(text)[0] if lang == language]


def inline_code(text: str) -> list[str]:
    return re.findall(r"`([^`\n]+)`", fenced(text)[1])


def exists(path: str) -> bool:
    """A repository path; `<topic>` stands for any name."""
    if "<" in path:
        return any(ROOT.glob(re.sub(r"<[^>]+>", "*", path)))
    return (ROOT / path).exists()


def looks_like_path(token: str) -> bool:
    return (re.fullmatch(r"\.?[\w.<>-]+(?:/[\w.<>-]*)*", token) is not None
            and ("/" in token or token.endswith(PATH_ENDINGS) or token == "Makefile")
            and "://" not in token
            and not re.fullmatch(r"[\d.]+", token)
            and (token.endswith(".env.example") or not token.startswith(GENERATED))
            and token not in zoneinfo.available_timezones())


def named_paths(text: str) -> set[str]:
    paths = {token for token in inline_code(text) if looks_like_path(token)}
    for block in code_blocks(text, ""):  # the layout tree: indented lines are in the folder above
        parent = ""
        for line in block.splitlines():
            names = re.split(r"\s{2,}", line.strip())[0].split()
            if line.startswith("   "):
                continue  # the description of the entry above, continued
            if not line.startswith(" "):
                parent = names[0] if names and names[0].endswith("/") else ""
                full = names
            else:
                full = [parent + name for name in names]
            paths |= {name for name in full if looks_like_path(name)}
    for block in code_blocks(text, "sh"):
        paths |= {match for match in re.findall(
            r"(?:--(?:endpoints|domain|actions|stories|credentials)|cp|\.)\s+(\.?[\w./-]+)", block)
            if looks_like_path(match)}
    return paths


def commands(text: str) -> list[str]:
    lines = [line.split("#")[0].strip() for block in code_blocks(text, "sh")
             for line in block.splitlines()]
    return [line for line in lines if line] + inline_code(text)


@lru_cache(maxsize=1)
def code_text() -> str:
    """Everything that can read an environment variable: code, configuration, scripts."""
    skip = ("README.md", ".env.example")
    files = [p for pattern in ("**/*.py", "**/*.yml", "**/*.yaml", "**/*.sh", "**/*.j2", "Makefile")
             for p in ROOT.glob(pattern)
             if not p.name.startswith(skip) and not p.relative_to(ROOT).parts[0].startswith(
                 (".venv", "node_modules", "docs", "results", "var", "build", "models", ".git"))]
    return "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in files)


def env_names(text: str) -> set[str]:
    names = set()
    for token in inline_code(text):
        for word in re.split(r"[\s/=,]+", token):
            if ENV_NAME.match(word.strip("$")):
                names.add(word.strip("$"))
    return names


def configuration_table(text: str) -> set[str]:
    section = text.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    first_cells = re.findall(r"^\| ([^|]+) \|", section, re.M)
    return {name for cell in first_cells for name in re.findall(r"`([A-Z0-9_]+)`", cell)}


def test_the_readme_is_short():
    assert len(readme().splitlines()) <= 200


def test_inline_code_opens_and_closes_on_one_line():
    # Otherwise the names below would be read between the wrong backticks.
    outside = fenced(readme())[1]
    assert [line for line in outside.splitlines() if line.count("`") % 2] == []


def test_every_path_the_readme_names_exists():
    text = readme()
    paths = named_paths(text)
    assert {"actions/", "domain/<topic>.yml", "rasa_project/directory/contacts.yml",
            ".env.example", "endpoints.yml"} <= paths  # the parser finds what it should
    assert sorted(path for path in paths if not exists(path)) == []


def test_every_make_target_the_readme_runs_exists():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = {target for command in commands(readme())
               for target in re.findall(r"(?:^|\s)make ((?:[\w-]+ ?)+)", command)
               for target in target.split()}
    assert {"run", "test", "test-stories"} <= targets
    assert sorted(t for t in targets if not re.search(rf"^{re.escape(t)}:", makefile, re.M)) == []


def test_every_module_the_readme_runs_can_be_imported():
    modules = {module for command in commands(readme())
               for module in re.findall(r"python -m ([\w.]+)", command)}
    assert {"ops.staff_tools", "testing.conversation_runner"} <= modules
    assert sorted(m for m in modules if importlib.util.find_spec(m) is None) == []
    tools = {tool for command in commands(readme())
             for tool in re.findall(r"\.venv/bin/([\w.-]+)", command)}
    assert sorted(t for t in tools if not (ROOT / ".venv" / "bin" / t).exists()) == []


def test_every_environment_variable_the_readme_names_is_read_and_in_the_example_file():
    text = readme()
    names = env_names(text)
    table = configuration_table(text)
    assert {"REDIS_URL", "TRACKER_RECORD_EXPIRY_SECONDS", "TEST_RASA_PORT"} <= names
    assert table <= names and len(table) > 40
    code = code_text()
    assert sorted(n for n in names if not re.search(rf"\b{n}\b", code)) == []
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    listed = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", example, re.M))
    assert sorted(table - listed) == []
