from fagdigital.assessments.tests.conftest import make_campaign, team  # noqa: F401
