import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def test_it_creates_a_staff_user_in_the_curators_group(monkeypatch):
    monkeypatch.setattr("getpass.getpass", lambda prompt: "a-long-enough-passphrase")
    call_command("add_curator", "alice")
    alice = User.objects.get(username="alice")
    assert alice.is_staff and alice.check_password("a-long-enough-passphrase")
    assert list(alice.groups.values_list("name", flat=True)) == ["Curators"]


def test_it_refuses_a_weak_password_and_creates_nothing(monkeypatch):
    monkeypatch.setattr("getpass.getpass", lambda prompt: "123")
    with pytest.raises(CommandError, match="too short"):
        call_command("add_curator", "bob")
    assert not User.objects.exists()
