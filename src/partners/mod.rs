//! The partner pages whose messages are the partners' book: the account's
//! business profile, referrals inbox and customers with their admin
//! relationships (one part), and the pages a customer opens with no
//! account, the find-a-partner page and the answers to a partner's
//! invitation and to its request for admin roles (another). Each part is
//! fetched when opened.

mod admin_relationship;
mod business_profile;
mod customers;
mod fields;
mod find_partner;
mod invitation;
mod proof;
mod referrals;
mod relationships;

use enroll_core::i18n::Book;
use enroll_core::msg::partners as words;
use enroll_core::Problem;
use leptos::html::H1;
use leptos::prelude::*;

use crate::api::ApiFailure;
use crate::i18n::{country_name, use_i18n, with_book};
use enroll_core::matching::Needs;
use enroll_core::vocabulary::{self, Vocabulary};

/// The account's pages of this part.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PartnersPage {
    BusinessProfile,
    Referrals,
    Customers,
}

/// The account's business profile, referrals or customers, once the
/// partners' book is here.
pub fn partners_page(page: PartnersPage, heading: NodeRef<H1>) -> AnyView {
    with_book(Book::Partners, move || match page {
        PartnersPage::BusinessProfile => {
            view! { <business_profile::BusinessProfilePage heading=heading/> }.into_any()
        }
        PartnersPage::Referrals => view! { <referrals::ReferralsPage heading=heading/> }.into_any(),
        PartnersPage::Customers => view! { <customers::CustomersPage heading=heading/> }.into_any(),
    })
}

/// A page a customer opens with no account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CustomerPage {
    /// The find-a-partner page, or, opened from the link emailed to a
    /// customer, the request's page.
    FindPartner(Option<crate::api::RequestRef>),
    /// The answer to a partner's invitation, the one the link opened
    /// (none when the link was not whole).
    Invitation(Option<crate::api::InvitationRef>),
    /// The answer to a partner's request for admin roles, the admin
    /// relationship the link opened (none when the link was not whole).
    AdminRelationship(Option<crate::api::RelationshipRef>),
}

/// A customer's page, once the partners' book is here.
pub fn customer_page(page: CustomerPage) -> AnyView {
    with_book(Book::Partners, move || match page.clone() {
        CustomerPage::FindPartner(opened) => {
            view! { <find_partner::FindPartnerPage opened=opened/> }.into_any()
        }
        CustomerPage::Invitation(opened) => {
            view! { <invitation::InvitationPage opened=opened/> }.into_any()
        }
        CustomerPage::AdminRelationship(opened) => {
            view! { <admin_relationship::AdminRelationshipPage opened=opened/> }.into_any()
        }
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

/// Where the address of a customer's admin is shown, whatever the
/// contract calls it (`admin_email` in a partner's invitation, `email` in
/// the customer's proof of it). Neither can have words of its own: a key's
/// constant reads dots and underscores alike, so `problem.admin_email.*`
/// would be the core book's `problem.admin.email.*`, and
/// `problem.email.*` is the account's (the catalog is one for every book).
/// The core book's words for an admin's address fit both.
const ADMIN_ADDRESS: &str = "admin.email";

/// `failure` with the problems the contract reports at `path` (the
/// address of a customer's admin) moved to `ADMIN_ADDRESS`, where the
/// page's field is.
fn address_at_admin(failure: ApiFailure, path: &str) -> ApiFailure {
    match failure {
        ApiFailure::Invalid(mut report) => {
            let at_path = |p: &&mut Problem| p.field == path;
            for problem in report
                .errors
                .iter_mut()
                .chain(&mut report.warnings)
                .filter(at_path)
            {
                problem.field = ADMIN_ADDRESS.to_owned();
            }
            ApiFailure::Invalid(report)
        }
        other => other,
    }
}

/// Who a partner is, as a customer sees it: its logo, name and website.
#[component]
fn PartnerCard(name: String, website: String, logo_url: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    let alt = name.clone();
    view! {
        <div class="csp-inset" data-partner>
            {logo_url.map(|url| view! { <img class="csp-logo" src=url alt=alt/> })}
            <p><strong>{name}</strong></p>
            {(!website.is_empty()).then(|| {
                let href = website.clone();
                view! { <p>{move || i18n.t(words::FIND_PARTNER_WEBSITE)}": "<a class="csp-link" href=href rel="noopener noreferrer" target="_blank">{website}</a></p> }
            })}
        </div>
    }
}
