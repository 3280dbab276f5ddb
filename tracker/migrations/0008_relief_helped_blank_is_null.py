"""relief_helped is one of its choices or null: an empty string from older API clients
becomes null, so every stored episode matches the schema."""

from django.db import migrations


def blank_to_null(apps, schema_editor):
    Episode = apps.get_model("tracker", "Episode")
    Episode.objects.filter(relief_helped="").update(relief_helped=None)


class Migration(migrations.Migration):
    dependencies = [("tracker", "0007_episode_time_zone")]

    operations = [migrations.RunPython(blank_to_null, migrations.RunPython.noop)]
