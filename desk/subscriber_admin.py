"""Subscribers in the admin: look one up, export everything kept about it (JSON or CSV), and
erase it. Erasing is the admin's delete, routed through subscribing.erase_subscriber."""

import csv
import io
import json

from django.contrib import admin
from django.http import HttpResponse
from django.utils import timezone

from newsletters.models import Subscriber, Subscription
from newsletters.subscribing import erase_subscriber, export_subscriber

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


class SubscriptionInline(admin.TabularInline):
    model = Subscription
    extra = 0
    can_delete = False
    fields = ("newsletter", "state", "requested_at", "source", "confirmed_at", "unsubscribed_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False  # consent is given by the reader, through the signed links, never here


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    list_display = ("email", "created_at", "confirmed_at", "suppressed_at")
    list_filter = (("confirmed_at", admin.EmptyFieldListFilter), "subscriptions__newsletter")
    search_fields = ("email",)
    readonly_fields = ("email", "created_at", "confirmed_at", "confirmation_sent_at")
    fields = readonly_fields + ("suppressed_at", "suppressed_reason")
    inlines = [SubscriptionInline]
    actions = ["export_json", "export_csv"]

    def has_add_permission(self, request) -> bool:
        return False  # addresses come from the sign-up form and its double opt-in

    @admin.action(description="Export selected subscribers (JSON)", permissions=["view"])
    def export_json(self, request, queryset):
        data = [export_subscriber(subscriber) for subscriber in queryset.order_by("pk")]
        response = HttpResponse(
            json.dumps({"subscribers": data}, indent=2, ensure_ascii=False),
            content_type="application/json",
        )
        return self._attachment(response, "json")

    @admin.action(description="Export selected subscribers (CSV)", permissions=["view"])
    def export_csv(self, request, queryset):
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["email", "first_sign_up", "confirmed", "suppressed", "suppressed_reason",
                         "newsletter", "state", "asked_for", "form", "consent_given",
                         "unsubscribed"])  # fmt: skip
        for subscriber in queryset.order_by("pk"):
            data = export_subscriber(subscriber)
            head = [data[k] for k in ("email", "first_sign_up", "confirmed", "suppressed",
                                      "suppressed_reason")]  # fmt: skip
            for s in data["subscriptions"] or [{}]:
                tail = [s.get(k) for k in ("newsletter", "state", "asked_for", "form",
                                           "consent_given", "unsubscribed")]  # fmt: skip
                writer.writerow([_cell(value) for value in head + tail])
        return self._attachment(HttpResponse(out.getvalue(), content_type="text/csv"), "csv")

    def _attachment(self, response, extension: str):
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        response["Content-Disposition"] = f'attachment; filename="subscribers-{stamp}.{extension}"'
        response["Cache-Control"] = "private, no-store"
        return response

    def delete_model(self, request, obj) -> None:
        erase_subscriber(obj)

    def delete_queryset(self, request, queryset) -> None:
        for subscriber in queryset:
            erase_subscriber(subscriber)
