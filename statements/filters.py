"""The explorer's filters, declared once: their names, values and help, the clean step that checks them,
and the QuerySet methods they apply. statements.query.ExplorerQuery puts them to work for every caller.

Bad input never fails the clean step: a value that cannot be used is left out of the cleaned values, the
other filters still apply, and `notes` say what was ignored and why, naming the query parameter. Every
value is checked there (the search words and the names of officials included), before any statement is
read; the filters' methods only apply clean values.
"""

import collections
import copy
import dataclasses
import functools
import re
import types

import django_filters
from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext, gettext_lazy, gettext_noop

from statements import search
from statements.models import Country, Official, Organization, Statement, Topic, per_data_version

SORTS = {
    "-date": gettext_lazy("Newest first"),
    "date": gettext_lazy("Oldest first"),
    "relevance": gettext_lazy("Most relevant"),
}
# Parameters that the views read, beside the filters: paging, and the API's choice of format.
PAGING = ["page", "page_size"]
NOT_FILTERS = {*PAGING, "format"}
MAX_SEARCH_LENGTH = 300
# Also the API schema's pattern for `lang`: ASCII letters of either case.
LANGUAGE_CODE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})?$")


# What filtering and counting need of the topics: tuples are cheaper than models.
TopicChoice = collections.namedtuple("TopicChoice", ["pk", "name", "slug", "parent_id"])


@dataclasses.dataclass(frozen=True)
class Reference:
    """What every request's filters read of the topics and the countries: the choices, and the names they show."""

    topics: tuple  # Every topic (TopicChoice), by name.
    topic_slugs: frozenset
    country_names: types.MappingProxyType  # Every country's name by its code.
    country_codes: frozenset

    @classmethod
    def read(cls):
        topics = tuple(TopicChoice(*row) for row in Topic.objects.order_by("name").values_list(*TopicChoice._fields))
        names = dict(Country.objects.values_list("code", "name"))
        # Shared by the requests that follow: read-only.
        return cls(topics, frozenset(topic.slug for topic in topics), types.MappingProxyType(names), frozenset(names))


@per_data_version
def reference():
    """The topics and countries as the data version has them: the database's triggers change it with any change to
    either. One small read a request (the version's), where reading both took two (and half of the filters' time)."""
    return Reference.read()


def positive_number(text):
    """A page number or size as typed (ASCII digits only: "²" is a digit to str.isdigit), else None."""
    return int(text) if text.isascii() and text.isdigit() and int(text) > 0 else None


# Why a query parameter was not used as given: the one vocabulary of the explorer's answers to bad input, shown as
# a note on a page and as the reason in a 400 (the API, the feeds, the CSV). The value was left out, unless the
# reason is one of USED_ANYWAY. In English (the API, the feeds), and in the reader's language on a page (Note.shown).
REASONS = {
    "no_such": gettext_noop("there is no such {label}"),
    "malformed": "{error}",  # A field's own check, in the reader's language: a date, a choice, a language code.
    "not_a_date": gettext_noop("not a date: use YYYY-MM-DD"),
    "choose_from": gettext_noop("use one of {choices}"),
    "dates_crossed": gettext_noop("it is after date_to, so neither was applied"),
    "no_words": gettext_noop("there are no words to search for in it"),
    "no_lexemes": gettext_noop("it holds no searchable words, only operators or very common words"),
    "relevance_without_words": gettext_noop("sorting by relevance needs search words"),
    "ranking_out_of_time": gettext_noop(
        "sorting these matches by relevance took too long: sort them by date, or narrow the search"
    ),
    "no_name": gettext_noop("no {param} has a name like it"),
    "not_a_parameter": gettext_noop("not a parameter: use {expected}"),
    "page_keeps_its_own": gettext_noop("this page keeps to its own {param}: the statements page lets you choose"),
    "feed_keeps_its_own": gettext_noop("this feed keeps to its own {param}: /feeds/statements/ does not"),
    "column_keeps_its_own": gettext_noop("a column of its own {param} keeps to it: the other columns take this one"),
    "not_a_column": gettext_noop("a column is country:CODE, official:NAME or q:WORDS"),
    "not_a_page_number": gettext_noop("not a page number, so showing the first page"),
    "past_the_last_page": gettext_noop("there are {last} pages, so showing the last one"),
    "past_the_only_page": gettext_noop("there is one page, so showing it"),
    "pages_stop_here": gettext_noop("pages stop at {last}: narrow the filters, so showing the last one"),
    "not_a_page": gettext_noop("not a page between 1 and {last}"),
    "pages_stop": gettext_noop(
        "pages stop at {last}: narrow the filters, or take them all from /statements/export.csv"
    ),
    "past_the_estimate": gettext_noop("past the last page: fewer statements match than estimated"),
    "not_a_page_size": gettext_noop("not a number from 1 to {largest}"),
    # Used, though not as given.
    "shortened": gettext_noop("only the first {length} characters were searched for"),
    "repeated": gettext_noop("given {times} times, and only the last value was used"),
    "closest_name": gettext_noop("showing {name}, the closest name"),
    "none_this_far": gettext_noop("none this far: fewer statements match than estimated"),
}
USED_ANYWAY = {"shortened", "repeated", "closest_name", "none_this_far"}


@dataclasses.dataclass(frozen=True)
class Note:
    """A query parameter the explorer could not use as given, and why: its REASONS key and what the reason names."""

    param: str
    value: str
    code: str  # Its key in REASONS.
    details: tuple = ()  # What the reason names, as (name, value) pairs.

    @classmethod
    def because(cls, code, param, value, /, **details):
        REASONS[code].format(**details)  # A reason that names what it was not given fails here, where it is made.
        return cls(param, value, code, tuple(details.items()))

    @property
    def ignored(self):
        """Whether the value was left out (not one of USED_ANYWAY: a shortened search, a near name)."""
        return self.code not in USED_ANYWAY

    @property
    def reason(self):
        """The reason in English, as the API and the feeds give it."""
        return REASONS[self.code].format(**dict(self.details))

    @property
    def shown(self):
        """The reason in the reader's language, as a page shows it."""
        return gettext(REASONS[self.code]).format(**dict(self.details))

    def __str__(self):
        value = self.value if len(self.value) <= 40 else self.value[:40] + "…"
        return f"{self.param}={value}: {self.reason}"


class LenientMultipleChoiceField(forms.Field):
    """Several values: keeps those in `known` (compared case-insensitively) and remembers the others."""

    widget = forms.SelectMultiple

    def __init__(self, *, normalize=str.lower, **kwargs):
        self.normalize = normalize
        self.known = set()
        super().__init__(**kwargs)

    def clean(self, value):
        given = list(dict.fromkeys(item.strip() for item in value or [] if item.strip()))
        self.unknown = [item for item in given if self.normalize(item) not in self.known]  # As typed, for the notes.
        return list(dict.fromkeys(self.normalize(item) for item in given if self.normalize(item) in self.known))


class LenientMultipleChoiceFilter(django_filters.Filter):
    field_class = LenientMultipleChoiceField


class ExplorerForm(forms.Form):
    """The filter form. Its clean step leaves in `cleaned_data` only what applies, and lists in `notes` the rest.

    Set before cleaning (by StatementFilter): the topics and the country codes there are, and the user whose
    view of officials and organizations a name is resolved in.
    """

    topics = ()
    user = None

    def error_note(self, name):
        """The note for a value its field refused."""
        field, value = self.fields.get(name), self.data.get(name, "")
        if isinstance(field, forms.ChoiceField):
            return Note.because("choose_from", name, value, choices=", ".join(str(v) for v, _ in field.choices if v))
        if isinstance(field, forms.DateField):
            return Note.because("not_a_date", name, value)
        return Note.because("malformed", name, value, error=" ".join(self.errors[name]).rstrip(".").lower())

    def clean(self):
        cleaned_data = super().clean()
        self.notes = []
        for name, field in self.fields.items():
            for value in getattr(field, "unknown", []):
                self.notes.append(Note.because("no_such", name, value, label=field.label.lower()))
        for name in self.errors:
            self.notes.append(self.error_note(name))
        date_from, date_to = cleaned_data.get("date_from"), cleaned_data.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.notes.append(Note.because("dates_crossed", "date_from", str(date_from)))
            del cleaned_data["date_from"], cleaned_data["date_to"]
        words = cleaned_data.get("q", "")
        if len(words) > MAX_SEARCH_LENGTH:
            cleaned_data["q"] = words = words[:MAX_SEARCH_LENGTH]
            self.notes.append(Note.because("shortened", "q", words, length=MAX_SEARCH_LENGTH))
        if words and not re.search(r"\w", words):
            self.notes.append(Note.because("no_words", "q", words))
            cleaned_data["q"] = words = ""
        for name, field in self.fields.items():
            given = [value for value in self.data.getlist(name) if value.strip()]
            if not isinstance(field, LenientMultipleChoiceField) and len(set(given)) > 1:
                self.notes.append(Note.because("repeated", name, given[-1], times=len(given)))
        if cleaned_data.get("sort") == "relevance" and not words:
            self.notes.append(Note.because("relevance_without_words", "sort", "relevance"))
            cleaned_data["sort"] = ""
        # Then what only the database can tell: whether the words hold a searchable word, which official is meant.
        if words and not search.has_lexemes(words):
            self.notes.append(Note.because("no_lexemes", "q", words))
            cleaned_data["q"] = ""
        cleaned_data["official"] = self.resolve("official", Official)
        cleaned_data["organization"] = self.resolve("organization", Organization)
        return cleaned_data

    def resolve(self, name, model):
        """The row with this slug, else the one named so, else the one with the closest name (typos forgiven).

        Among the public rows only, unless the user may view them all (a curator).
        """
        value = self.cleaned_data.get(name)
        if not value:
            return None
        queryset = model.objects.visible_to(self.user).select_related("country")
        found = queryset.filter(slug=value.lower()[:200]).first()
        if found is None and hasattr(queryset, "matching_name"):
            found = queryset.matching_name(value).first()
        if found is None:
            found = queryset.named_like(value).first()
            if found is None:
                self.notes.append(Note.because("no_name", name, value, param=name))
            elif found.name.casefold() != value.casefold():
                self.notes.append(Note.because("closest_name", name, value, name=found.name))
        # A merged record stands for the person's one record.
        return getattr(found, "merged_into", None) or found


class CopiedFilters(dict):
    """A FilterSet's declared filters, which django-filter deep-copies for each instance (each request): copied
    shallowly here, each then bound to its own instance's methods. A filter's settings are read, never changed;
    what an instance sets on its filters (their parent, their model) is its copies' own.

    With CopiedFields, and the form's class made once (FilterSet.get_form_class), the explorer's filter form takes
    0.75-0.85 ms where it took 1.1-1.35 (timed in one process, on a slow day): deep copies of objects that no request
    changes.
    """

    def __deepcopy__(self, memo):
        copies = {}
        for name, declared in self.items():
            copies[name] = copy.copy(declared)
            # Its method (filter_words...) is looked up on the filter's parent: a FilterMethod of its own.
            copies[name].method = declared.method
        return copies


class CopiedFields(dict):
    """A form class's fields, which Django deep-copies for each form: copied shallowly. No code here changes a
    field's widget, choices or validators; what a form sets on its fields (`known`, `unknown`) is its copies' own."""

    def __deepcopy__(self, memo):
        return {name: copy.copy(field) for name, field in self.items()}


class FilterSet(django_filters.FilterSet):
    """django-filter's FilterSet, whose instances (one a request) copy its filters and form fields shallowly
    (CopiedFilters, CopiedFields), from a form class made once: every FilterSet of the site and the API is one."""

    @classmethod
    def get_filters(cls):
        # What django-filter's metaclass keeps as the class's base_filters.
        return CopiedFilters(super().get_filters())

    @classmethod
    @functools.cache
    def get_form_class(cls):
        """The form's class, made once (django-filter makes one for each instance, its fields with it)."""
        fields = {}
        for name, declared in cls.base_filters.items():
            declared.model = cls._meta.model  # Its label, unless given, is its model field's, as each copy's was.
            fields[name] = declared.field
        form_class = type(f"{cls.__name__}Form", (cls._meta.form,), fields)
        form_class.base_fields = CopiedFields(form_class.base_fields)
        return form_class


class StatementFilter(FilterSet):
    """The explorer's filters. Each one's help is the API's description of its parameter (see opendata.api)."""

    q = django_filters.CharFilter(
        label="Words", method="filter_words", help_text='Words in web-search syntax: words, "a phrase", -excluded, OR.'
    )
    country = LenientMultipleChoiceFilter(
        label="Country",
        method="filter_country",
        normalize=str.upper,
        help_text="ISO code of the speaker's country; repeatable.",
    )
    mentions = LenientMultipleChoiceFilter(
        label="Country mentioned",
        method="filter_mentions",
        normalize=str.upper,
        help_text="ISO code of a country mentioned; repeatable.",
    )
    topic = LenientMultipleChoiceFilter(
        label="Topic", method="filter_topic", help_text="Topic slug, subtopics included; repeatable."
    )
    official = django_filters.CharFilter(
        label="Official", method="filter_official", help_text="Official's slug (or name: the closest is taken)."
    )
    organization = django_filters.CharFilter(
        label="Organization", method="filter_organization", help_text="Organization's slug (or name)."
    )
    kind = django_filters.ChoiceFilter(label="Kind", choices=Statement.Kind.choices)
    lang = django_filters.CharFilter(
        label="Language",
        method="filter_language",
        validators=[RegexValidator(LANGUAGE_CODE, "Use a language code such as en, ko or fr.")],
        help_text="Language code: statements with words in it, as said or as the original of a translation: en, ko...",
    )
    # ISO dates only: 01/02/2024 is January to some readers and February to others.
    date_from = django_filters.DateFilter(
        label="From",
        field_name="date",
        lookup_expr="gte",
        input_formats=["%Y-%m-%d"],
        help_text="On or after (YYYY-MM-DD).",
    )
    date_to = django_filters.DateFilter(
        label="To",
        field_name="date",
        lookup_expr="lte",
        input_formats=["%Y-%m-%d"],
        help_text="On or before (YYYY-MM-DD).",
    )
    sort = django_filters.ChoiceFilter(
        label="Sort",
        choices=list(SORTS.items()),
        method="filter_sort",
        empty_label=None,
        help_text="Relevance needs q.",
    )

    class Meta:
        model = Statement
        fields = []
        form = ExplorerForm

    def __init__(self, data=None, queryset=None, *, user=None, **kwargs):
        # NUL characters, which PostgreSQL cannot take, are gone already (NulCharacterMiddleware).
        super().__init__(data, queryset if queryset is not None else Statement.objects.published(), **kwargs)
        known = reference()
        self.topics = known.topics
        self.form.topics, self.form.user = self.topics, user
        self.form.fields["topic"].known = known.topic_slugs
        # Every country's name by its code: the codes a filter may name, and the names its facet shows.
        self.country_names = known.country_names
        self.form.fields["country"].known = self.form.fields["mentions"].known = known.country_codes

    def filter_words(self, queryset, name, value):
        return queryset.filter(search.matching(value))

    def filter_country(self, queryset, name, value):
        return queryset.by_country(*value)

    def filter_mentions(self, queryset, name, value):
        return queryset.mentioning(*value)

    def filter_topic(self, queryset, name, value):
        return queryset.about(*(topic for topic in self.topics if topic.slug in value))

    def filter_language(self, queryset, name, value):
        return queryset.in_language(value)

    def filter_official(self, queryset, name, value):
        return queryset.filter(official=value)

    def filter_organization(self, queryset, name, value):
        return queryset.filter(organization=value)

    def filter_sort(self, queryset, name, value):
        words = self.form.cleaned_data.get("q")
        if value == "relevance" and words:
            return queryset.annotate(rank=search.rank(words)).order_by("-rank", "-date", "-id")
        if value == "date":
            return queryset.order_by("date", "id")
        return queryset.order_by("-date", "-id")
