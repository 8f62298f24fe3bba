import io

import pytest
from django.core.management import CommandError, call_command

from statements import derived, search
from statements.models import Official, PublishedCount, PublishedMonth, Statement, Topic
from tests.factories import make_statement

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_it_generates_statements_with_their_derived_columns_and_counts():
    call_command("generate_synthetic", statements=300, officials=40, stdout=io.StringIO())
    assert Statement.objects.count() == 300
    assert Official.objects.filter(slug__startswith="syn-").count() == 40
    assert Topic.objects.filter(slug__startswith="syn-").count() == 100
    assert not Statement.objects.filter(search_vector=None).exists()
    statement = Statement.objects.exclude(topic_ids=[]).first()
    parents = set(Topic.objects.filter(pk__in=statement.topic_ids).values_list("parent_id", flat=True))
    assert parents - {None} <= set(statement.topic_ids)
    counted = PublishedCount.objects.get(country_code="US", topic_id=0).statements
    assert counted == Statement.objects.published().filter(country="US").count()
    # Run again: the previous synthetic data is replaced, not doubled.
    call_command("generate_synthetic", statements=100, officials=10, stdout=io.StringIO())
    assert Statement.objects.count() == 100


def test_it_refuses_a_database_with_real_statements():
    make_statement()
    with pytest.raises(CommandError, match="holds 1 real statement"):
        call_command("generate_synthetic", statements=10)


def published_counts():
    totals = PublishedCount.objects.values_list("country_code", "topic_id", "statements")
    by_month = PublishedMonth.objects.values_list("country_code", "topic_id", "month", "statements")
    return set(totals.exclude(statements=0)) | set(by_month.exclude(statements=0))


def test_its_rows_have_the_derived_data_of_rows_saved_the_normal_way():
    call_command("generate_synthetic", statements=300, officials=40, stdout=io.StringIO())
    counted = published_counts()
    derived.recount_published()
    assert published_counts() == counted

    generated = list(Statement.objects.select_related("official").prefetch_related("topics").order_by("pk")[:60])
    assert {statement.official is None for statement in generated} == {True, False}
    assert {statement.language for statement in generated} == {"en", "ko"}  # A tenth in Korean.
    for statement in generated:
        copy = Statement(
            text=statement.text,
            language=statement.language,
            kind=statement.kind,
            date=statement.date,
            official=statement.official,
            organization_id=statement.organization_id,
            attribution_text=statement.attribution_text,
            country_id=statement.country_id,
        )
        copy.review(statement.status)
        copy.save()
        copy.set_topics((topic.pk, False) for topic in statement.topics.all())
        copy.refresh_from_db()
        assert (copy.search_vector, copy.topic_ids) == (statement.search_vector, statement.topic_ids)
    counted = published_counts()
    derived.recount_published()
    assert published_counts() == counted

    for official in Official.objects.filter(slug__startswith="syn-")[:10]:
        names = (official.sort_name, official.name_keys)
        official.save()
        official.refresh_from_db()
        assert (official.sort_name, official.name_keys) == names


def test_a_tenth_of_its_statements_are_korean_and_korean_search_finds_them():
    call_command("generate_synthetic", statements=400, officials=40, stdout=io.StringIO())
    korean = Statement.objects.filter(language="ko")
    assert 20 <= korean.count() <= 60
    assert not korean.filter(search_morphemes=None).exists()
    assert Statement.objects.filter(search.matching("북한은")).filter(language="ko").exists()


def test_the_korean_share_is_a_share():
    with pytest.raises(CommandError, match="--korean is a share"):
        call_command("generate_synthetic", statements=10, korean=2)
