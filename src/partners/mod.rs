//! The partner pages whose messages are the partners' book: the account's
//! business profile (and, as they land, the referrals inbox and the
//! find-a-partner page). Each is a part of its own, fetched when opened.

mod business_profile;

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
