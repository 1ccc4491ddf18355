-- docs/rules.md, "Attribution": per opportunity and model the effective shares of the positions
-- sum to 1 (±1e-9), and a position nobody holds keeps no share. Fails on every offending row of
-- int_attribution_shares.
with

shares as (
    select * from {{ ref('int_attribution_shares') }}
)

select *
from shares
where abs(
        first_touch_share + lead_creation_share + opp_creation_share + closing_share
        + middle_share - 1
    ) > 1e-9
    or (not has_lead_creation_touch and lead_creation_share != 0)
    or (not has_opp_creation_touch and opp_creation_share != 0)
    or (middle_touches = 0 and middle_share != 0)
