//! The find-a-partner page and the referrals inbox in the browser: one
//! test binary (each is linked on its own, and CI's minutes count them).

mod find_partner;
mod referrals;
