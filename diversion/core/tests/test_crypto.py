from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.db import connection, models
from django.test.utils import isolate_apps, override_settings
from hypothesis import given
from hypothesis import strategies as st

from diversion.core import crypto
from diversion.core.fields import EncryptedTextField
from diversion.core.management.commands.reencrypt import reencrypt_column

OLD_KEY, NEW_KEY = Fernet.generate_key().decode(), Fernet.generate_key().decode()


@pytest.fixture
def secret_note_model(transactional_db: Any) -> Iterator[type[models.Model]]:
    """A throw-away model with an encrypted column, created for the test and dropped after."""
    with isolate_apps("diversion.core"):

        class SecretNote(models.Model):
            text = EncryptedTextField(blank=True)

            class Meta:
                app_label = "core"
                db_table = "test_secret_note"

        with connection.schema_editor() as editor:
            editor.create_model(SecretNote)
        try:
            yield SecretNote
        finally:
            with connection.schema_editor() as editor:
                editor.delete_model(SecretNote)


def _raw(model: type[models.Model], pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM test_secret_note WHERE id = %s", [pk])
        return str(cursor.fetchone()[0])


def test_an_encrypted_value_round_trips_and_is_not_stored_in_plain_text(
    secret_note_model: Any,
) -> None:
    note = secret_note_model.objects.create(text="Uses heroin daily; lives with partner")
    stored = _raw(secret_note_model, note.pk)
    assert "heroin" not in stored
    assert secret_note_model.objects.get(pk=note.pk).text == "Uses heroin daily; lives with partner"


def test_encrypted_fields_refuse_searches_that_cannot_work(secret_note_model: Any) -> None:
    with pytest.raises(TypeError, match="cannot be searched"):
        list(secret_note_model.objects.filter(text__icontains="heroin"))


def test_keys_can_be_rotated_and_old_values_re_encrypted(secret_note_model: Any) -> None:
    with override_settings(FIELD_ENCRYPTION_KEYS=[OLD_KEY]):
        note = secret_note_model.objects.create(text="first")
        secret_note_model.objects.create(text="second")
    with override_settings(FIELD_ENCRYPTION_KEYS=[NEW_KEY, OLD_KEY]):
        assert secret_note_model.objects.get(pk=note.pk).text == "first"  # old key still reads
        assert not crypto.encrypted_with_primary_key(_raw(secret_note_model, note.pk))
        rotated, total = reencrypt_column(secret_note_model, "text")
        assert (rotated, total) == (2, 2)
        assert crypto.encrypted_with_primary_key(_raw(secret_note_model, note.pk))
        assert reencrypt_column(secret_note_model, "text") == (0, 2)  # nothing twice
    with override_settings(FIELD_ENCRYPTION_KEYS=[NEW_KEY]):  # old key retired
        assert sorted(n.text for n in secret_note_model.objects.all()) == ["first", "second"]


def test_a_value_no_configured_key_can_read_is_an_error_not_garbage(secret_note_model: Any) -> None:
    with override_settings(FIELD_ENCRYPTION_KEYS=[OLD_KEY]):
        note = secret_note_model.objects.create(text="secret")
    with override_settings(FIELD_ENCRYPTION_KEYS=[NEW_KEY]), pytest.raises(crypto.DecryptionError):
        secret_note_model.objects.get(pk=note.pk)


@given(st.text(max_size=200))
def test_encrypt_then_decrypt_gives_back_any_text(text: str) -> None:
    assert crypto.decrypt(crypto.encrypt(text)) == text


def test_blind_indexes_match_equal_names_however_they_are_typed() -> None:
    one = crypto.blind_index(crypto.normalise_name("Siobhán O'Brien-Smith "), purpose="name")
    two = crypto.blind_index(crypto.normalise_name("SIOBHAN OBRIEN SMITH"), purpose="name")
    assert one == two
    assert one != crypto.blind_index(crypto.normalise_name("Siobhan Smith"), purpose="name")


def test_blind_indexes_differ_by_purpose_and_by_key() -> None:
    assert crypto.blind_index("x", purpose="name") != crypto.blind_index("x", purpose="phone")
    with override_settings(BLIND_INDEX_KEY="another key"):
        other = crypto.blind_index("x", purpose="name")
    assert other != crypto.blind_index("x", purpose="name")
