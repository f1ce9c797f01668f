"""Authors readers can trust: the author page shows who they are (photo with its credit, role,
bio, expertise, languages, profiles, how to write to them) and says it in JSON-LD; the private
contact address is on no page, feed or JSON-LD; a contributor's changes to their own profile
wait for an editor, who approves or rejects them from the desk home."""

import json

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from lxml import html as lxml_html
from pyld import jsonld

from articles import services
from articles.models import Author, ProfileChange, Status
from articles.roles import CONTRIBUTOR
from articles.services import WorkflowError
from desk.models import Notification, Verb
from tests import mail_server
from tests.admin_forms import change_form_data, logged_in
from tests.factories import make_article, make_author, make_user
from tests.images import make_image

pytestmark = pytest.mark.django_db

PRIVATE = "private.line@example.org"
SCHEMA = "https://schema.org/"


def _schema_org(url, options=None):
    """schema.org's context, held here: terms are schema.org's vocabulary (no network)."""
    return {"contextUrl": None, "documentUrl": url,
            "document": {"@context": {"@vocab": SCHEMA, "sameAs": {"@type": "@id"},
                                      "url": {"@type": "@id"}}}}  # fmt: skip


def expanded(data: dict) -> dict:
    """JSON-LD as a JSON-LD processor reads it (pyld), properties as full schema.org IRIs."""
    [node] = jsonld.expand(data, {"documentLoader": _schema_org})
    return node


def values(node: dict, prop: str) -> list:
    return [item.get("@value", item.get("@id", item)) for item in node.get(SCHEMA + prop, [])]


def json_ld_of(response) -> list[dict]:
    doc = lxml_html.fromstring(response.content)
    return [json.loads(s.text) for s in doc.xpath('//script[@type="application/ld+json"]')]


@pytest.fixture
def mara():
    return make_author(
        name="Mara Lindqvist", slug="mara", job_title="Senior Editor",
        bio="Mara covers European security.", photo=make_image(credit="Staff Photographer"),
        expertise="arms control, NATO , , the Baltic states", languages="English, Swedish",
        x_url="https://x.com/mara", mastodon_url="https://mastodon.social/@mara",
        linkedin_url="https://www.linkedin.com/in/mara", contact_email=PRIVATE,
    )  # fmt: skip


@pytest.fixture
def contact_form(settings):
    """A contact form answers at /contact/ (tests/articles/contact_urls.py)."""
    settings.ROOT_URLCONF = "tests.articles.contact_urls"


def test_the_author_page_shows_photo_credit_role_bio_expertise_languages_and_profiles(
    client, mara, contact_form
):
    doc = lxml_html.fromstring(client.get("/authors/mara/").content)
    header = doc.xpath('//header[contains(@class, "author")]')[0]
    text = " ".join(header.text_content().split())
    assert header.xpath(".//figure//img") and "Staff Photographer" in text
    assert "Senior Editor" in text and "Mara covers European security." in text
    assert header.xpath('.//ul[@class="author-expertise"]/li/text()') == [
        "arms control", "NATO", "the Baltic states",
    ]  # fmt: skip
    assert "English, Swedish" in text
    links = dict(zip(header.xpath(".//a/text()"), header.xpath(".//a/@href"), strict=True))
    assert links["X"] == "https://x.com/mara" and links["LinkedIn"].endswith("/in/mara")
    assert links["Mastodon"] == "https://mastodon.social/@mara"
    # No public address: readers write through the contact form, which knows the author.
    assert links["Write to Mara Lindqvist"] == "/contact/?author=mara"
    assert client.get(links["Write to Mara Lindqvist"]).status_code == 200


def test_the_write_to_link_never_leads_to_a_missing_page(client, mara):
    """Without a contact form at /contact/ (pages would answer 404), no link is offered."""
    doc = lxml_html.fromstring(client.get("/authors/mara/").content)
    if doc.xpath('//a[starts-with(@href, "/contact/")]'):  # the contact form has landed
        assert client.get("/contact/?author=mara").status_code == 200


def test_a_public_email_is_shown_instead_of_the_form(client, mara, contact_form):
    mara.email = "mara@example.org"
    mara.save()
    doc = lxml_html.fromstring(client.get("/authors/mara/").content)
    assert doc.xpath('//a[text()="Email Mara Lindqvist"]/@href') == ["mailto:mara@example.org"]
    assert not doc.xpath('//main//a[starts-with(@href, "/contact/")]')


def test_no_contact_link_without_any_address(client, contact_form):
    make_author(name="Guest", slug="guest")
    doc = lxml_html.fromstring(client.get("/authors/guest/").content)
    links = '//main//a[starts-with(@href, "/contact/") or starts-with(@href, "mailto:")]'
    assert not doc.xpath(links)  # the footer's "Contact us" is the newsroom's, not theirs


def test_the_private_contact_address_is_on_no_page_feed_or_json_ld(client, mara, contact_form):
    story = make_article(status=Status.PUBLISHED, author=mara, headline="Baltic talks")
    section = story.section.slug
    urls = [
        "/", story.get_absolute_url(), "/authors/mara/", f"/sections/{section}/",
        "/search/?q=Baltic", "/search/?q=private.line", "/feeds/rss/", "/feeds/atom/",
        "/feeds/rss/?full=1", reverse("feeds:author-rss", args=["mara"]), "/sitemap.xml",
        "/news-sitemap.xml", "/corrections/",
    ]  # fmt: skip
    for url in urls:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        assert PRIVATE not in response.content.decode(), url
    for sitemap in lxml_html.fromstring(client.get("/sitemap.xml").content).xpath("//loc/text()"):
        assert PRIVATE not in client.get(sitemap).content.decode()


def test_the_author_page_says_who_they_are_as_a_person_in_json_ld(client, mara):
    response = client.get("/authors/mara/")
    [page] = [d for d in json_ld_of(response) if d.get("@type") == "ProfilePage"]
    node = expanded(page)
    assert node["@type"] == [SCHEMA + "ProfilePage"]
    [person] = node[SCHEMA + "mainEntity"]
    assert person["@type"] == [SCHEMA + "Person"]
    assert values(person, "name") == ["Mara Lindqvist"]
    assert values(person, "url") == ["http://testserver/authors/mara/"]
    assert values(person, "jobTitle") == ["Senior Editor"]
    assert values(person, "description") == ["Mara covers European security."]
    assert values(person, "knowsAbout") == ["arms control", "NATO", "the Baltic states"]
    assert values(person, "knowsLanguage") == ["English", "Swedish"]
    assert set(values(person, "sameAs")) == {
        "https://x.com/mara", "https://mastodon.social/@mara", "https://www.linkedin.com/in/mara",
    }  # fmt: skip
    [image] = person[SCHEMA + "image"]
    assert values(image, "creditText") == ["Staff Photographer"]
    assert values(image, "url")[0].startswith("http://testserver/")
    assert SCHEMA + "email" not in person  # no public address set; the private one never


def test_a_story_names_its_authors_with_their_page_role_and_profiles(client, mara):
    story = make_article(status=Status.PUBLISHED, author=mara)
    for _ in range(2):  # worked out, then read back from what the page remembers
        [article] = [d for d in json_ld_of(client.get(story.get_absolute_url()))
                     if d.get("@type") == "ReportageNewsArticle"]  # fmt: skip
        [author] = expanded(article)[SCHEMA + "author"]
        assert author["@type"] == [SCHEMA + "Person"]
        assert values(author, "url") == ["http://testserver/authors/mara/"]
        assert values(author, "jobTitle") == ["Senior Editor"]
        assert "https://mastodon.social/@mara" in values(author, "sameAs")
        assert "email" not in json.dumps(article)


# --- A contributor's own profile, approved by an editor ---------------------------------------


@pytest.fixture
def inbox(settings):
    """A real SMTP server on 127.0.0.1 that Django sends to; what it received."""
    controller, inbox = mail_server.start(settings)
    yield inbox
    controller.stop()


@pytest.fixture
def writer():
    return make_user(CONTRIBUTOR, username="priya", with_email=True)


@pytest.fixture
def priya(writer):
    return make_author(name="Priya Raman", slug="priya", bio="Priya writes about the Gulf.",
                       user=writer)  # fmt: skip


def profile_url(author) -> str:
    return reverse("admin:articles_author_change", args=[author.pk])


def propose(client, author, **changes):
    """The contributor's form, as their browser sends it back with `changes` typed in."""
    data = change_form_data(client.get(profile_url(author)))
    data.update(changes)
    return client.post(profile_url(author), data)


def test_a_contributors_change_waits_for_an_editor_then_readers_see_it(
    client, writer, priya, editor
):
    me = logged_in(writer)
    assert me.get(reverse("admin:desk_my_profile")).url == profile_url(priya)
    client.get("/authors/priya/")  # the page is cached as it is
    response = propose(me, priya, bio="Priya writes about the Gulf and mediation.",
                       expertise="the Gulf states, mediation")  # fmt: skip
    assert response.status_code == 302
    assert "Priya writes about the Gulf." in client.get("/authors/priya/").content.decode()
    assert "mediation" not in client.get("/authors/priya/").content.decode()
    change = ProfileChange.objects.get(author=priya, state=ProfileChange.State.PENDING)
    assert change.after == {"bio": "Priya writes about the Gulf and mediation.",
                            "expertise": "the Gulf states, mediation"}  # fmt: skip
    # Nothing typed is lost: reopening the form shows what is waiting.
    form = me.get(profile_url(priya))
    assert "mediation" in form.content.decode() and "waiting for an editor" in form.content.decode()
    assert Notification.objects.filter(recipient=editor, verb=Verb.PROFILE_PROPOSED).exists()

    desk = logged_in(editor)
    home = lxml_html.fromstring(desk.get(reverse("admin:index")).content)
    [entry] = home.xpath('//section[@id="queue-profiles"]//a')
    assert entry.text_content() == "Priya Raman"
    review = desk.get(entry.get("href"))
    diff = lxml_html.fromstring(review.content)
    assert diff.xpath("//td[@class='desk-diff']//ins/text()") == [
        "and mediation",
        "the Gulf states, mediation",
    ]
    assert desk.post(entry.get("href"), {"decision": "approve"}).status_code == 302

    page = client.get("/authors/priya/").content.decode()
    assert "Priya writes about the Gulf and mediation." in page and "mediation</li>" in page
    change.refresh_from_db()
    assert change.state == ProfileChange.State.APPROVED and change.decided_by == editor
    note = Notification.objects.get(recipient=writer)
    assert note.verb == Verb.PROFILE_APPROVED and note.actor == editor
    assert not lxml_html.fromstring(desk.get(reverse("admin:index")).content).xpath(
        '//section[@id="queue-profiles"]//a'
    )


def test_the_contributor_hears_by_email(
    writer, priya, editor, inbox, django_capture_on_commit_callbacks
):
    change = services.propose_profile_change(
        author=priya, user=writer, values={"job_title": "Contributing Analyst"}
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.reject_profile_change(change=change, user=editor, comment="Ask Mara first.")
    [message] = inbox.to(writer.email)
    assert "Ask Mara first." in message.get_content()
    assert profile_url(priya) in message.get_content()


def test_a_rejection_needs_a_comment_keeps_the_profile_and_tells_the_writer(writer, priya, editor):
    propose(logged_in(writer), priya, job_title="Chief Analyst")
    change = ProfileChange.objects.get(author=priya)
    desk = logged_in(editor)
    url = reverse("admin:desk_profile_change", args=[change.pk])
    refused = desk.post(url, {"decision": "reject", "comment": "   "})
    assert refused.status_code == 400 and "needs a comment" in refused.content.decode()
    refused = desk.post(url, {"decision": "nonsense", "comment": "half a thought"})
    assert "half a thought" in refused.content.decode()  # what the editor typed stays
    assert (
        desk.post(url, {"decision": "reject", "comment": "Not a title we use."}).status_code == 302
    )
    priya.refresh_from_db()
    assert priya.job_title == ""
    change.refresh_from_db()
    assert change.state == ProfileChange.State.REJECTED and change.comment == "Not a title we use."
    note = Notification.objects.get(recipient=writer)
    assert note.verb == Verb.PROFILE_REJECTED and note.comment == "Not a title we use."
    assert desk.post(url, {"decision": "approve"}).status_code == 400  # decided already
    form = logged_in(writer).get(profile_url(priya)).content.decode()
    assert "Your last proposed change was rejected: “Not a title we use.”" in form


def test_a_new_proposal_replaces_the_one_waiting_and_undoing_it_withdraws_it(writer, priya):
    me = logged_in(writer)
    propose(me, priya, job_title="Analyst")
    propose(me, priya, job_title="Senior Analyst")
    [change] = ProfileChange.objects.filter(author=priya)
    assert change.after == {"job_title": "Senior Analyst"}
    propose(me, priya, job_title="")  # back to the profile as it stands
    assert not ProfileChange.objects.exists()


def test_an_invalid_form_keeps_what_was_typed(writer, priya):
    response = propose(logged_in(writer), priya, bio="A long new bio.", x_url="not a link")
    assert response.status_code == 200
    assert (
        "A long new bio." in response.content.decode()
        and "Enter a valid URL" in response.content.decode()
    )
    assert not ProfileChange.objects.exists()


def test_editors_and_publishers_edit_profiles_directly(editor, publisher, priya):
    for person, bio in ((editor, "Edited by an editor."), (publisher, "Edited by a publisher.")):
        response = propose(logged_in(person), priya, bio=bio)
        assert response.status_code == 302
        priya.refresh_from_db()
        assert priya.bio == bio
    assert not ProfileChange.objects.exists()


def test_a_contributor_changes_no_one_elses_profile_and_approves_nothing(writer, priya, editor):
    other = make_author(name="Someone Else", slug="else", contact_email=PRIVATE)
    me = logged_in(writer)
    page = me.get(profile_url(other))
    assert page.status_code == 200 and PRIVATE not in page.content.decode()  # read only
    assert me.post(profile_url(other), {"name": "Hacked"}).status_code == 403
    with pytest.raises(PermissionDenied):
        services.propose_profile_change(author=other, user=writer, values={"name": "Hacked"})
    with pytest.raises(PermissionDenied):
        services.propose_profile_change(author=priya, user=writer, values={"slug": "moved"})
    change = services.propose_profile_change(author=priya, user=writer, values={"bio": "Mine."})
    url = reverse("admin:desk_profile_change", args=[change.pk])
    assert me.get(url).status_code == 403
    assert me.post(url, {"decision": "approve"}).status_code == 403
    with pytest.raises(PermissionDenied):
        services.approve_profile_change(change=change, user=writer)
    assert Author.objects.get(pk=other.pk).name == "Someone Else"
    assert Author.objects.get(pk=priya.pk).bio == "Priya writes about the Gulf."


def test_an_editor_approves_no_change_of_their_own(editor):
    own = make_author(name="Ed", slug="ed", user=editor)
    change = services.propose_profile_change(author=own, user=editor, values={"bio": "Me."})
    with pytest.raises(PermissionDenied):
        services.approve_profile_change(change=change, user=editor)


def test_a_proposed_photo_removed_from_the_library_is_refused_with_a_reason(writer, priya, editor):
    photo = make_image()
    change = services.propose_profile_change(author=priya, user=writer, values={"photo": photo.pk})
    photo.delete()
    with pytest.raises(WorkflowError, match="no longer in the library"):
        services.approve_profile_change(change=change, user=editor)


def test_an_approved_change_reaches_the_pages_already_cached(
    client, settings, writer, priya, editor, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE = settings.REMEMBER_VALUES = True  # as in production
    story = make_article(status=Status.PUBLISHED, author=priya)
    for url in (story.get_absolute_url(), "/authors/priya/"):
        assert "Gulf Analyst" not in client.get(url).content.decode()
        assert client.get(url)["X-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        change = services.propose_profile_change(
            author=priya, user=writer, values={"job_title": "Gulf Analyst"}
        )
    assert client.get("/authors/priya/")["X-Cache"] == "hit"  # a proposal changes no page
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_profile_change(change=change, user=editor)
    assert "Gulf Analyst" in client.get("/authors/priya/").content.decode()
    [article] = [d for d in json_ld_of(client.get(story.get_absolute_url()))
                 if d.get("@type") == "ReportageNewsArticle"]  # fmt: skip
    assert article["author"][0]["jobTitle"] == "Gulf Analyst"


def test_hostile_profile_text_is_shown_as_text_and_keeps_the_json_ld_whole(client):
    attack = "</script><script>alert(1)</script><img src=x onerror=alert(2)>"
    make_author(name=f"Eve {attack}", slug="eve", job_title=attack, bio=attack,
                expertise=f"spying, {attack}", languages=attack)  # fmt: skip
    response = client.get("/authors/eve/")
    doc = lxml_html.fromstring(response.content)
    assert not doc.xpath("//script[not(@type='application/ld+json') and not(@src)]")
    assert not doc.xpath("//img[@onerror]")
    [page] = [d for d in json_ld_of(response) if d.get("@type") == "ProfilePage"]
    assert page["mainEntity"]["description"] == attack
    assert page["mainEntity"]["knowsAbout"][0] == "spying"
