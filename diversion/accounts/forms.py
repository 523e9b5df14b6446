from __future__ import annotations

from django import forms


class SignInForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
    )
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
