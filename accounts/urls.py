from django.contrib.auth import views as auth_views
from django.urls import path

from . import views
from .forms import PasswordResetForm

urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    # Password reset by e-mail: Django's own views, our templates (registration/password_reset_*).
    path(
        "password/reset/",
        auth_views.PasswordResetView.as_view(form_class=PasswordResetForm),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("profile/", views.profile, name="profile"),
    path("profile/export.json", views.export, name="export"),
    path("profile/activity/", views.activity, name="activity"),
    path("profile/import/", views.import_data, name="import_data"),
    path("profile/import/<uuid:pending_id>/", views.save_import, name="save_import"),
    path("profile/delete/", views.delete_account, name="delete_account"),
    path(
        "profile/api-keys/<uuid:token_id>/revoke/",
        views.revoke_api_token,
        name="revoke_api_token",
    ),
    path("profile/log-out-everywhere/", views.log_out_everywhere, name="log_out_everywhere"),
]
