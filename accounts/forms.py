from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import BaseUserCreationForm
from django.template.loader import render_to_string
from django.utils import timezone

from tracker.zones import zone_label

from .importing import MAX_IMPORT_BYTES
from .mail import send_safely
from .models import Profile, time_zone_names

User = get_user_model()


def time_zone_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        choices=[(name, name.replace("_", " ")) for name in time_zone_names()],
        initial="UTC",
        help_text="Days and hours in your charts and reports use this time zone.",
    )


USERNAME_TAKEN = "This username is taken: choose another. If it is yours, log in instead."


class SignUpForm(BaseUserCreationForm):
    """Sign-up that says plainly when a name is taken; the page limits tries per address
    instead of hiding it (accounts/views.py)."""

    email = forms.EmailField(
        required=False, help_text="Optional. For alert e-mails and to reset a password."
    )
    time_zone = time_zone_field()

    class Meta(BaseUserCreationForm.Meta):
        fields = ["username", "email"]

    def clean_username(self) -> str:
        """Names are unique whatever their case: "Alice" is taken once "alice" is."""
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(USERNAME_TAKEN, code="taken")
        return username

    def validate_unique(self):
        pass  # clean_username says it, in every case of the name


ZONE_CHANGE_HELP = (
    "Changing it later changes only new cramps and where your reports start and end each "
    "day. Cramps already logged keep the time and place they happened."
)


NEEDS_AN_ADDRESS = "Alert e-mails need an e-mail address: type yours above, or leave this off."


class ProfileForm(forms.ModelForm):
    # The account's address (on the user, not the profile): alert e-mails and resets go there.
    email = forms.EmailField(
        label="E-mail address",
        required=False,
        help_text="Optional. For alert e-mails and for resetting a forgotten password.",
    )
    # Whoever holds the address can reset the password: changing it asks for the password.
    current_password = forms.CharField(
        label="Your password, to change the address",
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    time_zone = time_zone_field()
    confirm_time_zone = forms.BooleanField(required=False, label="Yes, change my time zone")

    class Meta:
        model = Profile
        fields = [
            "display_name",
            "birth_year",
            "time_zone",
            "fluid_unit",
            "theme",
            "email_alerts",
            "pregnant_or_recent_birth",
            "kidney_disease",
            "diabetes",
            "liver_disease",
        ]
        widgets = {"fluid_unit": forms.RadioSelect, "theme": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].initial = self.instance.user.email
        self.fields["theme"].required = False
        if not settings.ALERT_EMAILS:  # this server sends no alert e-mails: do not offer them
            del self.fields["email_alerts"]
        self.fields["time_zone"].help_text = ZONE_CHANGE_HELP
        # Read now: validation copies the new zone onto the instance before the page renders.
        self.saved_time_zone = self.instance.time_zone

    @property
    def zone_change(self) -> tuple[str, str] | None:
        """(from, to) when the form asks to change the time zone, else None."""
        new = self.data.get("time_zone") if self.is_bound else None
        old = self.saved_time_zone
        return (old, new) if new and new != old and new in time_zone_names() else None

    def zone_change_warning(self) -> str:
        """What moves with a zone change and what stays, said before it happens."""
        old, new = (zone_label(name) for name in self.zone_change)
        return (
            f"Cramps already logged stay as they happened: 03:15 in {old} stays 03:15 ({old}). "
            f"Only new cramps, and where your reports start and end each day, will use {new} time."
        )

    # A form sent without these (an older page, a script) keeps what is saved.
    def clean_email(self) -> str:
        if "email" not in self.data:
            return self.instance.user.email
        return self.cleaned_data["email"]

    def clean_birth_year(self) -> int | None:
        year = self.cleaned_data["birth_year"]
        if year and year > timezone.localdate().year:  # the report would print a negative age
            raise forms.ValidationError("Give the year you were born: it cannot be in the future.")
        return year

    def clean_theme(self) -> str:
        return self.cleaned_data["theme"] or self.instance.theme

    def clean(self):
        cleaned = super().clean()
        if self.zone_change and not cleaned.get("confirm_time_zone"):
            self.add_error("confirm_time_zone", "Tick this to change your time zone.")
        email = cleaned.get("email")
        if cleaned.get("email_alerts") and not email:
            self.add_error("email_alerts", NEEDS_AN_ADDRESS)
        changed = email is not None and email != self.instance.user.email
        if changed and not self.instance.user.check_password(cleaned.get("current_password")):
            self.add_error("current_password", "Type your password to change the address.")
        return cleaned

    def save(self, commit=True):
        profile = super().save(commit)
        user = profile.user
        if commit and user.email != self.cleaned_data["email"]:
            user.email = self.cleaned_data["email"]
            user.save(update_fields=["email"])
        return profile


class ImportForm(forms.Form):
    file = forms.FileField(
        label="A file you downloaded from this app",
        help_text="\u201cDownload all my data\u201d (JSON) or the cramps spreadsheet (CSV), up to "
        f"{MAX_IMPORT_BYTES // 1024 // 1024} MB. You see what it holds before anything is saved.",
        widget=forms.ClearableFileInput(attrs={"accept": ".json,.csv,application/json,text/csv"}),
    )

    def clean_file(self) -> str:
        """The file's text; its rows are checked later, each as the API would."""
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(
                f"This file is {upload.size / 1024 / 1024:.1f} MB; at most "
                f"{MAX_IMPORT_BYTES // 1024 // 1024} MB can be imported at once."
            )
        try:
            text = upload.read().decode("utf-8")
        except UnicodeDecodeError:
            text = "\x00"
        if "\x00" in text:
            raise forms.ValidationError("This is not a text file: choose the JSON or CSV file.")
        return text


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


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's reset form, sending through our one safe path: a mail server's refusal
    (which names the address) is logged by its kind only, and the page answers the same."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        body = render_to_string(email_template_name, context)
        send_safely(subject=subject, message=body, to=to_email)
