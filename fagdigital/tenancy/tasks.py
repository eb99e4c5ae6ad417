"""Background work of the tenancy app: sending invitations."""

from __future__ import annotations

from django_tasks import task

from .invitations import invitation_message
from .models import Membership


@task()
def send_invitation(membership_id: int) -> bool:
    """E-mail the user of a membership an invitation; False when the membership is gone."""
    membership = Membership.objects.select_related("user", "organisation").filter(pk=membership_id).first()
    if membership is None:
        return False
    invitation_message(membership=membership).send()
    return True
