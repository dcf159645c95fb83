//! The wizard's components in a real headless Chromium.
#![cfg(target_arch = "wasm32")]

mod common;

use csp_enroll::api::ApiClient;
use csp_enroll::embed::HostConfig;
use csp_enroll::i18n::I18n;
use csp_enroll::wizard::WizardView;
use enroll_core::{Locale, ProgramLinks, ProgramSettings};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

use common::{
    app_started, choose, click, document, eventually, text, type_into, wait_for, wait_for_text,
    wait_until,
};
use web_sys::HtmlElement;

wasm_bindgen_test_configure!(run_in_browser);

fn program() -> ProgramSettings {
    ProgramSettings {
        program_name: "Cloud Solution Provider program".into(),
        program_names: Default::default(),
        direct_enrollment_open: false,
        direct_enrollment_note: None,
        supported_countries: vec!["DE".into(), "US".into(), "JP".into()],
        links: ProgramLinks {
            join_mpn: "https://join.example/mpn".into(),
        },
    }
}

/// The wizard in a plain element, with an API nobody answers (the rules
/// that need reference data are skipped, as when it has not loaded yet),
/// once it has started.
async fn render() -> HtmlElement {
    let parent: HtmlElement = document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&parent).unwrap();
    leptos::mount::mount_to(parent.clone(), move || {
        provide_context(I18n::new(Locale::EnUs));
        provide_context(ApiClient::new("http://127.0.0.1:9"));
        provide_context(HostConfig::read(|_| None, None));
        view! { <WizardView program=program()/> }
    })
    .forget();
    app_started().await;
    parent
}

#[wasm_bindgen_test]
async fn continue_without_an_answer_shows_a_focused_summary_that_links_to_the_field() {
    let page = render().await;
    wait_for(&page, ".csp-button--start").await;
    click(&page, ".csp-button--start");
    wait_for_text(&page, "h1", "How will your company sell?").await;

    click(&page, "button[type=submit]");
    wait_for_text(&page, ".csp-error-summary h2", "There is a problem").await;
    assert!(text(&page, ".csp-error-summary").contains("Select how your company will sell"));
    assert!(
        text(&page, "#f-model-error").contains("Select how your company will sell"),
        "the same message beside the field"
    );
    eventually("the summary has focus", || {
        let active = document().active_element();
        match active {
            Some(a) if a.class_name().contains("csp-error-summary") => Ok(()),
            other => Err(other.map(|a| format!("{}#{}.{}", a.tag_name(), a.id(), a.class_name()))),
        }
    })
    .await;

    let href_before = web_sys::window().unwrap().location().href().unwrap();
    click(&page, ".csp-error-summary a");
    assert_eq!(document().active_element().unwrap().id(), "f-model");
    assert_eq!(
        web_sys::window().unwrap().location().href().unwrap(),
        href_before,
        "the URL is untouched"
    );
    page.remove();
}

fn labels(root: &HtmlElement) -> Vec<String> {
    let list = root.query_selector_all("label.csp-label").unwrap();
    (0..list.length())
        .filter_map(|i| list.item(i).and_then(|n| n.text_content()))
        .collect()
}

#[wasm_bindgen_test]
async fn bank_fields_follow_the_bank_country() {
    let page = render().await;
    wait_for(&page, ".csp-button--start").await;
    click(&page, ".csp-button--start");
    wait_for(&page, "#f-model-indirect").await;
    click(&page, "#f-model-indirect");
    click(&page, "button[type=submit]");
    wait_for(&page, "#f-mpn_id").await;
    type_into(&page, "#f-mpn_id", "1234567");
    click(&page, "button[type=submit]");
    wait_for(&page, "#f-company-legal_name").await;
    type_into(&page, "#f-company-legal_name", "Contoso Ltd");
    choose(&page, "#f-address-country", "DE");
    wait_for(&page, "#f-address-lines-0").await;
    // Without the country's format (nobody answers here), the fields every
    // address has are asked for; the API checks the rest on submit.
    type_into(&page, "#f-address-lines-0", "Unter den Linden 1");
    type_into(&page, "#f-address-locality", "Berlin");
    click(&page, "button[type=submit]");
    wait_for_text(&page, "h1", "Where should the program pay you?").await;
    assert!(
        page.query_selector("#f-bank-iban").unwrap().is_none(),
        "no bank fields before a country"
    );

    choose(&page, "#f-bank-country", "DE");
    eventually("the German bank labels", || {
        let german = labels(&page);
        if german.contains(&"IBAN".to_owned()) && german.contains(&"BIC (SWIFT code)".to_owned()) {
            Ok(())
        } else {
            Err(german)
        }
    })
    .await;
    assert!(page
        .query_selector("#f-bank-routing_code")
        .unwrap()
        .is_none());

    // Once entered, the IBAN shows masked; focused, as typed.
    type_into(&page, "#f-bank-iban", "DE89 3704 0044 0532 0130 00");
    let iban: web_sys::HtmlInputElement = page
        .query_selector("#f-bank-iban")
        .unwrap()
        .unwrap()
        .unchecked_into();
    eventually("the IBAN shows masked", || {
        (iban.value() == "••••3000")
            .then_some(())
            .ok_or(iban.value())
    })
    .await;
    iban.focus().unwrap();
    eventually("the IBAN shows as typed", || {
        let typed = iban.value() == "DE89 3704 0044 0532 0130 00";
        typed.then_some(()).ok_or(iban.value())
    })
    .await;
    iban.blur().unwrap();

    choose(&page, "#f-bank-country", "US");
    eventually("the American bank labels", || {
        let american = labels(&page);
        if american.contains(&"ABA routing number".to_owned())
            && american.contains(&"Account number".to_owned())
        {
            Ok(())
        } else {
            Err(american)
        }
    })
    .await;
    assert!(
        page.query_selector("#f-bank-iban").unwrap().is_none(),
        "no IBAN in the US"
    );
    assert!(page
        .query_selector("#f-bank-account_type option[value=savings]")
        .unwrap()
        .is_some());

    choose(&page, "#f-bank-country", "JP");
    wait_until("the Japanese bank label", || {
        labels(&page).contains(&"Bank and branch code".to_owned())
    })
    .await;
    page.remove();
}
