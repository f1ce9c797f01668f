"""A delivery is no longer marked "sending" while an ESP's API call is under way: it stays
queued under its claim until the provider accepts it. A row a dead worker left "sending"
goes back to the queue, to be sent again (with its Message-ID) once its claim expires."""

from django.db import migrations, models


def requeue_sending(apps, schema_editor):
    Delivery = apps.get_model("newsletters", "Delivery")
    Delivery.objects.filter(state="sending").update(state="queued")


class Migration(migrations.Migration):
    dependencies = [("newsletters", "0004_slug_help_text")]

    operations = [
        migrations.RunPython(requeue_sending, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="delivery",
            name="state",
            field=models.CharField(
                choices=[
                    ("queued", "Queued"),
                    ("sent", "Sent"),
                    ("failed", "Failed"),
                    ("bounced", "Bounced"),
                    ("skipped", "Skipped"),
                ],
                default="queued",
                max_length=10,
            ),
        ),
    ]
