"""The API's endpoints: each validates its input, calls one service or selector, and answers.

Every view is public to the web's access middleware on purpose: DRF authentication (bearer API
keys) and the per-method scope permission guard the API instead of sign-in and roles.
"""

from __future__ import annotations

import re
from typing import Any, cast

from django.http import Http404
from django.urls import reverse
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import APIView

from diversion.api import services
from diversion.api.authentication import ApiKeyAuthentication, ApiPrincipal
from diversion.api.pagination import NoticeCursorPagination, NoticeFilter
from diversion.api.permissions import HasScope
from diversion.api.problems import NOT_FOUND_DETAIL
from diversion.api.representations import (
    AcknowledgementSerializer,
    EligibilityDecisionSerializer,
    NoticeSerializer,
    ReferralSerializer,
    SlotPageSerializer,
    SlotSerializer,
    decision_data,
    referral_data,
)
from diversion.api.selectors import (
    MAX_ID,
    notices_for_client,
    notices_read,
    referral_for_client,
    scheme_for_client,
)
from diversion.api.serializers import EligibilityCheckSerializer, ReferralCreateSerializer
from diversion.api.strict import QuerySerializer, query_integer
from diversion.api.throttling import ApiClientThrottle
from diversion.core.access import AccessRule
from diversion.engagement.models import PoliceNotice
from diversion.engagement.services import police_notice_acknowledge
from diversion.officer.services import eligibility_check
from diversion.scheduling.selectors import distinct_times, slots_available

IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
IDEMPOTENCY_HELP = (
    "1 to 64 letters, digits, hyphens or underscores, new for each referral. "
    "Send the same key again to retry safely."
)


class ApiView(APIView):
    # Public to the access middleware: API keys and scopes (below) guard every API view.
    access_rule = AccessRule(public=True)
    authentication_classes = [ApiKeyAuthentication]
    permission_classes = [HasScope]
    throttle_classes = [ApiClientThrottle]
    metadata_class = None
    http_method_names = ["get", "post", "head"]
    required_scopes: dict[str, str] = {}

    @property
    def principal(self) -> ApiPrincipal:
        return cast(ApiPrincipal, self.request.user)


def _idempotency_key(request: Request) -> str:
    key = request.headers.get("Idempotency-Key", "")
    if not IDEMPOTENCY_KEY.match(key):
        message = "Send an Idempotency-Key header" if not key else "Idempotency-Key is not valid"
        raise exceptions.ValidationError({"Idempotency-Key": [f"{message}: {IDEMPOTENCY_HELP}"]})
    return key


class ReferralCreateView(ApiView):
    required_scopes = {"POST": "referrals:write"}

    @extend_schema(
        operation_id="referral_create",
        summary="Create a referral and book its assessment",
        description=(
            "Scope `referrals:write`. The same rules and messages as the officer's web pages. "
            "A retry with the same Idempotency-Key and body returns the same referral with 200."
        ),
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                str,
                OpenApiParameter.HEADER,
                required=True,
                pattern=IDEMPOTENCY_KEY.pattern,
                description=IDEMPOTENCY_HELP,
            )
        ],
        request=ReferralCreateSerializer,
        responses={
            201: OpenApiResponse(ReferralSerializer, description="Created"),
            200: OpenApiResponse(ReferralSerializer, description="Already created with this key"),
        },
    )
    def post(self, request: Request) -> Response:
        key = _idempotency_key(request)
        client = self.principal.client
        fingerprint = services.request_fingerprint(request.data)
        referral = services.referral_replay(
            client=client, actor=self.principal.actor, key=key, fingerprint=fingerprint
        )
        created = False
        if referral is None:
            scheme = scheme_for_client(client=client)
            serializer = ReferralCreateSerializer(
                data=request.data,
                context={"scheme": scheme, "organisation": client.organisation},
            )
            serializer.is_valid(raise_exception=True)
            referral, created = services.referral_submit_from_api(
                client=client,
                actor=self.principal.actor,
                key=key,
                fingerprint=fingerprint,
                scheme=scheme,
                officer=serializer.validated_data["officer_email"],
                person=serializer.person_details(),
                stop=serializer.stop_details(),
                slot_id=serializer.validated_data["slot_id"],
            )
        location = reverse("api:referral-detail", kwargs={"reference": referral.reference})
        return Response(
            ReferralSerializer(referral_data(referral)).data,
            status=201 if created else 200,
            headers={"Location": location},
        )


class ReferralDetailView(ApiView):
    required_scopes = {"GET": "referrals:read"}

    @extend_schema(
        operation_id="referral_read",
        summary="Read a referral's status and history",
        description="Scope `referrals:read`. A referral of another force is not found (404).",
        responses={200: ReferralSerializer},
    )
    def get(self, request: Request, reference: str) -> Response:
        referral = referral_for_client(
            client=self.principal.client, actor=self.principal.actor, reference=reference
        )
        return Response(ReferralSerializer(referral_data(referral)).data)


class SlotQuerySerializer(QuerySerializer):
    after = serializers.DateTimeField(
        required=False,
        help_text="Only slots starting after this time, with its UTC offset",
        error_messages={
            "invalid": "Send after as a date and time with its offset, like 2026-05-01T14:30:00Z"
        },
    )
    limit = query_integer(
        name="limit", low=1, high=50, meaning="how many slots to list", default=10
    )


class SlotListView(ApiView):
    required_scopes = {"GET": "slots:read"}

    @extend_schema(
        operation_id="slot_list",
        summary="List the next available assessment slots",
        description="Scope `slots:read`. One slot per start time, soonest first.",
        parameters=[SlotQuerySerializer],
        responses={200: SlotPageSerializer},
    )
    def get(self, request: Request) -> Response:
        query = SlotQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        scheme = scheme_for_client(client=self.principal.client)
        after = query.validated_data.get("after")
        available = slots_available(scheme_id=scheme.pk, after=after)
        if after is not None:
            available = available.filter(starts_at__gt=after)
        limit = query.validated_data["limit"]
        slots = distinct_times(available, limit=limit)
        next_url = None
        if len(slots) == limit:
            url = request.build_absolute_uri()
            next_url = replace_query_param(url, "after", slots[-1].starts_at.isoformat())
        return Response(
            {"results": SlotSerializer(slots, many=True).data, "next": next_url},
        )


class EligibilityCheckView(ApiView):
    required_scopes = {"POST": "eligibility:read"}

    @extend_schema(
        operation_id="eligibility_check",
        summary="Check whether a person may be offered diversion for a stop",
        description=(
            "Scope `eligibility:read`. Nothing is saved. The answer is 200 whether or not the "
            "person is eligible; `reasons` says why not and `what_to_do_instead` what next."
        ),
        request=EligibilityCheckSerializer,
        responses={200: EligibilityDecisionSerializer},
    )
    def post(self, request: Request) -> Response:
        scheme = scheme_for_client(client=self.principal.client)
        serializer = EligibilityCheckSerializer(data=request.data, context={"scheme": scheme})
        serializer.is_valid(raise_exception=True)
        decision, history = eligibility_check(
            scheme=scheme,
            person=serializer.person_details(),
            stop=serializer.stop_details(),
            actor=self.principal.actor,
            reason="eligibility check by the force's system",
        )
        return Response(
            EligibilityDecisionSerializer(decision_data(decision, history.possible_matches)).data
        )


class NoticeListView(ApiView, GenericAPIView):
    required_scopes = {"GET": "outcomes:read"}
    serializer_class = NoticeSerializer
    pagination_class = NoticeCursorPagination
    filter_backends = [DjangoFilterBackend]
    filterset_class = NoticeFilter

    queryset = PoliceNotice.objects.none()  # for the schema; requests use get_queryset

    def get_queryset(self) -> Any:
        return notices_for_client(client=self.principal.client)

    @extend_schema(
        operation_id="notice_list",
        summary="List intelligence logs and engagement outcomes since a cursor",
        description=(
            "Scope `outcomes:read`. Oldest first. Keep `next_cursor` and send it as `after` "
            "next time. Intelligence logs carry the person's identifiers; nothing carries "
            "health information."
        ),
        responses={200: NoticeSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset())) or []
        notices = notices_read(actor=self.principal.actor, notices=page)
        return self.get_paginated_response(NoticeSerializer(notices, many=True).data)


class NoticeAcknowledgeView(ApiView):
    required_scopes = {"POST": "outcomes:acknowledge"}

    @extend_schema(
        operation_id="notice_acknowledge",
        summary="Acknowledge a notice",
        description="Scope `outcomes:acknowledge`. Safe to repeat: the first time is kept.",
        request=None,
        responses={200: AcknowledgementSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        client = self.principal.client
        notice = None
        if 0 < pk <= MAX_ID:  # a larger id cannot exist: the database would refuse to look
            notice = police_notice_acknowledge(
                notice_id=pk,
                force=client.organisation,
                acknowledged_by=client,
                actor=self.principal.actor,
            )
        if notice is None:
            raise Http404("No notice of your force has this id.")
        return Response(AcknowledgementSerializer(notice).data)


class NotFoundView(APIView):
    """Any other address under the API: a problem document, not the web's HTML page."""

    access_rule = AccessRule(public=True)
    authentication_classes: list[Any] = []
    permission_classes: list[Any] = []
    throttle_classes: list[Any] = []
    schema = None

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        raise exceptions.NotFound(NOT_FOUND_DETAIL)
