"""The assessments pages, one module per instrument: `self_assessment` (with "Mine målinger" and sign-in
links), `knowledge_test`, `leader`, `leader_grid` (the leader's team grid), `survey`, `feedback` (profiles)
and `admin` (round administration)."""
