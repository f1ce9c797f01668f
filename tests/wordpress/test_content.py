"""WordPress post content to our editor's markup."""

import pytest

from newsroom import richtext
from wordpress.content import LibraryImage, autop, convert
from wordpress.credits import split_credit

LIBRARY = {"7": LibraryImage(url="/media/images/ab/seven.jpg", alt="A ceasefire line", credit="AP")}


def find(src, attachment_id):
    if attachment_id in LIBRARY:
        return LIBRARY[attachment_id]
    if src and "seven" in src:
        return LIBRARY["7"]
    return None


def test_classic_paragraphs_and_line_breaks():
    assert autop("One.\n\nTwo,\nstill two.") == "<p>One.</p>\n<p>Two,<br>\nstill two.</p>\n"
    html = convert("Intro.\n\n<ul>\n<li>a</li>\n</ul>\n\nOutro.").html
    assert html == "<p>Intro.</p>\n<ul>\n<li>a</li>\n</ul>\n<p>Outro.</p>"


def test_more_tag_becomes_the_keep_reading_break():
    html = convert("Before.\n\n<!--more Read on-->\n\nAfter.").html
    assert html == f"<p>Before.</p>{richtext.KEEP_READING_BREAK}<p>After.</p>"


def test_block_comments_go_and_block_markup_is_cleaned():
    content = (
        '<!-- wp:paragraph -->\n<p class="has-text-color">Hello</p>\n<!-- /wp:paragraph -->\n'
        '<!-- wp:group --><div class="wp-block-group"><h1>Big</h1><h6>Small</h6></div>'
        "<!-- /wp:group -->"
    )
    html = convert(content).html
    assert "wp:" not in html and "class" not in html and "div" not in html
    assert "<h2>Big</h2>" in html and "<h4>Small</h4>" in html


def test_caption_becomes_a_figure_of_the_library_image():
    content = (
        '[caption id="attachment_7" align="alignleft" width="300"]<a href="/x.jpg">'
        '<img src="https://old.example/wp-content/uploads/seven-300x200.jpg" alt="" /></a>'
        " Troops at the line. Photo: Jane Doe/AP[/caption]"
    )
    html = convert(content, find_image=find).html
    assert html == (
        '<figure class="image"><img src="/media/images/ab/seven.jpg" alt="A ceasefire line">'
        "<figcaption>Troops at the line.</figcaption></figure>"
    )


def test_caption_of_an_image_not_in_the_library_keeps_its_credit_in_the_caption():
    content = (
        '[caption id="attachment_9"]<img src="https://elsewhere.example/p.jpg" /> '
        "Crowds. Photo by Ann Lee[/caption]"
    )
    html = convert(content, find_image=find).html
    assert "<figcaption>Crowds. Photo by Ann Lee</figcaption>" in html


def test_library_image_in_a_paragraph_becomes_a_figure():
    content = (
        'Text <a href="/big.jpg"><img class="wp-image-7" src="https://old/seven.jpg"></a> more.'
    )
    html = convert(content, find_image=find).html
    assert '<figure class="image"><img src="/media/images/ab/seven.jpg"' in html
    assert "<p>Text </p>" in html and "<p> more.</p>" in html


@pytest.mark.parametrize(
    "content",
    [
        "[embed]https://www.youtube.com/watch?v=abc[/embed]",
        "https://www.youtube.com/watch?v=abc",
        '<figure class="wp-block-embed is-type-video"><div class="wp-block-embed__wrapper">\n'
        "https://www.youtube.com/watch?v=abc\n</div></figure>",
    ],
)
def test_embeds_become_links(content):
    html = convert(content).html
    assert html == (
        '<p><a href="https://www.youtube.com/watch?v=abc" rel="noopener noreferrer">'
        "https://www.youtube.com/watch?v=abc</a></p>"
    )


def test_gallery_shows_library_images_and_reports_the_rest():
    result = convert('[gallery ids="7,8"]', find_image=find)
    assert result.html.count("<figure") == 1
    assert result.problems == [
        "[gallery]: 1 of 2 pictures are not in the library (attachments 8) and were left out"
    ]


def test_gallery_without_ids_shows_the_posts_attachments():
    result = convert("[gallery]", find_image=find, gallery_ids=lambda: ["7"])
    assert result.html.count("<figure") == 1


def test_unknown_shortcodes_are_kept_as_text_and_reported():
    result = convert("Vote [poll id=3] now. [[gallery]] is how you write it.")
    assert "[poll id=3]" in result.html and "[gallery]" in result.html
    assert result.problems == ["unknown shortcode [poll] kept as text"]


def test_hostile_markup_is_sanitised_like_the_editor():
    result = convert(
        '<script>alert(1)</script><p onclick="x()">Hi <a href="javascript:alert(1)">x</a>'
        '<iframe src="https://evil.example"></iframe><img src=x onerror=alert(1)></p>'
        '[caption]<img src="x" onerror="alert(2)"> <b onmouseover=alert(3)>c</b>[/caption]'
    )
    for bad in ("script", "onclick", "javascript:", "iframe", "onerror", "onmouseover"):
        assert bad not in result.html


@pytest.mark.parametrize(
    "caption, expected",
    [
        (
            "Leaders arrive. Alex Edelman/Pool via REUTERS",
            ("Leaders arrive.", "Alex Edelman/Pool via REUTERS"),
        ),
        ("Kyiv at night (Photo: Jane Doe/AP)", ("Kyiv at night", "Jane Doe/AP")),
        ("Credit: Handout", ("", "Handout")),
        ("Photo by Ann Lee", ("", "Ann Lee")),
        ("A picture of the summit", ("A picture of the summit", "")),
        ("The talks resumed on Monday.", ("The talks resumed on Monday.", "")),
    ],
)
def test_credits_are_found_at_the_end_of_captions(caption, expected):
    assert split_credit(caption) == expected


def test_gallery_block_becomes_one_figure_per_picture():
    content = (
        '<!-- wp:gallery {"ids":[7,8]} --><figure class="wp-block-gallery columns-2">'
        '<ul class="blocks-gallery-grid"><li class="blocks-gallery-item"><figure>'
        '<img src="https://old/seven.jpg" class="wp-image-7"/><figcaption>Line</figcaption>'
        '</figure></li><li class="blocks-gallery-item"><figure><img src="https://old/eight.jpg"'
        ' class="wp-image-8"/></figure></li></ul></figure><!-- /wp:gallery -->'
    )
    html = convert(content, find_image=find).html
    assert html == (
        '<figure class="image"><img src="/media/images/ab/seven.jpg" alt="A ceasefire line">'
        '<figcaption>Line</figcaption></figure><figure class="image">'
        '<img src="https://old/eight.jpg"></figure>'
    )


@pytest.mark.parametrize("kind", ["audio", "video"])
def test_audio_and_video_blocks_become_links_with_their_caption(kind):
    content = (
        f'<!-- wp:{kind} {{"id":9}} --><figure class="wp-block-{kind}"><{kind} controls '
        f'src="https://old/wp-content/uploads/clip.mp4"></{kind}><figcaption>The speech'
        f"</figcaption></figure><!-- /wp:{kind} -->"
    )
    html = convert(content).html
    assert html == (
        '<p><a href="https://old/wp-content/uploads/clip.mp4" rel="noopener noreferrer">'
        f"{kind.capitalize()}: clip.mp4</a></p>\n\n<p>The speech</p>"
    )


def test_file_cover_and_old_image_blocks():
    content = (
        '<!-- wp:file --><div class="wp-block-file"><a href="https://old/report.pdf">Report</a>'
        '<a href="https://old/report.pdf" class="wp-block-file__button" download>Download</a>'
        "</div><!-- /wp:file -->"
        '<!-- wp:cover --><div class="wp-block-cover"><span class="wp-block-cover__background">'
        '</span><img class="wp-block-cover__image-background" src="https://old/bg.jpg"/>'
        '<div class="wp-block-cover__inner-container"><p>Over the picture</p></div></div>'
        "<!-- /wp:cover -->"
        '<!-- wp:image --><div class="wp-block-image"><figure class="aligncenter">'
        '<img src="https://old/seven.jpg"/><figcaption>Front line</figcaption></figure></div>'
        "<!-- /wp:image -->"
        '<!-- wp:quote --><blockquote class="wp-block-quote"><p>Words.</p><cite>Someone</cite>'
        "</blockquote><!-- /wp:quote -->"
    )
    result = convert(content, find_image=find)
    assert '<p><a href="https://old/report.pdf" rel="noopener noreferrer">Report</a></p>' in (
        result.html
    )
    assert "Download" not in result.html and "bg.jpg" not in result.html
    assert "<p>Over the picture</p>" in result.html
    assert (
        '<figure class="image"><img src="/media/images/ab/seven.jpg" alt="A ceasefire line">'
        "<figcaption>Front line</figcaption></figure>"
    ) in result.html
    assert "<blockquote><p>Words.</p><em>Someone</em></blockquote>" in result.html
    assert result.problems == ["a cover block's background picture was left out"]


def test_only_library_pictures_are_lifted_out_of_paragraphs():
    html = convert("Text <img src='https://elsewhere.example/x.jpg'> more.").html
    assert html == '<p>Text <img src="https://elsewhere.example/x.jpg"> more.</p>'
