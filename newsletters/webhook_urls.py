"""The email provider's tracking webhooks (newsletters/bounces.py), under /newsletters/webhooks/."""

from django.urls import path

from .bounces import tracking_webhook

app_name = "newsletter-webhooks"
urlpatterns = [
    path("<slug:esp>/tracking/", tracking_webhook, name="tracking"),
]
