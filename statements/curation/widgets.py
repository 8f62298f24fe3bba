"""The admin's autocomplete widgets, shown again with a value that is not a key without failing.

Django's widgets look the selected values up in the database to label them; a value that is no key
of the model ("abc" for a number, a NUL character) made that lookup fail with a 500 while the form
was being shown again with its errors. The browser's widget never sends one: a hand-made request does.
"""

from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError


class KeysOnly:
    def optgroups(self, name, value, attrs=None):
        related = self.field.remote_field
        # The key the widget looks up: a foreign key's target field, a many-to-many's primary key.
        target = related.model._meta.get_field(related.field_name) if hasattr(related, "field_name") else None
        target = target or related.model._meta.pk
        return super().optgroups(name, [item for item in value if is_key(target, item)], attrs)


def is_key(field, value):
    if "\x00" in str(value):
        return False
    try:
        field.to_python(value)
    except (ValidationError, ValueError, TypeError):
        return False
    return True


class SafeAutocompleteSelect(KeysOnly, AutocompleteSelect):
    pass


class SafeAutocompleteSelectMultiple(KeysOnly, AutocompleteSelectMultiple):
    pass


class SafeAutocompleteMixin:
    """For a ModelAdmin or an inline: its autocomplete fields use the widgets above."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelectMultiple(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_manytomany(db_field, request, **kwargs)
