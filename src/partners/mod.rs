//! The partner pages whose messages are the partners' book: the account's
//! business profile, the find-a-partner page (and, as it lands, the
//! referrals inbox). Each is a part of its own, fetched when opened.

mod business_profile;
mod fields;
mod find_partner;

use enroll_core::i18n::Book;
use leptos::html::H1;
use leptos::prelude::*;

use crate::i18n::with_book;

/// The business profile's page, once the partners' book is here.
pub fn business_profile_page(heading: NodeRef<H1>) -> AnyView {
    with_book(Book::Partners, move || {
        view! { <business_profile::BusinessProfilePage heading=heading/> }.into_any()
    })
}

/// The find-a-partner page, or, opened from the link emailed to a
/// customer, the request's page; once the partners' book is here.
pub fn find_partner_page(opened: Option<crate::api::RequestRef>) -> AnyView {
    with_book(Book::Partners, move || {
        let opened = opened.clone();
        view! { <find_partner::FindPartnerPage opened=opened/> }.into_any()
    })
}
