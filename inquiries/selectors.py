"""Reads of the inquiry flow: scoping, the inbox, the answer library, routing."""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import F, Q, QuerySet
from django.http import Http404

from accounts.access import scope_for, scoped
from accounts.models import Agency, User

from .models import Answer, Forwarding, Inquiry


def _forwarded_to(agency_id: int) -> Q:
    return Q(pk__in=Forwarding.objects.filter(to_agency_id=agency_id).values("inquiry_id"))


# An inquiry belongs to the receiving agency and to every agency it was forwarded to.
INQUIRY_LOOKUPS = ("agency", _forwarded_to)


def handled_by(agency_id: int) -> Q:
    """The inquiries one agency handled: received, or was forwarded."""
    return Q(agency_id=agency_id) | _forwarded_to(agency_id)


def inquiries_for(user: User) -> QuerySet[Inquiry]:
    """Every inquiry ``user`` may read."""
    return scoped(Inquiry.objects.all(), user, lookups=INQUIRY_LOOKUPS)


def get_inquiry_for_user(user: User, pk: int, *, write: bool = False) -> Inquiry:
    """One inquiry through the user's scope: 404 outside it, 403 for a read-only
    role asking to write. Which step a writer may take is :mod:`inquiries.flow`'s
    call."""
    inquiry = (
        inquiries_for(user)
        .select_related(
            "agency", "channel", "current_forwarding__to_agency", "recorded_by", "answered_by"
        )
        .filter(pk=pk)
        .first()
    )
    if inquiry is None:
        raise Http404
    if write and not scope_for(user).can_write:
        raise PermissionDenied
    return inquiry


def by_urgency(queryset: QuerySet[Inquiry]) -> QuerySet[Inquiry]:
    """Open inquiries first, the nearest (or most overdue) reply deadline first,
    then the newest."""
    # closed_rank is a stored generated column with its indexes (see Inquiry).
    return queryset.order_by("closed_rank", F("due_at").asc(nulls_last=True), "-received_at", "-pk")


def inbox(user: User, *, box: str, agency_id: int | None = None) -> QuerySet[Inquiry]:
    """The inbox of one agency: ``received`` by it or ``forwarded`` to it.

    Agency roles see their own agency; regency roles choose one with ``agency_id``
    (or see every agency when it is None).
    """
    scope = scope_for(user)
    target = scope.agency_id if not scope.all_agencies else agency_id
    queryset = inquiries_for(user)
    if target is not None:
        queryset = (
            queryset.filter(agency_id=target)
            if box == "received"
            else queryset.filter(_forwarded_to(target))
        )
    elif box == "forwarded":
        queryset = queryset.filter(pk__in=Forwarding.objects.values("inquiry_id"))
    return queryset.select_related("agency", "channel", "current_forwarding__to_agency")


# --- Answer library ---------------------------------------------------------------------

WORD = re.compile(r"\w{3,}", re.UNICODE)


def _terms(text: str, limit: int = 30) -> list[str]:
    seen: list[str] = []
    for word in WORD.findall(text.lower()):
        if word not in seen:
            seen.append(word)
        if len(seen) == limit:
            break
    return seen


def similar_answers(agency_id: int, text: str, *, limit: int = 5) -> list[Answer]:
    """The approved library answers of an agency most similar to ``text``.

    PostgreSQL ranks with full-text search in its Indonesian configuration (an OR
    of the inquiry's words, so a long question still matches); other databases
    fall back to word overlap computed in Python over the agency's answers.
    """
    terms = _terms(text)
    if not terms:
        return []
    answers = Answer.objects.filter(agency_id=agency_id, is_approved=True)
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        query = SearchQuery(terms[0], config="indonesian")
        for term in terms[1:]:
            query |= SearchQuery(term, config="indonesian")
        vector = SearchVector("question", weight="A", config="indonesian") + SearchVector(
            "topic", "text", weight="B", config="indonesian"
        )
        return list(
            answers.annotate(rank=SearchRank(vector, query))
            .filter(rank__gt=0)
            .order_by("-rank", "-times_used")[:limit]
        )
    wanted = set(terms)
    scored = []
    for answer in answers[:1000]:
        words = set(_terms(f"{answer.question} {answer.topic} {answer.text}", limit=200))
        overlap = len(wanted & words)
        if overlap:
            scored.append((overlap, answer.times_used, answer))
    scored.sort(key=lambda item: (-item[0], -item[1]))
    return [answer for _score, _used, answer in scored[:limit]]


# --- Routing suggestion ------------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    agency: Agency
    matched: tuple[str, ...]


def _words(value: str) -> str:
    return " ".join(re.findall(r"\w+", value.lower()))


# Particles and possessives written onto the word: puskesmasnya, ktp-ku, benarkah.
_ENCLITICS = "(?:nya|lah|kah|pun|ku|mu)?"


def _mentions(haystack: str, topic: str) -> bool:
    phrase = _words(topic)
    if not phrase:
        return False
    return re.search(rf"(?<!\w){re.escape(phrase)}{_ENCLITICS}(?!\w)", haystack) is not None


def suggest_agencies(
    text: str, topics: Iterable[str] = (), *, exclude: Iterable[int] = ()
) -> list[Suggestion]:
    """Agencies whose topics of authority appear in the inquiry, best match first.

    A topic matches whole words (``kia`` is not found in ``sekian``), also with an
    enclitic attached (``puskesmasnya``); case and punctuation are ignored.
    """
    # One line per source, so that a phrase never spans the text and a topic.
    haystack = "\n".join([_words(text), *(_words(topic) for topic in topics)])
    excluded = set(exclude)
    suggestions = []
    for agency in Agency.objects.filter(is_active=True).exclude(pk__in=excluded):
        matched = tuple(
            topic for topic in agency.authority_topics if topic and _mentions(haystack, topic)
        )
        if matched:
            suggestions.append(Suggestion(agency, matched))
    suggestions.sort(key=lambda s: (-len(s.matched), s.agency.name))
    return suggestions
