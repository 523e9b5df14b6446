from __future__ import annotations

from typing import Any

from django import forms

from diversion.core.roles import Role


class EmailForm(forms.Form):
    """The first step of signing in: the address decides whether the person goes to their
    organisation's provider or on to the password."""

    email = forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
    )


class SignInForm(EmailForm):
    password = forms.CharField(
        label="Password",
        widget=forms.PasswordInput,
        strip=False,
        error_messages={"required": "Enter your password"},
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Security code",
        help_text=(
            "The 6-digit code from your authenticator app, or one of your 8-digit backup codes"
        ),
        max_length=12,
        error_messages={"required": "Enter the security code"},
    )

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"].replace(" ", "").replace("-", "")
        if not code.isdigit() or len(code) not in (6, 8):
            raise forms.ValidationError("Enter the 6-digit code or an 8-digit backup code")
        return code


class SetUpCodeForm(forms.Form):
    code = forms.CharField(
        label="Code from your authenticator app",
        max_length=8,
        error_messages={"required": "Enter the 6-digit code from your authenticator app"},
    )

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"].replace(" ", "")
        if not code.isdigit() or len(code) != 6:
            raise forms.ValidationError("Enter the 6-digit code from your authenticator app")
        return code


class IdentityProviderForm(forms.Form):
    display_name = forms.CharField(
        label="Name on the sign-in button",
        max_length=120,
        error_messages={"required": "Enter the name people see on the sign-in button"},
    )
    issuer = forms.URLField(
        label="Issuer",
        max_length=300,
        assume_scheme="https",
        help_text="For Entra ID: https://login.microsoftonline.com/<tenant id>/v2.0",
        error_messages={
            "required": "Enter the issuer",
            "invalid": "Enter the issuer as an address, like https://login.example.com/v2.0",
        },
    )
    client_id = forms.CharField(
        label="Client ID",
        max_length=200,
        error_messages={"required": "Enter the client ID the provider gave you"},
    )
    client_secret = forms.CharField(
        label="Client secret",
        required=False,
        strip=False,
        widget=forms.PasswordInput,
        help_text="Leave empty to keep the secret already saved",
    )
    email_domains = forms.CharField(
        label="Email domains",
        max_length=500,
        help_text="Separate domains with commas, like westmidlands.police.uk",
        error_messages={"required": "Enter at least one email domain"},
    )
    scopes = forms.CharField(label="Scopes", max_length=300, initial="openid email profile")
    groups_claim = forms.CharField(label="Claim with the groups", max_length=100, initial="groups")

    def domains(self) -> list[str]:
        return [d for d in self.cleaned_data["email_domains"].split(",") if d.strip()]


class GroupRoleForm(forms.Form):
    group = forms.CharField(
        label="Group",
        max_length=200,
        help_text="As the provider sends it: a name or an object id",
        error_messages={"required": "Enter the group"},
    )
    role = forms.ChoiceField(
        label="Role",
        choices=[],
        error_messages={"required": "Choose a role", "invalid_choice": "Choose a role"},
    )

    def __init__(self, *args: Any, roles: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        role = self.fields["role"]
        assert isinstance(role, forms.ChoiceField)
        role.choices = [("", "Choose a role"), *roles]


def _role_choices() -> list[tuple[str, str]]:
    return [("", "Choose a role"), *Role.choices]


class InviteForm(forms.Form):
    full_name = forms.CharField(
        label="Full name", max_length=150, error_messages={"required": "Enter their full name"}
    )
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="The invitation is sent here; they sign in with it",
        error_messages={
            "required": "Enter their email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
    )
    organisation = forms.TypedChoiceField(
        label="Organisation",
        coerce=int,
        choices=[],
        error_messages={
            "required": "Choose their organisation",
            "invalid_choice": "Choose their organisation",
        },
    )
    role = forms.ChoiceField(
        label="Role",
        choices=_role_choices,
        error_messages={"required": "Choose a role", "invalid_choice": "Choose a role"},
    )

    def __init__(self, *args: Any, organisations: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisations = {o.pk: o for o in organisations}
        field = self.fields["organisation"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "Choose an organisation")] + [
            (o.pk, f"{o.name} ({o.get_kind_display().lower()})") for o in organisations
        ]

    def chosen_organisation(self) -> Any:
        return self.organisations[self.cleaned_data["organisation"]]


class RoleForm(forms.Form):
    role = forms.ChoiceField(
        label="Role",
        choices=_role_choices,
        error_messages={"required": "Choose a role", "invalid_choice": "Choose a role"},
    )


class SetPasswordForm(forms.Form):
    password = forms.CharField(
        label="Create a password",
        help_text="At least 12 characters. A few unrelated words are easy to remember",
        widget=forms.PasswordInput,
        strip=False,
        error_messages={"required": "Create a password"},
    )
    confirm = forms.CharField(
        label="Type the password again",
        widget=forms.PasswordInput,
        strip=False,
        error_messages={"required": "Type the password again"},
    )

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        if cleaned.get("password") and cleaned.get("confirm") != cleaned["password"]:
            self.add_error("confirm", "The passwords are not the same")
        return cleaned


class PasswordChangeForm(forms.Form):
    """A local account's new password: the current one first, then the new one twice."""

    current_password = forms.CharField(
        label="Current password",
        widget=forms.PasswordInput,
        strip=False,
        max_length=128,
        error_messages={"required": "Enter your current password"},
    )
    new_password = forms.CharField(
        label="New password",
        help_text="At least 12 characters. A few unrelated words are easy to remember",
        widget=forms.PasswordInput,
        strip=False,
        max_length=128,
        error_messages={
            "required": "Enter a new password",
            "max_length": "The new password must be 128 characters or fewer",
        },
    )
    new_password_again = forms.CharField(
        label="Confirm new password",
        widget=forms.PasswordInput,
        strip=False,
        max_length=128,
        error_messages={"required": "Enter the new password again"},
    )

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        new, again = cleaned.get("new_password"), cleaned.get("new_password_again")
        if new and again and new != again:
            self.add_error("new_password_again", "The passwords do not match")
        return cleaned
