from __future__ import annotations

import factory
from django_otp.plugins.otp_totp.models import TOTPDevice

from diversion.accounts.models import User
from diversion.core.roles import Role
from diversion.schemes.tests.factories import ForceFactory

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    full_name = factory.Faker("name", locale="en_GB")
    role = Role.OFFICER
    organisation = factory.SubFactory(ForceFactory)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def authenticator(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create and extracted is not False:
            TOTPDevice.objects.create(user=self, name="Test authenticator", confirmed=True)
        if create:
            self.save()
