"""The test report (testing/test_report.py) as markdown and as HTML, and where it is kept; every
text from a test file or a reply is escaped, so a story or an answer cannot put markup in a staff
page."""

from __future__ import annotations

import json
import os
from html import escape
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def report_dir() -> Path:
    return Path(os.environ.get("TEST_REPORT_DIR") or ROOT / "results" / "test-report")


def latest(out: Path | None = None) -> dict | None:
    """The last report written, if any."""
    try:
        return json.loads(((out or report_dir()) / "report.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


SUITES = (("stories", "story", "Test stories (rasa test core --e2e)"),
          ("conversations", "conversation", "Conversation tests"))
FIELDS = (("customer", "Customer said"), ("expected", "Expected"), ("got", "Came back"))


def summary(report: dict) -> str:
    parts = []
    for name, _, _ in SUITES:
        totals = report["totals"][name]
        part = f"{name}: {totals['failed']} failed of {totals['total']}"
        if totals["error"]:
            part += f" (did not finish: {totals['error']})"
        parts.append(part)
    return "; ".join(parts)


def _md(text: object) -> str:
    """Inline markdown: one line; pipes, backticks and markup neutralised."""
    return escape(" ".join(str(text).split()), quote=False).replace("|", "\\|").replace("`", "'")


def markdown(report: dict) -> str:
    lines = [f"# Test report, {report['generated_at']}", "", summary(report), ""]
    for _, kind, title in SUITES:
        failures = [f for f in report["failures"] if f["suite"] == kind]
        lines += [f"## {title}: {len(failures)} failed", ""]
        for failure in failures:
            lines += [f"### {_md(failure['file'])}: {_md(failure['name'])}", "",
                      f"- Turn: {failure['turn'] or '-'}"]
            lines += [f"- {label}: `{_md(failure[key])}`" for key, label in FIELDS]
            lines += [f"  - {_md(detail)}" for detail in failure["details"][1:]]
            lines.append("")
    return "\n".join(lines)


def failures_html(report: dict) -> str:
    """The report's body: totals and one section per failure (for the file and the console)."""
    parts = [f"<p>Generated {escape(report['generated_at'])} in {report['seconds']} s.</p>",
             ("<table><thead><tr><th scope=col>Suite</th><th scope=col>Ran</th>"
              "<th scope=col>Failed</th><th scope=col>Error</th></tr></thead><tbody>")]
    for name, _, title in SUITES:
        totals = report["totals"][name]
        parts.append(f"<tr><th scope=row>{escape(title)}</th><td>{totals['total']}</td>"
                     f"<td>{totals['failed']}</td><td>{escape(totals['error'] or '')}</td></tr>")
    parts.append("</tbody></table>")
    for _, kind, title in SUITES:
        failures = [f for f in report["failures"] if f["suite"] == kind]
        parts.append(f"<h2>{escape(title)}: {len(failures)} failed</h2>")
        for failure in failures:
            parts.append(f'<section class="failure"><h3>{escape(failure["name"])}</h3>'
                         f"<dl><dt>File</dt><dd>{escape(failure['file'])}</dd>"
                         f"<dt>Turn</dt><dd>{failure['turn'] or '-'}</dd>")
            parts += [f"<dt>{label}</dt><dd><pre>{escape(str(failure[key]))}</pre></dd>"
                      for key, label in FIELDS]
            parts.append("</dl>")
            if len(failure["details"]) > 1:
                parts.append("<ul>" + "".join(f"<li>{escape(d)}</li>" for d in failure["details"])
                             + "</ul>")
            parts.append("</section>")
    return "\n".join(parts)


def html_page(report: dict, title: str = "Test report", head: str = "", before: str = "") -> str:
    """A whole page; `head` and `before` are markup the caller built (escaped there)."""
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f"<title>{escape(title)}</title>{head}</head>\n"
            f'<body><main id="main"><h1>{escape(title)}</h1>\n{before}\n'
            f"{failures_html(report) if report else '<p>No report yet.</p>'}\n"
            "</main></body></html>")
