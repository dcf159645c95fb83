//! The partner pages whose messages are the partners' book: the account's
//! business profile and referrals inbox (one part), the find-a-partner
//! page (another). Each part is fetched when opened.

mod business_profile;
mod fields;
mod find_partner;
mod referrals;

use enroll_core::i18n::Book;
use leptos::html::H1;
use leptos::prelude::*;

use crate::i18n::{country_name, with_book};
use enroll_core::matching::Needs;
use enroll_core::vocabulary::{self, Vocabulary};

/// The account's pages of this part.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PartnersPage {
    BusinessProfile,
    Referrals,
}

/// The account's business profile or referrals, once the partners' book
/// is here.
pub fn partners_page(page: PartnersPage, heading: NodeRef<H1>) -> AnyView {
    with_book(Book::Partners, move || match page {
        PartnersPage::BusinessProfile => {
            view! { <business_profile::BusinessProfilePage heading=heading/> }.into_any()
        }
        PartnersPage::Referrals => view! { <referrals::ReferralsPage heading=heading/> }.into_any(),
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

/// The need in the page's language: the products, the industry, the
/// company's size, where.
pub(super) fn need_words(needs: &Needs, i18n: crate::i18n::I18n) -> [String; 4] {
    let named = |vocabulary: Vocabulary, code: &str| {
        vocabulary
            .term(code)
            .map(|t| i18n.t(t.name))
            .unwrap_or_default()
    };
    let products: Vec<String> = needs
        .products
        .iter()
        .map(|c| named(vocabulary::PRODUCTS, c))
        .filter(|name| !name.is_empty())
        .collect();
    let locale = i18n.locale.get_untracked();
    [
        i18n.list(&products),
        named(vocabulary::INDUSTRIES, &needs.industry),
        named(vocabulary::CUSTOMER_SIZES, &needs.company_size),
        i18n.place(&needs.city, &country_name(&needs.country, locale)),
    ]
}
