"""What the API reads and accepts.

Reads never include the author's contact (personal data the integration already
has) nor any officer's name. The create serializer declares every field it
accepts: ``status``, ``agency``, ``due_at``, ``tracking_code`` and anything else
sent are ignored, the agency comes from the token.
"""

import datetime as dt

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.models import AccountStatus, Agency, OfficialAccount

from ..models import Forwarding, Inquiry, InquiryKind, InquiryStatus

# Integrations' clocks drift; an inquiry "received" a little ahead of ours is not
# an error, one received tomorrow is.
CLOCK_SKEW = dt.timedelta(minutes=5)
MAX_TEXT_LENGTH = 10_000
MAX_TOPICS = 10


class AgencySerializer(serializers.ModelSerializer):
    class Meta:
        model = Agency
        fields = ["id", "name", "short_name", "slug"]
        read_only_fields = fields


class ChannelSerializer(serializers.ModelSerializer):
    """An official account of the agency: its ``id`` is what ``channel`` takes."""

    class Meta:
        model = OfficialAccount
        fields = ["id", "platform", "account_type", "handle", "url", "status"]
        read_only_fields = fields


class ForwardingSummarySerializer(serializers.ModelSerializer):
    from_agency = AgencySerializer(read_only=True)
    to_agency = AgencySerializer(read_only=True)
    replied_on_time = serializers.BooleanField(read_only=True, allow_null=True)

    class Meta:
        model = Forwarding
        fields = [
            "from_agency",
            "to_agency",
            "status",
            "forwarded_at",
            "due_at",
            "replied_at",
            "replied_on_time",
            "closed_at",
        ]
        read_only_fields = fields


class InquirySerializer(serializers.ModelSerializer):
    """An inquiry in a list: status and timestamps."""

    channel = serializers.PrimaryKeyRelatedField(read_only=True)
    topics = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Inquiry
        fields = [
            "tracking_code",
            "kind",
            "status",
            "channel",
            "author_name",
            "text",
            "source_url",
            "topics",
            "received_at",
            "recorded_at",
            "due_at",
            "answered_at",
            "closed_at",
        ]
        read_only_fields = fields


class InquiryDetailSerializer(InquirySerializer):
    """One inquiry: the list's fields, its forwardings and the answer to the public."""

    forwardings = ForwardingSummarySerializer(many=True, read_only=True)

    class Meta(InquirySerializer.Meta):
        fields = [*InquirySerializer.Meta.fields, "answer_text", "forwardings"]
        read_only_fields = fields


class InquiryFilterSerializer(serializers.Serializer):
    """The query parameters of the list."""

    status = serializers.ChoiceField(choices=InquiryStatus.choices, required=False)
    since = serializers.DateTimeField(
        required=False,
        help_text=_("Only inquiries received at or after this moment (ISO 8601)."),
    )


class InquiryCreateSerializer(serializers.Serializer):
    """A new inquiry received on one of the agency's active official accounts."""

    # Validating needs ``agency`` and ``now`` in the context.

    channel = serializers.PrimaryKeyRelatedField(
        queryset=OfficialAccount.objects.none(),
        help_text=_("The id of an active official account of the agency (see /channels/)."),
        error_messages={
            "does_not_exist": _("Unknown channel: not an active official account of your agency."),
            "incorrect_type": _("A channel is given by its numeric id."),
        },
    )
    kind = serializers.ChoiceField(choices=InquiryKind.choices)
    author_name = serializers.CharField(max_length=150)
    author_contact = serializers.CharField(
        max_length=150, required=False, allow_blank=True, write_only=True, default=""
    )
    text = serializers.CharField(max_length=MAX_TEXT_LENGTH)
    source_url = serializers.URLField(max_length=500, required=False, allow_blank=True, default="")
    received_at = serializers.DateTimeField()
    topics = serializers.ListField(
        child=serializers.CharField(max_length=60),
        max_length=MAX_TOPICS,
        required=False,
        default=list,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Without an agency (the schema generator) no channel is valid.
        agency = self.context.get("agency")
        if agency is not None:
            self.fields["channel"].queryset = OfficialAccount.objects.filter(
                agency=agency, status=AccountStatus.ACTIVE
            )

    def validate_received_at(self, value: dt.datetime) -> dt.datetime:
        if value > self.context["now"] + CLOCK_SKEW:
            raise serializers.ValidationError(_("An inquiry cannot be received in the future."))
        return value

    def validate_source_url(self, value: str) -> str:
        if value and not value.lower().startswith(("https://", "http://")):
            raise serializers.ValidationError(_("Enter an http or https address."))
        return value
