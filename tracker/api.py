from django.core.exceptions import ValidationError as DjangoValidationError
from django.middleware.csrf import get_token
from django.utils import timezone
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.context_processors import outbox_owner
from accounts.models import zone_for

from . import alerts, logbook
from .filters import EpisodeFilter
from .models import Alert, Episode, Medication
from .problems import ProblemSerializer, field_errors
from .serializers import (
    UUID_FORM,
    AlertSerializer,
    BatchResultSerializer,
    EpisodeBatchSerializer,
    EpisodeSerializer,
    MedicationSerializer,
)


class InUserTimeZone:
    """Token users are only known after the middleware ran: answer in their time zone too."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.user.is_authenticated:
            timezone.activate(zone_for(request.user))


class EpisodeGone(APIException):
    """410, not 400: the episode was fine, the person deleted it, and a resend must stop."""

    status_code = status.HTTP_410_GONE
    default_detail = (
        "You deleted the episode with this id, so it is not created again. "
        "Drop it, or send a new id to log a new one."
    )
    default_code = "deleted"


@extend_schema_view(
    list=extend_schema(summary="The user's episodes, newest first"),
    create=extend_schema(
        summary="Log an episode",
        responses={
            201: EpisodeSerializer,
            200: OpenApiResponse(EpisodeSerializer, "Already stored: this id was sent before."),
            410: OpenApiResponse(
                ProblemSerializer,
                "You deleted the episode with this id (perhaps on another device): it is "
                "not created again. An app should drop its copy and stop resending it.",
            ),
        },
    ),
)
class EpisodeViewSet(InUserTimeZone, viewsets.ModelViewSet):
    """The user's cramp episodes; times are answered in the user's time zone."""

    serializer_class = EpisodeSerializer
    filterset_class = EpisodeFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no user
            return Episode.objects.none()
        return self.request.user.episodes.all()

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            episode, created = logbook.record_episode(
                user=request.user, fields=serializer.validated_data
            )
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.message_dict) from None
        except logbook.EpisodeDeleted:
            raise EpisodeGone from None
        serializer.instance = episode  # answer with what is stored, which for a resend is the first
        answer = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(serializer.data, status=answer)

    @extend_schema(
        summary="Log many episodes at once",
        description="What a phone sends after being offline: up to 100 episodes, each "
        "saved exactly once by its id, each with its own outcome. One bad episode is refused "
        "alone (outcome `refused`, with `errors`); the others are saved.",
        request=EpisodeBatchSerializer,
        responses={200: BatchResultSerializer},
    )
    @action(detail=False, methods=["post"], url_path="batch")
    def batch(self, request):
        sent = EpisodeBatchSerializer(data=request.data)
        sent.is_valid(raise_exception=True)
        checked = [self.get_serializer(data=item) for item in sent.validated_data["episodes"]]
        valid = [serializer.validated_data for serializer in checked if serializer.is_valid()]
        saved = iter(logbook.record_batch(user=request.user, episodes=valid))
        results = []
        for serializer in checked:
            outcome, episode, errors = (
                next(saved) if not serializer.errors else ("refused", None, serializer.errors)
            )
            result = {
                "id": episode.id if episode else _sent_id(serializer),
                "outcome": outcome,
                "errors": field_errors(errors) if errors else {},
            }
            if episode:
                result["episode"] = self.get_serializer(episode).data
            results.append(result)
        return Response({"results": results})

    def perform_update(self, serializer):
        logbook.update_episode(episode=serializer.instance, fields=serializer.validated_data)

    def perform_destroy(self, instance):
        logbook.delete_episode(episode=instance)


def _sent_id(serializer) -> str | None:
    """The id an episode was sent with, if it was a well-formed one: the phone's key for it."""
    sent = serializer.initial_data.get("id")
    return sent if isinstance(sent, str) and UUID_FORM.fullmatch(sent) else None


class MedicationViewSet(InUserTimeZone, viewsets.ModelViewSet):
    """The user's medicines, with the days taken: some are known to bring on cramps."""

    serializer_class = MedicationSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Medication.objects.none()
        return self.request.user.medications.all()

    def perform_create(self, serializer):
        medication = Medication(user=self.request.user, **serializer.validated_data)
        serializer.instance = logbook.save_medication(medication=medication)

    def perform_update(self, serializer):
        for name, value in serializer.validated_data.items():
            setattr(serializer.instance, name, value)
        logbook.save_medication(medication=serializer.instance)

    def perform_destroy(self, instance):
        logbook.delete_medication(medication=instance)


class AlertViewSet(InUserTimeZone, viewsets.ReadOnlyModelViewSet):
    """The user's open alerts, most recent first; acknowledged ones stay until they close."""

    serializer_class = AlertSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Alert.objects.none()
        open_alerts = alerts.of(user=self.request.user).filter(closed_at__isnull=True)
        return open_alerts.prefetch_related("episodes")

    @extend_schema(request=None, responses=AlertSerializer, summary="Mark one alert seen")
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        alert = alerts.acknowledge(alert=self.get_object())
        return Response(self.get_serializer(alert).data)


class CsrfTokenSerializer(serializers.Serializer):
    csrf_token = serializers.CharField(help_text="Send it as the X-CSRFToken header.")
    owner = serializers.CharField(
        help_text="Who is signed in, as the pages tag the cramps waiting on a phone: the "
        "outbox sends only this person's."
    )


class CsrfTokenView(APIView):
    """The session's CSRF token, read when the outbox sends: a cramp may wait on the phone
    longer than the session it was saved in, and log-in rotates the token."""

    @extend_schema(
        summary="A CSRF token for the signed-in browser session",
        description="Only for pages and the service worker; token clients need no CSRF token.",
        responses=CsrfTokenSerializer,
    )
    def get(self, request):
        owner = outbox_owner(request.user)
        response = Response({"csrf_token": get_token(request), "owner": owner})
        response["Cache-Control"] = "no-store"
        return response
