"""Signing in again in place: the session check and the dialog's sign-in answer JSON, renew the
CSRF token, and only ever sign the person who was writing back in."""

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def csrf_client() -> Client:
    return Client(enforce_csrf_checks=True)


def test_a_signed_out_page_learns_so_and_gets_a_token_for_the_dialog(contributor):
    client = csrf_client()
    state = client.get(reverse("admin:desk_session")).json()
    assert state["signed_in"] is False and state["user"] is None and state["csrf_token"]


def test_signing_in_again_gives_a_new_token_that_saves(contributor):
    contributor.set_password("pw")
    contributor.save()
    client = csrf_client()
    token = client.get(reverse("admin:desk_session")).json()["csrf_token"]
    answer = client.post(
        reverse("admin:desk_sign_in"),
        {"username": contributor.username, "password": "pw", "user": contributor.pk},
        headers={"X-CSRFToken": token},
    )
    assert answer.status_code == 200
    state = answer.json()
    assert state["signed_in"] is True and state["user"] == contributor.pk
    assert state["csrf_token"] != token  # signing in rotates it
    # The renewed token is the one the page's forms now carry.
    autosave = client.post(
        reverse("admin:articles_article_autosave_new"),
        {"headline": "Kept", "csrfmiddlewaretoken": state["csrf_token"]},
    )
    assert autosave.status_code == 200


def test_a_wrong_password_is_refused_in_words(contributor):
    client = csrf_client()
    token = client.get(reverse("admin:desk_session")).json()["csrf_token"]
    answer = client.post(
        reverse("admin:desk_sign_in"),
        {"username": contributor.username, "password": "nope", "user": contributor.pk},
        headers={"X-CSRFToken": token},
    )
    assert answer.status_code == 400 and "password" in answer.json()["error"]
    assert client.get(reverse("admin:desk_session")).json()["signed_in"] is False


def test_another_person_cannot_sign_in_over_the_writers_page(contributor, editor):
    editor.set_password("pw")
    editor.save()
    client = csrf_client()
    token = client.get(reverse("admin:desk_session")).json()["csrf_token"]
    answer = client.post(
        reverse("admin:desk_sign_in"),
        {"username": editor.username, "password": "pw", "user": contributor.pk},
        headers={"X-CSRFToken": token},
    )
    assert answer.status_code == 403
    assert client.get(reverse("admin:desk_session")).json()["signed_in"] is False


def test_the_dialog_needs_a_csrf_token(contributor):
    answer = csrf_client().post(
        reverse("admin:desk_sign_in"),
        {"username": contributor.username, "password": "pw", "user": contributor.pk},
    )
    assert answer.status_code == 403
