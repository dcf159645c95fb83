//! Customers looking for a partner, and the referrals their requests
//! become: one test binary (each is linked on its own, and CI's minutes
//! count them).

#[path = "../common/mod.rs"]
mod common;
mod customers;
mod referrals;
mod relationships;
mod requests;
