"""The test report: a story and a conversation case broken on purpose (in a temporary folder)
appear in it with their file, turn, what the customer said, what was expected and what came back;
`python -m testing.test_report` (make test-report) writes it; the staff console runs
it in the background, one run at a time, for admins, and shows it escaped to agents."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time

import pytest
import requests

from ops.settings import ROOT
from tests.integration.staff_web import add_account, sign_in, staff_website

STORIES = '''version: "3.1"
stories:
- story: fax answered with a goodbye, on purpose
  steps:
  - user: "hello"
    intent: greet
  - action: utter_greet
  - user: "what is the fax number"
    intent: ask_fax
  - action: utter_goodbye
- story: the contact center number
  steps:
  - user: "what number can i call to ask uscis about my case?"
    intent: ask_contact_center
  - action: action_answer_contact
'''
CONVERSATIONS = '''conversations:
  - name: the fax <em>number</em>, wrong on purpose
    turns:
      - user: "hello"
        expect_any: ["Hi", "Hello"]
      - user: "what is the fax number"
        expect: ["send us a fax at 1-555"]
  - name: the fax number
    turns:
      - user: "what is the fax number"
        expect: ["fax"]
'''
RUN_DEADLINE_SECONDS = 900


@pytest.fixture(scope="module")
def broken(tmp_path_factory):
    folder = tmp_path_factory.mktemp("broken")
    (folder / "stories").mkdir()
    (folder / "stories" / "test_broken.yml").write_text(STORIES)
    (folder / "conversations").mkdir()
    (folder / "conversations" / "broken.yml").write_text(CONVERSATIONS)
    return folder


def check_report(report: dict, folder) -> None:
    assert report["totals"] == {"stories": {"total": 2, "failed": 1, "error": None},
                                "conversations": {"total": 2, "failed": 1, "error": None}}
    story, case = report["failures"]
    assert (story["suite"], story["file"], story["name"], story["turn"]) == (
        "story", str(folder / "stories" / "test_broken.yml"),
        "fax answered with a goodbye, on purpose", 2)
    assert story["customer"] == "what is the fax number"
    assert (story["expected"], story["got"]) == ("action: utter_goodbye", "action_answer_contact")
    assert (case["suite"], case["file"], case["name"], case["turn"]) == (
        "conversation", str(folder / "conversations" / "broken.yml"),
        "the fax <em>number</em>, wrong on purpose", 2)
    assert case["customer"] == "what is the fax number"
    assert case["expected"] == "expected 'send us a fax at 1-555'"
    assert "does not have a general fax number" in case["got"]


def test_the_command_writes_the_failed_ones_as_json_markdown_and_html(stack, rasa_url, broken):
    out = broken / "report"
    ran = subprocess.run(
        [sys.executable, "-m", "testing.test_report", "--stories",
         str(broken / "stories"), "--conversations", str(broken / "conversations"),
         "--url", rasa_url, "--out", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=RUN_DEADLINE_SECONDS, check=False)
    assert ran.returncode == 1, ran.stdout + ran.stderr  # failures: a failing exit
    assert "stories: 1 failed of 2; conversations: 1 failed of 2" in ran.stdout
    check_report(json.loads((out / "report.json").read_text()), broken)
    markdown = (out / "report.md").read_text()
    assert "### " in markdown and "fax answered with a goodbye, on purpose" in markdown
    assert "- Turn: 2" in markdown and "`what is the fax number`" in markdown
    page = (out / "report.html").read_text()
    assert "the fax &lt;em&gt;number&lt;/em&gt;, wrong on purpose" in page
    assert "<em>" not in page


def test_the_console_runs_the_report_in_the_background_and_shows_it(stack, rasa_url, broken,
                                                                     redis_url):
    out = broken / "console-report"
    add_account(redis_url, "tess", "agent")
    add_account(redis_url, "otto", "admin")
    with staff_website(redis_url, TEST_REPORT_STORIES=str(broken / "stories"),
                       TEST_REPORT_CONVERSATIONS=str(broken / "conversations"),
                       TEST_REPORT_DIR=str(out), RASA_REPLICA_URL=rasa_url) as web:
        agent, admin = sign_in(web, "tess"), sign_in(web, "otto")
        assert "No report yet" in agent.get(web + "/staff/test-report").text
        assert agent.post(web + "/staff/test-report/run").status_code == 403  # admins only

        started = admin.post(web + "/staff/test-report/run")
        assert started.status_code == 202 and started.json()["running"]["by"] == "otto"
        again = admin.post(web + "/staff/test-report/run")
        assert again.status_code == 409 and again.json()["started"] is False  # one at a time
        token = re.search(r'name="csrf" value="([^"]+)"',
                          admin.get(web + "/staff/test-report").text).group(1)
        form = requests.post(web + "/staff/test-report/run", cookies=admin.cookies,
                             data={"csrf": token}, allow_redirects=False, timeout=10)
        assert (form.status_code, form.headers["location"]) == (303, "/staff/test-report")
        forged = requests.post(web + "/staff/test-report/run", cookies=admin.cookies,
                               data={"csrf": "forged"}, allow_redirects=False, timeout=10)
        assert forged.status_code == 403
        # The app answers while the run goes (it runs in the background).
        page = agent.get(web + "/staff/test-report", timeout=10)
        assert 'http-equiv="refresh"' in page.text and "started by otto" in page.text
        assert agent.get(web + "/staff/api/me", timeout=10).status_code == 200

        deadline = time.monotonic() + RUN_DEADLINE_SECONDS
        while (state := agent.get(web + "/staff/api/test-report").json())["running"]:
            assert time.monotonic() < deadline, "the run did not finish"
            time.sleep(2)
        assert state["last"]["outcome"] == \
            "stories: 1 failed of 2; conversations: 1 failed of 2"
        check_report(state["report"], broken)

        page = agent.get(web + "/staff/test-report").text
        assert 'http-equiv="refresh"' not in page and "<form" not in page  # no button: agent
        assert "the fax &lt;em&gt;number&lt;/em&gt;, wrong on purpose" in page
        assert "<em>" not in page
        for text in ("fax answered with a goodbye, on purpose", "what is the fax number",
                     "action: utter_goodbye", "action_answer_contact",
                     "does not have a general fax number"):
            assert text in page, text
        assert "<dt>Turn</dt><dd>2</dd>" in page
        assert "<form" in admin.get(web + "/staff/test-report").text
