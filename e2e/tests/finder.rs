//! The provider finder end to end: a submitted indirect reseller searches
//! the demo directory (5,000 providers, searched in the browser), filters,
//! opens a provider, asks it to partner, and still sees the request after a
//! reload; the standalone finder asks for the application's link first.

use e2e::{dist_dir, eventually, Stack};

/// `n` as en-US writes it: 12,345.
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// The number of matches the page says it has.
async fn total(stack: &Stack) -> u64 {
    stack.wait_for("#finder-count[data-total]").await;
    stack
        .in_app("#finder-count", "return Number(el.dataset.total);")
        .await
        .as_u64()
        .expect("a count")
}

/// The number of matches once the page says it has fewer than `than`
/// (once the search or filter has run).
async fn fewer_than(stack: &Stack, than: u64) -> u64 {
    eventually(format!("fewer than {than} matches"), async || {
        let now = total(stack).await;
        if now < than {
            Ok(now)
        } else {
            Err(now)
        }
    })
    .await
}

/// The names of the results shown.
async fn names(stack: &Stack) -> Vec<String> {
    let value = stack
        .in_app(
            ".csp-results",
            "return [...el.querySelectorAll('.csp-result__name')].map(n => n.textContent.trim());",
        )
        .await;
    serde_json::from_value(value).expect("names")
}

#[tokio::test]
async fn a_reseller_finds_a_provider_asks_it_to_partner_and_sees_the_request_after_a_reload() {
    let stack = Stack::start().await;
    let (id, token) = stack.submitted_application().await;
    let link = stack.url(&format!("/#resume={id}.{token}"));
    stack.browser.goto(&link).await.unwrap();

    // The status page of a submitted indirect reseller leads to the finder.
    stack.wait_for("[data-status='submitted']").await;
    stack.click("[data-open-finder]").await;
    stack
        .wait_for_text("#finder-count", "5,000 providers")
        .await;
    assert_eq!(total(&stack).await, 5_000);
    stack.assert_accessible("finder").await;
    stack.shot("finder-search").await;

    // Typed without the umlaut, found with it, best matches first.
    stack.fill("#finder-q", "muller").await;
    // The count changes once the search has run.
    let muller = fewer_than(&stack, 5_000).await;
    assert!(muller > 0 && muller < 5_000, "{muller}");
    let shown = names(&stack).await;
    assert!(
        !shown.is_empty() && shown.iter().all(|n| n.starts_with("Müller")),
        "{shown:?}"
    );
    // The new count is announced through the live region once typing
    // pauses (until then it still says the old one).
    stack
        .wait_for_text(
            "[role=status][aria-live=polite]",
            &format!("{} provider", grouped(muller)),
        )
        .await;

    // A filter narrows the same search.
    stack.choose("#finder-language", "de").await;
    let german = fewer_than(&stack, muller).await;
    assert!(german > 0 && german < muller, "{german} of {muller}");

    // Chinese names are found by a fragment inside them.
    stack.fill("#finder-q", "科技").await;
    stack.choose("#finder-language", "").await;
    stack.wait_for_text(".csp-result__name", "科技").await;
    assert!(names(&stack).await.iter().all(|n| n.contains("科技")));
    stack.fill("#finder-q", "muller").await;
    stack.wait_for_text(".csp-result__name", "Müller").await;

    // Open the first result: its details, focus on the heading.
    let first = names(&stack).await[0].clone();
    stack.click("#finder-result-0").await;
    stack.wait_for_text("#provider-title", &first).await;
    stack.wait_for_text("#provider-title", &first).await;
    stack.wait_for_focus("provider-title").await;
    assert!(
        stack.text(".csp-summary").await.unwrap().contains("@"),
        "contact details"
    );
    stack.assert_accessible("provider details").await;
    stack.shot("finder-provider").await;

    // Back keeps the search, and focus returns to the result.
    stack.click("[data-back-to-results]").await;
    stack.wait_for_text(".csp-result__name", "Müller").await;
    stack.wait_for_focus("finder-result-0").await;
    assert_eq!(
        stack.in_app("#finder-q", "return el.value;").await,
        serde_json::json!("muller")
    );

    // Ask to partner; a double click sends one request.
    stack.click("#finder-result-0").await;
    stack
        .fill("#request-message", "We sell Azure to schools in Berlin.")
        .await;
    stack
        .in_app(
            "[data-request-partner]",
            "el.click(); el.click(); return true;",
        )
        .await;
    stack.wait_for_text("#request-sent", &first).await;
    // Focus moves to what replaced the button.
    stack.wait_for_focus("request-sent").await;
    assert_eq!(
        stack
            .in_app("[data-request-status]", "return el.dataset.requestStatus;")
            .await,
        serde_json::json!("pending")
    );
    stack.shot("finder-requested").await;

    // Back on the results, the requests list has it, loaded again after
    // the ask.
    stack.click("[data-back-to-results]").await;
    stack.wait_for_text("[data-requests]", &first).await;

    // After a reload, the request is still there.
    stack.browser.refresh().await.unwrap();
    stack.wait_for("[data-status='submitted']").await;
    stack.click("[data-open-finder]").await;
    let requests = stack.wait_for_text("[data-requests]", &first).await;
    assert_eq!(
        stack
            .in_app(
                "[data-requests]",
                "return el.querySelectorAll('li').length;"
            )
            .await,
        serde_json::json!(1),
        "{requests}"
    );
    assert!(requests.contains("Waiting for the provider"), "{requests}");
    stack.assert_accessible("finder with requests").await;

    // Back to the application.
    stack.click(".csp-back-link").await;
    stack.wait_for("[data-status='submitted']").await;
    stack.close().await;
}

#[tokio::test]
async fn the_standalone_finder_asks_for_the_application_link_before_a_request() {
    let mut stack = Stack::start_with_width(320).await;
    let (id, token) = stack.submitted_application().await;
    stack.fresh_browser().await;
    stack
        .browser
        .goto(&stack.url("/finder.html"))
        .await
        .unwrap();
    stack.wait_for_text("#finder-count", "providers").await;
    stack.fill("#finder-q", "sao paulo").await;
    stack.wait_for_text(".csp-result__place", "São Paulo").await;
    let sideways = stack
        .browser
        .execute(
            "return document.documentElement.scrollWidth > document.documentElement.clientWidth;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        sideways,
        serde_json::json!(false),
        "no sideways scroll at 320 px"
    );
    stack.shot("finder-standalone-320").await;
    stack.click("#finder-result-0").await;

    // No application yet: the finder asks for its link, and says what is
    // wrong with a bad one.
    stack.wait_for("#finder-resume-link").await;
    assert!(stack.text("[data-request-partner]").await.is_none());
    stack
        .fill("#finder-resume-link", "https://example.com/apply")
        .await;
    stack
        .in_app(
            "#finder-resume-link",
            "el.form.requestSubmit(); return true;",
        )
        .await;
    stack
        .wait_for_text("#finder-resume-error", "#resume=")
        .await;
    stack.assert_accessible("resume prompt with an error").await;
    stack.shot("finder-resume-error-320").await;

    let link = stack.url(&format!("/#resume={id}.{token}"));
    stack.fill("#finder-resume-link", &link).await;
    stack
        .in_app(
            "#finder-resume-link",
            "el.form.requestSubmit(); return true;",
        )
        .await;
    stack.click("[data-request-partner]").await;
    stack.wait_for("#request-sent").await;
    // The link never lands in the page's URL or storage.
    assert!(!stack.browser_storage().await.contains(&token));
    stack.close().await;
}

#[tokio::test]
async fn beyond_the_in_browser_limit_the_server_searches_and_show_more_adds_its_next_page() {
    // The built app, with a standalone finder whose host sets the
    // in-browser limit below the demo directory's 5,000 providers.
    let site = tempfile::tempdir().expect("a temp dir");
    for entry in std::fs::read_dir(dist_dir()).expect("dist") {
        let path = entry.expect("an entry").path();
        if path.is_file() {
            std::fs::copy(&path, site.path().join(path.file_name().unwrap())).expect("a copy");
        }
    }
    let page = std::fs::read_to_string(dist_dir().join("finder.html")).expect("finder.html");
    let page = page.replace(
        "data-view=\"finder\"",
        "data-view=\"finder\" data-finder-in-browser-limit=\"100\"",
    );
    std::fs::write(site.path().join("finder-on-server.html"), page).expect("the page");
    let stack = Stack::start_serving(1280, site.path().to_path_buf(), None).await;
    stack
        .browser
        .goto(&stack.url("/finder-on-server.html"))
        .await
        .unwrap();
    stack
        .wait_for_text("#finder-count", "5,000 providers")
        .await;

    stack.fill("#finder-q", "muller").await;
    let muller = fewer_than(&stack, 5_000).await;
    assert!(muller > 40, "{muller}");
    let shown = names(&stack).await;
    assert_eq!(shown.len(), 20, "{shown:?}");
    assert!(shown.iter().all(|n| n.starts_with("Müller")), "{shown:?}");
    // The count is announced once typing pauses.
    stack
        .wait_for_text(
            "[role=status][aria-live=polite]",
            &format!("{} provider", grouped(muller)),
        )
        .await;
    // The server searched: the directory itself was never downloaded.
    let fetched = stack
        .browser
        .execute(
            "return performance.getEntriesByType('resource').map(e => e.name);",
            vec![],
        )
        .await
        .unwrap();
    let fetched: Vec<String> = serde_json::from_value(fetched).expect("names");
    assert!(
        fetched
            .iter()
            .any(|url| url.contains("/providers?") && url.contains("q=muller")),
        "{fetched:?}"
    );
    assert!(
        !fetched.iter().any(|url| url.contains("/providers/index")),
        "{fetched:?}"
    );

    // Show more adds the server's next page, and focus moves to its first.
    stack.click("[data-show-more]").await;
    eventually("40 names after show more", async || {
        let shown = names(&stack).await;
        if shown.len() == 40 {
            Ok(())
        } else {
            Err(shown.len())
        }
    })
    .await;
    stack.wait_for_focus("finder-result-20").await;
    assert!(names(&stack).await.iter().all(|n| n.starts_with("Müller")));
    stack.close().await;
}
