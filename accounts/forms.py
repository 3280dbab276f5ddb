from django import forms
from django.contrib.auth.forms import BaseUserCreationForm

from .models import Profile, time_zone_names


def time_zone_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        choices=[(name, name.replace("_", " ")) for name in time_zone_names()],
        initial="UTC",
        help_text="Days and hours in your charts and reports use this time zone.",
    )


class SignUpForm(BaseUserCreationForm):
    """Sign-up that never says a username is taken (services.sign_up answers the same)."""

    email = forms.EmailField(required=False, help_text="Optional. Only used to reset a password.")
    time_zone = time_zone_field()

    class Meta(BaseUserCreationForm.Meta):
        fields = ["username", "email"]

    def validate_unique(self):
        pass  # a taken name is not an error anyone may see


class ProfileForm(forms.ModelForm):
    time_zone = time_zone_field()

    class Meta:
        model = Profile
        fields = ["display_name", "birth_year", "time_zone", "fluid_unit", "email_alerts"]
        widgets = {"fluid_unit": forms.RadioSelect}


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="Type your password to confirm. This cannot be undone.",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That password is not right.")
        return password
