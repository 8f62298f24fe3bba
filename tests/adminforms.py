"""Turn a rendered admin form back into the POST data a browser would send."""


def _field_value(bound_field):
    value = bound_field.field.prepare_value(bound_field.value())
    if value is None or value is False:
        return None
    if value is True:
        return "on"
    if isinstance(value, list | tuple):
        return [str(item) for item in value]
    return bound_field.field.widget.format_value(value)


def _form_data(form):
    values = {bound_field.html_name: _field_value(bound_field) for bound_field in form}
    return {name: value for name, value in values.items() if value not in (None, "", [])}


def change_form_data(response):
    """The data of the main form and its inlines, as shown in an admin add/change/history page."""
    data = _form_data(response.context["adminform"].form)
    for inline in response.context.get("inline_admin_formsets", []):
        data.update(_form_data(inline.formset.management_form))
        for form in inline.formset.forms:
            data.update(_form_data(form))
    return data
