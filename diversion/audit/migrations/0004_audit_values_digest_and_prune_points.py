"""Audit events hash a salted digest of their personal values (version 2), so that an erased
person's events keep verifiable hashes without the values; prune points let a chain start after
events removed at the end of their retention period.

Events already written keep version 1 (their hash is over the values themselves) and verify as
before: nothing is re-hashed, so the signed checkpoints of the heads stay valid. On PostgreSQL the
append-only trigger now lets through exactly two things: dropping an event's personal values
(every other column unchanged, erased_at set) and removing events behind the chain's prune point.
"""

from django.db import migrations, models

TRIGGER = """
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF EXISTS (
            SELECT 1 FROM audit_auditprunepoint p
            WHERE p.chain = OLD.chain AND p.sequence >= OLD.sequence
        ) THEN
            RETURN OLD;
        END IF;
    ELSIF OLD.erased_at IS NULL AND NEW.erased_at IS NOT NULL
        AND NEW.changes = '{}'::jsonb AND NEW.reason = '' AND NEW.values_salt = ''
        AND NEW.id = OLD.id AND NEW.chain = OLD.chain AND NEW.sequence = OLD.sequence
        AND NEW.occurred_at = OLD.occurred_at
        AND NEW.actor_id IS NOT DISTINCT FROM OLD.actor_id
        AND NEW.actor_label = OLD.actor_label
        AND NEW.organisation_id IS NOT DISTINCT FROM OLD.organisation_id
        AND NEW.scheme_id IS NOT DISTINCT FROM OLD.scheme_id
        AND NEW.action = OLD.action AND NEW.object_type = OLD.object_type
        AND NEW.object_id = OLD.object_id AND NEW.request_id = OLD.request_id
        AND NEW.previous_hash = OLD.previous_hash AND NEW.hash = OLD.hash
        AND NEW.version = OLD.version
        AND (OLD.version = 1 OR NEW.values_digest = OLD.values_digest)
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit events are append-only';
END;
$$ LANGUAGE plpgsql;
"""

PREVIOUS = """
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only';
END;
$$ LANGUAGE plpgsql;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGGER)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PREVIOUS)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_audit_events_in_several_chains")]

    operations = [
        migrations.CreateModel(
            name="AuditPrunePoint",
            fields=[
                ("chain", models.PositiveSmallIntegerField(primary_key=True, serialize=False)),
                ("sequence", models.BigIntegerField()),
                ("hash", models.CharField(max_length=64)),
                ("cutoff", models.DateTimeField()),
                ("pruned_at", models.DateTimeField()),
                ("signature", models.CharField(max_length=64)),
            ],
        ),
        migrations.AddField(
            model_name="auditevent",
            name="erased_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="values_digest",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="values_salt",
            field=models.CharField(blank=True, max_length=32),
        ),
        # Events already written were hashed as version 1; events from now on as version 2.
        migrations.AddField(
            model_name="auditevent",
            name="version",
            field=models.PositiveSmallIntegerField(default=1),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="version",
            field=models.PositiveSmallIntegerField(default=2),
        ),
        migrations.RunPython(forwards, backwards),
    ]
