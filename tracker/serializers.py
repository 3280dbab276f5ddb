from rest_framework import serializers

from .models import Episode, Relief, Symptom


class ChoiceSetField(serializers.MultipleChoiceField):
    """A set of enum values on the wire as a JSON list, kept in the enum's order."""

    def __init__(self, choices_enum, **kwargs):
        self.choices_enum = choices_enum
        super().__init__(choices=choices_enum.choices, required=False, **kwargs)

    def to_internal_value(self, data):
        chosen = super().to_internal_value(data)
        return [value for value in self.choices_enum.values if value in chosen]

    def to_representation(self, value):
        return list(value)


class EpisodeSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(
        required=False,
        help_text="Optional on create. Send the same id again and the stored episode "
        "is returned (200) instead of a second one.",
    )
    symptoms = ChoiceSetField(Symptom)
    relief = ChoiceSetField(Relief)

    class Meta:
        model = Episode
        fields = [
            "id",
            "started_at",
            "duration_seconds",
            "site",
            "side",
            "intensity",
            "activity",
            "activity_detail",
            "hydration",
            "fluid_ml",
            "symptoms",
            "recent_fluid_loss",
            "relief",
            "relief_helped",
            "notes",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None:
            fields["id"].read_only = True  # an episode keeps its id for life
        return fields
