"""Writes of the development app, one module per concern (decision 0018).

- `catalogue`: activities, where they are offered, providers admitted to networks
- `catalogue_import`: the catalogue file import (check → preview → apply)
- `plans`: individual development plans (draft → review → approved → done)
- `completions`: completions as learning evidence (through assessments' learning-evidence service)
- `statements`: the xAPI statement intake: keys, storing, meaning, HR's matching
- `team_plans`: team plans
- `communities`: ratings, sessions and sign-ups
- `reminders`: reminders before plan deadlines

Other apps and the views import the modules (`from fagdigital.development.services import plans`).
"""
