"""Hostile input in every field of the contact form: refused with a message that says what
is wrong, or kept as inert text; never a 500, never a header of ours rewritten, never markup
that runs, on the form, in the desk or in the email."""

import re

import pytest
from django.utils.html import escape

from contact.models import ContactMessage
from contact.tasks import deliver_message
from tests.xss_vectors import nastiest, problems_in, vectors

pytestmark = pytest.mark.django_db

# Our own form's elements, which problems_in (written for rich text) reports as not allowed.
OURS = {"<form>", "<input>", "<button>", "<fieldset>", "<legend>", "<label>", "<textarea>"}
FIELDS = ["kind", "name", "email", "subject", "message", "story", "author", "website"]


def main_of(html: str) -> str:
    return re.search(r"<main.*?</main>", html, re.S).group(0)


def assert_inert(html: str, where) -> None:
    assert [p for p in problems_in(html) if p not in OURS] == [], where
    assert "<script>alert" not in html and "<svg/onload" not in html, where


def a_message(**fields) -> dict:
    return {"kind": "tip", "name": "", "email": "", "subject": "", "message": "A tip.",
            "story": "", "author": "", "website": "", **fields}  # fmt: skip


@pytest.mark.parametrize("field", FIELDS)
def test_every_vector_in_every_field_is_refused_or_kept_inert(client, settings, field):
    settings.CONTACT_MESSAGES_PER_IP = 10_000
    for vector in vectors() + nastiest():
        response = client.post("/contact/", a_message(**{field: vector.html}))
        assert response.status_code in (302, 400), (field, vector.number)
        if response.status_code == 400:
            assert_inert(main_of(response.content.decode()), (field, vector.number))


def test_what_is_kept_is_shown_as_text_in_the_desk_and_mailed_as_text(
    client, editor, newsroom_address, smtp, settings
):
    settings.CONTACT_MESSAGES_PER_IP = 10_000
    for vector in nastiest():
        client.post("/contact/", a_message(message=vector.html, subject=vector.html[:150]))
    stored = list(ContactMessage.objects.all())
    # Markup is text here, kept as typed; control characters (\x1b…) are refused.
    plain = [v for v in nastiest() if not re.search(r"[\x00-\x08\x0b-\x1f]", v.html)]
    assert len(stored) == len(plain) >= 10
    client.force_login(editor)
    listing = client.get("/admin/contact/contactmessage/").content.decode()
    home = client.get("/admin/").content.decode()
    for message in stored:
        page = client.get(f"/admin/contact/contactmessage/{message.pk}/change/").content.decode()
        raw, subject = message.message, message.subject
        assert escape(raw) in page and escape(subject) in listing, message.pk
        if escape(raw) != raw:  # markup in it: never there unescaped
            assert raw not in page and subject not in listing and subject not in home
        assert deliver_message.call(message.pk) == "sent"
    for mail in smtp.sink.messages:
        assert mail.get_content_type() == "text/plain"


@pytest.mark.parametrize(
    ("field", "value", "says"),
    [
        ("name", "Ann\r\nBcc: victim@example.org", "Use one line of plain text"),
        ("subject", "Hello\nBcc: victim@example.org", "Use one line of plain text"),
        ("subject", "Hi\x1b[31m", "Use one line of plain text"),
        ("name", "Ann \u202egnp.exe", "Use one line of plain text"),
        ("email", "ann@example.org\r\nBcc: victim@example.org", "Enter a valid email address."),
        ("email", "ann@example.org,victim@example.org", "Enter a valid email address."),
        ("message", "Bell\x07 and escape\x1b", "contains control characters"),
        ("message", "Null\x00byte", "Null characters are not allowed."),
        ("message", "x" * 5001, "at most 5000 characters (it has 5001)"),
        ("message", "   ", "This field is required."),
        ("name", "n" * 101, "at most 100 characters"),
        ("subject", "s" * 151, "at most 150 characters"),
        ("kind", "author", "Select a valid choice."),
        ("kind", "<b>tip</b>", "Select a valid choice."),
    ],
)
def test_hostile_input_is_refused_with_a_clear_message(client, field, value, says):
    response = client.post("/contact/", a_message(**{"email": "ann@example.org", field: value}))
    assert response.status_code == 400
    html = response.content.decode()
    assert says in html.replace("&#x27;", "'")
    assert 'role="alert"' in html
    assert not ContactMessage.objects.exists()


def test_html_in_a_message_is_kept_as_the_reader_typed_it(client):
    text = "See <a href='javascript:alert(1)'>this</a> & <b>that</b>\nSecond line"
    assert client.post("/contact/", a_message(message=text)).status_code == 302
    assert ContactMessage.objects.get().message == text


def test_a_huge_post_is_refused_not_a_500(client):
    response = client.post("/contact/", a_message(message="x" * 3_000_000))
    assert response.status_code == 400
    assert not ContactMessage.objects.exists()


def test_other_methods_are_refused(client):
    assert client.put("/contact/").status_code == 405
    assert client.delete("/contact/").status_code == 405
