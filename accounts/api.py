from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.cache import add_never_cache_headers
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from tracker.api_schema import TOO_MANY
from tracker.serializers import StrictJSON

from . import services, tokens
from .models import ApiToken
from .views import locked_out

User = get_user_model()


class RegistrationSerializer(StrictJSON, serializers.Serializer):
    username = serializers.RegexField(
        r"^[\w.@+-]+\Z",
        max_length=150,
        error_messages={"invalid": "Use letters, digits and @ . + - _ only."},
        help_text="Letters of any alphabet, digits and @ . + - _ only.",
    )
    password = serializers.CharField(
        write_only=True,
        min_length=8,
        max_length=128,
        style={"input_type": "password"},
        help_text="At least 8 characters, not only digits, not a common password, not too "
        "like the username or e-mail.",
    )
    email = serializers.EmailField(
        required=False,
        max_length=254,
        help_text="Leave it out if you have none. Checked as Django does: the domain needs "
        "a dot and a top-level name of at least two characters.",
    )

    def validate(self, attrs):
        user = User(username=attrs["username"], email=attrs.get("email", ""))
        try:
            validate_password(attrs["password"], user=user)
        except DjangoValidationError as error:
            raise serializers.ValidationError({"password": list(error.messages)}) from None
        return attrs


class AccountSerializer(serializers.Serializer):
    username = serializers.CharField()
    email = serializers.EmailField(required=False, help_text="Absent when none was given")


class RegistrationView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(
        summary="Make an account",
        request=RegistrationSerializer,
        responses={201: AccountSerializer},
        description="Answers 201 whether or not the username was free, so it cannot be used "
        "to learn who has an account: if it was taken, the token endpoint refuses the password.",
    )
    def post(self, request):
        serializer = RegistrationSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        services.sign_up(**serializer.validated_data)
        data = serializer.validated_data
        answer = {"username": data["username"]}
        if data.get("email"):
            answer["email"] = data["email"]
        return Response(AccountSerializer(answer).data, status=status.HTTP_201_CREATED)


class TokenRequestSerializer(StrictJSON, AuthTokenSerializer):
    name = serializers.CharField(
        max_length=100,
        required=False,
        allow_blank=True,
        default="",
        help_text="Which app or device holds the key, to tell keys apart in the list.",
    )


class TokenAnswerSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Send as `Authorization: Bearer <token>`.")
    expiry = serializers.DateTimeField(help_text="The key stops working at this time.")


class TokenView(APIView):
    """A new API key for the right username and password, answering a lockout (django-axes)
    as the log-in page does.

    Axes marks the request it saw, which here is DRF's wrapper, so its middleware never
    notices; the view asks instead.
    """

    permission_classes = [AllowAny]
    authentication_classes = []
    parser_classes = api_settings.DEFAULT_PARSER_CLASSES  # DRF's own list has the unsafe JSON

    @extend_schema(
        summary="A new API key for a username and password",
        request=TokenRequestSerializer,
        responses={200: TokenAnswerSerializer, 429: TOO_MANY},
        description="Each call makes a new key, shown only in this answer (the server keeps "
        "a hash). Keys expire (`expiry`); list and revoke them at /api/v1/auth/tokens/. "
        "429 after too many wrong passwords for the account from one address.",
    )
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data, context={"request": request})
        try:
            serializer.is_valid(raise_exception=True)
        except serializers.ValidationError:
            if getattr(request, "axes_locked_out", False):
                return locked_out(request, credentials=None)
            raise
        data = serializer.validated_data
        token, key = tokens.issue(user=data["user"], name=data["name"])
        return Response(TokenAnswerSerializer({"token": key, "expiry": token.expiry}).data)

    def finalize_response(self, request, response, *args, **kwargs):
        # A key must never sit in a browser, proxy or service-worker cache; errors included.
        add_never_cache_headers(response)
        return super().finalize_response(request, response, *args, **kwargs)


class ApiTokenSerializer(serializers.ModelSerializer):
    current = serializers.SerializerMethodField(help_text="The key this request was sent with.")

    class Meta:
        model = ApiToken
        fields = ["id", "name", "created", "expiry", "last_used", "current"]
        read_only_fields = fields

    def get_current(self, token) -> bool:
        return token.pk == getattr(self.context["request"].auth, "pk", None)


class ApiTokenViewSet(mixins.ListModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """The person's own API keys (never the keys themselves): list, and revoke one."""

    serializer_class = ApiTokenSerializer
    queryset = ApiToken.objects.none()  # for the schema; get_queryset is what answers

    def get_queryset(self):
        return tokens.live_for(self.request.user)


class LogOutEverywhereView(APIView):
    @extend_schema(
        summary="Log out everywhere",
        request=None,
        responses={204: None},
        description="Revokes every API key of the person (this one too) and ends every "
        "browser session.",
    )
    def post(self, request):
        tokens.log_out_everywhere(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
