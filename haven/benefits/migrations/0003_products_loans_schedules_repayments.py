"""Empty on purpose: made by a makemigrations run of the loans app that caught the benefits core's model
change (now in 0002) before its own migration existed. Kept so that migrations depending on it still
resolve; the lead may fold it away by pointing those at 0002."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("benefits", "0002_cycle_progress_and_transitions")]
    operations = []
