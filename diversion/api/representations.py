"""What the API sends back. Police see status and engagement, never health details, and never
the names of the provider's staff."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from diversion.engagement.models import NoticeKind, PoliceNotice
from diversion.referrals.eligibility import OUTCOMES, EligibilityDecision
from diversion.referrals.lifecycle import ReferralStatus
from diversion.referrals.models import Referral
from diversion.referrals.selectors import engagement_outcome
from diversion.scheduling.models import BookingStatus
from diversion.schemes.models import OutcomeCode


class StatusChangeSerializer(serializers.Serializer):
    from_status = serializers.ChoiceField(
        choices=ReferralStatus.choices, allow_null=True, help_text="null for the first entry"
    )
    to_status = serializers.ChoiceField(choices=ReferralStatus.choices)
    changed_at = serializers.DateTimeField()


class AssessmentSerializer(serializers.Serializer):
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()


class ReferralSerializer(serializers.Serializer):
    reference = serializers.CharField(help_text="Like WM-7K3Q-92")
    status = serializers.ChoiceField(choices=ReferralStatus.choices)
    status_label = serializers.CharField()
    outcome_code = serializers.ChoiceField(
        choices=OutcomeCode.choices, help_text="The Home Office outcome to record: 8 or 22"
    )
    engagement_status = serializers.ChoiceField(
        choices=sorted(OUTCOMES), help_text="What counts at the person's next stop"
    )
    created_at = serializers.DateTimeField()
    stopped_at = serializers.DateTimeField()
    assessment = AssessmentSerializer(
        allow_null=True, help_text="The booked telephone assessment, if one is booked"
    )
    history = StatusChangeSerializer(many=True)


def referral_data(referral: Referral) -> dict[str, Any]:
    booking = (
        referral.bookings.filter(status=BookingStatus.BOOKED)
        .select_related("slot")
        .order_by("-created_at")
        .first()
    )
    return {
        "reference": referral.reference,
        "status": referral.status,
        "status_label": ReferralStatus(referral.status).label,
        "outcome_code": referral.outcome_code,
        "engagement_status": engagement_outcome(referral.status),
        "created_at": referral.created_at,
        "stopped_at": referral.stopped_at,
        "assessment": (
            {"starts_at": booking.slot.starts_at, "ends_at": booking.slot.ends_at}
            if booking
            else None
        ),
        "history": [
            {
                "from_status": change.from_status or None,
                "to_status": change.to_status,
                "changed_at": change.changed_at,
            }
            for change in referral.history.order_by("changed_at", "pk")
        ],
    }


class SlotSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="Send as slot_id when creating a referral")
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()


class SlotPageSerializer(serializers.Serializer):
    results = SlotSerializer(many=True)
    next = serializers.CharField(
        allow_null=True, help_text="The address of the next, later slots; null if none"
    )


class FindingSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()


class EligibilityDecisionSerializer(serializers.Serializer):
    eligible = serializers.BooleanField()
    reasons = FindingSerializer(many=True, help_text="Why not, when not eligible")
    notes = FindingSerializer(many=True, help_text="Things to know that do not stop a referral")
    what_to_do_instead = serializers.ListField(child=serializers.CharField())
    possible_matches = serializers.ListField(
        child=serializers.CharField(), help_text="Similar records: check the person's details"
    )
    scheme_code = serializers.CharField()
    policy_version = serializers.IntegerField()


def decision_data(decision: EligibilityDecision, possible_matches: tuple[str, ...]) -> dict:
    record = decision.as_record()
    return {
        "eligible": decision.eligible,
        "reasons": record["reasons"],
        "notes": record["notes"],
        "what_to_do_instead": decision.what_to_do_instead.splitlines(),
        "possible_matches": list(possible_matches),
        "scheme_code": decision.scheme_code,
        "policy_version": decision.policy_version,
    }


class NoticePersonSerializer(serializers.Serializer):
    given_name = serializers.CharField()
    family_name = serializers.CharField()
    date_of_birth = serializers.DateField()
    police_person_id = serializers.CharField(help_text="Empty if none was recorded")


class NoticeSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="Also the cursor: ask for notices after it")
    referral_reference = serializers.CharField(source="referral.reference")
    kind = serializers.ChoiceField(choices=NoticeKind.choices)
    created_at = serializers.DateTimeField(help_text="When the outcome was recorded")
    referred_at = serializers.DateTimeField(source="referral.created_at")
    stopped_at = serializers.DateTimeField(source="referral.stopped_at")
    acknowledged_at = serializers.DateTimeField(allow_null=True)
    person = serializers.SerializerMethodField(
        help_text="The person's identifiers, for an intelligence log only; otherwise null"
    )

    @extend_schema_field(NoticePersonSerializer(allow_null=True))
    def get_person(self, notice: PoliceNotice) -> dict[str, Any] | None:
        if notice.kind != NoticeKind.INTELLIGENCE_LOG:
            return None
        person = notice.referral.person
        return NoticePersonSerializer(
            {
                "given_name": person.given_name,
                "family_name": person.family_name,
                "date_of_birth": person.date_of_birth,
                "police_person_id": person.police_person_id or "",
            }
        ).data


class AcknowledgementSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    referral_reference = serializers.CharField(source="referral.reference")
    kind = serializers.ChoiceField(choices=NoticeKind.choices)
    acknowledged_at = serializers.DateTimeField()
