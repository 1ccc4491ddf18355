"""The raw tables (docs/rules.md, "Timestamps and values"): name -> columns in their specified
order. This is the one declaration of the raw tables' columns.

Generated from it (run `python -m chat_touchpoints.raw_tables` after changing it, which rewrites
them): `macros/raw_tables.sql` (the columns for dbt, read by each `base_` model's `raw_row_text()`,
and the list of `base_` models) and `seeds/raw/_raw__seeds.yml` (the sample seeds, every column
text). Checked against it by `tests/python/test_raw_tables.py`: those two files, the sources YAML
files (`models/staging/*/_*__sources.yml`) and the `base_` models.
"""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

RAW_TABLES: dict[str, tuple[str, ...]] = {
    "web_sessions": (
        "session_id",
        "visitor_id",
        "session_started_at",
        "landing_page_url",
        "referrer_url",
        "utm_source",
        "utm_medium",
        "utm_campaign",
        "chat_tracking_enabled",
    ),
    "drift_chat_events": (
        "event_id",
        "conversation_id",
        "session_id",
        "event_type",
        "occurred_at",
        "email",
        "page_url",
    ),
    "crm_accounts": (
        "account_id",
        "account_name",
        "website",
        "is_deleted",
    ),
    "crm_leads": (
        "lead_id",
        "email",
        "first_name",
        "last_name",
        "company",
        "created_at",
        "is_converted",
        "converted_contact_id",
        "is_deleted",
    ),
    "crm_contacts": (
        "contact_id",
        "account_id",
        "email",
        "first_name",
        "last_name",
        "created_at",
        "is_deleted",
    ),
    "crm_opportunities": (
        "opportunity_id",
        "account_id",
        "opportunity_name",
        "created_at",
        "close_date",
        "is_closed",
        "is_won",
        "amount",
        "is_deleted",
    ),
    "crm_campaigns": (
        "campaign_id",
        "campaign_name",
        "campaign_type",
        "touchpoint_sync_type",
        "touchpoint_start_date",
        "touchpoint_end_date",
        "is_deleted",
    ),
    "crm_campaign_members": (
        "campaign_member_id",
        "campaign_id",
        "lead_id",
        "contact_id",
        "status",
        "has_responded",
        "first_responded_at",
        "buyer_touchpoint_at",
        "created_at",
        "is_deleted",
    ),
    "crm_tasks": (
        "task_id",
        "who_id",
        "subject",
        "task_type",
        "created_at",
        "activity_date",
        "is_deleted",
    ),
    "marketo_leads": (
        "marketo_lead_id",
        "email",
        "sfdc_lead_id",
        "sfdc_contact_id",
    ),
    "marketo_activities": (
        "activity_id",
        "marketo_lead_id",
        "activity_type",
        "activity_at",
        "primary_attribute_value",
        "attributes",
    ),
}


def source_name(table: str) -> str:
    """The dbt source a raw table belongs to: the part of its name before the first `_`."""
    return table.split("_", 1)[0]


def base_model(table: str) -> str:
    """The `base_` model that parses a raw table (`crm_tasks` -> `base_crm__tasks`)."""
    source, entity = table.split("_", 1)
    return f"base_{source}__{entity}"


def _quoted(names: tuple[str, ...] | list[str]) -> str:
    return ", ".join(f"'{name}'" for name in names)


def render_macros() -> str:
    """The text of `macros/raw_tables.sql`."""
    tables = "\n".join(
        textwrap.fill(
            f"'{table}': [{_quoted(columns)}],",
            width=100,
            initial_indent=" " * 8,
            subsequent_indent=" " * 12,
            break_on_hyphens=False,
        )
        for table, columns in RAW_TABLES.items()
    )
    base_models = "\n".join(
        f"        ('{table}', '{base_model(table)}')," for table in RAW_TABLES
    )
    return f"""{{#- GENERATED from src/chat_touchpoints/raw_tables.py by
    `python -m chat_touchpoints.raw_tables`: edit that file, then run the command
    (tests/python/test_raw_tables.py checks that they agree). -#}}

{{#- The raw tables (docs/rules.md, "Timestamps and values"): name -> columns in their specified
    order. -#}}
{{% macro raw_tables() -%}}
    {{{{ return({{
{tables}
    }}) }}}}
{{%- endmacro %}}

{{#- The columns of one raw table, in their specified order (what `raw_row_text()` joins). -#}}
{{% macro raw_table_columns(table_name) -%}}
    {{{{ return(raw_tables()[table_name]) }}}}
{{%- endmacro %}}

{{#- The raw tables and the `base_` model that parses each. `audit.rejected_rows` and
    `audit.row_accounting` read every table through this one list, so that each raw row is
    accounted for exactly once (docs/rules.md, "Bad input and row accounting"). -#}}
{{% macro raw_table_base_models() -%}}
    {{{{ return([
{base_models}
    ]) }}}}
{{%- endmacro %}}
"""


def render_seeds_yaml() -> str:
    """The text of `seeds/raw/_raw__seeds.yml`."""
    lines = [
        "version: 2",
        "",
        "# GENERATED from src/chat_touchpoints/raw_tables.py by",
        "# `python -m chat_touchpoints.raw_tables`: edit that file, then run the command",
        "# (tests/python/test_raw_tables.py checks that they agree).",
        "#",
        "# The embedded sample company's raw tables (docs/rules.md, \"Timestamps and values\"):",
        "# every column is text, as raw data arrives; staging parses it.",
        "seeds:",
    ]
    for table, columns in RAW_TABLES.items():
        lines += [
            f"  - name: {table}",
            f"    description: Sample raw `{table}` rows (replaced by `--raw DIR/{table}.csv`).",
            "    config:",
            "      column_types:",
            *(f"        {column}: varchar" for column in columns),
            # described once, in models/staging/_raw__columns.md (the sources use the same blocks)
            "    columns:",
            *(
                line
                for column in columns
                for line in (
                    f"      - name: {column}",
                    f"        description: \"{{{{ doc('raw__{table}__{column}') }}}}\"",
                )
            ),
        ]
    return "\n".join(lines) + "\n"


GENERATED_FILES: dict[str, Callable[[], str]] = {
    "macros/raw_tables.sql": render_macros,
    "seeds/raw/_raw__seeds.yml": render_seeds_yaml,
}


def write_generated_files(project: Path) -> list[Path]:
    """(Re)write the files generated from `RAW_TABLES` under `project`; returns the changed ones."""
    changed = []
    for relative, render in GENERATED_FILES.items():
        path = project / relative
        text = render()
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            changed.append(path)
    return changed


def main() -> int:
    from chat_touchpoints.project import project_dir

    changed = write_generated_files(project_dir())
    for path in changed:
        print(f"wrote {path}")
    if not changed:
        print("generated files are up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
