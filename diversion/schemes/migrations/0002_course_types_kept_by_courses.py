# The scheme's course types are declared on courses.CourseType (as `schemes`) from now on, so
# that the schemes app knows nothing of courses. State only: the table stays as it is, and
# courses 0003 declares the same relation on the same table.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("schemes", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.RemoveField(model_name="scheme", name="course_types")],
            database_operations=[],
        ),
    ]
