"""The columns of Moodle's `tool_lpimportcsv` file, as its exporter writes them and its importer reads them.

Moodle (admin/tool/lpimportcsv, framework_importer::list_required_headers) writes its English language
strings as the header and reads the columns by position; older versions and hand-made files spell the header
differently, so the reader recognises the header by name first.
"""

from __future__ import annotations

import re

# The header Moodle's exporter writes (its English language strings), in its fixed column order.
HEADER = (
    "Parent ID number",
    "ID number",
    "Short name",
    "Description",
    "Description format",
    "Scale values",
    "Scale configuration",
    "Rule type (optional)",
    "Rule outcome (optional)",
    "Rule config (optional)",
    "Cross-referenced competency ID numbers",
    "Exported ID (optional)",
    "Is framework",
    "Taxonomy",
)
COLUMNS = (
    "parentidnumber",
    "idnumber",
    "shortname",
    "description",
    "descriptionformat",
    "scalevalues",
    "scaleconfiguration",
    "ruletype",
    "ruleoutcome",
    "ruleconfig",
    "relatedidnumbers",
    "exportid",
    "isframework",
    "taxonomy",
)
OPTIONAL_COLUMNS = frozenset({"ruletype", "ruleoutcome", "ruleconfig", "relatedidnumbers", "exportid"})
# Columns Moodle treats as HTML (shown through format_string/format_text); the rest are plain text.
HTML_COLUMNS = frozenset({"shortname", "description"})
# Header spellings, after lower-casing and removing "(optional)" and everything but letters and digits.
ALIASES = {
    **{column: column for column in COLUMNS},
    "parentid": "parentidnumber",
    "scaleconfig": "scaleconfiguration",
    "ruleconfiguration": "ruleconfig",
    "crossreferencedcompetencyidnumbers": "relatedidnumbers",
    "crossreferencedidnumbers": "relatedidnumbers",
    "relatedcompetencyidnumbers": "relatedidnumbers",
    "exportedid": "exportid",
    "taxonomies": "taxonomy",
}
DELIMITERS = (",", ";", "\t")
# Moodle's description formats: 0 Moodle auto-format, 1 HTML, 2 plain text, 4 Markdown.
FORMAT_MOODLE, FORMAT_HTML, FORMAT_PLAIN, FORMAT_MARKDOWN = "0", "1", "2", "4"
DESCRIPTION_FORMATS = (FORMAT_MOODLE, FORMAT_HTML, FORMAT_PLAIN, FORMAT_MARKDOWN)
# "Is framework": PHP writes true as 1 and false as an empty field.
TRUE_VALUES = frozenset({"1", "true", "yes", "ja"})
FALSE_VALUES = frozenset({"", "0", "false", "no", "nej"})


def normalise(header: str) -> str:
    return re.sub(r"[^a-z0-9]", "", header.lower().replace("(optional)", ""))
