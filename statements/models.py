"""Who said what, when, in which role, about which topics and countries, and where it was reported.

Field names follow Popolo (https://www.popoloproject.com) where it has one: Person is Official,
Membership is Position, Speech is Statement.
"""

import contextvars
import datetime
import functools
import itertools
from contextlib import contextmanager

import babel
import pycountry
from django.conf import settings
from django.contrib.auth import get_permission_codename
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField, TrigramSimilarity, TrigramWordSimilarity
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, RegexValidator
from django.db import connection, models, transaction
from django.db.models import Case, Exists, F, OuterRef, Q, Subquery, Value, When
from django.db.models.expressions import DatabaseDefault
from django.db.models.functions import Coalesce, Greatest
from django.db.transaction import TransactionManagementError
from django.urls import get_script_prefix, reverse
from django.utils import dateformat, timezone
from django.utils.text import Truncator, slugify
from django.utils.translation import get_language, gettext_lazy, pgettext_lazy
from simple_history.models import HistoricalRecords
from simple_history.utils import get_change_reason_from_object

from diplotrack import replicas
from statements import korean
from statements.text import CONTROLS_SQL, first_words, name_words, normalized

# The longest text a statement or a pasted article may have, in characters: longer than any news article or
# speech, and short enough for PostgreSQL's 1 MB limit on a search document.
MAX_TEXT = 200_000


def plausible_date(value):
    """A date a statement, a source or a position could have: from 1800 to a year from now (not 9999-12-31)."""
    latest = timezone.localdate() + datetime.timedelta(days=366)
    if not datetime.date(1800, 1, 1) <= value <= latest:
        raise ValidationError(f"Enter a date from 1800 to {latest:%Y}.", code="implausible_date")


class Versioned(models.Model):
    """A model curators edit: its version rises with every save, so that an edit begun on an older one is caught.

    The admin's forms (statements.admin.VersionedForm) remember the version they showed and refuse to save over a
    newer one; bulk writers (the importer) call raise_versions() before their bulk_update().
    """

    version = models.PositiveIntegerField(default=1, db_default=1, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        with transaction.atomic(savepoint=False):
            if not self._state.adding:
                type(self).raise_versions([self])
                if kwargs.get("update_fields") is not None:
                    kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
            super().save(*args, **kwargs)

    @classmethod
    def raise_versions(cls, rows):
        """Give each row the next version, to be saved with it (in the caller's transaction).

        Counted on from the stored row, locked until the transaction ends (in the order of the ids, as every caller
        locks them), not from this copy, which may be older (a version restored from the history, or a row a bulk
        writer read before a curator saved it): no version number is given twice.
        """
        if not connection.in_atomic_block:
            raise TransactionManagementError("Versions are raised in the transaction that saves them.")
        stored = cls._base_manager.select_for_update().filter(pk__in=[row.pk for row in rows]).order_by("pk")
        latest = dict(stored.values_list("pk", "version"))
        for row in rows:
            row.version = latest.get(row.pk, row.version) + 1


class TextModel(models.Model):
    """A model whose text holds no control character but tab and newline (statements.text.normalized).

    Normalised in clean_fields(), so that a form checks (and the database's check accepts) what will be stored,
    and in save(), for every other way in. Bulk inserts and updates pass neither: the importer normalises what
    it reads (statements.ungdc.reader), and a check in the database refuses what a new bulk path might miss.
    """

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.normalize_text()
        super().save(*args, **kwargs)

    def clean_fields(self, exclude=None):
        self.normalize_text()
        super().clean_fields(exclude)

    def normalize_text(self):
        deferred = self.get_deferred_fields()
        for field in self._meta.concrete_fields:
            value = None if field.attname in deferred else getattr(self, field.attname)
            if isinstance(value, str):
                setattr(self, field.attname, normalized(value))
            elif isinstance(value, list) and all(isinstance(item, str) for item in value):
                # A name that was only control characters is no name: "\x1b" is not kept as "".
                setattr(self, field.attname, [text for text in map(normalized, value) if text])


def without_controls(name, *fields):
    """A check that the text columns hold no control character but tab and newline, as TextModel saves them."""
    return models.CheckConstraint(
        condition=Q(*[~Q(**{f"{field}__regex": CONTROLS_SQL}) for field in fields]),
        name=name,
        violation_error_message="Text cannot hold control characters other than tab and line breaks.",
    )


class Country(TextModel):
    """A country or another body that speaks like one, keyed by its ISO code.

    Current states use ISO 3166-1 alpha-2 ("KR"); states that no longer exist use their ISO 3166-3
    four-letter code ("SUHH" for the USSR), since their old alpha-2 codes were reused; the European
    Union uses its reserved "EU".
    """

    class Kind(models.TextChoices):
        STATE = "state", "State"
        FORMER_STATE = "former", "Former state"
        UNION = "union", "Union of states"
        TERRITORY = "territory", "Territory"

    code = models.CharField(max_length=4, primary_key=True)
    alpha3 = models.CharField("ISO alpha-3", max_length=3, unique=True, null=True, blank=True)
    name = models.CharField(max_length=100)
    official_name = models.CharField(max_length=200, blank=True)
    kind = models.CharField(max_length=10, choices=Kind, default=Kind.STATE)
    dissolved_on = models.DateField(null=True, blank=True, help_text="For former states.")

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "countries"
        constraints = [
            models.CheckConstraint(condition=Q(code__regex=r"^[A-Z]{2}([A-Z]{2})?$"), name="country_code_format"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return address("country_detail", self.code)

    @property
    def local_name(self):
        """Its name as the public pages show it, in the reader's language (see local_country_name)."""
        return local_country_name(self.code, self.name)


def local_country_name(code, name, language=None):
    """A country's name as the public pages show it: `name`, the curators' own, in English; in another language,
    the Unicode CLDR's name for its code in that language (through Babel), as browsers and phones name it: 대한민국,
    북한, 대만. A code the CLDR does not name (a former state's four letters) keeps the curators' name. Open data,
    feeds and the admin keep the curators' name. In the reader's `language` when given (else asked)."""
    return cldr_names("territories", language).get(code) or name


def country_code_named(name, names):
    """The code of the country so named, among `names` (the curated name by code, as statements.filters.reference
    reads them): as curated (South Korea), or as the pages name it in the reader's language (대한민국:
    local_country_name); else None."""
    folded = name.casefold()
    curated = next((code for code, curated in names.items() if curated.casefold() == folded), None)
    return curated or _codes_by_local_name(get_language()).get(folded)


@functools.cache
def _codes_by_local_name(language):
    return {shown.casefold(): code for code, shown in _cldr_names(language, "territories").items()}


def cldr_names(kind, language=None):
    """The Unicode CLDR's names of this kind ("territories", "languages") in the reader's language (`language` when
    the caller asked it already), by code; none in English, where the pages keep their own names."""
    return _cldr_names(language or get_language(), kind)


@functools.cache
def _cldr_names(language, kind):
    if language in (None, "en"):
        return {}
    try:
        return getattr(babel.Locale.parse(language, sep="-"), kind)
    except (ValueError, babel.UnknownLocaleError):
        return {}


class SluggedQuerySet(models.QuerySet):
    def unique_slug(self, text, *, taken=None, max_length=80):
        """A slug for text that no row of the model has yet: cho-tae-yul, then cho-tae-yul-2...

        Each slug tried stays locked until the transaction ends (hold_lock), so that two rows saved at once, or a
        curator's form with that slug, never take the same one: whoever comes second waits, then sees it taken.
        A bulk writer that keeps other writers out otherwise (the importer's lock) gives the set of slugs taken,
        read once, instead: it is checked and extended, without a query.
        """
        base = slugify(text)[:max_length].strip("-") or "item"
        for slug in itertools.chain([base], (f"{base}-{n}" for n in itertools.count(2))):
            if taken is not None:
                if slug not in taken:
                    taken.add(slug)
                    return slug
                continue
            hold_lock(self.model._meta.db_table, "slug", slug)
            if not self.model._base_manager.filter(slug=slug).exists():
                return slug

    def named_like(self, name):
        """Rows whose name is like the one typed, as a whole or in part, typos forgiven (trigrams), closest first."""
        return (
            self.filter(Q(name__trigram_similar=name) | Q(name__trigram_word_similar=name))
            .annotate(similarity=Greatest(TrigramSimilarity("name", name), TrigramWordSimilarity(name, "name")))
            .order_by("-similarity", "name")
        )


class Slugged(models.Model):
    """A model whose slug, unless given, is made from slug_text() when it is first saved (unique_slug)."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        with transaction.atomic(savepoint=False):  # The slug stays locked (unique_slug) until the row is in.
            self.fill_slug()
            super().save(*args, **kwargs)

    def fill_slug(self, taken=None):
        """Give the row its slug unless it has one: in save(), and for bulk writers with the slugs taken."""
        if not self.slug:
            self.slug = type(self).objects.unique_slug(self.slug_text(), taken=taken)

    def slug_text(self):
        return self.name


class PublicQuerySet(models.QuerySet):
    """Rows of a model whose QuerySet says which are `public()`: those that anyone may see."""

    def visible_to(self, user):
        """Every row for a user who may view the model (a curator), else the public ones."""
        opts = self.model._meta
        may_view = user is not None and user.has_perm(f"{opts.app_label}.{get_permission_codename('view', opts)}")
        return self if may_view else self.public()


class OfficialQuerySet(SluggedQuerySet, PublicQuerySet):
    def public(self):
        """Officials with a published statement, and records merged into one of them (their address redirects).

        One that exists only for drafts is unknown to the public: its name would tell of what is unpublished.
        """
        return self.filter(Q(published_count__statements__gt=0) | Q(merged_into__published_count__statements__gt=0))

    def current(self):
        """Officials not merged into another record of the same person."""
        return self.filter(merged_into=None)

    def having_spoken(self):
        """Those with a published statement of their own (OfficialCount, kept by triggers)."""
        return self.filter(published_count__statements__gt=0)

    def with_statement_counts(self):
        """Each with `statement_count`, its published statements (OfficialCount, kept by triggers)."""
        return self.annotate(statement_count=Coalesce("published_count__statements", 0))

    def matching_name(self, name):
        """Officials known by this name in any of their forms and in either name order ("Tae-yul Cho"); a Korean name
        in Hangul finds its romanisations and a romanised one its Hangul (조태열 is Cho Tae-yul: statements.korean)."""
        keys = [key for key in [Official.name_key(name)] if key] + sorted(korean.wanted_keys(name))
        return self.current().filter(name_keys__overlap=keys) if keys else self.none()


class Official(Slugged, Versioned, TextModel):
    """A person who speaks for a state or an organization (Popolo Person)."""

    name = models.CharField(max_length=200, help_text="As usually written in English: Cho Tae-yul.")
    sort_name = models.CharField(max_length=200, blank=True, help_text="For sorting: Cho Tae-yul, Blinken Antony.")
    native_name = models.CharField(max_length=200, blank=True, help_text="In the person's own script: 조태열.")
    other_names = ArrayField(
        models.CharField(max_length=200),
        blank=True,
        default=list,
        help_text="Other spellings and forms, one per line: Tae-yul Cho, FM Cho.",
    )
    # Order-free keys of every name above, kept by save(): "cho tae yul" for both "Cho Tae-yul" and "Tae-yul Cho".
    name_keys = ArrayField(models.CharField(max_length=200), default=list, editable=False)
    country = models.ForeignKey(Country, on_delete=models.PROTECT, null=True, blank=True, related_name="officials")
    wikidata_id = models.CharField(
        "Wikidata id",
        max_length=20,
        blank=True,
        validators=[RegexValidator(r"^Q[1-9][0-9]*$", "A Wikidata id looks like Q12345.")],
    )
    slug = models.SlugField(max_length=200, unique=True, allow_unicode=False)
    # Why an import took several names, or several rows of a source, for this one person (statements.ungdc.people).
    match_evidence = ArrayField(models.TextField(), default=list, blank=True, editable=False)
    # A duplicate record of a person is merged, not deleted: it keeps its history and its URL redirects.
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, editable=False, related_name="merged"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = OfficialQuerySet.as_manager()

    class Meta:
        ordering = ["sort_name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["wikidata_id"], condition=~Q(wikidata_id=""), name="official_unique_wikidata_id"
            ),
            without_controls("official_text_without_controls", "name", "sort_name", "native_name"),
        ]
        indexes = [
            GinIndex(fields=["name_keys"], name="official_name_keys"),
            GinIndex(fields=["name"], opclasses=["gin_trgm_ops"], name="official_name_trigrams"),
            # The list of officials, in its order: a page walks it to its 50 who have spoken, where sorting them
            # checked every one of 20,000 for a published statement first (80 ms, now 1.5).
            models.Index(fields=["sort_name", "name"], condition=Q(merged_into=None), name="official_current_by_name"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.normalize_text()  # Before the name keys are made from the names.
        self.derive_names()
        if "update_fields" in kwargs and kwargs["update_fields"] is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "sort_name", "name_keys"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return address("official_detail", self.slug)

    @property
    def all_names(self):
        return [name for name in [self.name, self.native_name, *self.other_names] if name]

    def derive_names(self):
        """The sort name (the name, unless given) and the name keys, from the names: in save(), and bulk writers."""
        self.sort_name = self.sort_name or self.name
        self.name_keys = self.name_keys_of(self.all_names)

    @staticmethod
    def name_key(name):
        """A key equal for the same name in any order, case, hyphenation or punctuation."""
        return " ".join(sorted(name_words(name)))

    @classmethod
    def name_keys_of(cls, names):
        """Each name's key, and the Korean keys of a name in Hangul or of a romanised Korean name (statements.korean:
        조태열 is Cho Tae-yul), which only a search for a Korean name asks for."""
        keys = {key for key in map(cls.name_key, names) if key}
        return sorted(keys.union(*map(korean.name_keys, names)))

    def learn_native_name(self, name):
        """Keep a Korean name in Hangul that a source gave this official (조태열, for Cho Tae-yul) when none is known:
        the search document holds it from then on, so a search in Hangul finds their statements in any language.
        Only a name whose romanisation is one of theirs (statements.korean); True when kept."""
        if self.native_name or not name or not korean.HANGUL.search(name):
            return False
        if not korean.wanted_keys(name) & set(self.name_keys):
            return False
        self.native_name = name
        self.save(update_fields=["native_name", "updated_at"])
        return True

    @transaction.atomic
    def merge_into(self, target, user=None):
        """Make `target` the one record of this person: statements, positions and names move to it.

        Both rows are locked first, in the order of their ids as every merge takes them (so that two merges of the
        same records wait for each other rather than deadlock), and read again: one merged meanwhile is refused.
        """
        lock_in_order(Official, [self.pk, target.pk])
        self.refresh_from_db()
        target.refresh_from_db()
        if target.pk == self.pk:
            raise ValueError("Merge an official into another official.")
        for official in (self, target):
            if official.merged_into_id:
                raise ValueError(f"{official} (#{official.pk}) is already merged into {official.merged_into}.")
        for statement in self.statements.select_related("official", "organization"):
            statement.official, statement._history_user = target, user
            statement.save()
        for position in self.positions.all():
            position.official = target
            position.save()
        names = [self.name, self.native_name, *self.other_names]
        target.other_names = list(dict.fromkeys(target.other_names + [name for name in names if name]))
        target.other_names = [name for name in target.other_names if name not in (target.name, target.native_name)]
        if not target.wikidata_id and self.wikidata_id:
            target.wikidata_id, self.wikidata_id = self.wikidata_id, ""
        self.merged_into, self._history_user, target._history_user = target, user, user
        self.save()
        target.save()

    def position_on(self, date):
        """The position held on that date: a term that covers it (the most recent first), else a post the official
        was seen holding that month (an attestation), else None."""
        # One query for both: a statement's page asks it for every statement shown.
        attested = Q(start_date=None, end_date=None) & ~Q(attested_on=[])
        covering = Q(Q(start_date=None) | Q(start_date__lte=date), Q(end_date=None) | Q(end_date__gte=date))
        that_month = Q(attested_on__contains=[date.replace(day=1)])
        return (
            self.positions.select_related("organization")
            .filter((~attested & covering) | (attested & that_month))
            .order_by(Case(When(attested, then=1), default=0), F("start_date").desc(nulls_last=True), "pk")
            .first()
        )


class NotSamePerson(models.Model):
    """Two officials a curator said are two people: the duplicates page never offers them again."""

    official = models.ForeignKey(Official, on_delete=models.CASCADE, related_name="+")
    other = models.ForeignKey(Official, on_delete=models.CASCADE, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "not the same person"
        verbose_name_plural = "not the same person"
        constraints = [
            # One row per pair, the lower id first.
            models.CheckConstraint(condition=Q(official__lt=F("other")), name="not_same_person_in_order"),
            models.UniqueConstraint(fields=["official", "other"], name="not_same_person_once"),
        ]

    def __str__(self):
        return f"{self.official_id} is not {self.other_id}"

    @classmethod
    def record(cls, first, second, user=None):
        """Remember that the two officials are two people (once, however often a curator says it)."""
        low, high = sorted([first.pk, second.pk])
        cls.objects.get_or_create(official_id=low, other_id=high, defaults={"decided_by": user})

    @classmethod
    def pairs(cls):
        return {frozenset(pair) for pair in cls.objects.values_list("official", "other")}


class Photo(models.Model):
    """An official's photo, stored in the database (so backups hold it) and served by the site itself
    (statements.site.views.official_photo), with the credit line and license that its use requires.

    A curator uploads it, or gives a Wikimedia Commons file name, from which the file's address is derived and the
    file fetched once (statements.photos). Either way it is checked as an image and made at most MAX_SIDE wide.
    """

    MAX_SIDE = 600

    official = models.OneToOneField(Official, on_delete=models.CASCADE, related_name="photo")
    image = models.BinaryField(editable=False)
    content_type = models.CharField(max_length=40, editable=False)
    width = models.PositiveIntegerField(editable=False)
    height = models.PositiveIntegerField(editable=False)
    digest = models.CharField(max_length=16, editable=False)  # Of the image: its address changes with it.
    commons_file = models.CharField(
        "Wikimedia Commons file",
        max_length=240,
        blank=True,
        help_text="Its name on Commons, such as “Cho Tae-yul in 2024.jpg”: the file is fetched from there.",
    )
    credit = models.CharField(max_length=300, help_text="Who made it, as the license asks: “Photo: Jane Doe / MOFA”.")
    license = models.CharField(max_length=100, help_text="CC BY-SA 4.0, public domain...")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Photo of {self.official}"

    @property
    def url(self):
        return f"{reverse('official_photo', args=[self.official.slug])}?v={self.digest}"

    @property
    def commons_page(self):
        if not self.commons_file:
            return ""
        return f"https://commons.wikimedia.org/wiki/File:{self.commons_file.replace(' ', '_')}"


class OrganizationQuerySet(SluggedQuerySet, PublicQuerySet):
    def public(self):
        """Organizations with a published statement, or a position held by an official who has one."""
        return self.filter(
            Exists(Statement.objects.published().filter(organization=OuterRef("pk")))
            | Exists(Position.objects.public().filter(organization=OuterRef("pk")))
        )

    def with_public_parent(self):
        """With `public_parent`: the parent's slug, when the parent is public (else None)."""
        parent = Organization.objects.public().filter(pk=OuterRef("parent"))
        return self.annotate(public_parent=Subquery(parent.values("slug")))


class Organization(Slugged, Versioned, TextModel):
    """A ministry, a government, an international organization... (Popolo Organization)."""

    class Kind(models.TextChoices):
        GOVERNMENT = "government", "Government"
        HEAD_OF_STATE = "head_of_state", "Head of state's office"
        MINISTRY = "ministry", "Ministry"
        MISSION = "mission", "Mission or embassy"
        LEGISLATURE = "legislature", "Legislature"
        PARTY = "party", "Political party"
        INTERNATIONAL = "international", "International organization"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200)
    other_names = ArrayField(
        models.CharField(max_length=200),
        blank=True,
        default=list,
        help_text="Other names and abbreviations, one per line: Foreign Ministry, MOFA.",
    )
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.MINISTRY)
    country = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organizations",
        help_text="Blank for intergovernmental bodies.",
    )
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children")
    slug = models.SlugField(max_length=200, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=~Q(parent=F("id")), name="organization_not_own_parent"),
            without_controls("organization_text_without_controls", "name"),
        ]
        indexes = [GinIndex(fields=["name"], opclasses=["gin_trgm_ops"], name="organization_name_trigrams")]

    def __str__(self):
        return organization_label(self.name, self.country_id)

    def slug_text(self):
        return f"{self.name} {self.country_id or ''}"

    def clean(self):
        ancestor, seen = self.parent, set()
        while ancestor is not None and ancestor.pk not in seen:
            if self.pk and ancestor.pk == self.pk:
                raise ValidationError({"parent": "An organization cannot be part of itself, even through others."})
            seen.add(ancestor.pk)
            ancestor = ancestor.parent


class PositionQuerySet(PublicQuerySet):
    def public(self):
        """Positions of officials with a published statement."""
        return self.filter(Exists(Statement.objects.published().filter(official=OuterRef("official"))))

    def attestations(self):
        """Posts known only from the dates an official was seen holding them, not from a stated term."""
        return self.filter(start_date=None, end_date=None).exclude(attested_on=[])

    def terms(self):
        """Positions with a stated term (or, entered without dates, held for an unknown time): not attestations."""
        return self.exclude(pk__in=self.attestations().values("pk"))

    def attested_in(self, date):
        """Attestations of the post in the month of that date."""
        return self.attestations().filter(attested_on__contains=[date.replace(day=1)])


class Position(Versioned, TextModel):
    """A role an official holds in an organization (Popolo Membership): for a term, when one is known, or attested.

    An attestation is what a source shows without stating a term: the official seen holding the post on some dates
    (the UN debates they spoke at), kept in attested_on with no start or end. A curator who enters the term (start,
    end, their precision and a source) makes it a term, which pages show instead.
    """

    class Precision(models.TextChoices):
        DAY = "day", "Day"
        MONTH = "month", "Month"
        YEAR = "year", "Year"

    official = models.ForeignKey(
        Official, on_delete=models.CASCADE, related_name="positions", limit_choices_to={"merged_into": None}
    )
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="positions")
    role = models.CharField(max_length=200, help_text="Minister of Foreign Affairs, Prime Minister, Ambassador...")
    start_date = models.DateField(
        null=True, blank=True, validators=[plausible_date], help_text="The first day of the month or year if coarser."
    )
    start_precision = models.CharField(max_length=5, choices=Precision, default=Precision.DAY)
    end_date = models.DateField(
        null=True, blank=True, validators=[plausible_date], help_text="Blank while the position is held."
    )
    end_precision = models.CharField(max_length=5, choices=Precision, default=Precision.DAY)
    source = models.ForeignKey(
        "Source",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="positions",
        help_text="Where the term's dates are stated.",
    )
    # The first day of each month the official was seen holding the post, when no term is known.
    attested_on = ArrayField(models.DateField(), default=list, blank=True, editable=False)
    history = HistoricalRecords()

    objects = PositionQuerySet.as_manager()

    class Meta:
        ordering = [F("start_date").desc(nulls_last=True)]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__isnull=True) | Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="position_dates_in_order",
                violation_error_message="A position cannot end before it starts.",
            ),
            without_controls("position_text_without_controls", "role"),
        ]

    def __str__(self):
        return f"{self.role}, {self.organization.name}"

    @property
    def is_attestation(self):
        return self.start_date is None and self.end_date is None and bool(self.attested_on)

    @property
    def kind(self):
        """ "term" or "attestation", as the API and the open data say."""
        return "attestation" if self.is_attestation else "term"

    # In English, as the sentences they go into ("from May 2017 to May 2022") and the open data's labels are.
    @property
    def start_display(self):
        return display_date(self.start_date, self.start_precision) if self.start_date else ""

    @property
    def end_display(self):
        return display_date(self.end_date, self.end_precision) if self.end_date else ""

    @property
    def attested_display(self):
        """ "September 2017 and September 2021"; "September of 1957, 1958 and 1961" for more."""
        dates = sorted(set(self.attested_on))
        if len({date.month for date in dates}) == 1 and len(dates) > 2:
            return f"{dates[0]:%B} of {and_list([f'{date:%Y}' for date in dates])}"
        return and_list([f"{date:%B %Y}" for date in dates])

    @property
    def dates_display(self):
        """When the post was held, as far as it is known: "attested as President in September 2017 and September
        2021", or the term: "from May 2017 to May 2022"."""
        if self.is_attestation:
            return f"attested as {self.role} in {self.attested_display}"
        return self.when_display

    @property
    def when_display(self):
        """dates_display without the role: "attested in September 2017", "from 10 May 2017"."""
        if self.is_attestation:
            return f"attested in {self.attested_display}"
        if self.start_date and self.end_date:
            return f"from {self.start_display} to {self.end_display}"
        if self.start_date:
            return f"from {self.start_display}"
        return f"until {self.end_display}" if self.end_date else ""

    def popolo_dates(self):
        """Popolo's start_date and end_date at their precision ("2017-05", "2017"); for an attestation none, and a
        label that says when it was seen held (Popolo has no field for it)."""
        if self.is_attestation:
            return {"label": self.dates_display, "start_date": None, "end_date": None}
        return {
            "start_date": popolo_date(self.start_date, self.start_precision),
            "end_date": popolo_date(self.end_date, self.end_precision),
        }

    def attest(self, date):
        """Record that the official was seen holding the post in the month of that date; False if known already."""
        month = date.replace(day=1)
        if month in self.attested_on:
            return False
        self.attested_on = sorted([*self.attested_on, month])
        return True


def popolo_date(date, precision):
    """An ISO 8601 date cut to its precision, as Popolo writes dates: 2017-05-10, 2017-05, 2017."""
    if date is None:
        return None
    return {"year": f"{date:%Y}", "month": f"{date:%Y-%m}"}.get(precision, date.isoformat())


def and_list(items):
    """ "a", "a and b", "a, b and c"."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}" if items else ""


# Which topics' search terms each text matches. Topics are about the words, so the speaker's names, which a
# statement's search document also holds, take no part.
MATCH_TOPICS_SQL = """
    WITH text AS MATERIALIZED (
        SELECT number, to_tsvector('english', statements_unaccent(words)) AS document
          FROM unnest(%s::text[]) WITH ORDINALITY AS text(words, number)
    ), topic AS MATERIALIZED (
        SELECT id, websearch_to_tsquery('english', statements_unaccent(terms)) AS query
          FROM unnest(%s::bigint[], %s::text[]) AS topic(id, terms)
    )
    SELECT text.number, topic.id FROM text JOIN topic ON text.document @@ topic.query ORDER BY 1, 2
"""


# matching()'s answer for stored statements, from the words their trigger parsed (search_vector's weight A: the
# words, parsed as matching() parses them for English) rather than parsing them again.
MATCH_STORED_TOPICS_SQL = """
    WITH words AS MATERIALIZED (
        SELECT id, ts_filter(search_vector, '{a}') AS document FROM statements_statement WHERE id = ANY(%s)
    ), topic AS MATERIALIZED (
        SELECT id, websearch_to_tsquery('english', statements_unaccent(terms)) AS query
          FROM unnest(%s::bigint[], %s::text[]) AS topic(id, terms)
    )
    SELECT words.id, topic.id FROM words JOIN topic ON words.document @@ topic.query ORDER BY 1, 2
"""


class Topic(Slugged, Versioned, TextModel):
    """A subject statements are about; one level of subtopics ("Korean Peninsula > Denuclearization")."""

    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    search_terms = models.CharField(
        max_length=500,
        blank=True,
        help_text='A web-search query (words, "a phrase", OR, -word): imported statements that match it get '
        "this topic, marked as machine-assigned for a curator to confirm.",
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        limit_choices_to={"parent__isnull": True},
    )
    history = HistoricalRecords()

    objects = SluggedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=~Q(parent=F("id")), name="topic_not_own_parent"),
            without_controls("topic_text_without_controls", "name", "description"),
        ]

    def __str__(self):
        return f"{self.parent.name} › {self.name}" if self.parent_id else self.name

    def get_absolute_url(self):
        return address("topic_detail", self.slug)

    @staticmethod
    def matching(texts, topics):
        """For each text, the ids of the topics whose search terms its words match, in one query.

        topics: (id, search terms) pairs, read beforehand: this may run on another connection, which does not see
        what the reading one has not committed. Each text is parsed once, as a statement's English words are
        (statements.derived), and each topic's terms once.
        """
        found = [[] for _ in texts]
        if texts and topics:
            ids, terms = zip(*topics, strict=True)
            with connection.cursor() as cursor:
                cursor.execute(MATCH_TOPICS_SQL, [list(texts), list(ids), list(terms)])
                for number, topic_id in cursor.fetchall():
                    found[number - 1].append(topic_id)
        return found

    @staticmethod
    def matching_stored(statement_ids, topics):
        """(statement id, topic id) pairs: the topics whose search terms each stored English statement's words match,
        as matching() finds them, read from the words the database parsed when it saved the statement."""
        if not statement_ids or not topics:
            return []
        ids, terms = zip(*topics, strict=True)
        with connection.cursor() as cursor:
            cursor.execute(MATCH_STORED_TOPICS_SQL, [list(statement_ids), list(ids), list(terms)])
            return cursor.fetchall()

    def clean(self):
        # The database's check constraint would refuse it too, but as an error page: the form never sees "id".
        if self.pk and self.parent_id == self.pk:
            raise ValidationError({"parent": "A topic cannot be its own parent."})
        if self.parent_id and self.parent.parent_id:
            raise ValidationError({"parent": "Topics nest one level deep: choose a top-level topic as the parent."})
        if self.parent_id and self.pk and self.children.exists():
            raise ValidationError({"parent": "This topic has subtopics of its own, so it cannot become a subtopic."})


class SourceQuerySet(PublicQuerySet):
    def public(self):
        """Sources cited by a published statement: one cited only by drafts would tell of them."""
        cited = Citation.objects.filter(source=OuterRef("pk"), statement__status=Statement.Status.PUBLISHED)
        # A first citation per source, not EXISTS: as a semi-join, the planner hashed every published statement.
        return self.alias(cited=Subquery(cited.values("pk")[:1])).filter(cited__isnull=False)


class Source(Versioned, TextModel):
    """Where statements were reported: an article, a transcript, a press release..."""

    class Kind(models.TextChoices):
        NEWS_ARTICLE = "news", gettext_lazy("News article")
        TRANSCRIPT = "transcript", gettext_lazy("Official transcript")
        PRESS_RELEASE = "press_release", gettext_lazy("Press release")
        SOCIAL_MEDIA = "social", gettext_lazy("Social media post")
        VIDEO = "video", gettext_lazy("Video")

    url = models.URLField("URL", max_length=1000, blank=True)
    title = models.CharField(max_length=500)
    publisher = models.CharField(max_length=200)
    author = models.CharField(max_length=200, blank=True)
    published_on = models.DateField(null=True, blank=True, validators=[plausible_date])
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.NEWS_ARTICLE)
    language = models.CharField(max_length=12, default="en", help_text="ISO 639-1 code: en, ko, fr...")
    archive_url = models.URLField("archived copy", max_length=1000, blank=True)
    full_text = models.TextField(blank=True, help_text="The source's text as captured, for citation offsets.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["full_text"])

    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = [F("published_on").desc(nulls_last=True), "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["url"],
                condition=~Q(url=""),
                name="source_unique_url",
                violation_error_message="A source with this URL already exists.",
            ),
            without_controls("source_text_without_controls", "title", "publisher", "author", "full_text"),
        ]

    def __str__(self):
        when = f", {self.published_on:%Y-%m-%d}" if self.published_on else ""
        return f"{self.publisher}: {Truncator(self.title).chars(80)}{when}"

    def get_absolute_url(self):
        return address("source_detail", self.pk)


class StatementQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Statement.Status.PUBLISHED)

    def by_country(self, *codes):
        return self.filter(country__in=codes)

    def mentioning(self, *codes):
        mentions = Statement.mentioned_countries.through.objects.filter(statement=OuterRef("pk"), country__in=codes)
        return self.filter(Exists(mentions))

    def in_language(self, code):
        """Statements with words in this language (ko, or ko-KR): their words, or the original they translate."""
        code = code.lower()
        return self.filter(
            Q(language=code)
            | Q(language__startswith=f"{code}-")
            | Q(original_language=code, original_text__gt="")
            | Q(original_language__startswith=f"{code}-", original_text__gt="")
        )

    def about(self, *topics):
        """Statements on any of these topics or their subtopics."""
        return self.filter(topic_ids__overlap=[topic.pk for topic in topics])

    def with_related(self):
        """With what a page shows of each statement, and without the long columns no page shows."""
        # Each subtopic with its parent, whose name it is shown with ("Security › Nuclear"): not read one by one.
        topics = models.Prefetch(
            "topics", queryset=Topic.objects.select_related("parent").only("name", "slug", "parent__name")
        )
        citations = models.Prefetch(
            "citations", queryset=Citation.objects.select_related("source").defer("source__full_text")
        )
        return (
            self.select_related("official", "organization", "country")
            .defer("search_vector", "topic_ids", "search_morphemes")
            .prefetch_related(topics, citations)
        )


class StatementTopic(models.Model):
    """A statement's topic, set by a curator or assigned by a machine rule for a curator to confirm.

    Declared before Statement, whose history copies its rows: simple_history needs the class itself then.
    """

    statement = models.ForeignKey("Statement", on_delete=models.CASCADE, related_name="topic_links")
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="statement_links")
    machine_assigned = models.BooleanField(default=False, help_text="Proposed by a rule, not yet confirmed.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["statement", "topic"], name="statement_topic_once")]
        indexes = [models.Index(fields=["topic", "statement"], name="statement_topic_by_topic")]

    def __str__(self):
        return str(self.topic)


class MorphemesField(SearchVectorField):
    """The Korean morphemes of a statement's words (A), attribution (B) and original words (C), as a tsvector that
    the search trigger adds to the search document (statements.korean): read in Python whenever the statement is
    written, by save(), bulk_create() and copy_create() alike, since PostgreSQL has no Korean analyser."""

    sources = {"text": "A", "attribution_text": "B", "original_text": "C"}

    def pre_save(self, model_instance, add):
        if not self.sources.keys() & model_instance.get_deferred_fields():
            texts = [(getattr(model_instance, name), weight) for name, weight in self.sources.items()]
            setattr(model_instance, self.attname, korean.document(*texts))
        return getattr(model_instance, self.attname)


class Statement(Versioned, TextModel):
    """Words an official or an organization said (Popolo Speech)."""

    class Kind(models.TextChoices):
        # Shown on the cards and the statement's page, in the reader's language.
        DIRECT = "direct", gettext_lazy("Direct quote")
        PARTIAL = "partial", gettext_lazy("Partial quote")
        PARAPHRASE = "paraphrase", gettext_lazy("Paraphrase")
        SPEECH = "speech", gettext_lazy("Full statement or speech")

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        RETRACTED = "retracted", "Retracted"

    class Translator(models.TextChoices):
        # Shown on the statement's page, in the reader's language.
        PUBLISHER = "publisher", pgettext_lazy("translator", "The publisher's translation")
        CURATOR = "curator", pgettext_lazy("translator", "A curator's translation")

    class DatePrecision(models.TextChoices):
        DAY = "day", "Day"
        MONTH = "month", "Month"
        YEAR = "year", "Year"

    # Bounded (not by a maxlength attribute, which would cut a paste short without a word): PostgreSQL's
    # search document of a text much longer would pass its 1 MB limit.
    text = models.TextField(
        "words", validators=[MaxLengthValidator(MAX_TEXT)], help_text="Verbatim, without quotation marks."
    )
    kind = models.CharField(max_length=12, choices=Kind, default=Kind.DIRECT)
    language = models.CharField(max_length=12, default="en", help_text="Language of the words: en, ko, fr...")
    original_text = models.TextField(
        blank=True,
        validators=[MaxLengthValidator(MAX_TEXT)],
        help_text="The words in the original language, when a translation.",
    )
    original_language = models.CharField(max_length=12, blank=True)
    translated_by = models.CharField(
        max_length=10,
        choices=Translator,
        blank=True,
        db_default="",  # For raw writers that name the columns they know (INSERT ... SELECT), as before this one.
        help_text="Whose translation the words are, when they translate the original words.",
    )

    date = models.DateField(
        validators=[plausible_date],
        help_text="When it was said; the first day of the month or year for coarser dates.",
    )
    date_precision = models.CharField(max_length=5, choices=DatePrecision, default=DatePrecision.DAY)
    occasion = models.CharField(max_length=300, blank=True, help_text="Press conference, speech, interview...")

    # A merged record is no longer the person's: the forms and their autocomplete offer the one it went into.
    official = models.ForeignKey(
        Official,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="statements",
        limit_choices_to={"merged_into": None},
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="statements",
        help_text="Who the speaker spoke for; required when the speaker is unnamed.",
    )
    attribution_text = models.CharField(
        max_length=300, blank=True, help_text='As the source printed it: "a senior Foreign Ministry official".'
    )
    role = models.CharField(max_length=200, blank=True, help_text="The speaker's role at the time.")
    # The speaker's country, from the official or the organization unless set: what the explorer filters on.
    country = models.ForeignKey(Country, on_delete=models.PROTECT, null=True, blank=True, related_name="statements")

    topics = models.ManyToManyField(Topic, through=StatementTopic, related_name="statements", blank=True)
    mentioned_countries = models.ManyToManyField(
        Country, related_name="mentioned_in", blank=True, help_text="Countries mentioned or addressed."
    )
    sources = models.ManyToManyField(Source, through="Citation", related_name="statements")

    status = models.CharField(max_length=10, choices=Status, default=Status.DRAFT)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    # When it last became published, kept by the database (statements.derived) on every way in, bulk imports
    # included; none for statements published before alerts existed (migration 0021), which no alert waits for.
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # For statements that came from a bulk import: its identifier there ("ungdc:KOR:2024"), so a
    # re-import updates the statement instead of adding a copy, and the fields a curator has since
    # changed by hand, which a re-import leaves alone.
    external_id = models.CharField(max_length=100, blank=True, editable=False)
    locked_fields = ArrayField(models.CharField(max_length=50), default=list, blank=True, editable=False)

    # Kept by database triggers (statements.derived): the search document of the words, the speaker's
    # names and the attribution; and the ids of the statement's topics with their parents, so a topic
    # filter, its subtopics included, is one array test on the row.
    search_vector = SearchVectorField(null=True, editable=False)
    topic_ids = ArrayField(models.IntegerField(), default=list, editable=False)
    # Read in Python when the statement is written (MorphemesField), folded into search_vector by the trigger.
    search_morphemes = MorphemesField(null=True, editable=False)

    # A version holds its topics (with machine_assigned: simple_history copies the whole through row) and its
    # mentioned countries. Saves that change them after the statement's own row record the version once, at the
    # end: one_version(), record_history().
    history = HistoricalRecords(
        excluded_fields=["search_vector", "topic_ids", "published_at", "search_morphemes"],
        m2m_fields=[topics, mentioned_countries],
    )

    objects = StatementQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(official__isnull=False) | Q(organization__isnull=False),
                name="statement_has_speaker",
                violation_error_message="Give the official who spoke or, for an unnamed speaker, the organization.",
            ),
            models.CheckConstraint(
                condition=~Q(text=""), name="statement_has_words", violation_error_message="The words are empty."
            ),
            models.UniqueConstraint(
                fields=["external_id"], condition=~Q(external_id=""), name="statement_unique_external_id"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(reviewed_at__isnull=False),
                name="statement_reviewed_before_publication",
                violation_error_message="A published or retracted statement must have been reviewed.",
            ),
            without_controls(
                "statement_text_without_controls", "text", "original_text", "occasion", "attribution_text", "role"
            ),
        ]
        indexes = [
            # The explorer's pages walk these in order; INCLUDE lets a topic filter be checked in the index.
            models.Index(
                F("date").desc(),
                F("id").desc(),
                include=["topic_ids", "country"],
                condition=Q(status="published"),
                name="statement_published_by_date",
            ),
            models.Index(
                "country",
                F("date").desc(),
                F("id").desc(),
                include=["topic_ids"],
                condition=Q(status="published"),
                name="statement_country_by_date",
            ),
            # An official's page walks it; their statements are counted in it alone (with_statement_counts).
            models.Index(
                "official", F("date").desc(), condition=Q(status="published"), name="statement_official_by_date"
            ),
            models.Index("organization", F("date").desc(), name="statement_org_by_date"),
            # The alerts' digests read what was published since their last one.
            models.Index("published_at", condition=Q(status="published"), name="statement_published_at"),
            # The country's and the topics' entries beside the words', so a search in a country or a topic
            # intersects them inside the index instead of reading the whole posting list of a common word
            # (btree_gin), and reads the matches alone from the table (ExplorerQuery.ordered).
            GinIndex(fields=["search_vector", "country", "topic_ids"], name="statement_search"),
            # The pairs of neighbouring words (statements_bigrams, in statements.derived): a phrase of two words is
            # found here, not by checking the positions of every statement that holds both (search.matching_parts).
            GinIndex(
                models.Func("search_vector", function="statements_bigrams", output_field=SearchVectorField()),
                name="statement_bigrams",
            ),
        ]

    def __str__(self):
        return f"{self.speaker_label}: {Truncator(self.text).words(12)}"

    def save(self, *args, **kwargs):
        if not self.country_id:
            self.country_id = self.official.country_id if self.official_id else None
            if not self.country_id and self.organization_id:
                self.country_id = self.organization.country_id
        if not self.role and self.official_id:
            position = self.official.position_on(self.date)
            self.role = position.role if position else ""
        if kwargs.get("update_fields") is not None and MorphemesField.sources.keys() & set(kwargs["update_fields"]):
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_morphemes"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return statement_url(self.pk, self.slug)

    def clean(self):
        if self.translated_by and not self.original_text:
            raise ValidationError({"translated_by": "Only a translation has a translator: give the original words."})

    @property
    def slug(self):
        return statement_slug(self.speaker_label, self.text)

    @property
    def is_translation(self):
        return bool(self.original_text)

    @property
    def language_display(self):
        return local_language_name(self.language)

    @property
    def original_language_display(self):
        return local_language_name(self.original_language)

    @property
    def speaker_label(self):
        official = self.official.name if self.official_id else None
        return speaker_label(official, self.attribution_text, str(self.organization or ""))

    @property
    def date_display(self):
        return local_date(self.date, self.date_precision)

    def review(self, status, user=None):
        """Publish, retract or return to draft, recording who decided and when."""
        self.status = status
        if status != self.Status.DRAFT:
            self.reviewed_by, self.reviewed_at = user, timezone.now()

    @contextmanager
    def one_version(self):
        """Saves of the statement, its topics and its countries inside, recorded as one version of its history."""
        adding = self._state.adding
        self.skip_history_when_saving = True  # simple_history's own switch, for the statement and its m2m fields
        try:
            yield self
        finally:
            del self.skip_history_when_saving
        Statement.record_history([self], update=not adding)

    def save_version(self, user=None):
        """Record a change made to the statement's topics elsewhere: a new version, in the history as they are now."""
        self._history_user = user
        self.save(update_fields=["updated_at"])

    def set_topics(self, assigned):
        """Make the statement's topics these (topic id, machine-assigned) pairs; a topic deleted since is left out."""
        assigned = dict(assigned)
        self.topic_links.exclude(topic__in=assigned).delete()
        StatementTopic.objects.bulk_create(
            [
                StatementTopic(statement=self, topic_id=pk, machine_assigned=assigned[pk])
                for pk in Topic.objects.filter(pk__in=assigned).values_list("pk", flat=True)
            ],
            update_conflicts=True,
            unique_fields=["statement", "topic"],
            update_fields=["machine_assigned"],
        )

    @classmethod
    def record_history(cls, statements, *, update, reason=""):
        """History rows of statements saved without them (in bulk, or with one_version), topics and countries too.

        simple_history's bulk history leaves many-to-many fields out: each is copied here in one query.
        """
        versions = history_rows(cls, statements, update=update, reason=reason)
        if not versions:
            return
        copy_create(cls.history.model, versions)
        pairs = [[row.id for row in versions], [row.history_id for row in versions]]
        for field in cls.history.model._history_m2m_fields:
            through, kept = field.remote_field.through, getattr(cls.history.model, field.name).model
            columns = ", ".join(column.column for column in through._meta.concrete_fields)
            with connection.cursor() as cursor:
                cursor.execute(
                    f"INSERT INTO {kept._meta.db_table} ({columns}, history_id) "
                    f"SELECT {columns}, version.history_id FROM {through._meta.db_table} JOIN "
                    "unnest(%s::bigint[], %s::bigint[]) AS version(statement_id, history_id) USING (statement_id)",
                    pairs,
                )


class PublishedCount(models.Model):
    """How many published statements each country has on each topic, kept by triggers (statements.derived).

    The explorer's unfiltered counts and its country and topic facets come from this small table
    instead of counting a million rows. topic_id 0 counts all of a country's statements; country "*"
    counts all countries' (so that a total is one row, not a sum); country "" holds statements of
    speakers with no country.
    """

    country_code = models.CharField(max_length=4, blank=True)
    topic_id = models.IntegerField()
    statements = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["country_code", "topic_id"], name="published_count_key")]
        indexes = [models.Index("topic_id", "country_code", include=["statements"], name="published_count_by_topic")]

    def __str__(self):
        return f"{self.country_code or '-'}/{self.topic_id}: {self.statements}"


class OfficialCount(models.Model):
    """How many published statements each official has, kept by triggers (statements.derived): a country's page
    orders its officials by it, and the officials' list shows it. Counted from the statements, the busiest
    country's 3,387 officials took 65-94 ms at a million statements. An official with no statement ever published
    has no row; one whose statements were all retracted has 0."""

    official = models.OneToOneField(
        Official, on_delete=models.CASCADE, primary_key=True, related_name="published_count"
    )
    statements = models.IntegerField(default=0)

    def __str__(self):
        return f"{self.official_id}: {self.statements}"


class DataVersion(models.Model):
    """One row: a number that the triggers (statements.derived) change in every transaction that changes what the
    public pages show, and when. The cached public answers are keyed by it (diplotrack.caching)."""

    version = models.BigIntegerField(default=0)
    changed_at = models.DateTimeField()

    def __str__(self):
        return f"version {self.version} of {self.changed_at:%Y-%m-%d %H:%M:%S}"

    @classmethod
    def current(cls):
        """(version, changed_at): one small read, where the request's other reads go (a replica's data has its own
        version); none when the request has read it already (`read_once`)."""
        kept = _version_read.get()
        if kept is None:
            return cls._read()
        if not kept:  # The first call inside read_once() without a version.
            kept.append(cls._read())
        return kept[0]

    @staticmethod
    def _read():
        with replicas.reading().cursor() as cursor:
            cursor.execute("SELECT version, changed_at FROM statements_dataversion WHERE id = 1")
            return cursor.fetchone()

    @staticmethod
    @contextmanager
    def read_once(version=None):
        """Inside, current() is this version, as read: a public answer's (diplotrack.caching), which its filters'
        topics and countries are then read under (statements.filters.reference), without reading it again. None: the
        version read by the first current() inside, and kept (a GET's: diplotrack.caching), so that each answer
        kept per data version (per_data_version) costs a request no read of its own."""
        token = _version_read.set([] if version is None else [version])
        try:
            yield
        finally:
            _version_read.reset(token)


# The data version this request has read already, in a list (DataVersion.read_once): empty until it is read.
_version_read = contextvars.ContextVar("data_version_read", default=None)


def per_data_version(function):
    """A function of hashable arguments whose answers hold until the data version changes (DataVersion: the triggers
    change it in the transaction of any change to what the public pages show): each answer computed once in this
    process under a version, and again under the next. The version with its time: a number a rolled-back transaction
    had taken may be taken again by the next. Without the version's row (a test's emptied tables), computed each
    time."""
    kept_version, answers = None, {}

    @functools.wraps(function)
    def under_the_version(*args):
        nonlocal kept_version, answers
        version = DataVersion.current()
        if version is None:
            return function(*args)
        if version != kept_version or len(answers) >= 1000:  # At most a thousand (arguments come from requests).
            kept_version, answers = version, {}
        if args not in answers:
            answers[args] = function(*args)
        return answers[args]

    return under_the_version


class PublishedMonth(models.Model):
    """PublishedCount again for each month (its first day): the timelines of the views that PublishedCount counts,
    read from a few hundred rows instead of counting a million statements by date. Kept by the same triggers."""

    country_code = models.CharField(max_length=4, blank=True)
    topic_id = models.IntegerField()
    month = models.DateField()
    statements = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["country_code", "topic_id", "month"], name="published_month_key")
        ]

    def __str__(self):
        return f"{self.country_code or '-'}/{self.topic_id}/{self.month:%Y-%m}: {self.statements}"


class Citation(Versioned):
    """A statement as reported in a source, with the quotation's place in the source's text."""

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="citations")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="citations")
    start_offset = models.PositiveIntegerField(null=True, blank=True, help_text="Where the words start in the text.")
    end_offset = models.PositiveIntegerField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["statement", "source"], name="citation_once_per_source"),
            models.CheckConstraint(
                condition=Q(start_offset__isnull=True, end_offset__isnull=True) | Q(end_offset__gt=F("start_offset")),
                name="citation_offsets_in_order",
                violation_error_message="Give both offsets, the end after the start.",
            ),
        ]

    def __str__(self):
        return str(self.source)

    def clean(self):
        if self.end_offset is not None and self.source_id and self.end_offset > len(self.source.full_text):
            raise ValidationError({"end_offset": "The offsets run past the end of the source's text."})


class Alert(models.Model):
    """An email address that asked to hear of new statements matching an explorer view: no account, no password.

    Only the address, the query and dates are kept; the links in its emails carry signed tokens (statements.alerts).
    """

    class Frequency(models.TextChoices):
        DAILY = "daily", "Daily"
        WEEKLY = "weekly", "Weekly"

    email = models.EmailField(max_length=254)
    # The explorer's parameters as applied (ExplorerQuery.applied_query): "country=KR&topic=us-alliance"; "" for all.
    query = models.CharField(max_length=2000, blank=True)
    frequency = models.CharField(max_length=6, choices=Frequency, default=Frequency.WEEKLY)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # The high-water mark: statements published before it have been considered for a digest (sent or none new).
    sent_until = models.DateTimeField(null=True, blank=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["email", "query"]
        constraints = [models.UniqueConstraint(fields=["email", "query"], name="alert_once_per_query")]
        indexes = [models.Index("frequency", "query", condition=Q(confirmed_at__isnull=False), name="alert_due")]

    def __str__(self):
        return f"{self.email}: {self.query or 'all statements'} ({self.frequency})"


def organization_label(name, country_code):
    """An organization as a statement's speaker names it: Ministry of Foreign Affairs (KR)."""
    return f"{name} ({country_code})" if country_code else name or ""


def speaker_label(official, attribution_text, organization):
    """Who said it: the official's name; else the attribution as printed; else the organization's label."""
    return official or attribution_text or organization


def statement_slug(speaker, text):
    """The readable part of a statement's URL: its speaker and first words ("" when none are in Latin letters)."""
    return slugify(f"{speaker} {first_words(text, 8, truncate='')}")[:80].strip("-")


def statement_url(pk, slug):
    return address("statement_detail", pk, slug) if slug else address("statement_detail", pk)


# Reversed in place of an id, slug or code, then replaced by it (address).
PLACEHOLDER = "4294967295"
_reversed = {}


def address(name, *args):
    """reverse(name, args=args), each URL pattern reversed once a process (for each script prefix): reverse() takes
    some 40 µs, and a page links dozens of officials, topics and countries. For the ids, slugs and codes our
    patterns take as they are: no converter changes them, none needs quoting."""
    return filled(address_parts(name, len(args)), args)


def address_parts(name, count):
    """A URL pattern of `count` arguments as the parts between them (address), under this request's script prefix."""
    key = (name, count, get_script_prefix())
    parts = _reversed.get(key)
    if parts is None:
        parts = _reversed[key] = reverse(name, args=[PLACEHOLDER] * count).split(PLACEHOLDER)
    return parts


def filled(parts, args):
    """An address from its pattern's parts (address_parts) and its arguments."""
    return "".join(part + str(arg) for part, arg in zip(parts, args, strict=False)) + parts[-1]


def language_name(code):
    """A language code's English name (ko, ko-KR: Korean; fil: Filipino), else the code itself."""
    base = (code or "").split("-")[0].lower()
    found = pycountry.languages.get(**{"alpha_2" if len(base) == 2 else "alpha_3": base}) if base else None
    return found.name if found else code


def local_language_name(code):
    """A language's name as the public pages show it: its English name (language_name), or in another language as
    the Unicode CLDR names it there (ko: 한국어, en: 영어)."""
    return cldr_names("languages").get((code or "").split("-")[0].lower()) or language_name(code)


def display_date(date, precision):
    """A date at its precision: 12 November 2024, November 2024 or 2024."""
    if precision == Statement.DatePrecision.YEAR:
        return f"{date:%Y}"
    if precision == Statement.DatePrecision.MONTH:
        return f"{date:%B %Y}"
    return f"{date.day} {date:%B %Y}"


# display_date's formats in the reader's language, translated: Django's date format characters ("Y년 n월 j일").
# The templates' dates take the same: {{ date|date:_("j F Y") }}.
LOCAL_DATE_FORMATS = {
    "day": gettext_lazy("j F Y"),
    "month": gettext_lazy("F Y"),
    "year": gettext_lazy("Y"),
    "short": gettext_lazy("j M Y"),
    "short month": gettext_lazy("M Y"),
}
# The same in English, ten times faster than the date format (a timeline labels hundreds of periods).
ENGLISH_DATES = {
    "short": lambda date: f"{date.day} {date:%b %Y}",
    "short month": lambda date: f"{date:%b %Y}",
}


def local_date(date, precision="day", language=None):
    """A date as the pages show it, in the reader's language (the active one; `language` when the caller asked it
    already): 12 November 2024, 2024년 11월 12일; "short" for the sources' dates and a timeline's weeks, 12 Nov 2024;
    "short month" for its months, Nov 2024. Citations and feeds keep display_date's English."""
    if (language or get_language()) in (None, "en"):
        english = ENGLISH_DATES.get(precision)
        return english(date) if english else display_date(date, precision)
    return dateformat.format(date, LOCAL_DATE_FORMATS[precision])


def unique_keys(obj, changes):
    """Lock keys (for hold_lock) of the row's values, with these changes by field name, of each unique field or set
    of fields of its model: the same key as unique_slug's (SluggedQuerySet) for a slug, so that a form and a save
    wait for each other.
    """
    opts = obj._meta
    unique = [[field] for field in opts.fields if field.unique and not field.primary_key]
    unique += [
        [opts.get_field(name) for name in constraint.fields]
        for constraint in opts.constraints
        if isinstance(constraint, models.UniqueConstraint) and constraint.fields
    ]
    for fields in unique:
        values = [changes[field.name] if field.name in changes else getattr(obj, field.attname) for field in fields]
        if all(value not in (None, "") for value in values):
            yield (opts.db_table, *[field.name for field in fields], *values)


def take_ids(model, rows):
    """Give the rows without a primary key the next ones of the table's sequence, before they are inserted."""
    missing = [row for row in rows if row.pk is None]
    if missing:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [model._meta.db_table, model._meta.pk.column, len(missing)],
            )
            for row, (pk,) in zip(missing, cursor.fetchall(), strict=True):
                row.pk = pk


def copy_create(model, rows):
    """bulk_create() through PostgreSQL's COPY: each field's value as bulk_create gives it (defaults, auto_now, the
    database's form), streamed rather than spelled into one INSERT that Django's client-side binding quotes value by
    value in Python, most of the time of inserting thousands of speeches. Rows without a primary key get theirs from
    the sequence first, as bulk_create returns them. Triggers run as for an INSERT."""
    if not rows:
        return
    take_ids(model, rows)
    meta = model._meta
    with connection.cursor() as cursor:
        fields = meta.concrete_fields
        columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
        with cursor.cursor.copy(f"COPY {connection.ops.quote_name(meta.db_table)} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([field.get_db_prep_save(copied(field, row), connection) for field in fields])
    for row in rows:
        row._state.adding, row._state.db = False, connection.alias


def copied(field, row):
    """A field's value as bulk_create would insert it; COPY sends a value for every column, so a column's database
    default (db_default, which bulk_create leaves to the database) is sent as its value."""
    value = field.pre_save(row, True)
    if isinstance(value, DatabaseDefault):
        default = field.db_default  # A plain value here; an expression (Now()) would need the database.
        value = default.value if isinstance(default, Value) else default
        setattr(row, field.attname, value)
    return value


def history_rows(model, rows, *, update, reason=""):
    """The history rows simple_history's bulk_history_create() makes for rows saved in bulk, not yet written (for
    copy_create: they hold a statement's words again)."""
    history, now = model.history.model, timezone.now()
    return [
        history(
            history_date=getattr(row, "_history_date", now),
            history_user=getattr(row, "_history_user", history.get_default_history_user(row)),
            history_change_reason=get_change_reason_from_object(row) or reason,
            history_type="~" if update else "+",
            **{field.attname: getattr(row, field.attname) for field in history.tracked_fields},
        )
        for row in rows
    ]


def copy_create_with_history(model, rows, reason=""):
    """copy_create() the rows and their history."""
    copy_create(model, rows)
    copy_create(model.history.model, history_rows(model, rows, update=False, reason=reason))


def bulk_update_with_history(model, rows, fields, reason=""):
    """bulk_update() the rows' fields and copy_create() their history."""
    model.objects.bulk_update(rows, fields)
    copy_create(model.history.model, history_rows(model, rows, update=True, reason=reason))


def lock_in_order(model, pks):
    """Lock these rows until the transaction ends, in the order of their ids, as every caller takes them."""
    list(model.objects.select_for_update().filter(pk__in=pks).order_by("pk").values_list("pk"))


def hold_lock(*key):
    """Wait for PostgreSQL's advisory lock on this key, and hold it until the transaction ends.

    So that a check and the insert it allows (is this slug free? is this person known?) are one step for all who
    take the same lock: the second waits for the first to commit, then sees its row.
    """
    if not connection.in_atomic_block:
        raise TransactionManagementError("An advisory lock held until the transaction ends needs a transaction.")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", ["\x1f".join(map(str, key))])


# The intake's models (feeds, fetched documents, the inbox) are this app's too; they build on the models above.
from statements.intake.models import Candidate, Document, DocumentVersion, Feed, ReviewFlag  # noqa: E402, F401
