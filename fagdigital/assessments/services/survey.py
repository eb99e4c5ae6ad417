"""The chiefs' survey: its statements (while the round is a draft) and the answers."""

from __future__ import annotations

import datetime as dt
import json

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fagdigital.assessments.models import (
    Campaign,
    Instrument,
    RespondentType,
    Response,
    SurveyAnswer,
    SurveyItem,
    SurveyOrigin,
    SurveyTheme,
)
from fagdigital.assessments.selectors.survey import DEFAULT_SURVEY_PATH

from .base import AnswerRefusedError, check_accepts, lock_draft, touch


def survey_items_install_default(*, campaign: Campaign) -> None:
    data = json.loads(DEFAULT_SURVEY_PATH.read_text(encoding="utf-8"))
    SurveyItem.objects.bulk_create(
        SurveyItem(
            organisation_id=campaign.organisation_id,
            campaign=campaign,
            code=item["code"],
            text_da=item["text"]["da"],
            text_en=item["text"]["en"],
            area_code=item.get("area", ""),
            theme=item.get("theme", SurveyTheme.GENERAL),
            origin=item.get("origin", SurveyOrigin.OWN),
            position=index,
        )
        for index, item in enumerate(data["items"])
    )


@transaction.atomic
def survey_item_save(
    *, campaign: Campaign, item: SurveyItem | None, code: str, text_da: str, text_en: str, area_code: str
) -> SurveyItem:
    """Add or change a chiefs' survey statement while the campaign is a draft."""
    campaign = lock_draft(campaign)
    errors: dict[str, list[str]] = {}
    if not text_da.strip():
        errors["text_da"] = [_("Skriv spørgsmålet på dansk.")]
    clash = SurveyItem.objects.filter(campaign=campaign, code=code)
    if item is not None:
        clash = clash.exclude(pk=item.pk)
    if not code or clash.exists():
        errors["code"] = [_("Koden skal være udfyldt og må ikke findes i forvejen i målingen.")]
    if errors:
        raise ValidationError(errors)
    if item is None:
        position = campaign.survey_items.count()
        item = SurveyItem(organisation_id=campaign.organisation_id, campaign=campaign, position=position)
    item.code, item.text_da, item.text_en, item.area_code = code, text_da.strip(), text_en.strip(), area_code
    item.save()
    return item


@transaction.atomic
def survey_item_delete(*, campaign: Campaign, item: SurveyItem) -> None:
    lock_draft(campaign)
    item.delete()


# --- Chiefs' survey ------------------------------------------------------------------------------


@transaction.atomic
def survey_answer_save(
    *, response: Response, item: SurveyItem, value: int | None, today: dt.date | None = None
) -> SurveyAnswer:
    today = today or timezone.localdate()
    response = Response.objects.select_for_update(of=("self",)).select_related("campaign").get(pk=response.pk)
    check_accepts(response.campaign, today)
    if item.campaign_id != response.campaign_id or response.instrument != Instrument.CHIEFS:
        raise AnswerRefusedError(_("Spørgsmålet hører ikke til målingen."))
    if value is not None and not 1 <= value <= 5:
        raise AnswerRefusedError(_("Vælg et svar på skalaen eller »ved ikke«."))
    answer, created = SurveyAnswer.objects.get_or_create(
        response=response, item=item, defaults={"organisation_id": response.organisation_id, "value": value}
    )
    if not created and answer.value != value:
        answer.value = value
        answer.save(update_fields=["value", "updated_at"])
    elif not created:
        return answer
    touch(response)
    return answer


@transaction.atomic
def survey_respondent_type_set(
    *, response: Response, respondent_type: str, today: dt.date | None = None
) -> Response:
    """Record which kind of chief (RespondentType) the respondent answers as; they choose it themselves."""
    today = today or timezone.localdate()
    response = Response.objects.select_for_update(of=("self",)).select_related("campaign").get(pk=response.pk)
    check_accepts(response.campaign, today)
    if response.instrument != Instrument.CHIEFS:
        raise AnswerRefusedError(_("Spørgsmålet hører ikke til målingen."))
    if respondent_type not in RespondentType.values:
        raise AnswerRefusedError(
            _("Vælg en af de tre roller: topchef, digitaliserings- eller it-chef, fagchef.")
        )
    if response.respondent_type != respondent_type:
        response.respondent_type = respondent_type
        response.save(update_fields=["respondent_type", "updated_at"])
        touch(response)
    return response
