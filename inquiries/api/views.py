"""API v1 endpoints. Every query starts from the token's agency; nothing is fetched
by id or code and checked afterwards, so another agency's inquiry is a 404."""

import logging
import re

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import AccountStatus, OfficialAccount
from katingan_sosmed import clock

from .. import flow
from ..models import TRACKING_LENGTH, Forwarding, Inquiry
from .serializers import (
    ChannelSerializer,
    InquiryCreateSerializer,
    InquiryDetailSerializer,
    InquiryFilterSerializer,
    InquirySerializer,
)

logger = logging.getLogger(__name__)

IDEMPOTENCY_HEADER = "Idempotency-Key"
# Visible ASCII, 1-80 characters (the column's length): a UUID fits.
IDEMPOTENCY_KEY = re.compile(r"[\x21-\x7e]{1,80}")
# A replayed POST is marked so the integration can tell it from a new record.
REPLAYED_HEADER = "Idempotent-Replayed"

IDEMPOTENCY_PARAMETER = OpenApiParameter(
    name=IDEMPOTENCY_HEADER,
    type=str,
    location=OpenApiParameter.HEADER,
    required=True,
    description=_(
        "Required. 1-80 visible ASCII characters, unique per inquiry (a UUID is a good "
        "choice). Repeating a POST with the same key creates nothing and returns the "
        "inquiry recorded the first time with status 200 instead of 201."
    ),
)


class InquiryPagination(CursorPagination):
    ordering = ("-received_at", "-pk")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class IntegrationMixin:
    """What every endpoint shares: the token's agency and its throttle bucket."""

    throttle_scope = "integration"

    @property
    def agency_id(self) -> int:
        return self.request.auth.agency_id


class InquiryListCreate(IntegrationMixin, generics.GenericAPIView):
    """The agency's received inquiries; POST records a new one."""

    pagination_class = InquiryPagination
    serializer_class = InquirySerializer

    def get_queryset(self) -> QuerySet[Inquiry]:
        return Inquiry.objects.filter(agency_id=self.agency_id).select_related("channel")

    @extend_schema(
        summary="List the agency's received inquiries",
        description=(
            "Inquiries received by the token's agency, newest first (by received_at), "
            "in pages of 50 (up to 200 with page_size); follow `next` to page on."
        ),
        parameters=[InquiryFilterSerializer],
        responses={200: InquirySerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        filters = InquiryFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        queryset = self.get_queryset()
        if "status" in filters.validated_data:
            queryset = queryset.filter(status=filters.validated_data["status"])
        if "since" in filters.validated_data:
            queryset = queryset.filter(received_at__gte=filters.validated_data["since"])
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(InquirySerializer(page, many=True).data)

    @extend_schema(
        summary="Record an inquiry",
        description=(
            "Records an inquiry received on one of the agency's active official accounts "
            "(Lampiran B angka 1). Fields not listed here (status, agency, due_at, "
            "tracking_code, …) are ignored."
        ),
        parameters=[IDEMPOTENCY_PARAMETER],
        request=InquiryCreateSerializer,
        responses={
            201: InquiryDetailSerializer,
            200: OpenApiResponse(
                InquiryDetailSerializer, description="Repeated Idempotency-Key: the first one."
            ),
            400: OpenApiResponse(OpenApiTypes.OBJECT, description="Field errors."),
        },
    )
    def post(self, request: Request) -> Response:
        key = request.headers.get(IDEMPOTENCY_HEADER, "")
        if not IDEMPOTENCY_KEY.fullmatch(key):
            raise ValidationError(
                {IDEMPOTENCY_HEADER: [_("Send an Idempotency-Key header of 1-80 characters.")]}
            )
        token = request.auth
        existing = Inquiry.objects.filter(agency_id=self.agency_id, idempotency_key=key).first()
        if existing is not None:
            return self._respond(existing, created=False)
        now = clock.now()
        serializer = InquiryCreateSerializer(
            data=request.data, context={"agency": token.agency, "now": now}
        )
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            # A concurrent POST with the same key loses on the unique constraint
            # inside inquiry_record, which then returns the winner's inquiry.
            inquiry, created = flow.inquiry_record(
                agency=token.agency,
                channel=data["channel"],
                kind=data["kind"],
                author_name=data["author_name"],
                author_contact=data["author_contact"],
                text=data["text"],
                source_url=data["source_url"],
                topics=data["topics"],
                received_at=data["received_at"],
                by=None,
                now=now,
                idempotency_key=key,
                note=f"API: {token.name} ({token.prefix}…)",
            )
        except flow.FlowError as error:
            raise ValidationError({"non_field_errors": [str(error)]}) from error
        return self._respond(inquiry, created=created)

    def _respond(self, inquiry: Inquiry, *, created: bool) -> Response:
        inquiry = _with_forwardings(self.get_queryset()).get(pk=inquiry.pk)
        response = Response(
            InquiryDetailSerializer(inquiry).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
            headers={
                "Location": reverse("api:v1:inquiry-detail", args=[inquiry.tracking_code]),
                REPLAYED_HEADER: "false" if created else "true",
            },
        )
        return response


class InquiryDetail(IntegrationMixin, generics.RetrieveAPIView):
    """One inquiry received by the agency, by its tracking code (any letter case);
    another agency's code is a 404."""

    serializer_class = InquiryDetailSerializer
    lookup_field = "tracking_code"
    lookup_url_kwarg = "tracking_code"

    def get_queryset(self) -> QuerySet[Inquiry]:
        return _with_forwardings(
            Inquiry.objects.filter(agency_id=self.agency_id).select_related("channel")
        )

    def get_object(self) -> Inquiry:
        # Codes are printed in capitals; people type them any way.
        code = self.kwargs[self.lookup_url_kwarg].upper()[: TRACKING_LENGTH + 1]
        self.kwargs[self.lookup_url_kwarg] = code
        try:
            return super().get_object()
        except Http404:
            # Unknown or another agency's: the same 404, logged with ids only.
            shown = code if code.isalnum() else "(not a code)"  # no CRLF into the log
            logger.info("api inquiry not found token=%s code=%s", self.request.auth.pk, shown)
            raise

    @extend_schema(
        summary="One inquiry: status, timestamps and forwardings",
        responses={
            200: InquiryDetailSerializer,
            404: OpenApiResponse(description="No inquiry of this agency has this code."),
        },
    )
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)


class ChannelList(IntegrationMixin, generics.ListAPIView):
    """The agency's active official accounts; ``id`` is what an inquiry's ``channel`` takes."""

    serializer_class = ChannelSerializer
    pagination_class = None

    def get_queryset(self) -> QuerySet[OfficialAccount]:
        return OfficialAccount.objects.filter(
            agency_id=self.agency_id, status=AccountStatus.ACTIVE
        ).order_by("platform", "handle", "pk")

    @extend_schema(summary="The agency's active official accounts")
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)


def _with_forwardings(queryset: QuerySet[Inquiry]) -> QuerySet[Inquiry]:
    return queryset.prefetch_related(
        Prefetch(
            "forwardings",
            queryset=Forwarding.objects.select_related("from_agency", "to_agency").order_by(
                "forwarded_at", "pk"
            ),
        )
    )
