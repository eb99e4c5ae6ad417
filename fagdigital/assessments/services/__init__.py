"""Writes of the assessments app, one module per instrument and concern.

- `rounds`: measurement rounds (campaigns) — set up, open, extend, close
- `responses`: answers and submission of the self- and leader assessment (one questionnaire)
- `knowledge_test`: drawing (for the person's role), answers and scoring of the knowledge test
- `item_bank`: the bundled items and the organisation's own (the editor's writes)
- `leader`: leader ratings submitted together (the team grid's "Indsend alle færdige")
- `survey`: the chiefs' survey statements and answers
- `evidence`: evidence → competence estimates (the rule is `assessments.evidence_rule`, decision 0016)
- `learning`: completed learning activities as learning evidence (docs/decisions/0018)
- `invitations`: invitations, reminders and one-time sign-in links
- `base`: what they share (refusals, whether a round accepts answers)

Callers import from this package (`from fagdigital.assessments import services`); the names below are
its public interface.
"""

from __future__ import annotations

from fagdigital.assessments.selectors.survey import DEFAULT_SURVEY_PATH

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
    framework_knowledge_cap,
    framework_knowledge_cap_set,
    knowledge_caps,
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
from .item_bank import (
    ITEM_BANK_PATH,
    BundledBank,
    ItemInput,
    OptionInput,
    SavedItem,
    bundled_bank,
    item_bank_install,
    item_input_errors,
    test_item_restore,
    test_item_retire,
    test_item_save,
)
from .knowledge_test import (
    DrawPool,
    draw_pools,
    participant_role,
    seen_item_ids,
    test_answer_save,
    test_competences,
    test_level,
    test_role,
    test_start,
    test_submit,
)
from .leader import leader_responses_submit
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
    survey_answer_save,
    survey_item_delete,
    survey_item_save,
    survey_items_install_default,
    survey_respondent_type_set,
)

__all__ = [
    "DEFAULT_SURVEY_PATH",
    "ESTIMATE_FIELDS",
    "ITEM_BANK_PATH",
    "REMINDER_NOW_QUIET",
    "SIGNIN_SALT",
    "AnswerRefusedError",
    "BundledBank",
    "CampaignSettings",
    "DrawPool",
    "ItemInput",
    "OptionInput",
    "SavedItem",
    "SendFailedError",
    "SignInLinkInvalidError",
    "SubmitResult",
    "answer_save",
    "answers_save",
    "bundled_bank",
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
    "framework_knowledge_cap",
    "framework_knowledge_cap_set",
    "has_control_characters",
    "invitation_resend",
    "invitations_send",
    "invitations_send_due",
    "item_bank_install",
    "item_input_errors",
    "knowledge_caps",
    "leader_responses_submit",
    "learning_evidence_record",
    "learning_evidence_withdraw",
    "non_respondents",
    "participant_role",
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
    "survey_respondent_type_set",
    "test_answer_save",
    "test_competences",
    "test_item_restore",
    "test_item_retire",
    "test_item_save",
    "test_level",
    "test_role",
    "test_start",
    "test_submit",
]
