"""The import report is read by a person: one line per problem, however often it happened."""

import pytest

from wordpress.importer import import_wordpress
from wordpress.sample import Post, write_wxr

pytestmark = pytest.mark.django_db

COVER = (
    '<!-- wp:cover --><div class="wp-block-cover"><img class="wp-block-cover__image-background"'
    ' src="https://old.example.org/bg.jpg"/><div class="wp-block-cover__inner-container">'
    "<p>Over the picture</p></div></div><!-- /wp:cover -->"
)


def test_a_problem_repeated_in_one_post_is_one_line_with_its_count(tmp_path):
    path = tmp_path / "export.xml"
    covers = Post(post_id=10, title="Forty covers", slug="covers", content=COVER * 40)
    one = Post(post_id=11, title="One cover", slug="one-cover", content=COVER)
    with path.open("w", encoding="utf-8") as stream:
        write_wxr(stream, items=[covers, one])
    lines = import_wordpress(path, fetch=False).lines()
    assert (
        lines.count(
            "  - posts 10 “Forty covers”: a cover block's background picture was left out (×40)"
        )
        == 1
    )
    assert "  - posts 11 “One cover”: a cover block's background picture was left out" in lines
    assert not any("“Forty covers”" in line and "(×40)" not in line for line in lines)
    assert "Problems (41):" in lines  # every occurrence still counts
