"""The contact form, as Wagtail's form builder makes it from the questions editors set up,
with two additions: a maximum length on multi-line answers, and a hidden field that only
robots fill in."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from wagtail.contrib.forms.forms import BaseForm, FormBuilder

from home.errors import CONTACT_MESSAGE_TOO_LONG, CONTACT_TRAP_LABEL

# Named like a question a robot answers; no editor's question is labelled "Contact website".
TRAP_FIELD = "contact_website"


def validate_message_length(value: str) -> None:
    limit = settings.CONTACT_MESSAGE_MAX_LENGTH
    if len(value) > limit:
        raise ValidationError(
            CONTACT_MESSAGE_TOO_LONG.format(limit=limit, length=len(value)), code="max_length"
        )


class ContactForm(BaseForm):
    """A contact form whose hidden trap field is kept out of the visible fields: the form
    template shows it in a wrapper hidden from people and screen readers (``trap``)."""

    def visible_fields(self):
        return [field for field in super().visible_fields() if field.name != TRAP_FIELD]

    @property
    def trap(self):
        return self[TRAP_FIELD]

    def filled_by_a_robot(self) -> bool:
        """Whether the hidden field was filled in: only a program that fills every field does."""
        return bool(self.cleaned_data.get(TRAP_FIELD))


class ContactFormBuilder(FormBuilder):
    """Wagtail's form builder for the contact page (``ContactPage.form_builder``)."""

    def create_multiline_field(self, field, options):
        options.setdefault("validators", []).append(validate_message_length)
        return super().create_multiline_field(field, options)

    def get_form_class(self):
        trap = forms.CharField(
            label=CONTACT_TRAP_LABEL,
            required=False,
            widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
        )
        return type("ContactForm", (ContactForm,), {**self.formfields, TRAP_FIELD: trap})
