"""Bulk actions on the coordinators' listings, built on Wagtail's bulk-action views
(https://docs.wagtail.org/en/stable/extending/custom_bulk_actions.html).

A listing whose index view uses ``BulkSelectIndexMixin`` gets a checkbox per row and the
bulk-action footer; each action subclasses ``ListingBulkAction`` and is registered with the
``register_bulk_action`` hook. An action acts on exactly the rows a coordinator ticked, or,
with "select all in listing", on every row the listing shows under its filters and search,
never on a row it hides. Its confirmation page says how many and which before anything
changes.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import cached_property, classproperty
from wagtail.admin.ui.tables import BulkActionsCheckboxColumn
from wagtail.admin.views.bulk_action import BulkAction
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.permission_policies import ModelPermissionPolicy

SELECTION_CHANGED = (
    "The rows changed since this page was shown ({what}). Nothing was changed: check the "
    "list below again."
)


class BulkConfirmForm(forms.Form):
    """The confirmation form: carries the ids of the rows the page showed would change, so
    nothing changes if they differ from the rows that would change now."""

    confirmed = forms.CharField(widget=forms.HiddenInput, required=False)


class BulkSelectIndexMixin:
    """For a listing's index view: a checkbox column for those who may change the rows, and
    the row title's id that the checkboxes refer to for screen readers."""

    bulk_obj_type = "item"

    @cached_property
    def can_act_in_bulk(self) -> bool:
        return self.user_has_permission("change")

    def bulk_title_id(self, instance) -> str:
        return f"{self.bulk_obj_type}_{instance.pk}_title"

    @cached_property
    def columns(self):
        columns = super().columns
        if not self.can_act_in_bulk or self.is_export:
            return columns
        return [BulkActionsCheckboxColumn("bulk_actions", obj_type=self.bulk_obj_type), *columns]

    def _get_title_column(self, *args, **kwargs):
        return super()._get_title_column(*args, get_title_id=self.bulk_title_id, **kwargs)


class ListingBulkAction(PermissionCheckedMixin, BulkAction):
    """A bulk action on one viewset's listing, for users who may change its rows.

    ``viewset_class`` names the listing: "select all in listing" resolves to the rows its
    index view lists for the same filters and search. Subclasses check each row
    (``refusal``) and change all the acceptable rows in one service call, or none.
    """

    viewset_class = None
    permission_required = "change"
    form_class = BulkConfirmForm
    template_name = "core/admin/bulk_action_confirm.html"
    # Shown on the confirmation page above the rows that will change.
    question = ""
    action_button_text = ""

    @classproperty
    def models(cls):
        return [cls.viewset_class.model]

    @cached_property
    def permission_policy(self):
        return ModelPermissionPolicy(self.model)

    def get_all_objects_in_listing_query(self, parent_id):
        # The listing's own index view, built as its viewset builds it, reads the filters and
        # the search from the same query string.
        viewset = self.viewset_class()
        view_class = viewset.index_view_class
        kwargs = {**viewset.get_common_view_kwargs(), **viewset.get_index_view_kwargs()}
        view = view_class(
            **{
                key: value
                for key, value in kwargs.items()
                if hasattr(view_class, key) and value is not viewset.UNDEFINED
            }
        )
        view.setup(self.request)
        return view.get_queryset().order_by().values_list("pk", flat=True)

    def get_queryset(self, model, object_ids):
        # Unknown ids are left out, not a 404: what remains is listed before anything changes.
        ids = [value for value in object_ids if str(value).isdigit()]
        return list(self.listing_queryset().filter(pk__in=ids))

    def listing_queryset(self):
        """The rows with what the confirmation page shows of them, loaded together."""
        return self.model.objects.all()

    def refusal(self, obj) -> str:
        """Why this row cannot take the action; "" when it can."""
        return ""

    def row_label(self, obj) -> str:
        """How the confirmation page names a row."""
        return str(obj)

    def get_actionable_objects(self):
        # Read once per request (the page and the action both ask).
        if "_actionable" not in self.__dict__:
            self._actionable = super().get_actionable_objects()
        return self._actionable

    @cached_property
    def checked(self) -> tuple[list, list[tuple[object, str]]]:
        """(rows that will change, [(row, why not)])."""
        objects, _no_access = self.get_actionable_objects()
        ready, refused = [], []
        for obj in objects:
            reason = self.refusal(obj)
            if reason:
                refused.append((obj, reason))
            else:
                ready.append(obj)
        return ready, refused

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["initial"] = {
            **kwargs.get("initial", {}),
            "confirmed": ",".join(str(obj.pk) for obj in self.checked[0]),
        }
        return kwargs

    def get_context_data(self, **kwargs):
        ready, refused = self.checked
        return {
            **super().get_context_data(**kwargs),
            "ready": [self.row_label(obj) for obj in ready],
            "refused": [(self.row_label(obj), reason) for obj, reason in refused],
            "question": self.question,
            "action_button_text": self.action_button_text.format(count=len(ready)),
            "page_title": self.display_name,
        }

    def form_valid(self, form):
        ready, _refused = self.checked
        confirmed = form.cleaned_data.get("confirmed", "")
        shown = {int(value) for value in confirmed.split(",") if value.isdigit()}
        if shown != {obj.pk for obj in ready}:
            form.add_error(None, SELECTION_CHANGED.format(what=self.display_name.lower()))
            return self.form_invalid(form)
        if not ready:
            return self.form_invalid(form)
        try:
            return super().form_valid(form)
        except (ValidationError, ValueError) as error:
            message = " ".join(error.messages) if hasattr(error, "messages") else str(error)
            form.add_error(None, message)
            return self.form_invalid(form)

    def form_invalid(self, form):
        # Recheck the rows against the database as it now is.
        self.__dict__.pop("checked", None)
        self.__dict__.pop("_actionable", None)
        return super().form_invalid(form)

    def execute_action(self, objects, **kwargs):
        """Change the rows in ``self.checked[0]`` (never the refused ones) in one service
        call; return (how many changed, 0)."""
        raise NotImplementedError
