"""The synthetic data set's vocabulary (`chat-touchpoints generate`): pages, referrers, UTM values,
names, companies, campaign types, task subjects, Marketo dialogues and statuses, the bad values
that staging must reject, and which columns of each raw table may be damaged or near-duplicated.

Only constants live here; `chat_touchpoints.generate` draws from them with its one seeded random
generator, so changing a value here changes the generated files.
"""

from __future__ import annotations

from datetime import datetime, timezone

# Activity starts on this day (UTC), so that a data set does not depend on when it was made.
START = datetime(2026, 1, 1, tzinfo=timezone.utc)
DAY = 86400

SITE = "https://www.chattouch.example"
PAGES = (
    "/",
    "/pricing",
    "/product/chat",
    "/product/attribution",
    "/blog/chat-vs-forms",
    "/blog/pipeline-math",
    "/demo",
    "/customers",
    "/docs/getting-started",
    "/contact",
)
REFERRERS = (
    "",
    "",
    "",
    "https://www.google.com/",
    "https://www.google.co.uk/search?q=chat",
    "https://www.linkedin.com/feed/",
    "https://t.co/abc123",
    "https://www.bing.com/",
    "https://news.ycombinator.com/",
    "https://duckduckgo.com/",
    "https://www.g2.com/",
)
UTMS = (
    ("google", "cpc", "brand_search"),
    ("google", "cpc", "generic_chat_software"),
    ("linkedin", "paid_social", "abm_q1"),
    ("linkedin", "social", ""),
    ("newsletter", "email", "monthly_digest"),
    ("facebook", "paid_social", "retargeting"),
    ("bing", "cpc", "brand_search"),
    ("partner", "referral", "agency_program"),
    ("g2", "review", ""),
)
FIRST_NAMES = (
    "Ada",
    "Ben",
    "Chloé",
    "Dmitri",
    "Eva",
    "Farid",
    "Grace",
    "Hiro",
    "Inès",
    "Jonas",
    "Kim",
    "Liam",
    "María",
    "Noah",
    "Olga",
    "Priya",
    "Quinn",
    "Rosa",
    "Sven",
    "Tara",
    "Uma",
    "Victor",
    "Wen",
    "Xavier",
    "Yara",
    "Zoë",
    "Anne-Marie",
    "O'Neil",
)
LAST_NAMES = (
    "Smith",
    "García",
    "Müller",
    "Nguyen",
    "Okafor",
    "Rossi",
    "Kowalski",
    "Tanaka",
    "Dubois",
    "Johansson",
    "Patel",
    "O'Brien",
    "van Dijk",
    "Silva",
    "Cohen",
    "Larsen",
    "Haddad",
    "Ivanova",
    "Kim",
    "Schmidt",
)
COMPANY_WORDS = (
    "acme",
    "globex",
    "initech",
    "umbrella",
    "stark",
    "wayne",
    "hooli",
    "vandelay",
    "wonka",
    "soylent",
    "tyrell",
    "cyberdyne",
    "aperture",
    "oscorp",
    "pied",
    "piper",
)
COMPANY_SUFFIXES = ("data", "labs", "cloud", "systems", "analytics", "works", "health", "bank")
TLDS = (".com", ".com", ".com", ".io", ".co.uk", ".de", ".fr")
FREEMAIL = ("gmail.com", "yahoo.com", "outlook.com", "hotmail.com", "proton.me")
CAMPAIGN_TYPES = (
    ("Webinar", "Include_Responded"),
    ("Email", "Include_Responded"),
    ("Trade Show", "Include_All"),
    ("Content Syndication", "Include_All"),
    ("Chat", "Include_All"),
    ("Paid Social", "Include_Responded"),
    ("Direct Mail", "Exclude_All"),
)
MEMBER_STATUSES = ("Sent", "Registered", "Attended", "Responded", "Clicked")
TASKS = (
    ("Call", "Call: discovery"),
    ("Call", "Call - left voicemail"),
    ("Email", "Email: pricing question"),
    ("Email", "Re: your demo request"),
    ("Meeting", "Meeting booked: product demo"),
    ("Other", "Follow-up"),
)
DIALOGUES = (
    "Website welcome",
    "Pricing page bot",
    "Demo request",
    "Docs helper",
    "Enterprise concierge",
)
AGENTS = ("Sam Rivera", "Lee Chen", "Alex Novak", "Jo Müller")
GOALS = ("Meeting booked", "Email captured", "Pricing viewed", "Trial started")
DOCUMENTS = ("Pricing sheet.pdf", "Security whitepaper.pdf", "ROI calculator.xlsx")
ENGAGED_STATUSES = (
    "Initiated",
    "started",
    "Dropped",
    "dropped off",
    "abandoned",
    "Completed",
    " completed ",
    "COMPLETED",
    None,
)
MEETING_STATUSES = ("Scheduled", "Rescheduled", "Cancelled", "canceled", "scheduled", None)
# Activity types that are not chat activities: (type, attribute name, primary attribute values).
OTHER_ACTIVITIES = (
    ("Visit Webpage", "Webpage URL", PAGES),
    ("Fill Out Form", "Form Name", ("Contact us", "Demo request form", "Webinar registration")),
    ("Open Email", "Mailing ID", ("Newsletter January", "Newsletter February", "Product update")),
    ("Click Link", "Link", ("Pricing", "Case study", "Unsubscribe")),
)

BAD_TIMESTAMPS = (
    "2026-02-30T10:00:00Z",
    "03/14/2026 10:00",
    "yesterday",
    "2026-1-5",
    "2026-01-05T25:61:00Z",
    "2026-01-05T10:00:00+0100",
    "2026-01-05t10:00:00z",
    "2026-01-05 10:00:00 UTC",
    "0000-00-00 00:00:00",
)
BAD_DATES = ("2026-13-01", "01/02/2026", "next week", "2026-02-30", "20260115")
BAD_BOOLEANS = ("yes", "Y", "maybe", "N/A", "2", "tru")
BAD_NUMBERS = ("12k", "$1,200", "n/a", "1.2.3")
BAD_EMAILS = ("jane.doe(at)example.com", "no email given", "a@b", "@example.com", "x@@y.com")
BAD_JSON = (
    '{"Page URL": "https://www.chattouch.example/pri',
    "[1, 2, 3]",
    "not json",
    '"text"',
    "{'Page URL': 'single quotes'}",
)
BAD_ENUMS = {
    "event_type": ("conversation_paused", "chat_started", "EMAIL CAPTURED?"),
    "touchpoint_sync_type": ("Include_Some", "include all", "Exclude"),
    "attributes": (
        '{"Page URL": "https://www.chattouch.example/", "Conversation Status": "Paused"}',
        '{"Page URL": "https://www.chattouch.example/demo", "Meeting Status": "Maybe"}',
    ),
}

# How a row of each table can be made unusable: column -> kind of damage.
DAMAGE: dict[str, dict[str, str]] = {
    "web_sessions": {
        "session_id": "id",
        "visitor_id": "id",
        "session_started_at": "timestamp",
        "chat_tracking_enabled": "boolean",
    },
    "drift_chat_events": {
        "event_id": "id",
        "occurred_at": "timestamp",
        "event_type": "enum",
        "email": "email",
    },
    "crm_accounts": {"account_id": "id", "is_deleted": "boolean"},
    "crm_leads": {
        "lead_id": "id",
        "created_at": "timestamp",
        "is_converted": "boolean",
        "is_deleted": "boolean",
    },
    "crm_contacts": {"contact_id": "id", "created_at": "timestamp", "is_deleted": "boolean"},
    "crm_opportunities": {
        "opportunity_id": "id",
        "created_at": "timestamp",
        "close_date": "date",
        "is_closed": "closed_without_date",
        "is_won": "boolean",
        "amount": "number",
    },
    "crm_campaigns": {
        "campaign_id": "id",
        "touchpoint_sync_type": "enum",
        "touchpoint_start_date": "date",
        "is_deleted": "boolean",
    },
    "crm_campaign_members": {
        "campaign_member_id": "id",
        "has_responded": "boolean",
        "created_at": "timestamp",
        "buyer_touchpoint_at": "timestamp",
    },
    "crm_tasks": {"task_id": "id", "created_at": "timestamp", "activity_date": "date"},
    "marketo_leads": {"marketo_lead_id": "id"},
    "marketo_activities": {
        "activity_id": "id",
        "activity_at": "timestamp",
        "attributes": "json",
        "marketo_lead_id": "id",
    },
}
# The column a near duplicate changes (same id, another value).
NEAR_DUPLICATE: dict[str, str] = {
    "web_sessions": "landing_page_url",
    "drift_chat_events": "page_url",
    "crm_accounts": "account_name",
    "crm_leads": "first_name",
    "crm_contacts": "last_name",
    "crm_opportunities": "opportunity_name",
    "crm_campaigns": "campaign_name",
    "crm_campaign_members": "status",
    "crm_tasks": "subject",
    "marketo_leads": "email",
    "marketo_activities": "primary_attribute_value",
}
