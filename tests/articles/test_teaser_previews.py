"""What a teaser carries of a story: a short preview, and behind "Keep reading" a few short
paragraphs that read on from it, each bounded however long the story is."""

from articles.models import Article
from newsroom.richtext import KEEP_READING_BREAK, cut, plain_text, sanitize


def sentence(n: int) -> str:
    return f"Sentence {n} says what the delegations agreed on day {n} of the talks."


def paragraph(first: int, sentences: int = 3) -> str:
    return "<p>" + " ".join(sentence(n) for n in range(first, first + sentences)) + "</p>"


LONG_BODY = "".join(paragraph(n * 3) for n in range(20))


def text(html: str) -> str:
    return plain_text(html.replace("</p>", "</p> "))


def test_a_long_story_gives_a_short_preview_and_a_bounded_longer_one():
    story = Article(body=LONG_BODY)
    preview, more = story.preview_html, story.extended_preview_html
    assert 0 < len(plain_text(preview)) <= Article.PREVIEW_CHARS
    assert 0 < len(plain_text(more)) <= Article.MORE_CHARS
    assert preview.count("<p>") <= Article.PREVIEW_PARAGRAPHS
    assert more.count("<p>") <= Article.MORE_PARAGRAPHS
    assert preview.endswith(".</p>") and more.endswith(".</p>")


def test_the_longer_preview_reads_on_from_the_preview_without_a_gap_or_a_repeat():
    for body in (LONG_BODY, f"{paragraph(0, 9)}{KEEP_READING_BREAK}{LONG_BODY}"):
        story = Article(body=body)
        shown = text(story.preview_html) + " " + text(story.extended_preview_html)
        assert text(story.body_html).startswith(shown.strip())


def test_an_editors_break_within_the_budget_wins_whatever_its_paragraphs():
    short = "<p>One.</p><p>Two.</p><p>Three.</p>"
    story = Article(body=f"{short}{KEEP_READING_BREAK}{LONG_BODY}")
    assert story.preview_html == short
    assert story.extended_preview_html.startswith(paragraph(0))


def test_text_before_a_late_break_is_cut_and_opens_the_longer_preview():
    story = Article(body=f"{paragraph(0)}{paragraph(3)}{KEEP_READING_BREAK}<p>After.</p>")
    assert story.preview_html == paragraph(0)
    assert story.extended_preview_html == paragraph(3) + "<p>After.</p>"


def test_an_editors_teaser_within_the_budget_wins_and_a_longer_one_is_cut_at_a_sentence():
    story = Article(body=LONG_BODY, teaser="<p>Talks resume.</p><p>Prisoners first.</p>")
    assert story.preview_html == "<p>Talks resume.</p><p>Prisoners first.</p>"
    assert story.extended_preview_html.startswith(paragraph(0))
    story.teaser = paragraph(0, 9)
    kept = story.preview_html.count("Sentence ")
    assert 0 < kept < 9 and story.preview_html == paragraph(0, kept)
    assert story.extended_preview_html.startswith(paragraph(0))


def test_a_first_paragraph_over_the_budget_is_cut_at_a_sentence_and_read_on():
    story = Article(body=paragraph(0, 9) + LONG_BODY)
    kept = story.preview_html.count("Sentence ")
    assert 0 < kept < 9 and story.preview_html == paragraph(0, kept)
    assert story.extended_preview_html.startswith(paragraph(kept, 9 - kept))


def test_a_sentence_longer_than_the_budget_is_cut_at_a_word():
    endless = " ".join(["talks"] * 200) + "."
    story = Article(body=f"<p>{endless}</p>")
    preview = plain_text(story.preview_html)
    assert preview.endswith("talks…") and len(preview) <= Article.PREVIEW_CHARS + 1


def test_a_cut_inside_a_link_closes_it_and_opens_it_again():
    html = '<p>Before. <a href="https://example.org/x">Linked one. Linked two.</a> After.</p>'
    head, rest = cut(html, chars=20)
    assert head == '<p>Before. <a href="https://example.org/x">Linked one.</a></p>'
    assert rest == '<p><a href="https://example.org/x">Linked two.</a> After.</p>'
    assert "</a></p>" in sanitize(head) and sanitize(rest).endswith("</a> After.</p>")


def test_headings_in_a_preview_are_bold_paragraphs_and_never_end_it():
    story = Article(body=f"<p>One.</p><h2>Heading</h2>{paragraph(0, 9)}")
    assert story.preview_html == "<p>One.</p>"
    assert story.extended_preview_html.startswith("<p><strong>Heading</strong></p>")


def test_figures_are_left_out_of_previews():
    figure = '<figure class="image"><img src="/media/x.jpg" alt="x"></figure>'
    story = Article(body=f"{figure}<p>One.</p>{KEEP_READING_BREAK}{figure}<p>Two.</p>")
    assert story.preview_html == "<p>One.</p>"
    assert story.extended_preview_html == "<p>Two.</p>"


def test_empty_paragraphs_neither_make_nor_end_a_preview():
    """The editor leaves empty paragraphs (<p>&nbsp;</p>); a preview is never only those."""
    story = Article(body=f"<p>&nbsp;</p>{paragraph(0, 9)}<p>&nbsp;</p>{paragraph(9)}")
    assert story.preview_html.startswith("<p>Sentence 0 ")
    story.teaser = "<p>&nbsp;</p><p>Talks resume.</p>"
    assert plain_text(story.preview_html) == "Talks resume."
