from django.core.exceptions import ValidationError


def add_service_errors(form, error: ValidationError, *, rename: dict | None = None) -> None:
    """Put a service's ValidationError on the form: on the field it names where the form has
    that field (``rename`` maps a service's field name to the form's), else on the whole form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, messages in error.message_dict.items():
        field = (rename or {}).get(field, field)
        form.add_error(field if field in form.fields else None, messages)
