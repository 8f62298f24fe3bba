"""The explorer's filters, declared once: the pages, the API and the feeds use this FilterSet.

Bad input never fails a request: a value that cannot be used is left out, the other filters still
apply, and `notes` say what was ignored and why, naming the query parameter.
"""

import collections
import dataclasses
import functools
import re

import django_filters
from django import forms
from django.http import QueryDict

from statements import search
from statements.models import Country, Official, Organization, Statement, Topic

SORTS = {"-date": "Newest first", "date": "Oldest first", "relevance": "Most relevant"}
# Parameters that the views read, beside the filters: paging, and the API's choice of format.
NOT_FILTERS = {"page", "page_size", "format"}
MAX_SEARCH_LENGTH = 300
# Also the API schema's pattern for `lang`: ASCII letters of either case.
LANGUAGE_CODE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})?$")


# What filtering and counting need of the topics, read for every request: tuples are cheaper than models.
TopicChoice = collections.namedtuple("TopicChoice", ["pk", "name", "slug", "parent_id"])


def positive_number(text):
    """A page number or size as typed (ASCII digits only: "²" is a digit to str.isdigit), else None."""
    return int(text) if text.isascii() and text.isdigit() and int(text) > 0 else None


@dataclasses.dataclass(frozen=True)
class Note:
    """A query parameter the explorer could not use as given, and why."""

    param: str
    value: str
    reason: str
    ignored: bool = True  # False when the value was used, though not as given (a shortened search, a near name).

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
    """The filter form; `notes` list the input it ignored."""

    def reason(self, name):
        field = self.fields.get(name)
        if isinstance(field, forms.ChoiceField):
            return "use one of " + ", ".join(str(value) for value, _ in field.choices if value)
        if isinstance(field, forms.DateField):
            return "not a date: use YYYY-MM-DD"
        return " ".join(self.errors[name]).rstrip(".").lower()

    def clean(self):
        cleaned_data = super().clean()
        self.notes = []
        for name, field in self.fields.items():
            for value in getattr(field, "unknown", []):
                self.notes.append(Note(name, value, f"there is no such {field.label.lower()}"))
        for name in self.errors:
            self.notes.append(Note(name, self.data.get(name, ""), self.reason(name)))
        date_from, date_to = cleaned_data.get("date_from"), cleaned_data.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.notes.append(Note("date_from", str(date_from), "it is after date_to, so neither was applied"))
            del cleaned_data["date_from"], cleaned_data["date_to"]
        words = cleaned_data.get("q", "")
        if len(words) > MAX_SEARCH_LENGTH:
            cleaned_data["q"] = words = words[:MAX_SEARCH_LENGTH]
            self.notes.append(
                Note("q", words, f"only the first {MAX_SEARCH_LENGTH} characters were searched for", ignored=False)
            )
        if words and not re.search(r"\w", words):
            self.notes.append(Note("q", words, "there are no words to search for in it"))
            cleaned_data["q"] = ""
        for name, field in self.fields.items():
            given = [value for value in self.data.getlist(name) if value.strip()]
            if not isinstance(field, LenientMultipleChoiceField) and len(set(given)) > 1:
                reason = f"given {len(given)} times, and only the last value was used"
                self.notes.append(Note(name, given[-1], reason, ignored=False))
        if cleaned_data.get("sort") == "relevance" and not cleaned_data.get("q"):
            self.notes.append(Note("sort", "relevance", "sorting by relevance needs search words"))
            cleaned_data["sort"] = ""
        return cleaned_data


class StatementFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Words", method="filter_words")
    country = LenientMultipleChoiceFilter(label="Country", method="filter_country", normalize=str.upper)
    mentions = LenientMultipleChoiceFilter(label="Country mentioned", method="filter_mentions", normalize=str.upper)
    topic = LenientMultipleChoiceFilter(label="Topic", method="filter_topic")
    official = django_filters.CharFilter(label="Official", method="filter_official")
    organization = django_filters.CharFilter(label="Organization", method="filter_organization")
    kind = django_filters.ChoiceFilter(label="Kind", choices=Statement.Kind.choices)
    lang = django_filters.CharFilter(label="Language", method="filter_language")
    # ISO dates only: 01/02/2024 is January to some readers and February to others.
    date_from = django_filters.DateFilter(
        label="From", field_name="date", lookup_expr="gte", input_formats=["%Y-%m-%d"]
    )
    date_to = django_filters.DateFilter(label="To", field_name="date", lookup_expr="lte", input_formats=["%Y-%m-%d"])
    sort = django_filters.ChoiceFilter(
        label="Sort", choices=list(SORTS.items()), method="filter_sort", empty_label=None
    )

    class Meta:
        model = Statement
        fields = []
        form = ExplorerForm

    def __init__(self, data=None, queryset=None, **kwargs):
        # NUL characters, which PostgreSQL cannot take, are gone already (NulCharacterMiddleware).
        super().__init__(data, queryset if queryset is not None else Statement.objects.published(), **kwargs)
        self.topics = [TopicChoice(*row) for row in Topic.objects.order_by("name").values_list(*TopicChoice._fields)]
        self.form.fields["topic"].known = {topic.slug for topic in self.topics}
        codes = set(Country.objects.values_list("code", flat=True))
        self.form.fields["country"].known = self.form.fields["mentions"].known = codes
        self._resolved = {}
        self._filtered = {}
        self.words = None  # The search words once checked: "" when they cannot be searched for.

    @functools.cached_property
    def values(self):
        """The filters that apply, as cleaned values."""
        self.form.is_valid()
        return {name: value for name, value in self.form.cleaned_data.items() if value not in (None, "", [])}

    @property
    def notes(self):
        """What could not be used as given: filtering adds to the form's notes (unknown names, no words)."""
        self.filtered()
        return self.form.notes

    @property
    def qs(self):
        if not hasattr(self, "_qs"):
            self._qs = self.filter_sort(self.filtered(), "sort", self.values.get("sort", "-date"))
        return self._qs

    def filtered(self, *, exclude=()):
        """The statements that all filters but the excluded ones select, unordered (built once per exclusion)."""
        key = tuple(sorted(exclude))
        if key not in self._filtered:
            queryset = self.queryset.all()
            for name, value in self.values.items():
                if name not in exclude and name != "sort":
                    queryset = self.filters[name].filter(queryset, value)
            self._filtered[key] = queryset.order_by()
        return self._filtered[key]

    @property
    def applied(self):
        """The filters that narrow the statements: given, and not ignored (see `notes`)."""
        # Unknown values of a multiple choice never reach `values`; the known ones still apply.
        multiple = {name for name, field in self.form.fields.items() if isinstance(field, LenientMultipleChoiceField)}
        ignored = {note.param for note in self.notes if note.ignored} - multiple
        return set(self.values) - {"sort"} - ignored

    @property
    def problems(self):
        """Input that was ignored, and parameters that are not filters (`contry=KR`): the API, the feeds and the
        CSV export refuse a request with any, where a page shows its notes (and leaves tracking tags alone)."""
        expected = ", ".join(self.filters)
        unknown = [
            Note(key, self.data.get(key, ""), f"not a parameter: use {expected}")
            for key in self.data
            if key not in self.filters and key not in NOT_FILTERS
        ]
        return [note for note in self.notes if note.ignored] + unknown

    def applied_query(self, *, exclude=()):
        """The filters as applied, as a query string: for links to the same statements as a feed or data."""
        query = QueryDict(mutable=True)
        chosen = {"official": self.chosen_official, "organization": self.chosen_organization}
        used = (self.applied | {"sort"}) & set(self.values) - set(exclude)
        for name in self.filters:
            if name not in used:
                continue
            value = chosen[name].slug if chosen.get(name) else self.values[name]
            if (name, value) != ("sort", "-date"):
                query.setlist(name, [str(item) for item in value] if isinstance(value, list) else [str(value)])
        return query.urlencode()

    @property
    def selected_topics(self):
        slugs = set(self.values.get("topic", []))
        return [topic for topic in self.topics if topic.slug in slugs]

    @property
    def chosen_official(self):
        return self._resolve("official", Official)

    @property
    def chosen_organization(self):
        return self._resolve("organization", Organization)

    def filter_words(self, queryset, name, value):
        if self.words is None:
            self.words = value if search.has_lexemes(value) else ""
            if not self.words:
                self._note(Note("q", value, "it holds no searchable words, only operators or very common words"))
        return queryset.filter(search.matching(value)) if self.words else queryset

    def filter_country(self, queryset, name, value):
        return queryset.by_country(*value)

    def filter_mentions(self, queryset, name, value):
        return queryset.mentioning(*value)

    def filter_topic(self, queryset, name, value):
        return queryset.about(*self.selected_topics)

    def filter_language(self, queryset, name, value):
        if not LANGUAGE_CODE.match(value):
            self._note(Note("lang", value, "use a language code such as en, ko or fr"))
            return queryset
        return queryset.filter(language=value.lower())

    def filter_official(self, queryset, name, value):
        return queryset.filter(official=self.chosen_official) if self.chosen_official else queryset

    def filter_organization(self, queryset, name, value):
        return queryset.filter(organization=self.chosen_organization) if self.chosen_organization else queryset

    def filter_sort(self, queryset, name, value):
        if value == "relevance":
            return queryset.annotate(rank=search.rank(self.values["q"])).order_by("-rank", "-date", "-id")
        if value == "date":
            return queryset.order_by("date", "id")
        return queryset.order_by("-date", "-id")

    def _resolve(self, name, model):
        """The row with this slug, else the one named so, else the one with the closest name (typos forgiven).

        Among the public rows only, unless the request's user may view them all (a curator).
        """
        value = self.values.get(name)
        if not value:
            return None
        if name not in self._resolved:
            queryset = model.objects.visible_to(getattr(self.request, "user", None)).select_related("country")
            found = queryset.filter(slug=value.lower()[:200]).first()
            if found is None and hasattr(queryset, "matching_name"):
                found = queryset.matching_name(value).first()
            if found is None:
                found = queryset.named_like(value).first()
                if found is None:
                    self._note(Note(name, value, f"no {name} has a name like it"))
                elif found.name.casefold() != value.casefold():
                    self._note(Note(name, value, f"showing {found.name}, the closest name", ignored=False))
            # A merged record stands for the person's one record.
            self._resolved[name] = getattr(found, "merged_into", None) or found
        return self._resolved[name]

    def _note(self, note):
        if note not in self.form.notes:
            self.form.notes.append(note)
