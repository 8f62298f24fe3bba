"""The intake in the admin: feeds with their health, the inbox of candidate statements, fetched documents with the
changes between their versions, and the statements flagged because their words were edited away."""

import itertools

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator

from statements.intake import tasks
from statements.intake.models import Candidate, Document, DocumentVersion, Feed, ReviewFlag
from statements.intake.pipeline import READING

STATES = {
    "failing": "Failing",
    "erring": "Errors",
    "ok": "OK",
    "new": "Not polled yet",
    "disabled": "Disabled",
}


class IntakeMedia:
    css = {"all": ["css/intake-admin.css"]}


@admin.register(Feed)
class FeedAdmin(admin.ModelAdmin):
    """Every feed with its state: red when it failed INTAKE_ALERT_FAILURES polls in a row (curators are emailed)."""

    list_display = [
        "name",
        "state",
        "kind",
        "country",
        "document_kind",
        "enabled",
        "last_success_at",
        "consecutive_failures",
        "documents_seen",
        "short_error",
        "next_poll_at",
    ]
    list_filter = ["enabled", "kind", "document_kind", ("country", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["country", "publisher"]
    search_fields = ["name", "url"]
    autocomplete_fields = ["publisher", "country", "speaker"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    actions = ["poll_now", "enable", "disable"]
    readonly_fields = [
        "state",
        "last_polled_at",
        "next_poll_at",
        "last_success_at",
        "last_error_at",
        "last_error",
        "consecutive_failures",
        "documents_seen",
        "alerted_at",
        "etag",
        "last_modified",
    ]
    fieldsets = [
        (None, {"fields": ["name", "kind", "url", "link_selector", "enabled", "poll_interval"]}),
        ("Its documents", {"fields": ["publisher", "country", "language", "speaker", "document_kind"]}),
        ("Publishing", {"fields": ["auto_publish", "auto_publish_confidence"]}),
        ("Health", {"fields": readonly_fields}),
    ]
    Media = IntakeMedia

    @admin.display(description="state")
    def state(self, feed):
        state = feed.state(settings.INTAKE_ALERT_FAILURES)
        return format_html('<span class="intake-state intake-state-{}">{}</span>', state, STATES[state])

    @admin.display(description="last error")
    def short_error(self, feed):
        return Truncator(feed.last_error).chars(80) if feed.consecutive_failures else ""

    @admin.action(description="Poll the selected feeds now (by the worker)", permissions=["change"])
    def poll_now(self, request, queryset):
        queued = sum(tasks.queue_poll(feed) for feed in queryset.filter(enabled=True))
        self.message_user(request, f"{queued} feed(s) queued for the worker; disabled feeds are left out.")

    @admin.action(description="Enable the selected feeds", permissions=["change"])
    def enable(self, request, queryset):
        self.message_user(request, f"{queryset.update(enabled=True)} feed(s) enabled.")

    @admin.action(description="Disable the selected feeds", permissions=["change"])
    def disable(self, request, queryset):
        self.message_user(request, f"{queryset.update(enabled=False)} feed(s) disabled.")


class ConfidenceFilter(admin.SimpleListFilter):
    title = "confidence"
    parameter_name = "confidence"
    BANDS = {"high": (0.8, 1.01), "medium": (0.5, 0.8), "low": (0, 0.5)}

    def lookups(self, request, model_admin):
        return [("high", "High (0.8 and up)"), ("medium", "Medium (0.5 to 0.8)"), ("low", "Low (under 0.5)")]

    def queryset(self, request, queryset):
        band = self.BANDS.get(self.value())
        return queryset.confidence_between(*band) if band else queryset


@admin.register(Candidate)
class CandidateAdmin(admin.ModelAdmin):
    """The inbox: every document's candidate statements, newest first; accept or reject them in bulk, or open the
    document's review page to decide on each with its context."""

    list_display = ["short_quote", "speaker", "confidence", "country", "document_link", "feed", "status", "review"]
    list_filter = [
        "status",
        ("document__feed", admin.RelatedOnlyFieldListFilter),
        ("country", admin.RelatedOnlyFieldListFilter),
        ConfidenceFilter,
    ]
    list_select_related = ["country", "document__feed", "source"]
    search_fields = ["quote", "speaker", "document__title"]
    ordering = ["-created_at", "-id"]
    date_hierarchy = "created_at"
    actions = ["accept", "reject"]
    fields = ["quote", "speaker", "official", "organization", "country", "date", "confidence", "status", "statement"]
    readonly_fields = fields
    list_per_page = 50

    def has_add_permission(self, request):
        return False

    @admin.display(description="words")
    def short_quote(self, candidate):
        return Truncator(candidate.quote).words(25)

    @admin.display(description="document")
    def document_link(self, candidate):
        url = reverse("admin:statements_document_change", args=[candidate.document_id])
        return format_html('<a href="{}">{}</a>', url, Truncator(candidate.document.title).chars(60))

    @admin.display(description="feed", ordering="document__feed__name")
    def feed(self, candidate):
        return candidate.document.feed or ""

    @admin.display(description="review")
    def review(self, candidate):
        feed = candidate.document.feed
        query = f"?kind={READING[feed.document_kind]}" if feed else ""
        url = reverse("admin:statements_source_review", args=[candidate.source_id]) + query
        return format_html('<a href="{}">Review the document</a>', url)

    @admin.action(description="Accept the selected candidates as draft statements", permissions=["change"])
    def accept(self, request, queryset):
        accepted, problems = 0, []
        for candidate in queryset.pending().select_related("document", "source", "official", "organization"):
            try:
                candidate.accept(request.user)
            except (IntegrityError, ValidationError) as error:
                problems.append(f"“{Truncator(candidate.quote).words(8)}”: {error}")
                continue
            accepted += 1
        self.message_user(request, f"{accepted} draft statement(s) made; review them in Statements.")
        for problem in problems:
            self.message_user(request, f"Not accepted: {problem}", messages.ERROR)

    @admin.action(description="Reject the selected candidates", permissions=["change"])
    def reject(self, request, queryset):
        rejected = 0
        for candidate in queryset.pending():
            candidate.reject()
            rejected += 1
        self.message_user(request, f"{rejected} candidate(s) rejected.")


class VersionInline(admin.TabularInline):
    model = DocumentVersion
    fields = ["number", "fetched_at", "title", "content_hash"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["__str__", "feed", "status", "published_on", "fetched_at", "edited_at", "removed_on"]
    list_filter = ["status", ("feed", admin.RelatedOnlyFieldListFilter), "edited_at", "removed_on"]
    list_select_related = ["feed"]
    search_fields = ["title", "url", "canonical_url"]
    date_hierarchy = "fetched_at"
    inlines = [VersionInline]
    fields = [
        "url",
        "canonical_url",
        "feed",
        "status",
        "error",
        "attempts",
        "http_status",
        "content_type",
        "content_hash",
        "title",
        "published_on",
        "author",
        "language",
        "source_link",
        "copy_of",
        "fetched_at",
        "checks_done",
        "next_check_at",
        "edited_at",
        "removed_on",
        "changes",
        "text",
    ]
    readonly_fields = fields
    Media = IntakeMedia

    def has_add_permission(self, request):
        return False

    @admin.display(description="source (review its quotations)")
    def source_link(self, document):
        if not document.source_id:
            return ""
        review = reverse("admin:statements_source_review", args=[document.source_id])
        return format_html('<a href="{}">Review the quotations of source #{}</a>', review, document.source_id)

    @admin.display(description="changes between versions")
    def changes(self, document):
        """Each later version's lines removed (−) and added (+) against the version before it."""
        versions = list(document.versions.order_by("number"))
        if len(versions) < 2:
            return "No change seen since it was first fetched."
        blocks = []
        for earlier, later in itertools.pairwise(versions):
            lines = format_html_join(
                "",
                '<li class="intake-diff-{}"><span class="intake-diff-mark">{}</span> {}</li>',
                (({"+": "add", "-": "del"}.get(mark, "same"), mark, line) for mark, line in later.diff(earlier)),
            )
            blocks.append(
                format_html(
                    '<h4>Version {} ({}) against version {}</h4><ul class="intake-diff">{}</ul>',
                    later.number,
                    f"{later.fetched_at:%Y-%m-%d %H:%M}",
                    earlier.number,
                    lines,
                )
            )
        return format_html_join("", "{}", ((block,) for block in blocks))


@admin.register(ReviewFlag)
class ReviewFlagAdmin(admin.ModelAdmin):
    list_display = ["statement_link", "reason", "document", "created_at", "resolved"]
    list_filter = ["resolved"]
    list_select_related = ["statement", "document"]
    fields = ["statement_link", "document", "version", "reason", "created_at", "resolved"]
    readonly_fields = ["statement_link", "document", "version", "reason", "created_at"]
    actions = ["resolve"]

    def has_add_permission(self, request):
        return False

    @admin.display(description="statement")
    def statement_link(self, flag):
        url = reverse("admin:statements_statement_change", args=[flag.statement_id])
        return format_html('<a href="{}">{}</a>', url, flag.statement)

    @admin.action(description="Mark the selected flags as reviewed", permissions=["change"])
    def resolve(self, request, queryset):
        self.message_user(request, f"{queryset.update(resolved=True)} flag(s) marked as reviewed.")
