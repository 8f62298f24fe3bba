"""The curation tool: every model, with search, filters, autocompletes, inlines and history."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import flatten_fieldsets
from django.contrib.auth import get_permission_codename
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.contrib.postgres.forms import SimpleArrayField
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Count
from django.forms.models import BaseInlineFormSet
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import to_historic

from statements import photos
from statements.curation import duplicates
from statements.curation import views as curation
from statements.curation.widgets import SafeAutocompleteMixin
from statements.filters import positive_number
from statements.models import (
    Citation,
    Country,
    NotSamePerson,
    Official,
    Organization,
    Photo,
    Position,
    Source,
    Statement,
    StatementTopic,
    Topic,
    hold_lock,
    lock_in_order,
    unique_keys,
)
from statements.present import Shown

admin.site.site_header = "DiploTrack curation"
admin.site.site_title = "DiploTrack"
admin.site.index_title = "Statements, speakers and sources"


def view_on_site(request, content_type_id, object_id):
    """The admin's "View on site" shortcut (/admin/r/<type>/<id>/), for those who may view the record.

    Django's own asks only for staff, and the address it redirects to tells a draft statement's first words.
    """
    content_type = ContentType.objects.filter(pk=positive_number(content_type_id) or 0).first()
    model = content_type.model_class() if content_type else None
    if model is None:
        raise Http404("No such kind of record.")
    if not request.user.has_perm(f"{model._meta.app_label}.{get_permission_codename('view', model._meta)}"):
        raise PermissionDenied
    return shortcut(request, content_type_id, object_id)


class LinesField(SimpleArrayField):
    """A list of names edited one per line, blank lines ignored."""

    widget = forms.Textarea(attrs={"rows": 3})

    def __init__(self, **kwargs):
        super().__init__(forms.CharField(max_length=200), delimiter="\n", required=False, **kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = [line.strip() for line in value.splitlines() if line.strip()]
        return super().to_python(value)


class CuratedForm(forms.ModelForm):
    """The admin's form of every curated model (a row of an inline too).

    Two curators saving the same unique value at once (a slug, a URL, a Wikidata id, a statement's topic): each
    value is locked before it is checked, so that the second waits for the first's save, then gets the form's
    error with what they typed, not a 500 from the database's constraint.
    """

    def clean(self):
        cleaned_data = super().clean()
        # Before Django checks them (constraints, then unique fields), after this method.
        values = {name: getattr(value, "pk", value) for name, value in cleaned_data.items()}
        for key in unique_keys(self.instance, values):
            hold_lock(*key)
        return cleaned_data


class SeenVersionField(forms.IntegerField):
    """The version of its row a form showed, sent back with it: never a change of its own."""

    widget = forms.HiddenInput

    def has_changed(self, initial, data):
        return False


class VersionedForm(CuratedForm):
    """A form that refuses to save over a newer version of its row than it showed, which another curator saved.

    The curator is told and keeps what they typed; the version is then the latest, so that saving again, after
    comparing with the history, is deliberate. Restoring a version from the history is checked the same way.
    """

    seen_version = SeenVersionField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.restoring = to_historic(self.instance)  # The version of the history the form restores, if it does.
        if self.instance.pk:
            # The latest version, also when the form shows an earlier one.
            latest = self.latest_version() if self.restoring else self.instance.version
            self.fields["seen_version"].initial = latest

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk and self.saves_row():
            latest = self.latest_version(lock=True)  # Locked until the save's transaction ends: nothing slips in.
            if cleaned_data.get("seen_version") != latest:
                self.data = self.data.copy()
                self.data[self.add_prefix("seen_version")] = latest
                raise ValidationError(
                    f"Another curator saved this {self._meta.model._meta.verbose_name} while you were editing it. "
                    "Your changes are still in the form: compare them with the latest version (History, in a new "
                    "tab), then save again to keep yours.",
                    code="stale",
                )
        return cleaned_data

    def saves_row(self):
        return True  # The admin saves its page's main form whether or not anything in it changed.

    def latest_version(self, lock=False):
        row = self._meta.model._base_manager.filter(pk=self.instance.pk)
        return (row.select_for_update() if lock else row).values_list("version", flat=True).first()


class VersionedInlineForm(VersionedForm):
    def saves_row(self):
        # An inline row is saved (or deleted) only when it changed: it must then be the version shown.
        return self.has_changed()


class VersionedInlineFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        # A form to delete is left out of the formset's validity: its refusal must stop the save here.
        for form in self.forms:
            if self._should_delete_form(form) and form.has_error(NON_FIELD_ERRORS, "stale"):
                raise ValidationError(
                    f"Another curator saved the {self.model._meta.verbose_name} “{form.instance}” while you were "
                    "editing this page, and you deleted it: compare with its history, then save again to delete it."
                )


class ShowsVersion:
    """An admin (or inline) whose form holds the version it showed: in a hidden field wherever fields are laid out."""

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if "seen_version" in flatten_fieldsets(fieldsets):
            return fieldsets
        return [*fieldsets, (None, {"fields": ["seen_version"], "classes": ["hidden"]})]


class VersionedInline(ShowsVersion, SafeAutocompleteMixin, admin.TabularInline):
    form = VersionedInlineForm
    formset = VersionedInlineFormSet


class HistoryAdmin(ShowsVersion, SafeAutocompleteMixin, SimpleHistoryAdmin):
    """django-simple-history's views, with a 404 for an id that is not a number (they would fail on it).

    Every model with a history is curated and versioned: its form checks the version (VersionedForm).
    """

    form = VersionedForm

    def response_action(self, request, queryset):
        # Ids are numbers: a hand-made request with another value would fail in the database lookup.
        if not all(positive_number(pk) for pk in request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)):
            self.message_user(request, "Choose the records with their checkboxes.", messages.WARNING)
            return None
        return super().response_action(request, queryset)

    def history_view(self, request, object_id, extra_context=None):
        if not positive_number(str(object_id)):
            raise Http404("No such record.")
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if not (positive_number(str(object_id)) and positive_number(str(version_id))):
            raise Http404("No such version.")
        # The form takes locks to check what it saves: in a transaction, as the change view is.
        with transaction.atomic():
            return super().history_form_view(request, object_id, version_id, extra_context)


class NoDeleteMixin:
    """Statements, officials and sources are retracted or corrected, never deleted: history keeps them."""

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Country)
class CountryAdmin(SafeAutocompleteMixin, admin.ModelAdmin):
    list_display = ["code", "name", "alpha3", "kind", "dissolved_on"]
    list_filter = ["kind"]
    search_fields = ["code", "alpha3", "name", "official_name"]


class PhotoForm(forms.ModelForm):
    upload = forms.FileField(required=False, help_text="A JPEG, PNG or WebP file; it is made at most 600 pixels wide.")

    class Meta:
        model = Photo
        fields = ["upload", "commons_file", "credit", "license"]

    def clean(self):
        cleaned = super().clean()
        upload, name = cleaned.get("upload"), cleaned.get("commons_file", "")
        self.prepared = None
        try:
            if upload:
                if upload.size > photos.MAX_BYTES:
                    raise photos.PhotoError(f"The file is over {photos.MAX_BYTES // 1024 // 1024} MB.")
                self.prepared = photos.prepared(upload.read(), Photo.MAX_SIDE)
            elif name and (name != self.instance.commons_file or not self.instance.pk):
                self.prepared = photos.prepared(photos.from_commons(name), Photo.MAX_SIDE)
            elif not self.instance.pk:
                raise ValidationError("Upload a photo, or give the name of its file on Wikimedia Commons.")
        except photos.PhotoError as error:
            raise ValidationError({"upload" if upload else "commons_file": str(error)}) from error
        return cleaned

    def save(self, commit=True):
        photo = super().save(commit=False)
        if self.prepared:
            photo.image, photo.content_type = self.prepared.data, self.prepared.content_type
            photo.width, photo.height, photo.digest = self.prepared.width, self.prepared.height, self.prepared.digest
        if commit:
            photo.save()
        return photo


class PhotoInline(admin.StackedInline):
    model = Photo
    form = PhotoForm
    extra = 1  # The empty form shows without JavaScript; an official has one photo at most.
    max_num = 1
    fields = ["preview", "upload", "commons_file", "credit", "license"]
    readonly_fields = ["preview"]

    @admin.display(description="photo")
    def preview(self, photo):
        if not photo.pk:
            return "–"
        width, height = photo.width // 3, photo.height // 3
        return format_html('<img src="{}" alt="" width="{}" height="{}">', photo.url, width, height)


class PositionInline(VersionedInline):
    model = Position
    extra = 0
    autocomplete_fields = ["organization", "source"]
    # A term entered here replaces the attestation (attested): pages show the term.
    fields = ["role", "organization", "start_date", "start_precision", "end_date", "end_precision", "source"]
    fields += ["attested"]
    readonly_fields = ["attested"]

    @admin.display(description="attested")
    def attested(self, position):
        return position.attested_display or "–"


class OfficialForm(VersionedForm):
    other_names = LinesField(help_text=Official._meta.get_field("other_names").help_text)

    class Meta:
        model = Official
        fields = ["name", "sort_name", "native_name", "other_names", "country", "wikidata_id", "slug"]


@admin.register(Official)
class OfficialAdmin(NoDeleteMixin, HistoryAdmin):
    form = OfficialForm
    list_display = ["name", "native_name", "country", "wikidata_id", "statement_count", "merged_into"]
    list_filter = [("country", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["country", "merged_into"]
    search_fields = ["name", "sort_name", "native_name", "slug", "wikidata_id"]
    autocomplete_fields = ["country"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [PositionInline, PhotoInline]
    fields = ["name", "sort_name", "native_name", "other_names", "country", "wikidata_id", "slug", "evidence"]
    readonly_fields = ["evidence"]
    actions = ["merge"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(statement_count=Count("statements"))

    @admin.action(description="Merge the selected officials (one person) into one record", permissions=["change"])
    def merge(self, request, queryset):
        officials = list(queryset.current().select_related("country"))
        if len(officials) < 2:
            self.message_user(request, "Select at least two officials that are not merged already.", messages.ERROR)
            return None
        keep = next((official for official in officials if str(official.pk) == request.POST.get("keep")), None)
        if keep is None:
            context = {
                **self.admin_site.each_context(request),
                "title": "Merge officials",
                "officials": officials,
                "opts": self.model._meta,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            }
            return TemplateResponse(request, "admin/statements/official/merge.html", context)
        try:
            with transaction.atomic():
                # All of them at once, as Official.merge_into locks a pair: two merges never hold what the other needs.
                lock_in_order(Official, [official.pk for official in officials])
                for official in officials:
                    if official != keep:
                        official.merge_into(keep, request.user)
        except ValueError as error:  # Another curator merged some of them a moment ago.
            self.message_user(request, f"Nothing was merged: {error}", messages.ERROR)
            return None
        self.message_user(request, f"Merged {len(officials) - 1} official(s) into {keep}.", messages.SUCCESS)
        return None

    @admin.display(description="why one person")
    def evidence(self, official):
        return format_html_join(mark_safe("<br>"), "{}", ((why,) for why in official.match_evidence)) or "–"

    @admin.display(ordering="statement_count", description="statements")
    def statement_count(self, official):
        return official.statement_count

    def get_urls(self):
        # Before the default URLs, whose "<path:object_id>/" would take "duplicates/" for an object id.
        view, context = self.admin_site.admin_view, {"model_admin": self}
        return [
            path("duplicates/", view(duplicates.duplicates), context, name="statements_official_duplicates"),
            path("duplicates/not-same/", view(duplicates.not_same), context, name="statements_official_not_same"),
            *super().get_urls(),
        ]

    def get_search_results(self, request, queryset, search_term):
        # Also find an official by any of their names in any order: "Tae-yul Cho" finds Cho Tae-yul.
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if search_term:
            results |= queryset.matching_name(search_term)
        # Ordered for the autocomplete's pages; the change list orders by its columns afterwards.
        return results.order_by("sort_name", "pk"), may_have_duplicates


class OrganizationForm(VersionedForm):
    other_names = LinesField(help_text=Organization._meta.get_field("other_names").help_text)

    class Meta:
        model = Organization
        fields = ["name", "other_names", "kind", "country", "parent", "slug"]


@admin.register(Organization)
class OrganizationAdmin(HistoryAdmin):
    form = OrganizationForm
    list_display = ["name", "kind", "country", "parent"]
    list_filter = ["kind", ("country", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["country", "parent__country"]
    search_fields = ["name", "slug", "country__name", "country__code"]
    autocomplete_fields = ["country", "parent"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(NotSamePerson)
class NotSamePersonAdmin(admin.ModelAdmin):
    """Pairs a curator said are two people; deleting one offers the pair on the duplicates page again."""

    list_display = ["official", "other", "decided_by", "decided_at"]
    list_select_related = ["official", "other", "decided_by"]
    search_fields = ["official__name", "other__name"]
    readonly_fields = ["official", "other", "decided_by", "decided_at"]

    def has_add_permission(self, request):
        return False


@admin.register(Position)
class PositionAdmin(HistoryAdmin):
    list_display = ["official", "role", "organization", "start_date", "end_date"]
    list_filter = ["organization__kind", ("organization__country", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["official", "organization__country"]
    search_fields = ["official__name", "role", "organization__name"]
    autocomplete_fields = ["official", "organization", "source"]
    readonly_fields = ["attested"]
    date_hierarchy = "start_date"

    @admin.display(description="attested")
    def attested(self, position):
        return position.attested_display or "–"


@admin.register(Topic)
class TopicAdmin(HistoryAdmin):
    list_display = ["name", "parent", "slug", "search_terms", "statement_count"]
    list_filter = [("parent", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["parent"]
    search_fields = ["name", "slug", "description", "parent__name"]
    autocomplete_fields = ["parent"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(statement_count=Count("statement_links"))

    @admin.display(ordering="statement_count", description="statements")
    def statement_count(self, topic):
        return topic.statement_count


class CitationInline(VersionedInline):
    model = Citation
    extra = 0
    autocomplete_fields = ["source"]
    fields = ["source", "start_offset", "end_offset"]


class StatementTopicInline(SafeAutocompleteMixin, admin.TabularInline):
    model = StatementTopic
    form = CuratedForm
    extra = 0
    autocomplete_fields = ["topic"]
    fields = ["topic", "machine_assigned"]
    verbose_name = "topic"


class CitedStatementInline(VersionedInline):
    model = Citation
    extra = 0
    autocomplete_fields = ["statement"]
    fields = ["statement", "start_offset", "end_offset"]
    verbose_name = "statement cited"
    verbose_name_plural = "statements cited"


@admin.register(Source)
class SourceAdmin(NoDeleteMixin, HistoryAdmin):
    list_display = ["title", "publisher", "published_on", "kind", "language"]
    list_filter = ["kind", "language", "publisher"]
    search_fields = ["title", "publisher", "author", "url"]
    date_hierarchy = "published_on"
    inlines = [CitedStatementInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = [
        (None, {"fields": ["title", "url", "publisher", "author", "published_on", "kind", "language"]}),
        ("Copies", {"fields": ["archive_url", "full_text"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        # Citations point into the text by character offsets: editing it would move them onto other words.
        if obj is not None and obj.citations.exists():
            readonly.append("full_text")
        return readonly

    def get_urls(self):
        # Before the default URLs, whose "<path:object_id>/" would take "ingest/" for an object id.
        view, context = self.admin_site.admin_view, {"model_admin": self}
        return [
            path("ingest/", view(curation.paste), context, name="statements_source_ingest"),
            path("<int:source_id>/review/", view(curation.review), context, name="statements_source_review"),
            *super().get_urls(),
        ]


# A statement's fields as its page in the admin lays them out; its form edits those that are not read-only.
STATEMENT_FIELDSETS = [
    (None, {"fields": ["text", "kind", "status"]}),
    ("Speaker", {"fields": ["official", "organization", "attribution_text", "role", "country"]}),
    ("When and where", {"fields": ["date", "date_precision", "occasion"]}),
    ("Language", {"fields": ["language", "original_text", "original_language", "translated_by"]}),
    ("Countries", {"fields": ["mentioned_countries"]}),
    ("Review", {"fields": ["reviewed_by", "reviewed_at", "created_at", "updated_at"]}),
    ("Import", {"fields": ["external_id", "locked_fields"], "classes": ["collapse"]}),
]
STATEMENT_READ_ONLY = ["reviewed_by", "reviewed_at", "created_at", "updated_at", "external_id", "locked_fields"]


class StatementForm(VersionedForm):
    class Meta:
        model = Statement
        fields = [name for name in flatten_fieldsets(STATEMENT_FIELDSETS) if name not in STATEMENT_READ_ONLY]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.restoring:
            # The version's countries: the form reads today's from the database otherwise.
            countries = self.restoring.mentioned_countries.order_by("country_id")
            self.initial["mentioned_countries"] = [row.country_id for row in countries]

    def _save_m2m(self):
        super()._save_m2m()
        if self.restoring:
            self.instance.set_topics(self.restoring.topics.values_list("topic_id", "machine_assigned"))


@admin.register(Statement)
class StatementAdmin(NoDeleteMixin, HistoryAdmin):
    form = StatementForm
    list_display = ["short_text", "speaker", "country", "date", "kind", "status"]
    list_filter = [
        "status",
        "kind",
        ("country", admin.RelatedOnlyFieldListFilter),
        ("topics", admin.RelatedOnlyFieldListFilter),
        "topic_links__machine_assigned",
        "language",
    ]
    list_select_related = ["official", "organization__country", "country"]
    search_fields = ["text", "attribution_text", "official__name", "organization__name", "occasion"]
    date_hierarchy = "date"
    autocomplete_fields = ["official", "organization", "country", "mentioned_countries"]
    readonly_fields = [*STATEMENT_READ_ONLY, "version_topics"]
    inlines = [StatementTopicInline, CitationInline]
    actions = ["publish", "retract"]
    fieldsets = STATEMENT_FIELDSETS

    @admin.display(description="words")
    def short_text(self, statement):
        return str(statement.text[:90] + ("…" if len(statement.text) > 90 else ""))

    @admin.display(description="speaker", ordering="official__name")
    def speaker(self, statement):
        return Shown.of(statement).speaker  # As the public pages name them (list_select_related: no query).

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and to_historic(obj) is not None:
            # Restoring has no topics inline: these are the version's, which saving restores.
            fieldsets = [*fieldsets, ("Topics", {"fields": ["version_topics"]})]
        return fieldsets

    @admin.display(description="topics")
    def version_topics(self, statement):
        rows = to_historic(statement).topics.select_related("topic__parent").order_by("topic__name")
        topics = [f"{row.topic}{' (machine-assigned)' if row.machine_assigned else ''}" for row in rows if row.topic]
        return ", ".join(topics) or "none"

    def save_model(self, request, obj, form, change):
        # Publishing or retracting is a review: record who did it and when.
        if "status" in form.changed_data:
            obj.review(obj.status, request.user)
        if obj.external_id:
            # A curator's correction of an imported statement survives re-imports.
            obj.locked_fields = sorted({*obj.locked_fields, *form.changed_data} - {"status"})
        # The page's save is one version of the history, recorded once its topics and countries are saved too: by
        # log_addition or log_change, which the admin calls after them (restoring included).
        obj.skip_history_when_saving = True
        super().save_model(request, obj, form, change)

    def log_addition(self, request, obj, message):
        self.record_version(obj, update=False)
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        self.record_version(obj, update=True)
        return super().log_change(request, obj, message)

    def record_version(self, statement, *, update):
        if getattr(statement, "skip_history_when_saving", False):
            del statement.skip_history_when_saving
            Statement.record_history([statement], update=update)

    def _review(self, request, queryset, status, verb):
        changed = 0
        for statement in queryset.exclude(status=status).select_related("official", "organization"):
            statement.review(status, request.user)
            statement._history_user = request.user
            statement.save()
            changed += 1
        self.message_user(request, f"{changed} statement(s) {verb}.", messages.SUCCESS)

    @admin.action(description="Publish the selected statements", permissions=["change"])
    def publish(self, request, queryset):
        self._review(request, queryset, Statement.Status.PUBLISHED, "published")

    @admin.action(description="Retract the selected statements (kept, hidden from the public)", permissions=["change"])
    def retract(self, request, queryset):
        self._review(request, queryset, Statement.Status.RETRACTED, "retracted")


@admin.register(StatementTopic)
class StatementTopicAdmin(SafeAutocompleteMixin, admin.ModelAdmin):
    """Topics as assigned to statements: where curators confirm or remove what a rule proposed."""

    list_display = ["statement", "topic", "machine_assigned"]
    list_filter = ["machine_assigned", ("topic", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["statement__official", "statement__organization__country", "topic__parent"]
    search_fields = ["statement__text", "topic__name"]
    autocomplete_fields = ["statement", "topic"]
    form = CuratedForm
    actions = ["confirm"]

    # A statement's topics are part of it: each change here is a version of the statement, raised and in its history.

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        self.save_versions(request, {obj.statement_id, form.initial.get("statement")} - {None})

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        self.save_versions(request, {obj.statement_id})

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        statements = set(queryset.values_list("statement", flat=True))
        super().delete_queryset(request, queryset)
        self.save_versions(request, statements)

    @admin.action(description="Confirm the selected topics", permissions=["change"])
    @transaction.atomic
    def confirm(self, request, queryset):
        proposed = queryset.filter(machine_assigned=True)
        statements = set(proposed.values_list("statement", flat=True))
        confirmed = proposed.update(machine_assigned=False)
        self.save_versions(request, statements)
        self.message_user(request, f"{confirmed} topic assignment(s) confirmed.", messages.SUCCESS)

    def save_versions(self, request, statement_ids):
        for statement in Statement.objects.filter(pk__in=statement_ids).select_related("official", "organization"):
            statement.save_version(request.user)


@admin.register(Citation)
class CitationAdmin(HistoryAdmin):
    list_display = ["statement", "source", "start_offset", "end_offset"]
    list_filter = ["source__kind", "source__publisher"]
    list_select_related = ["statement__official", "statement__organization__country", "source"]
    search_fields = ["statement__text", "source__title", "source__publisher", "source__url"]
    autocomplete_fields = ["statement", "source"]


# The intake's admin (feeds, the inbox, fetched documents, flags) lives beside its models.
from statements.intake import admin as intake_admin  # noqa: E402, F401
