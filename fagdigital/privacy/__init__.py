"""The anonymity rules of DESIGN.md §2, in one place (docs/decisions/0010-publication-blocks.md).

Every figure about people that fagdigital shows — pages, HTMX fragments, JSON, CSV/XLSX/PDF, response
rates, chiefs' indicators, benchmarks, e-mails that quote a rule — is decided here:

- `rules`: k (the organisation's own, never below the installation's minimum of 5) and the other minimums.
  No other module reads the k settings; a lint contract (`bin/lint_contracts.py`, run by lint-imports)
  keeps it so.
- `blocks`: the publication blocks of a measurement round — groups of at least k participants with the
  same role profile, formed bottom-up in the unit tree. Every figure is a sum over whole blocks.
- `release`: which block figures may be published (enough respondents; sources that cannot be subtracted).
- `benchmark`: figures across organisations (enough organisations besides the reader's own; quantiles that
  are never one member's value).
- `texts`: the sentences that explain the rule to respondents, readers and MED committees.
"""
