"""Staff export one subscriber's data and consents, and erase it; issue figures survive."""

import csv
import io
import json

import pytest
from django.utils import timezone

from newsletters.models import Delivery, Issue, Subscriber, Subscription

pytestmark = pytest.mark.django_db
CHANGELIST = "/admin/newsletters/subscriber/"


@pytest.fixture
def reader(newsletter):
    now = timezone.now()
    subscriber = Subscriber.objects.create(email="=cmd@example.org", confirmed_at=now)
    Subscription.objects.create(subscriber=subscriber, newsletter=newsletter, state="active",
                                source="/europe/a-story/", confirmed_at=now)  # fmt: skip
    issue = Issue.objects.create(newsletter=newsletter, number=1, subject="One", state="sent")
    Delivery.objects.create(issue=issue, subscriber=subscriber, state="sent", sent_at=now)
    Subscriber.objects.create(email="someone-else@example.org")
    return subscriber


def act(client, action, subscriber, **extra):
    return client.post(CHANGELIST, {"action": action, "_selected_action": [subscriber.pk],
                                    **extra})  # fmt: skip


def test_export_as_json_holds_the_address_its_consents_and_deliveries(
    client, superuser, reader, newsletter
):
    client.force_login(superuser)
    response = act(client, "export_json", reader)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    [data] = json.loads(response.content)["subscribers"]
    assert data["email"] == "=cmd@example.org" and data["confirmed"]
    [consent] = data["subscriptions"]
    assert consent["newsletter"] == newsletter.name and consent["form"] == "/europe/a-story/"
    assert consent["state"] == "active" and consent["consent_given"] and consent["asked_for"]
    assert data["deliveries"] == [{"newsletter": newsletter.name, "issue": 1, "state": "sent",
                                   "sent": data["deliveries"][0]["sent"]}]  # fmt: skip


def test_export_as_csv_defuses_formulas(client, superuser, reader):
    client.force_login(superuser)
    response = act(client, "export_csv", reader)
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 1
    assert rows[0]["email"] == "'=cmd@example.org"  # a spreadsheet shows it, never runs it
    assert rows[0]["newsletter"] and rows[0]["form"] == "/europe/a-story/"


def test_erasing_removes_the_address_and_its_consents_and_keeps_the_figures(
    client, superuser, reader
):
    client.force_login(superuser)
    response = act(client, "delete_selected", reader, post="yes")
    assert response.status_code == 302
    assert not Subscriber.objects.filter(email="=cmd@example.org").exists()
    assert not Subscription.objects.exists()
    delivery = Delivery.objects.get()
    assert delivery.subscriber is None and delivery.state == "sent"
    assert Subscriber.objects.filter(email="someone-else@example.org").exists()


def test_staff_without_the_permission_see_no_subscriber(client, editor, reader):
    client.force_login(editor)
    assert client.get(CHANGELIST).status_code == 403
    assert act(client, "export_json", reader).status_code == 403
