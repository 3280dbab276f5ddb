"""How the API's own token check appears in /api/schema/ (drf-spectacular finds it through
AccountsConfig.ready)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.authentication.TokenAuthentication"
    name = "tokenAuth"  # the name the schema used before knox: clients' generated code keeps it

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A key from POST /api/v1/auth/token/, sent as "
            "`Authorization: Bearer <token>`. The older `Authorization: Token <token>` "
            "keeps working.",
        }
