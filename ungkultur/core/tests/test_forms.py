from django import forms
from django.core.exceptions import ValidationError

from ungkultur.core.forms import add_service_errors


class NameForm(forms.Form):
    email = forms.CharField(required=False)


def test_service_errors_land_on_the_named_field_or_on_the_form():
    form = NameForm({})
    form.is_valid()
    add_service_errors(
        form,
        ValidationError({"user": ["Finnes ikke."], "seats": ["Fullt."]}),
        rename={"user": "email"},
    )
    assert form.errors == {"email": ["Finnes ikke."], "__all__": ["Fullt."]}


def test_an_error_without_fields_goes_on_the_form():
    form = NameForm({})
    form.is_valid()
    add_service_errors(form, ValidationError("Stengt."))
    assert form.non_field_errors() == ["Stengt."]
