"""What every instrument's writes share: refusals, whether a round accepts answers, the saved time."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from fagdigital.assessments.models import Campaign, CampaignStatus, Response


class AnswerRefusedError(ValidationError):
    """The answer could not be saved: the campaign is closed, or the person may not answer it."""


def closed_message() -> str:
    return _(
        "Målingen er lukket, så svarene kan ikke længere ændres eller indsendes. Dine gemte svar er bevaret."
    )


def check_accepts(campaign: Campaign, today: dt.date) -> None:
    if not campaign.accepts_answers(today=today):
        if today < campaign.opens_on:
            raise AnswerRefusedError(
                _("Målingen åbner først %(date)s.") % {"date": date_format(campaign.opens_on, "DATE_FORMAT")}
            )
        raise AnswerRefusedError(closed_message())


def touch(response: Response) -> None:
    response.saved_at = timezone.now()
    fields = ["saved_at", "updated_at"]
    if response.is_submitted:
        response.changed_since_submit = True
        fields.append("changed_since_submit")
    response.save(update_fields=fields)


@dataclass(frozen=True)
class SubmitResult:
    response: Response
    applied: bool  # False when the call repeated a submission that was already in place
    resubmitted: bool = False  # True when changes after an earlier submission were submitted


def lock_draft(campaign: Campaign) -> Campaign:
    locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if locked.status != CampaignStatus.DRAFT:
        raise ValidationError(_("Målingen er åbnet, så omfang og instrumenter kan ikke længere ændres."))
    return locked
