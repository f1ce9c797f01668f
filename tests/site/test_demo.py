"""The demo newsroom: loads twice without duplicates, and shows only what readers may see."""

import re

import pytest
from django.core.management import call_command

from articles.models import Article, Author, Status
from media.models import Image
from newsroom import demo_content
from sections.models import Section, Series

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(tmp_path):
    logins = tmp_path / "logins.json"
    call_command("load_demo", logins_file=str(logins), verbosity=0)
    return logins


def counts():
    return [m.objects.count() for m in (Article, Author, Image, Section, Series)]


def test_loading_the_demo_twice_changes_nothing(demo, capsys):
    before = counts()
    call_command("load_demo", logins_file=str(demo), verbosity=0)
    assert counts() == before
    assert before[0] == len(demo_content.ARTICLES)
    out = capsys.readouterr().out
    assert "0 new" in out and "publisher" in out


def test_the_demo_is_shaped_like_the_newsroom(demo):
    series = Series.objects.get(name="Diplomacy Watch")
    assert Article.objects.live().filter(series=series).count() >= 3
    for name in ("Europe", "Middle East", "Israel-Gaza Crisis"):
        assert Section.objects.filter(name=name).exists()
    syria = Article.objects.get(section__name="Middle East", headline__icontains="Syria")
    assert syria.lead_image.credit == "Alex Edelman/Pool via REUTERS"
    assert Article.objects.filter(tags__name__icontains="Defense Budget").exists()
    assert Article.objects.scheduled().count() == 1
    assert Article.objects.filter(status=Status.DRAFT).count() == 1
    waiting = Article.objects.get(status=Status.SUBMITTED)
    assert waiting.created_by.username == "contributor"  # its writer can pick it up if returned


def test_each_role_has_a_demo_account_with_the_password_printed(demo, client):
    import json

    passwords = json.loads(demo.read_text())
    from django.http import HttpRequest

    for username in ("contributor", "editor", "publisher"):
        # django-axes checks every login against its lockouts: it needs the request.
        assert client.login(request=HttpRequest(), username=username,
                            password=passwords[username])  # fmt: skip


def test_demo_accounts_are_not_created_where_settings_forbid_them(tmp_path, settings):
    from django.contrib.auth import get_user_model

    settings.DEMO_ACCOUNTS = False
    call_command("load_demo", logins_file=str(tmp_path / "l.json"), verbosity=0)
    assert not get_user_model().objects.exists()
    assert not (tmp_path / "l.json").exists()


def test_home_lists_the_live_stories_and_links_to_them(demo, client):
    html = client.get("/").content.decode()
    live = list(Article.objects.live())
    assert len(live) == len([a for a in demo_content.ARTICLES if (a["days_ago"] or -1) >= 0])
    for story in live:
        assert story.get_absolute_url() in html
        assert client.get(story.get_absolute_url()).status_code == 200
    links = set(re.findall(r'href="(/[^/"]+/[^/"]+/)"', html))
    assert links  # the teasers link to article pages


def test_the_draft_submitted_and_scheduled_stories_are_404(demo, client):
    hidden = Article.objects.exclude(pk__in=Article.objects.live())
    assert hidden.count() == len(
        [a for a in demo_content.ARTICLES if a["days_ago"] is None or a["days_ago"] < 0]
    )
    home = client.get("/").content.decode()
    for story in hidden:
        assert client.get(story.get_absolute_url()).status_code == 404
        assert story.headline not in home


def test_demo_stories_are_saved_by_the_services_with_a_restorable_revision(demo):
    from reversion.models import Version

    from articles.models import LiveRevision

    for story in Article.objects.all():
        revision = Version.objects.get_for_object(story).order_by("pk").first().revision
        assert revision.comment == "Loaded with the demo newsroom"
        assert revision.user is None  # the system actor
        kinds = {v.content_type.model for v in revision.version_set.all()}
        assert {"article", "byline", "taggedarticle"} <= kinds
        # save_article marks what readers saw, for "compare with the live version".
        assert LiveRevision.objects.filter(revision=revision).exists() == story.is_live()


def test_loading_the_demo_announces_once_and_again_nothing(
    tmp_path, django_capture_on_commit_callbacks
):
    from tests.caching_kit import invalidations

    logins = str(tmp_path / "logins.json")
    for expected in (1, 0):
        before = invalidations()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("load_demo", logins_file=logins, verbosity=0)
        assert invalidations() - before == expected


def test_each_role_finds_something_in_its_queues_on_the_demo(demo):
    """docs/desk.md's screenshots show every queue with a story in it."""
    from django.contrib.auth import get_user_model

    from desk import queues

    users = get_user_model().objects
    expected = {
        "contributor": ["Returned to me", "Submitted and waiting", "My drafts"],
        "editor": ["Awaiting review", "Approved"],
        "publisher": ["Approved", "next 48 hours", "Published today", "rights end"],
    }
    for username, titles in expected.items():
        shown = {q.title: q.entries for q in queues.home(users.get(username=username))}
        for title in titles:
            [entries] = [e for name, e in shown.items() if title.lower() in name.lower()]
            assert entries, f"{username}: {title}"


def test_the_demo_has_diplomacy_watch_sending_itself_with_readers_and_a_sent_issue(demo, client):
    from django_tasks_db.models import DBTaskResult

    from newsletters.models import Delivery, Issue, Newsletter, Subscriber

    letter = Newsletter.objects.get(name="Diplomacy Watch")
    assert letter.send_automatically and letter.series.name == "Diplomacy Watch"
    readers = Subscriber.objects.filter(confirmed_at__isnull=False)
    assert readers.count() >= 3 and all(r.email.endswith("@example.org") for r in readers)
    [issue] = Issue.objects.filter(state=Issue.State.SENT)
    assert issue.deliveries.filter(state=Delivery.State.SENT).count() == readers.count()
    assert client.get(letter.get_absolute_url()).status_code == 200
    html = client.get(issue.get_absolute_url()).content.decode()
    assert issue.stories.get().headline.replace("(", "").split(":")[0] in html
    scheduled = Article.objects.scheduled().get(series=letter.series)
    [task] = DBTaskResult.objects.filter(task_path="newsletters.tasks.story_went_live")
    assert task.args_kwargs["args"] == [scheduled.pk] and task.run_after == scheduled.publish_at
    call_command("load_demo", logins_file=str(demo), verbosity=0)
    assert Issue.objects.count() == 1 and Subscriber.objects.count() == readers.count()


def test_the_demo_names_its_policy_pages_in_the_site_settings(demo, client):
    """The demo's policy pages are the organisation's, in its JSON-LD."""
    from newsroom.models import SiteSettings

    site = SiteSettings.get_solo()
    assert site.corrections_policy_page.path == "corrections-policy"
    assert site.masthead_page.path == "masthead"
    assert site.diversity_policy_page is None  # the demo has no such page: nothing named
    html = client.get("/").content.decode()
    assert '"correctionsPolicy": "http://testserver/corrections-policy/"' in html
    assert '"foundingDate": "2019-03-01"' in html


def test_the_demo_has_the_newsrooms_own_pages_published_and_reachable(demo, client):
    from newsroom import demo_pages
    from pages.models import Page

    wanted = {
        "about": "About The Foreign Desk",
        "masthead": "Masthead",
        "ethics-policy": "Ethics policy",
        "corrections-policy": "Corrections policy",
        "contact-and-tips": "Contact and tips",
        "privacy": "Privacy",
    }
    live = {page.path: page for page in Page.objects.live()}
    assert set(wanted) <= set(live) and len(live) == len(demo_pages.PAGES)
    for path, title in wanted.items():
        response = client.get(f"/{path}/")
        assert response.status_code == 200, path
        html = response.content.decode()
        assert f"<h1>{title}</h1>" in html and "Last reviewed" in html
    contact = client.get("/contact-and-tips/").content.decode()
    assert 'href="/contact/"' in contact  # the contact form
    corrections_policy = client.get("/corrections-policy/").content.decode()
    assert 'href="/corrections/"' in corrections_policy  # the corrections page
    privacy = client.get("/privacy/").content.decode()
    assert "No cookies" in privacy and "Sec-GPC" in privacy  # what is counted, and what not


def test_demo_pages_are_saved_once_and_never_again(demo):
    from pages.models import Page

    before = list(Page.objects.values_list("pk", "version", "modified_at"))
    call_command("load_demo", logins_file=str(demo), verbosity=0)
    assert list(Page.objects.values_list("pk", "version", "modified_at")) == before


def test_the_demo_footer_links_its_own_pages_once(demo, client):
    """About, Masthead, the policies and Contact and tips are in the footer menu, after the
    footer's own links, on every page; loading again adds none twice."""
    from menus.models import Menu
    from newsroom import demo_pages

    footer = Menu.objects.get(name="footer")
    linked = [(item.page.path, item.label) for item in footer.items.all() if item.page_id]
    assert linked == demo_pages.FOOTER
    assert footer.items.filter(url="/corrections/").exists()  # the site's links are kept
    call_command("load_demo", logins_file=str(demo), verbosity=0)
    assert footer.items.filter(page__isnull=False).count() == len(demo_pages.FOOTER)
    html = client.get("/").content.decode()
    footer_html = html[html.index('aria-label="Footer"') :]
    for path, label in demo_pages.FOOTER:
        assert f'<a href="/{path}/">{label}</a>' in footer_html
