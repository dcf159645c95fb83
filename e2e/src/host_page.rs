//! The partner's page that embeds the app (`examples/host/`, on another
//! origin; `Stack::start_with_host_page`), and the app's iframe in it.

use crate::waiting::eventually;
use crate::Stack;

impl Stack {
    /// Moves the driver into the iframe that boot.js draws in iframe mode
    /// (inside the host element's shadow root, where WebDriver's own
    /// lookups do not reach); `browser.enter_parent_frame()` leaves it.
    pub async fn enter_app_frame(&self) {
        let frame = eventually("the app's iframe is drawn", async || {
            let found = self
                .browser
                .execute(
                    "const host = document.querySelector('csp-enroll'); \
                     return host && host.shadowRoot && host.shadowRoot.querySelector('iframe');",
                    vec![],
                )
                .await
                .expect("the script runs");
            match found.as_object().and_then(|o| o.values().next()?.as_str()) {
                Some(id) => Ok(id.to_owned()),
                None => Err(found),
            }
        })
        .await;
        fantoccini::elements::Element::from_element_id(self.browser.clone(), frame.into())
            .enter_frame()
            .await
            .expect("the app's iframe");
    }

    /// Opens the partner's page `path` (`start_with_host_page`).
    pub async fn open_host_page(&self, path: &str) {
        self.browser
            .goto(&self.host_url(path))
            .await
            .expect("the partner's page");
    }

    /// An address on the partner's page (`start_with_host_page`).
    pub fn host_url(&self, path: &str) -> String {
        let origin = self.host_page.as_deref().expect("a stack with a host page");
        format!("{origin}{path}")
    }
}
