//! The finder's components in a real headless Chromium, on a directory
//! handed to it in memory (no API: searching happens in the browser).
#![cfg(target_arch = "wasm32")]

mod common;

use std::sync::Arc;

use csp_enroll::api::ApiClient;
use csp_enroll::finder::{DirectoryCache, FinderPage, Source};
use csp_enroll::i18n::I18n;
use enroll_core::{Locale, Provider};
use enroll_finder::{CompactDirectory, ProviderIndex};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

use common::{
    app_started, choose, eventually, text, type_into, wait_for, wait_for_focus, wait_for_text,
    wait_until,
};
use web_sys::HtmlElement;

wasm_bindgen_test_configure!(run_in_browser);

/// 45 providers: 30 in Berlin (Cloud GmbH), 10 in São Paulo, 5 in 上海.
fn directory() -> Source {
    let providers: Vec<Provider> = (0..45)
        .map(|i| {
            let (name, city, country, language) = match i {
                0..=29 => (format!("Nordlicht Cloud {i:02} GmbH"), "Berlin", "DE", "de"),
                30..=39 => (
                    format!("Gonçalves Dados {i:02} Ltda."),
                    "São Paulo",
                    "BR",
                    "pt",
                ),
                _ => (format!("上海云{i:02}科技有限公司"), "上海", "CN", "zh-CN"),
            };
            Provider {
                id: format!("p{i:02}"),
                name,
                city: city.into(),
                country: country.into(),
                countries_served: vec![country.into()],
                products: vec!["Azure".into()],
                languages: vec!["en".into(), language.into()],
                services: vec!["licensing".into()],
                ..Provider::default()
            }
        })
        .collect();
    Source::InBrowser(Arc::new(ProviderIndex::new(
        CompactDirectory::from_providers(&providers),
    )))
}

/// The finder page in a plain element, once it has started.
async fn render(locale: Locale) -> HtmlElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let parent: HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&parent).unwrap();
    // The finder's words, as its part fetches them from the API.
    for (locale, text) in [
        (Locale::EnUs, include_str!("../locales/finder/en-US.txt")),
        (Locale::ZhCn, include_str!("../locales/finder/zh-CN.txt")),
    ] {
        enroll_core::Catalog::add(locale, enroll_core::i18n::Book::Finder, text);
    }
    leptos::mount::mount_to(parent.clone(), move || {
        provide_context(I18n::new(locale));
        provide_context(ApiClient::new("http://127.0.0.1:9"));
        provide_context(DirectoryCache(RwSignal::new(Some(directory()))));
        view! { <FinderPage applicant=None/> }
    })
    .forget();
    app_started().await;
    parent
}

/// Waits until the count says nothing matches.
async fn wait_for_no_match(root: &HtmlElement) {
    wait_until("the count says nothing matches", || {
        text(root, "#finder-count").starts_with("No providers match")
    })
    .await;
}

fn names(root: &HtmlElement) -> Vec<String> {
    let list = root.query_selector_all(".csp-result__name").unwrap();
    (0..list.length())
        .map(|i| {
            list.item(i)
                .unwrap()
                .text_content()
                .unwrap()
                .trim()
                .to_owned()
        })
        .collect()
}

#[wasm_bindgen_test]
async fn every_keystroke_searches_and_the_count_follows() {
    let root = render(Locale::EnUs).await;
    wait_for_text(&root, "#finder-count", "45 providers").await;
    wait_until("the first page: 20 names", || names(&root).len() == 20).await;

    type_into(&root, "#finder-q", "sao");
    wait_for_text(&root, "#finder-count", "10 providers").await;
    wait_until("only Gonçalves shown", || {
        names(&root).iter().all(|n| n.starts_with("Gonçalves"))
    })
    .await;

    type_into(&root, "#finder-q", "goncalves dados 31");
    wait_for_text(&root, "#finder-count", "1 provider").await;

    type_into(&root, "#finder-q", "科技");
    wait_for_text(&root, "#finder-count", "5 providers").await;

    type_into(&root, "#finder-q", "zzz");
    wait_for_no_match(&root).await;
    // The count has followed: the results went with it.
    assert!(names(&root).is_empty());
    assert!(root.query_selector("[data-show-more]").unwrap().is_none());
}

#[wasm_bindgen_test]
async fn filters_narrow_and_show_more_moves_focus_to_the_new_results() {
    let root = render(Locale::EnUs).await;
    wait_for(&root, "#finder-country option[value=DE]").await;
    choose(&root, "#finder-country", "DE");
    wait_for_text(&root, "#finder-count", "30 providers").await;
    choose(&root, "#finder-language", "zh-CN");
    wait_for_no_match(&root).await;
    choose(&root, "#finder-country", "");
    wait_for_text(&root, "#finder-count", "5 providers").await;
    choose(&root, "#finder-language", "");
    wait_for_text(&root, "#finder-count", "45 providers").await;

    // More than one page.
    let more: HtmlElement = eventually("a show-more button for 20 of 45", || {
        let more = root.query_selector("[data-show-more]").unwrap();
        match more {
            Some(more) if more.text_content().unwrap().contains("20 of 45") => Ok(more),
            other => Err(other.and_then(|m| m.text_content())),
        }
    })
    .await
    .unchecked_into();
    more.click();
    wait_until("40 names after show more", || names(&root).len() == 40).await;
    // Focus on the first new result.
    wait_for_focus("finder-result-20").await;

    // Sorting by name puts the Chinese names after the Latin ones.
    choose(&root, "#finder-sort", "name");
    // A new search starts at the first page.
    let shown = eventually("20 names, Gonçalves first", || {
        let shown = names(&root);
        if shown.len() == 20 && shown[0].starts_with("Gonçalves") {
            Ok(shown)
        } else {
            Err(shown)
        }
    })
    .await;
    assert_eq!(shown.len(), 20, "a new search starts at the first page");
    assert!(shown[0].starts_with("Gonçalves"), "{shown:?}");
}

#[wasm_bindgen_test]
async fn every_label_and_count_is_in_chinese_for_zh_cn() {
    let root = render(Locale::ZhCn).await;
    wait_for_text(&root, "#finder-count", "45 家提供商").await;
    assert_eq!(text(&root, "label[for=finder-q]"), "搜索");
    // Places and lists as Chinese writes them: country first, 、 between.
    type_into(&root, "#finder-q", "上海");
    wait_for_text(&root, ".csp-result__place", "中国上海").await;
    // A city in Latin letters is set apart from the Chinese by a space.
    type_into(&root, "#finder-q", "Gonçalves");
    wait_for_text(&root, ".csp-result__place", "巴西 São Paulo").await;
    type_into(&root, "#finder-q", "上海");
    // The results are Shanghai's again (Gonçalves' languages are listed
    // the same way, so the list alone would not show the search has run).
    wait_for_text(&root, ".csp-result__place", "中国上海").await;
    let languages = text(&root, ".csp-result__meta.csp-hint");
    assert!(
        languages.contains('、') && !languages.contains(", "),
        "{languages}"
    );
    // Every control has a label.
    for id in [
        "finder-q",
        "finder-country",
        "finder-product",
        "finder-language",
        "finder-service",
        "finder-sort",
    ] {
        assert!(
            root.query_selector(&format!("label[for={id}]"))
                .unwrap()
                .is_some(),
            "{id} has a label"
        );
    }
}
