"""Analytics tests reuse the assessment fixtures: a team under the default framework, and campaigns."""

from fagdigital.assessments.tests.conftest import Team, make_campaign, team

__all__ = ["Team", "make_campaign", "team"]
