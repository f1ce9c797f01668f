"""Every admin page a role can reach renders for it: 200 or a clean 403, never a 500."""

import pytest
from django.urls import reverse
from reversion.models import Version

from articles import services
from articles.models import Status
from tests.factories import make_article

pytestmark = pytest.mark.django_db

ROLES = ["contributor", "editor", "publisher", "superuser"]


@pytest.mark.parametrize("role", ROLES)
def test_admin_pages_render_for_every_role(client, request, role):
    user = request.getfixturevalue(role)
    story = make_article(status=Status.DRAFT, created_by=user)
    services.save_article(article=story, user=user)
    version = Version.objects.get_for_object(story).first()
    client.force_login(user)
    urls = [
        reverse("admin:index"),
        reverse("admin:articles_article_changelist"),
        reverse("admin:articles_article_changelist") + "?state=scheduled",
        reverse("admin:articles_article_add"),
        reverse("admin:articles_article_change", args=[story.pk]),
        reverse("admin:articles_article_history", args=[story.pk]),
        reverse("admin:articles_article_revision", args=[story.pk, version.pk]),
        reverse("admin:articles_article_preview", args=[story.pk]),
        reverse("admin:desk_calendar"),
        reverse("admin:articles_author_changelist"),
        reverse("admin:sections_section_changelist"),
        reverse("admin:sections_series_changelist"),
        reverse("admin:media_image_changelist"),
        reverse("admin:media_image_add"),
        reverse("admin:newsroom_sitesettings_change"),
        reverse("admin:taggit_tag_changelist"),
        reverse("admin:auth_user_changelist"),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 403), (url, response.status_code)


def test_the_change_form_offers_only_the_steps_the_role_may_take(client, contributor, publisher):
    story = make_article(status=Status.DRAFT, created_by=contributor)
    client.force_login(contributor)
    html = client.get(reverse("admin:articles_article_change", args=[story.pk])).content.decode()
    assert "Submit for edit" in html and "Publish now" not in html
    story.status = Status.APPROVED
    story.save()
    client.force_login(publisher)
    html = client.get(reverse("admin:articles_article_change", args=[story.pk])).content.decode()
    assert "Publish now" in html and "Schedule" in html and "Submit for edit" not in html


def test_the_story_list_makes_the_same_number_of_queries_for_many_stories(client, publisher):
    """No query per row: twenty stories in subsections cost what two do."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import make_section

    parent = make_section()
    client.force_login(publisher)
    url = reverse("admin:articles_article_changelist")

    def queries_for_list() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    queries_for_list()  # the first request creates the site-settings row
    for _ in range(2):
        make_article(status=Status.PUBLISHED, section=make_section(parent=parent))
    few = queries_for_list()
    for _ in range(18):
        make_article(status=Status.PUBLISHED, section=make_section(parent=parent))
    assert queries_for_list() == few


def test_the_roles_have_every_permission_the_role_table_names():
    """After all migrations, each group holds exactly the permissions in articles/roles.py."""
    from django.contrib.auth.models import Group

    from articles.roles import ROLE_PERMISSIONS

    for role, names in ROLE_PERMISSIONS.items():
        granted = {
            f"{p.content_type.app_label}.{p.codename}"
            for p in Group.objects.get(name=role).permissions.select_related("content_type")
        }
        assert granted == set(names), role
