"""Writes of the assessments app, one module per instrument and concern.

- `rounds`: measurement rounds (campaigns) — set up, open, extend, close
- `responses`: answers and submission of the self- and leader assessment (one questionnaire)
- `knowledge_test`: the item bank, drawing, answers and scoring of the knowledge test
- `survey`: the chiefs' survey statements and answers
- `evidence`: evidence → competence estimates (docs/decisions/0007)
- `learning`: completed learning activities as learning evidence (docs/decisions/0018)
- `invitations`: invitations, reminders and one-time sign-in links
- `base`: what they share (refusals, whether a round accepts answers)

Callers import from this package (`from fagdigital.assessments import services`); the names below are
its public interface.
"""

from __future__ import annotations

from .base import (
    AnswerRefusedError,
    SubmitResult,
    closed_message,
)
from .evidence import (
    ESTIMATE_FIELDS,
    estimates_rebuild,
    estimates_recompute,
    evidence_changed,
    role_target_levels,
)
from .invitations import (
    REMINDER_NOW_QUIET,
    SIGNIN_SALT,
    SendFailedError,
    SignInLinkInvalidError,
    invitation_resend,
    invitations_send,
    invitations_send_due,
    non_respondents,
    reminder_now_recipients,
    reminders_send_campaign,
    reminders_send_due,
    reminders_send_now,
    send_failures_open,
    send_failures_retry,
    signin_link_use,
    signin_links_resend,
    signin_token,
)
from .knowledge_test import (
    ITEM_BANK_PATH,
    TEST_LEVEL_THRESHOLDS,
    DrawPool,
    draw_pools,
    item_bank_install,
    seen_item_ids,
    test_answer_save,
    test_competences,
    test_level,
    test_start,
    test_submit,
)
from .learning import learning_evidence_record, learning_evidence_withdraw
from .responses import (
    answer_save,
    answers_save,
    response_get_or_create,
    response_submit,
)
from .rounds import (
    CampaignSettings,
    campaign_close,
    campaign_create,
    campaign_delete,
    campaign_extend,
    campaign_open,
    campaign_update,
    campaigns_close_due,
    has_control_characters,
    partition_key,
    round_partition,
    scope_people,
)
from .survey import (
    DEFAULT_SURVEY_PATH,
    survey_answer_save,
    survey_item_delete,
    survey_item_save,
    survey_items_install_default,
)

__all__ = [
    "DEFAULT_SURVEY_PATH",
    "ESTIMATE_FIELDS",
    "ITEM_BANK_PATH",
    "REMINDER_NOW_QUIET",
    "SIGNIN_SALT",
    "TEST_LEVEL_THRESHOLDS",
    "AnswerRefusedError",
    "CampaignSettings",
    "DrawPool",
    "SendFailedError",
    "SignInLinkInvalidError",
    "SubmitResult",
    "answer_save",
    "answers_save",
    "campaign_close",
    "campaign_create",
    "campaign_delete",
    "campaign_extend",
    "campaign_open",
    "campaign_update",
    "campaigns_close_due",
    "closed_message",
    "draw_pools",
    "estimates_rebuild",
    "estimates_recompute",
    "evidence_changed",
    "has_control_characters",
    "invitation_resend",
    "invitations_send",
    "invitations_send_due",
    "item_bank_install",
    "learning_evidence_record",
    "learning_evidence_withdraw",
    "non_respondents",
    "partition_key",
    "reminder_now_recipients",
    "reminders_send_campaign",
    "reminders_send_due",
    "reminders_send_now",
    "response_get_or_create",
    "response_submit",
    "role_target_levels",
    "round_partition",
    "scope_people",
    "seen_item_ids",
    "send_failures_open",
    "send_failures_retry",
    "signin_link_use",
    "signin_links_resend",
    "signin_token",
    "survey_answer_save",
    "survey_item_delete",
    "survey_item_save",
    "survey_items_install_default",
    "test_answer_save",
    "test_competences",
    "test_level",
    "test_start",
    "test_submit",
]
