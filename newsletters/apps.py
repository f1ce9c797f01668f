from django.apps import AppConfig


class NewslettersConfig(AppConfig):
    name = "newsletters"
    verbose_name = "Newsletters"

    def ready(self):
        # Bounces and complaints from the email provider (anymail's signal is its only way
        # to hand them over): newsletters.bounces suppresses the address.
        from anymail.signals import tracking

        from .bounces import on_tracking

        tracking.connect(on_tracking, dispatch_uid="newsletters.bounces")
