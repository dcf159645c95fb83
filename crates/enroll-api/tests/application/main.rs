//! Applications: drafts, the admin's address proven, submitting, review,
//! their emails: one test binary (each is compiled and linked on its own,
//! and that was most of CI's minutes).

mod admin_email;
#[path = "../common/mod.rs"]
mod common;
mod drafts;
mod emails;
mod review;
mod submit;
