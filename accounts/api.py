from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from . import services
from .views import locked_out

User = get_user_model()


class RegistrationSerializer(serializers.Serializer):
    username = serializers.RegexField(
        r"^[\w.@+-]+\Z",
        max_length=150,
        error_messages={"invalid": "Use letters, digits and @ . + - _ only."},
    )
    password = serializers.CharField(
        write_only=True, max_length=128, style={"input_type": "password"}
    )
    email = serializers.EmailField(required=False, allow_blank=True, default="")

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
        request=RegistrationSerializer,
        responses={201: AccountSerializer},
        description="Answers 201 whether or not the username was free, so it cannot be used "
        "to learn who has an account: if it was taken, the token endpoint refuses the password.",
    )
    def post(self, request):
        serializer = RegistrationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.sign_up(**serializer.validated_data)
        data = serializer.validated_data
        answer = {"username": data["username"]}
        if data.get("email"):
            answer["email"] = data["email"]
        return Response(AccountSerializer(answer).data, status=status.HTTP_201_CREATED)


class TokenView(ObtainAuthToken):
    """DRF's token endpoint, answering a lockout (django-axes) as the log-in page does.

    Axes marks the request it saw, which here is DRF's wrapper, so its middleware never
    notices; the view asks instead.
    """

    parser_classes = api_settings.DEFAULT_PARSER_CLASSES  # DRF's own list has the unsafe JSON

    def post(self, request, *args, **kwargs):
        try:
            return super().post(request, *args, **kwargs)
        except serializers.ValidationError:
            if getattr(request, "axes_locked_out", False):
                return locked_out(request, credentials=None)
            raise
