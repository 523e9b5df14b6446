# The relation between schemes and the course types they offer, declared here instead of on
# schemes.Scheme (schemes 0002). State only: the table schemes_scheme_course_types, with its
# scheme_id and coursetype_id columns, is the one schemes 0001 made.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0002_sessions_enrolment_waitlist_settings"),
        ("schemes", "0002_course_types_kept_by_courses"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name="coursetype",
                    name="schemes",
                    field=models.ManyToManyField(
                        blank=True,
                        db_table="schemes_scheme_course_types",
                        related_name="course_types",
                        to="schemes.scheme",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
