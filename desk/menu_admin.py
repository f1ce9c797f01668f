"""The site's menus on the desk: one page per menu (header, footer) with its links in order.
Publishers change them; editors may look. Saving goes through menus.services.save_menu,
which checks the permission again and tells readers' caches (the whole site)."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from menus import services
from menus.models import Menu, MenuItem
from pages.models import Page


class PageChoice(forms.ModelChoiceField):
    """A page by its title and address, so two pages of the same title are told apart."""

    def label_from_instance(self, page):
        return f"{page.title} (/{page.path}/)"


class MenuItemInline(admin.TabularInline):
    model = MenuItem
    extra = 2
    fields = ["order", "label", "navigation_sections", "section", "page", "url", "shown"]
    readonly_fields = ["shown"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "page":
            kwargs["form_class"] = PageChoice
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        # A menu row picks a section or page; making or editing one is another page's work.
        # The admin wraps the select after formfield_for_foreignkey: the wrapper draws them.
        if db_field.name in ("section", "page"):
            for button in ("can_add_related", "can_change_related", "can_view_related"):
                setattr(field.widget, button, False)
        return field

    def get_formset(self, request, obj=None, **kwargs):
        """New rows come after the last link, unless their order is changed."""
        formset = super().get_formset(request, obj, **kwargs)
        last = max((item.order for item in obj.items.all()), default=0) if obj else 0
        formset.form.base_fields["order"].initial = last + 10  # a class made for this request
        return formset

    @admin.display(description=_("shown to readers"))
    def shown(self, item) -> str:
        if item.pk is None:
            return "–"
        if item.page_id and not Page.objects.live().filter(pk=item.page_id).exists():
            return str(_("Not yet: the page is not live"))
        return str(_("Yes"))


@admin.register(Menu)
class MenuAdmin(admin.ModelAdmin):
    list_display = ["__str__", "links"]
    fields = ["name"]
    readonly_fields = ["name"]
    inlines = [MenuItemInline]

    @admin.display(description=_("links"))
    def links(self, menu) -> str:
        return ", ".join(str(item) for item in menu.items.all()) or "–"

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("items__section", "items__page")

    def has_add_permission(self, request) -> bool:
        return False  # one header, one footer: made by a migration

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return services.can_change_menus(request.user)

    def changelist_view(self, request, extra_context=None):
        if self.has_change_permission(request):
            services.create_missing_menus()  # only after a test database was flushed
        return super().changelist_view(request, extra_context)

    def save_model(self, request, obj, form, change):
        pass  # the menu's own fields are fixed; its links are saved in save_related

    def save_related(self, request, form, formsets, change):
        """The links as typed, through the one service; the admin's history message is made
        from what the formsets would have saved."""
        items = []
        for formset in formsets:
            new, changed, deleted = [], [], []
            for row in formset.forms:
                item = row.instance
                if formset.can_delete and formset._should_delete_form(row):
                    if item.pk is not None:
                        deleted.append(item)
                    continue
                if item.pk is None and not row.has_changed():
                    continue  # an empty extra row
                items.append(item)
                if item.pk is None:
                    new.append(item)
                elif row.has_changed():
                    changed.append((item, row.changed_data))
            formset.new_objects, formset.changed_objects = new, changed
            formset.deleted_objects = deleted
        # Links the form did not carry (a form made before another publisher added one) stay:
        # only a ticked Delete removes a link.
        carried = {row.instance.pk for formset in formsets for row in formset.forms}
        items += list(form.instance.items.exclude(pk__in=[pk for pk in carried if pk]))
        services.save_menu(menu=form.instance, items=items, user=request.user)
