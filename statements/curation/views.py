"""Ingest an article in the admin: paste it (its Source is saved at once), review its quotations, save drafts.

The views are the Source admin's own pages (SourceAdmin.get_urls): /admin/statements/source/ingest/ and
/admin/statements/source/<id>/review/. The review can be opened again at any time: quotations whose offsets
a citation of the source already covers are marked, and saving them again is refused. The forms are in
forms.py, the saving in saving.py.
"""

from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.admin.helpers import AdminForm
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from diplotrack.middleware import accepts_form_fields
from statements.curation import attribution, kinds, linking
from statements.curation.forms import CANDIDATE_FIELDSETS, PASTE_FIELDSETS, CandidateForms, PasteForm, initial
from statements.curation.saving import save_reviewed
from statements.models import MAX_TEXT, Source, Statement

# The most fields a review may send, so that none is refused for its length: a quotation takes 4 characters at
# least (marks, a letter, a space: the extractor finds 49,995 in a text of MAX_TEXT so made) and sends 15 fields,
# one more per country or topic (measured: 16 with one country). Real texts have far fewer: at most 57 quotations
# (873 fields) in any UN speech of 1946-2024. The 10 MB limit on a form (settings) then allows some 27,000
# quotations (384 bytes each, measured).
REVIEW_MAX_FIELDS = MAX_TEXT // 4 * 16


def curators_only(view):
    """Refuse (403) staff who may not add statements; admin_view has already sent anonymous users to log in."""

    @wraps(view)
    def checked(request, *args, **kwargs):
        if not request.user.has_perm("statements.add_statement"):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return checked


def _saved(request, source, saved):
    if not saved.statements and not saved.citations:
        messages.info(request, "Nothing was accepted, so nothing was saved.")
        return redirect("admin:statements_source_change", source.pk)
    messages.success(request, f"Saved from “{source.title}”: {saved}.")
    query = urlencode({"sources__id__exact": source.pk, "status__exact": Statement.Status.DRAFT})
    return redirect(f"{reverse('admin:statements_statement_changelist')}?{query}")


def _follows(candidate) -> int | None:
    """The number on the page of the quotation whose attribution this one continues."""
    follows = candidate.quotation.follows if candidate else None
    return follows + 1 if follows is not None else None


def _left_behind(request, posted, candidates, chains) -> dict[int, list[int]]:
    """A changed speaker whose follow-ons keep the old one: offered to them once before saving (with a message)."""
    if "follow_ons_checked" in request.POST:
        return {}
    behind = attribution.left_behind(posted.forms, [initial(candidate) for candidate in candidates], chains)
    for head, followers in behind.items():
        numbers = ", ".join(str(index + 1) for index in followers)
        messages.warning(
            request,
            f"You changed the speaker of quotation {head + 1}, and quotation{'s' if len(followers) > 1 else ''} "
            f"{numbers} that follow{'' if len(followers) > 1 else 's'} it still "
            f"{'have' if len(followers) > 1 else 'has'} the old one: give them the new speaker with the button by "
            f"quotation {head + 1}, or save again to keep them as they are. Nothing is saved yet.",
        )
    return behind


def _follow_ons_given_speaker(request, source, candidates, chains):
    """The review again, nothing saved, with one quotation's speaker given to its follow-ons as the curator asked."""
    head = request.POST["follow"]
    followers = chains.get(int(head), []) if head.isdigit() else []
    if not followers:
        messages.error(request, "That quotation has no follow-ons to give its speaker to.")
        data = request.POST
    else:
        data = attribution.with_speaker_of(request.POST, CandidateForms.get_default_prefix(), int(head), followers)
        numbers = ", ".join(str(index + 1) for index in followers)
        which = f"Quotations {numbers} now have" if len(followers) > 1 else f"Quotation {numbers} now has"
        messages.info(request, f"{which} the speaker of quotation {int(head) + 1}: nothing is saved yet.")
    posted = CandidateForms(data, source=source, candidates=candidates)
    if not posted.management_form.is_valid():
        return CandidateForms(
            initial=[initial(candidate) for candidate in candidates], source=source, candidates=candidates
        )
    # Shown as typed, not checked: the curator has not asked to save.
    shown = [{name: form[name].value() for name in form.fields} for form in posted.forms[: len(candidates)]]
    return CandidateForms(initial=shown, source=source, candidates=candidates)


def admin_context(request, model_admin, **context):
    return {**model_admin.admin_site.each_context(request), "opts": model_admin.model._meta, **context}


@curators_only
@require_http_methods(["GET", "HEAD", "POST"])
def paste(request, model_admin):
    """Paste an article: its Source is saved with the text at once, then its quotations are reviewed."""
    form = PasteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        source, note = form.save()
        if source is not None:
            messages.info(request, note)
            # A kind chosen for a source already known is how to read it now; saving the review keeps it.
            query = f"?{urlencode({'kind': form.cleaned_data['kind']})}" if form.cleaned_data.get("kind") else ""
            return redirect(reverse("admin:statements_source_review", args=[source.pk]) + query)
    context = admin_context(
        request,
        model_admin,
        title="Ingest an article",
        form=form,
        adminform=AdminForm(form, PASTE_FIELDSETS, {}),
        media=model_admin.media + form.media,
    )
    return render(request, "admin/statements/source/ingest.html", context)


@accepts_form_fields(REVIEW_MAX_FIELDS)
@curators_only
@require_http_methods(["GET", "HEAD", "POST"])
def review(request, source_id, model_admin):
    """The source's quotations as candidate statements: accept, edit or reject each, and save the drafts."""
    source = get_object_or_404(Source, pk=source_id)
    kind, doubled_marks, read_as, kind_note = kinds.reading(source, request.GET)
    extraction = linking.read(source, kind, doubled_marks)
    candidates = linking.candidates(source, extraction)
    chains = attribution.follow_ons([candidate.quotation for candidate in candidates])
    formset = CandidateForms(
        initial=[initial(candidate) for candidate in candidates], source=source, candidates=candidates
    )
    behind: dict[int, list[int]] = {}
    if request.method == "POST" and "follow" in request.POST:
        formset = _follow_ons_given_speaker(request, source, candidates, chains)
    elif request.method == "POST":
        posted = CandidateForms(request.POST, source=source, candidates=candidates)
        if not posted.management_form.is_valid():
            messages.error(
                request, "The form sent was incomplete, so nothing was saved: here are the quotations again."
            )
        elif posted.is_valid() and (behind := _left_behind(request, posted, candidates, chains)):
            formset = posted
        elif posted.is_valid():
            try:
                saved = save_reviewed(source, posted.forms)
            except IntegrityError:
                # A writer that takes no lock (an import, say) saved the same record at the same moment.
                messages.error(
                    request,
                    "Another change to the same records was saved at the same moment, so nothing was saved: your "
                    "decisions are below, send them again.",
                )
                saved = None
            if saved is not None:
                kinds.remember(source, kind)
                return _saved(request, source, saved)
            formset = posted
        else:
            formset = posted
    rows = [
        {
            "form": form,
            "candidate": form.candidate,
            "adminform": AdminForm(form, CANDIDATE_FIELDSETS, {}),
            "context": linking.context(source.full_text, *form.candidate.span) if form.candidate else None,
            "doubt": attribution.doubt(form.candidate.quotation) if form.candidate else "",
            "date_note": attribution.date_note(form.candidate.quotation) if form.candidate else "",
            "follow_ons": [number + 1 for number in chains.get(index, [])],
            "follows": _follows(form.candidate),
            "left_behind": index in behind,
        }
        for index, form in enumerate(formset.forms)
    ]
    context = admin_context(
        request,
        model_admin,
        title=f"Review the quotations of source #{source.pk}",
        source=source,
        formset=formset,
        rows=rows,
        already_saved=sum(1 for candidate in candidates if candidate.cited_by),
        kind=kind,
        kind_name=kinds.NAMES[kind],
        follow_ons_checked=bool(behind),
        read_as=read_as,
        kind_note=kind_note,
        doubled_marks=doubled_marks,
        doubled_left_out=extraction.doubled_left_out,
        media=model_admin.media + formset.media,
    )
    return render(request, "admin/statements/source/review.html", context)
