"""Possible duplicates: pairs of officials that may be one person, with the evidence, for a curator to merge or to
mark "not the same person" (remembered: never offered again)."""

from collections import defaultdict

from django.contrib import messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.db.models.functions import ExtractYear
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from statements.curation.views import admin_context
from statements.models import NotSamePerson, Official, Position, Statement
from statements.ungdc import people

SHOWN = 100  # Pairs on the page, the likeliest first: a curator works down the list.


def may_merge(view):
    """Only who may change officials: merging and refusing a pair both change what pages show."""

    def checked(request, *args, **kwargs):
        if not request.user.has_perm("statements.change_official"):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    checked.__doc__, checked.__name__ = view.__doc__, view.__name__
    return checked


@may_merge
@require_GET
def duplicates(request, model_admin):
    """The pairs of officials most likely to be one person, with why, and buttons to merge or keep them apart."""
    pairs = likely_pairs()
    shown = pairs[:SHOWN]
    officials = Official.objects.select_related("country").annotate(statement_count=Count("statements"))
    officials = officials.in_bulk({pk for a, b, *_ in shown for pk in (a, b)})
    positions = defaultdict(list)
    for position in Position.objects.filter(official__in=officials).select_related("organization"):
        positions[position.official_id].append(position)
    years = statement_years(officials)
    rows = [
        {
            "score": score,
            "reasons": reasons,
            "officials": [
                {"official": officials[pk], "positions": positions[pk], "years": years.get(pk, [])} for pk in (a, b)
            ],
        }
        for a, b, score, reasons in shown
    ]
    context = admin_context(
        request,
        model_admin,
        title="Possible duplicates",
        rows=rows,
        total=len(pairs),
        action_checkbox_name=helpers.ACTION_CHECKBOX_NAME,
    )
    return render(request, "admin/statements/official/duplicates.html", context)


@may_merge
@require_POST
def not_same(request, model_admin):
    """Remember that two officials are two people; back to the list, where they no longer appear."""
    try:
        first, second = (Official.objects.get(pk=int(request.POST[name])) for name in ("official", "other"))
    except (KeyError, ValueError, Official.DoesNotExist):
        messages.error(request, "Choose two officials that exist.")
        return redirect("admin:statements_official_duplicates")
    if first.pk == second.pk:
        messages.error(request, "An official is the same person as themself.")
        return redirect("admin:statements_official_duplicates")
    NotSamePerson.record(first, second, request.user)
    messages.success(request, f"{first} and {second} are two people: they will not be offered again.")
    return redirect("admin:statements_official_duplicates")


def likely_pairs():
    """(id, id, score, reasons) of current officials that may be one person, the likeliest first."""
    officials = list(Official.objects.current().values_list("pk", "country", "name", "native_name", "other_names"))
    years = statement_years([pk for pk, *_ in officials])
    records = [
        (pk, country, [name, native, *others], years.get(pk, [])) for pk, country, name, native, others in officials
    ]
    return people.likely_pairs(records, not_same=NotSamePerson.pairs())


def statement_years(officials):
    """{official id: the years of their statements}."""
    years = defaultdict(list)
    rows = (
        Statement.objects.filter(official__in=list(officials))
        .annotate(year=ExtractYear("date"))
        .values_list("official", "year")
        .distinct()
        .order_by("official", "year")
    )
    for pk, year in rows:
        years[pk].append(year)
    return years
