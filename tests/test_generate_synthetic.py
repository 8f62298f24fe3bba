import io

import pytest
from django.core.management import CommandError, call_command

from statements.models import Official, PublishedCount, Statement, Topic
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
