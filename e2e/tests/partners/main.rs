//! The find-a-partner page, the referrals inbox and a direct partner's
//! customers in the browser: one test binary (each is linked on its own,
//! and CI's minutes count them).

mod customers;
mod find_partner;
mod referrals;
