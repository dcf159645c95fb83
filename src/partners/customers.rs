//! A direct partner's customers: inviting one to a reseller relationship
//! (a link, and an email text in the customer's language to copy, to open
//! in an email app, or to have the product send), the invitations and
//! where each stands (a sent one may be withdrawn), and the customers
//! that accepted, with their admin relationships (`super::relationships`),
//! filtered by where those stand; a customer opened shows its own page.
//! An invitation's link and the token in it are shown once, right after
//! it is made, and kept in this page's memory only: never in storage, the
//! URL or an event.

use enroll_core::account::Action;
use enroll_core::contract::{Customer, CustomerInvitation, CustomerInvitationCreated};
use enroll_core::customer::{InvitationStatus, NewInvitation};
use enroll_core::msg::partners as words;
use enroll_core::{ErrorCode, Locale, MessageKey};
use leptos::html::{Input, Textarea, H1, H2, P};
use leptos::prelude::*;
use std::fmt::Write as _;

use super::fields::{Select, SummaryRow};
use super::relationships::{CustomerView, Filter, RelationshipsInBrief};
use super::{address_at_admin, ADMIN_ADDRESS};
use crate::account::{AccountState, Request};
use crate::api::ApiFailure;
use crate::i18n::{country_name, use_i18n};
use crate::ui::confirm::AskFirst;
use crate::ui::field::PlainField;

/// What each status is called.
fn status_words(status: InvitationStatus) -> MessageKey {
    match status {
        InvitationStatus::Sent => words::CUSTOMERS_STATUS_SENT,
        InvitationStatus::Accepted => words::CUSTOMERS_STATUS_ACCEPTED,
        InvitationStatus::Declined => words::CUSTOMERS_STATUS_DECLINED,
        InvitationStatus::Expired => words::CUSTOMERS_STATUS_EXPIRED,
        InvitationStatus::Withdrawn => words::CUSTOMERS_STATUS_WITHDRAWN,
    }
}

/// A customer's language named in itself, as the choice shows it
/// (whatever the page's language, the partner picks the customer's).
fn language_name(tag: &str) -> String {
    match Locale::from_tag(tag) {
        Some(Locale::EnUs) => "English".to_owned(),
        Some(Locale::ZhCn) => "简体中文".to_owned(),
        None => tag.to_owned(),
    }
}

/// An answer with the refusals this page words itself (`codes`) as those
/// words rather than a failure: the catalog's words for these codes are
/// the application's ("This application has been submitted…").
pub(super) fn worded<T>(
    answer: Result<T, ApiFailure>,
    codes: &[(ErrorCode, MessageKey)],
) -> Result<Result<T, MessageKey>, ApiFailure> {
    let own = |failure: &ApiFailure| {
        let code = failure.code()?;
        codes.iter().find(|(c, _)| *c == code).map(|(_, key)| *key)
    };
    match answer {
        Ok(value) => Ok(Ok(value)),
        Err(failure) => match own(&failure) {
            Some(key) => Ok(Err(key)),
            None => Err(failure),
        },
    }
}

/// An invitation no longer sent (answered, withdrawn, expired meanwhile)
/// can be neither withdrawn nor emailed.
const NOT_OPEN: (ErrorCode, MessageKey) = (ErrorCode::NotEditable, words::CUSTOMERS_NOT_OPEN);

/// `mailto:` the partner's email app opens with the invitation: to the
/// customer's admin if known, with its subject and body. Every byte of
/// each but the unreserved ones is percent-encoded (RFC 6068), the
/// address's `@` kept; line breaks are CRLF.
fn mailto(to: &str, subject: &str, body: &str) -> String {
    let body = body.replace("\r\n", "\n").replace('\n', "\r\n");
    format!(
        "mailto:{}?subject={}&body={}",
        percent_encoded(to, b"@"),
        percent_encoded(subject, b""),
        percent_encoded(&body, b"")
    )
}

/// `text` with each byte but RFC 3986's unreserved ones and `keep` as
/// `%XX`.
fn percent_encoded(text: &str, keep: &[u8]) -> String {
    let mut encoded = String::with_capacity(text.len());
    for &byte in text.as_bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) || keep.contains(&byte) {
            encoded.push(char::from(byte));
        } else {
            let _ = write!(encoded, "%{byte:02X}");
        }
    }
    encoded
}

/// Puts `text` on the clipboard and says in `copied` whether it did; where
/// the browser refused, `select` selects the text in its field for the
/// user to copy. `copied` is `None` while copying.
pub(super) fn copy_or_select(
    text: String,
    select: impl FnOnce() + 'static,
    copied: RwSignal<Option<bool>>,
) {
    copied.set(None);
    leptos::task::spawn_local(async move {
        let done = copy(&text).await;
        if !done {
            select();
        }
        copied.set(Some(done));
    });
}

/// Puts `text` on the clipboard; whether the browser let it (it does not
/// on a page served over plain http, or without the user's permission).
async fn copy(text: &str) -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    // Undefined outside a secure context: calling it would throw.
    let clipboard = window.navigator().clipboard();
    if clipboard.is_undefined() {
        return false;
    }
    wasm_bindgen_futures::JsFuture::from(clipboard.write_text(text))
        .await
        .is_ok()
}

/// The invitation form's answers.
#[derive(Clone, Copy)]
struct InviteFields {
    company_name: RwSignal<String>,
    admin_email: RwSignal<String>,
    locale: RwSignal<String>,
}

impl InviteFields {
    fn new(locale: Locale) -> Self {
        Self {
            company_name: RwSignal::new(String::new()),
            admin_email: RwSignal::new(String::new()),
            // The partner's own language is the likeliest customer's.
            locale: RwSignal::new(locale.tag().to_owned()),
        }
    }

    fn invitation(&self) -> NewInvitation {
        NewInvitation {
            company_name: self.company_name.get_untracked(),
            admin_email: self.admin_email.get_untracked(),
            locale: self.locale.get_untracked(),
            // The server's own page for customers (`/invitation.html`).
            link_base: None,
        }
    }

    /// Ready for the next customer; the language stays.
    fn clear(&self) {
        self.company_name.set(String::new());
        self.admin_email.set(String::new());
    }
}

/// An invitation just made: what was asked, and what only its maker is
/// shown (the link, the token in it, the email text).
#[derive(Clone)]
struct Made {
    invitation: NewInvitation,
    created: CustomerInvitationCreated,
}

/// What the last withdrawal (or change of an admin relationship) did,
/// said above what it changed.
#[derive(Clone)]
pub(super) enum Told {
    Done(String),
    Refused(MessageKey),
}

/// The paragraph that says what a change did (`told`), focused in the
/// frame after it says something: the row the change was made in is drawn
/// again, and focus would be lost with it.
pub(super) fn focused_when_told(told: RwSignal<Option<Told>>) -> NodeRef<P> {
    let notice = NodeRef::<P>::new();
    Effect::new(move |_| {
        if told.with(Option::is_some) {
            request_animation_frame(move || {
                if let Some(p) = notice.get_untracked() {
                    let _ = p.focus();
                }
            });
        }
    });
    notice
}

#[component]
pub fn CustomersPage(heading: NodeRef<H1>) -> impl IntoView {
    let state = expect_context::<AccountState>();
    let i18n = use_i18n();
    let fields = InviteFields::new(i18n.locale.get_untracked());
    let made = RwSignal::new(None::<Made>);
    let invite = state.request(
        |api, token, locale, invitation: NewInvitation| async move {
            match api.invite_customer(&token, &invitation, locale).await {
                Ok(created) => Ok(Made {
                    invitation,
                    created,
                }),
                Err(failure) => Err(address_at_admin(failure, "admin_email")),
            }
        },
        move |_, new: Made| {
            fields.clear();
            made.set(Some(new));
        },
    );
    let told = RwSignal::new(None::<Told>);
    let withdraw = state.request(
        |api, token, locale, id: String| async move {
            worded(
                api.withdraw_invitation(&token, &id, locale).await,
                &[NOT_OPEN],
            )
        },
        move |_, withdrawn: Result<CustomerInvitation, MessageKey>| {
            told.set(Some(match withdrawn {
                Ok(invitation) => Told::Done(i18n.tf(
                    words::CUSTOMERS_WITHDRAWN,
                    &[("company", &invitation.company_name)],
                )),
                Err(key) => Told::Refused(key),
            }));
        },
    );
    // Each email the product sends shows in the list (when it went).
    let emailed = RwSignal::new(0_usize);
    let invitations = state.loaded(
        move || {
            invite.version();
            withdraw.version();
            emailed.track();
        },
        |api, token, locale| async move { api.customer_invitations(&token, locale).await },
    );
    // Each change to an admin relationship (made, changed, ended) shows
    // in the list too.
    let changed = RwSignal::new(0_usize);
    let customers = state.loaded(
        move || changed.track(),
        |api, token, locale| async move { api.customers(&token, locale).await },
    );
    // The customer open on its own page, by its id.
    let open = RwSignal::new(None::<String>);
    // Its page is drawn again only when the customer itself changes, not
    // with each reload of its relationships (what is typed there stays).
    let opened = Memo::new(move |_| {
        let id = open.get()?;
        let customer = customers
            .get()
            .flatten()?
            .into_iter()
            .find(|c| c.id == id)?;
        Some(Customer {
            admin_relationships: Vec::new(),
            ..customer
        })
    });
    // The filter of the customers: a `Filter`'s code, or empty for all;
    // offered once there are customers to filter.
    let filter = RwSignal::new(String::new());
    let any_customer = Memo::new(move |_| {
        customers
            .get()
            .flatten()
            .is_some_and(|items| !items.is_empty())
    });
    // The page arrives with its part: its heading is focused as it does,
    // and when a customer is opened or left.
    Effect::new(move |_| {
        open.track();
        request_animation_frame(move || {
            if let Some(h1) = heading.get_untracked() {
                let _ = h1.focus();
            }
        });
    });
    // What a withdrawal did is focused.
    let notice = focused_when_told(told);
    let may_invite = move || state.may(Action::InviteCustomers);
    let filters = Signal::derive(move || {
        Filter::ALL
            .into_iter()
            .map(|f| (f.code().to_owned(), i18n.t(f.words())))
            .collect::<Vec<_>>()
    });
    let customer_list = move || {
        let items = customers.get().flatten()?;
        if items.is_empty() {
            return Some(
                view! { <p data-customers>{move || i18n.t(words::CUSTOMERS_CUSTOMERS_NONE)}</p> }
                    .into_any(),
            );
        }
        let chosen = Filter::parse(&filter.get());
        let shown: Vec<Customer> = items
            .into_iter()
            .filter(|customer| chosen.is_none_or(|f| f.keeps(customer)))
            .collect();
        Some(if shown.is_empty() {
            view! { <p data-customers>{move || i18n.t(words::RELATIONSHIPS_FILTER_NONE)}</p> }
                .into_any()
        } else {
            view! {
                <ul class="csp-users" data-customers>
                    {shown.into_iter().map(|customer| view! { <CustomerRow customer=customer open=open/> }).collect::<Vec<_>>()}
                </ul>
            }
            .into_any()
        })
    };
    move || {
        match opened.get() {
        Some(customer) => view! {
            <CustomerView customer=customer heading=heading open=open changed=changed/>
        }
        .into_any(),
        None => view! {
        <h1 class="csp-heading-l" tabindex="-1" node_ref=heading>{move || i18n.t(words::CUSTOMERS_TITLE)}</h1>
        <p>{move || i18n.t(words::CUSTOMERS_INTRO)}</p>
        {move || may_invite().then(|| view! { <InviteForm fields=fields invite=invite/> })}
        {move || made.get().map(|made| view! { <MadeInvitation made=made emailed=emailed/> })}
        <section class="csp-section" aria-labelledby="invitations-heading">
            <h2 class="csp-heading-m" id="invitations-heading">{move || i18n.t(words::CUSTOMERS_INVITATIONS)}</h2>
            {move || told.get().map(|told| match told {
                Told::Done(text) => view! { <p class="csp-notice" role="status" tabindex="-1" node_ref=notice>{text}</p> }.into_any(),
                Told::Refused(key) => view! {
                    <p class="csp-notice csp-notice--problem" role="alert" tabindex="-1" node_ref=notice>{move || i18n.t(key)}</p>
                }.into_any(),
            })}
            {move || invitations.get().flatten().map(|items| if items.is_empty() {
                view! { <p data-invitations>{move || i18n.t(words::CUSTOMERS_INVITATIONS_NONE)}</p> }.into_any()
            } else {
                // A row each, as the account's users are listed.
                view! {
                    <ul class="csp-users" data-invitations>
                        {items.into_iter().map(|invitation| view! {
                            <InvitationRow invitation=invitation withdraw=withdraw may_withdraw=may_invite()/>
                        }).collect::<Vec<_>>()}
                    </ul>
                }.into_any()
            })}
        </section>
        <section class="csp-section" aria-labelledby="customers-heading">
            <h2 class="csp-heading-m" id="customers-heading">{move || i18n.t(words::CUSTOMERS_CUSTOMERS)}</h2>
            {move || any_customer.get().then(|| view! {
                <Select path="customers-filter" label=words::RELATIONSHIPS_FILTER options=filters value=filter
                    errors=state.errors any=words::RELATIONSHIPS_FILTER_ALL/>
            })}
            {customer_list}
        </section>
        }
        .into_any(),
    }
    }
}

/// A new invitation: the customer's company, its admin's address if
/// known, and its language.
#[component]
fn InviteForm(fields: InviteFields, invite: Request<NewInvitation, ()>) -> impl IntoView {
    let state = expect_context::<AccountState>();
    let i18n = use_i18n();
    let languages: Vec<(String, String)> = Locale::ALL
        .iter()
        .map(|locale| (locale.tag().to_owned(), language_name(locale.tag())))
        .collect();
    let locale_hint = Signal::derive(move || i18n.t(words::CUSTOMERS_LOCALE_HINT));
    view! {
        <section class="csp-section" aria-labelledby="invite-heading">
            <h2 class="csp-heading-m" id="invite-heading">{move || i18n.t(words::CUSTOMERS_INVITE_TITLE)}</h2>
            <form novalidate data-invite on:submit=move |ev| { ev.prevent_default(); invite.send(fields.invitation()); }>
                <PlainField path="company_name" label_key=words::CUSTOMERS_COMPANY_NAME value=fields.company_name errors=state.errors/>
                <PlainField path=ADMIN_ADDRESS label_key=words::CUSTOMERS_ADMIN_EMAIL hint_key=words::CUSTOMERS_ADMIN_EMAIL_HINT
                    input_type="email" value=fields.admin_email errors=state.errors/>
                <Select path="locale" label=words::CUSTOMERS_LOCALE options=languages value=fields.locale
                    errors=state.errors hint=Some(locale_hint)/>
                <button type="submit" class="csp-button" aria-disabled=move || invite.pending().get().to_string()>
                    {move || i18n.t(words::CUSTOMERS_INVITE)}
                </button>
            </form>
        </section>
    }
}

/// The invitation just made: its link and email text to copy, the email
/// opened in the partner's email app, or sent by the product when the
/// admin's address is known. `emailed` counts the sends.
#[component]
fn MadeInvitation(made: Made, emailed: RwSignal<usize>) -> impl IntoView {
    let state = expect_context::<AccountState>();
    let i18n = use_i18n();
    let Made {
        invitation,
        created,
    } = made;
    let sending = state.request(
        |api, token, locale, (id, invitation_token): (String, String)| async move {
            let sent = api
                .send_invitation(&token, &id, &invitation_token, locale)
                .await;
            worded(
                sent,
                &[
                    NOT_OPEN,
                    (ErrorCode::TooManyCodes, words::CUSTOMERS_SEND_LIMIT),
                ],
            )
        },
        move |_, sent: Result<CustomerInvitation, MessageKey>| {
            emailed.update(|n| *n += 1);
            sent.map(|invitation| invitation.admin_email)
        },
    );
    // Opened for the partner as it appears: what to do next starts here.
    let heading = NodeRef::<H2>::new();
    request_animation_frame(move || {
        if let Some(h2) = heading.get_untracked() {
            let _ = h2.focus();
        }
    });
    let link_field = NodeRef::<Input>::new();
    let body_field = NodeRef::<Textarea>::new();
    // Whether the last copy worked (none before one, and while copying).
    let copied = RwSignal::new(None::<bool>);
    let company = invitation.company_name.clone();
    let until = created.expires_at.clone();
    let admin_email = invitation.admin_email.trim().to_owned();
    let mail_app = mailto(&admin_email, &created.email.subject, &created.email.body);
    let (link, body) = (created.link.clone(), created.email.body.clone());
    let copy_link = move |_| {
        let select = move || {
            if let Some(input) = link_field.get_untracked() {
                let _ = input.focus();
                input.select();
            }
        };
        copy_or_select(link.clone(), select, copied);
    };
    let copy_body = move |_| {
        let select = move || {
            if let Some(area) = body_field.get_untracked() {
                let _ = area.focus();
                area.select();
            }
        };
        copy_or_select(body.clone(), select, copied);
    };
    let send = (!admin_email.is_empty()).then(|| {
        let (id, invitation_token) = (created.id.clone(), created.token.clone());
        let to = admin_email.clone();
        view! {
            {move || match sending.answer() {
                Some(Ok(to)) => view! {
                    <p class="csp-notice" role="status" data-sent>{move || i18n.tf(words::CUSTOMERS_SENT, &[("email", &to)])}</p>
                }.into_any(),
                answer => {
                    let (id, invitation_token, to) = (id.clone(), invitation_token.clone(), to.clone());
                    let refused = answer.and_then(Result::err).map(|key| view! {
                        <p class="csp-notice csp-notice--problem" role="alert">{move || i18n.t(key)}</p>
                    });
                    view! {
                        {refused}
                        <button type="button" class="csp-button" data-send aria-disabled=move || sending.pending().get().to_string()
                            on:click=move |_| sending.send((id.clone(), invitation_token.clone()))>
                            {move || i18n.tf(words::CUSTOMERS_SEND, &[("email", &to)])}
                        </button>
                    }.into_any()
                }
            }}
        }
    });
    view! {
        <section class="csp-inset csp-section" data-made aria-labelledby="made-heading">
            <h2 class="csp-heading-m" id="made-heading" tabindex="-1" node_ref=heading>
                {move || i18n.tf(words::CUSTOMERS_MADE_TITLE, &[("company", &company)])}
            </h2>
            <p>{move || i18n.tf(words::CUSTOMERS_MADE_INTRO, &[("date", &i18n.date(&until, false))])}</p>
            <div class="csp-field">
                <label class="csp-label" for="f-invitation-link">{move || i18n.t(words::CUSTOMERS_LINK)}</label>
                <input class="csp-input" id="f-invitation-link" readonly spellcheck="false" node_ref=link_field value=created.link.clone()/>
            </div>
            <div class="csp-actions-row">
                <button type="button" class="csp-button csp-button--secondary" data-copy-link on:click=copy_link>
                    {move || i18n.t(words::CUSTOMERS_COPY_LINK)}
                </button>
            </div>
            <div class="csp-field">
                <label class="csp-label" for="f-invitation-subject">{move || i18n.t(words::CUSTOMERS_SUBJECT)}</label>
                <input class="csp-input" id="f-invitation-subject" readonly value=created.email.subject.clone()/>
            </div>
            <div class="csp-field">
                <label class="csp-label" for="f-invitation-body">{move || i18n.t(words::CUSTOMERS_BODY)}</label>
                <textarea class="csp-input csp-textarea" id="f-invitation-body" readonly rows="12" node_ref=body_field
                    prop:value=created.email.body.clone()></textarea>
            </div>
            <div class="csp-actions-row">
                <button type="button" class="csp-button csp-button--secondary" data-copy-email on:click=copy_body>
                    {move || i18n.t(words::CUSTOMERS_COPY_EMAIL)}
                </button>
            </div>
            <p><a class="csp-link" data-mailto href=mail_app>{move || i18n.t(words::CUSTOMERS_MAILTO)}</a></p>
            <p role="status" class="csp-hint" data-copied>
                {move || copied.get().map(|done| i18n.t(if done { words::CUSTOMERS_COPIED } else { words::CUSTOMERS_COPY_REFUSED }))}
            </p>
            {send}
        </section>
    }
}

/// An invitation: for whom, in which language, where it stands, and,
/// while it is sent, the way to withdraw it.
#[component]
fn InvitationRow(
    invitation: CustomerInvitation,
    withdraw: Request<String, ()>,
    may_withdraw: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let status = invitation.status;
    let address = invitation.admin_email.clone();
    let language = language_name(&invitation.locale);
    let (made_at, until) = (invitation.created_at.clone(), invitation.expires_at.clone());
    let emailed = invitation.emailed_at.clone();
    let company = invitation.company_name.clone();
    let withdrawable = may_withdraw && status.is_open();
    let dates = move || {
        let mut said = vec![i18n.tf(
            words::CUSTOMERS_MADE_ON,
            &[("date", &i18n.date(&made_at, false))],
        )];
        if let Some(at) = &emailed {
            said.push(i18n.tf(
                words::CUSTOMERS_EMAILED_ON,
                &[("date", &i18n.date(at, false))],
            ));
        }
        if status.is_open() {
            said.push(i18n.tf(
                words::CUSTOMERS_WORKS_UNTIL,
                &[("date", &i18n.date(&until, false))],
            ));
        }
        said.join(" · ")
    };
    let withdrawing = withdrawable.then(|| {
        let id = invitation.id.clone();
        let question = {
            let company = company.clone();
            Signal::derive(move || i18n.tf(words::CUSTOMERS_WITHDRAW_QUESTION, &[("company", &company)]))
        };
        view! {
            <AskFirst id=format!("withdraw-{}", invitation.id) marker="withdraw" about=company.clone()
                label=Signal::derive(move || i18n.t(words::CUSTOMERS_WITHDRAW))
                question=question
                yes=Signal::derive(move || i18n.t(words::CUSTOMERS_CONFIRM))
                no=Signal::derive(move || i18n.t(words::CUSTOMERS_CANCEL))
                on_yes=Callback::new(move |()| withdraw.send(id.clone())) pending=withdraw.pending()/>
        }
    });
    view! {
        <li class="csp-user" data-invitation=invitation.id.clone() data-status=status.as_str()>
            <p><strong>{company.clone()}</strong>" "<span class="csp-tag">{move || i18n.t(status_words(status))}</span></p>
            <p>
                {move || if address.is_empty() { i18n.t(words::CUSTOMERS_NO_ADDRESS) } else { address.clone() }}
                " · "{language}
            </p>
            <p class="csp-hint">{dates}</p>
            {withdrawing}
        </li>
    }
}

/// A customer: its company, country, tenant and admin, since when the
/// partner resells to it, its admin relationships in brief, and the way
/// to its own page (`open`).
#[component]
fn CustomerRow(customer: Customer, open: RwSignal<Option<String>>) -> impl IntoView {
    let i18n = use_i18n();
    let state = expect_context::<AccountState>();
    let id = customer.id.clone();
    let company = customer.company.company_name.clone();
    view! {
        <li class="csp-user" data-customer=customer.id.clone()>
            <h3 class="csp-heading-s">{company.clone()}</h3>
            <dl class="csp-summary">
                <CustomerRows customer=customer.clone()/>
                <RelationshipsInBrief relationships=customer.admin_relationships/>
            </dl>
            <button type="button" class="csp-button csp-button--secondary" data-open-customer
                on:click=move |_| {
                    // Problems and notices belong to the view they were told on.
                    state.errors.set(Vec::new());
                    state.notice.set(None);
                    open.set(Some(id.clone()));
                }>
                {move || i18n.t(words::RELATIONSHIPS_OPEN)}<span class="csp-visually-hidden">{format!(" {company}")}</span>
            </button>
        </li>
    }
}

/// A customer's rows of a summary list: its country, tenant and admin,
/// and since when the partner resells to it.
#[component]
pub(super) fn CustomerRows(customer: Customer) -> impl IntoView {
    let i18n = use_i18n();
    let relationship = customer.reseller_relationship;
    let country = customer.company.country;
    let standing = move || {
        let since = i18n.date(&relationship.since, false);
        // `active` is the only status yet; a newer server's is shown as
        // sent.
        if relationship.status == "active" {
            i18n.tf(words::CUSTOMERS_ACTIVE_SINCE, &[("date", &since)])
        } else {
            format!("{} ({since})", relationship.status)
        }
    };
    let row = |key: MessageKey, value: Signal<String>| view! { <SummaryRow key=key value=value/> };
    view! {
        {row(words::CUSTOMERS_COUNTRY, Signal::derive(move || country_name(&country, i18n.locale.get())))}
        {row(words::CUSTOMERS_TENANT, customer.company.tenant_domain.into())}
        {row(words::CUSTOMERS_ADMIN, customer.admin_email.into())}
        {row(words::CUSTOMERS_RELATIONSHIP, Signal::derive(standing))}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mailto_link_encodes_all_but_the_unreserved_and_the_address_at() {
        assert_eq!(
            mailto(
                "jane+it@contoso.com",
                "Invitation: Fabrikam & you",
                "Hello,\nopen https://example.com/i.html#invitation=ab.cd?x=1\n\n你好"
            ),
            "mailto:jane%2Bit@contoso.com?subject=Invitation%3A%20Fabrikam%20%26%20you\
             &body=Hello%2C%0D%0Aopen%20https%3A%2F%2Fexample.com%2Fi.html%23invitation%3Dab.cd%3Fx%3D1\
             %0D%0A%0D%0A%E4%BD%A0%E5%A5%BD"
        );
        assert_eq!(
            mailto("", "a b", "c\r\nd"),
            "mailto:?subject=a%20b&body=c%0D%0Ad"
        );
    }
}
