-- Lead-to-account matching (docs/rules.md, "People"): one row per lead whose email domain equals
-- the website host
-- of a non-deleted account (lower-cased, without a leading `www.`; no subdomain match). Several
-- candidates: the smallest `account_id` as text. Leads without a match have no row.
with

leads as (
    select * from {{ ref('stg_crm__leads') }}
),

accounts as (
    select * from {{ ref('stg_crm__accounts') }}
),

lead_domains as (
    select
        lead_id,
        {{ split_part('email', "'@'", 2) }} as email_domain
    from leads
    where email is not null
),

account_hosts as (
    select
        account_id,
        {{ website_host('website') }} as website_host
    from accounts
    where website is not null
),

candidates as (
    select
        lead_domains.lead_id,
        account_hosts.account_id,
        row_number() over (
            partition by lead_domains.lead_id
            order by cast(account_hosts.account_id as {{ text_type() }})
        ) as candidate_rank
    from lead_domains
    inner join account_hosts
        on lead_domains.email_domain = account_hosts.website_host
),

final as (
    select
        lead_id,
        account_id
    from candidates
    where candidate_rank = 1
)

select * from final
