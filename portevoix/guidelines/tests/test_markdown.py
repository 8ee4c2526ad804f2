"""Markdown from authors is rendered, and nothing that could run in a reader's browser survives."""

from portevoix.lib.markdown import render_markdown


def test_markdown_renders_emphasis_lists_and_safe_links() -> None:
    html = render_markdown("**Never** share:\n\n- plans\n- [figures](https://example.com/x)")
    assert html == (
        "<p><strong>Never</strong> share:</p>\n<ul>\n<li>plans</li>\n"
        '<li><a href="https://example.com/x" rel="noopener noreferrer nofollow">figures</a></li>\n</ul>\n'
    )


def test_script_tags_are_shown_as_text_never_run() -> None:
    html = render_markdown("Hello <script>alert(1)</script>")
    assert "<script" not in html
    assert "&lt;script&gt;" in html


def test_javascript_links_never_become_links() -> None:
    html = render_markdown("[click](javascript:alert(1)) <javascript:alert(3)> <a href='javascript:alert(2)'>x</a>")
    assert "<a" not in html
    assert 'href="' not in html


def test_event_handlers_never_become_attributes() -> None:
    html = render_markdown('<img src=x onerror="alert(1)"> ![image](https://example.com/i.png)')
    assert "<img" not in html
    assert "onerror=&quot;" not in html
    assert html.startswith("<p>&lt;img src=x onerror=")  # shown as text, inert


def test_empty_text_renders_nothing() -> None:
    assert render_markdown("  \n") == ""
