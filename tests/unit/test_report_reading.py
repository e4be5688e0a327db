"""The test report reads Rasa's failed_test_stories.yml back to the story's own file, for the
turn and what the customer said, and its pages escape whatever a test or a reply holds."""

from __future__ import annotations

from rasa_project.staff import report_pages
from testing import test_report

STORY = '''version: "3.1"
stories:
- story: fax (wrong on purpose)
  steps:
  - user: "hello there"
    intent: greet
  - action: utter_greet
  - user: "what is the [fax](channel) number"
    intent: ask_fax
  - action: utter_goodbye
'''


def failed_file(path) -> str:
    """As Rasa 3.6 writes it: the file in the story's name, user texts dropped, each wrong step
    marked."""
    return f'''version: "3.1"
stories:
- story: fax (wrong on purpose) ({path})
  steps:
  - intent: greet
  - action: utter_greet
  - intent: ask_fax
  - action: utter_goodbye  # predicted: action_answer_contact
  - action: action_listen  # predicted: action_suggest_topics
'''


def test_a_failed_story_names_its_turn_and_what_the_customer_said(tmp_path):
    story = tmp_path / "test_broken.yml"
    story.write_text(STORY)
    [failure] = test_report.story_failures(failed_file(story))
    assert (failure.file, failure.name, failure.turn) == (str(story), "fax (wrong on purpose)", 2)
    assert failure.customer == "what is the fax number"
    assert (failure.expected, failure.got) == ("action: utter_goodbye", "action_answer_contact")
    assert len(failure.details) == 2


def test_the_pages_escape_test_names_and_replies():
    report = {"generated_at": "2026-11-30T22:00:00+00:00", "seconds": 1.0,
              "totals": {"stories": {"total": 3, "failed": 1, "error": None},
                         "conversations": {"total": 1, "failed": 1, "error": None}},
              "failures": [{"suite": "story", "file": "tests/stories/test_x.yml",
                            "name": "a story", "turn": 2, "customer": "fax?",
                            "expected": "action: utter_goodbye", "got": "action_answer_contact",
                            "details": []},
                           {"suite": "conversation", "file": "c.yml", "name": "<b>bold</b>",
                            "turn": 1, "customer": "<script>x()</script>", "expected": "a | b",
                            "got": "`reply`", "details": ["one"]}]}
    page = report_pages.html_page(report)
    assert "<script>x()" not in page and "&lt;script&gt;x()&lt;/script&gt;" in page
    assert "&lt;b&gt;bold&lt;/b&gt;" in page
    markdown = report_pages.markdown(report)
    assert "a \\| b" in markdown and "`'reply'`" in markdown and "<b>" not in markdown
    for text in (page, markdown):
        assert "a story" in text and "action_answer_contact" in text
        assert "Test stories (rasa test core --e2e): 1 failed" in text
    assert report_pages.summary(report) == "stories: 1 failed of 3; conversations: 1 failed of 1"
