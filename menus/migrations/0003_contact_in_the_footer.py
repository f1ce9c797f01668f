"""The contact form (contact/) in the footer, after Corrections, unless someone has linked it
already."""

from django.db import migrations


def add_contact(apps, schema_editor):
    MenuItem = apps.get_model("menus", "MenuItem")
    footer = apps.get_model("menus", "Menu").objects.filter(name="footer").first()
    if footer is None or MenuItem.objects.filter(menu=footer, url="/contact/").exists():
        return
    corrections = MenuItem.objects.filter(menu=footer, url="/corrections/").first()
    order = corrections.order + 1 if corrections else 1
    MenuItem.objects.create(menu=footer, order=order, label="Contact us", url="/contact/")


class Migration(migrations.Migration):
    dependencies = [("menus", "0002_header_and_footer_as_they_were")]
    operations = [migrations.RunPython(add_contact, migrations.RunPython.noop)]
