from django.db import migrations, models

import tracker.zones


def keep_owner_zone(apps, schema_editor):
    """Until now every cramp was shown in its owner's zone: that is where it happened.

    One UPDATE per zone in use (a handful), not one per episode.
    """
    Episode = apps.get_model("tracker", "Episode")
    Profile = apps.get_model("accounts", "Profile")
    for zone in Profile.objects.values_list("time_zone", flat=True).distinct():
        Episode.objects.filter(user__profile__time_zone=zone).update(time_zone=zone)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0007_health_context"),
        ("tracker", "0006_export_rate_limit_counts"),
    ]

    operations = [
        migrations.AddField(
            model_name="episode",
            name="time_zone",
            field=models.CharField(
                default="UTC",
                max_length=64,
                validators=[tracker.zones.validate_zone_name],
            ),
        ),
        migrations.RunPython(keep_owner_zone, migrations.RunPython.noop, elidable=True),
    ]
