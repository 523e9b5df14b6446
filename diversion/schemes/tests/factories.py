from __future__ import annotations

import datetime as dt

import factory

from diversion.courses.models import Audience, CourseType
from diversion.schemes.models import LocalAuthority, Organisation, Scheme


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = "force"
    name = factory.Sequence(lambda n: f"Organisation {n}")


class ForceFactory(OrganisationFactory):
    kind = "force"
    name = factory.Sequence(lambda n: f"Force {n} Police")


class ProviderFactory(OrganisationFactory):
    kind = "provider"
    name = factory.Sequence(lambda n: f"Provider {n}")


class CommissionerFactory(OrganisationFactory):
    kind = "commissioner"
    name = factory.Sequence(lambda n: f"Police and Crime Commissioner {n}")


class EvaluatorFactory(OrganisationFactory):
    kind = "evaluator"
    name = factory.Sequence(lambda n: f"Evaluation team {n}")


class CourseTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CourseType
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"course-{n}")
    name = factory.Sequence(lambda n: f"Course {n}")
    audience = Audience.ADULT
    duration_minutes = 150


class LocalAuthorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LocalAuthority

    ons_code = factory.Sequence(lambda n: f"E0{n:07d}")
    name = factory.Sequence(lambda n: f"Borough {n}")
    force = factory.SubFactory(ForceFactory)


class SchemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Scheme
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: "".join(chr(65 + (n // 26**i) % 26) for i in (2, 1, 0)))
    name = factory.Sequence(lambda n: f"Scheme {n}")
    force = factory.SubFactory(ForceFactory)
    provider = factory.SubFactory(ProviderFactory)
    commissioner = factory.SubFactory(CommissionerFactory)
    go_live = dt.date(2021, 4, 1)
    eligible_drug_classes = factory.LazyFunction(lambda: ["A", "B", "C"])
    excluded_circumstances = factory.LazyFunction(lambda: ["violence_at_same_time"])

    @factory.post_generation
    def local_authorities(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            self.local_authorities.add(LocalAuthorityFactory(force=self.force))

    @factory.post_generation
    def course_types(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            self.course_types.add(
                CourseTypeFactory(code="adult", name="Adult course", audience=Audience.ADULT),
                CourseTypeFactory(
                    code="young-people",
                    name="Young people's course",
                    audience=Audience.YOUNG_PEOPLE,
                ),
            )
