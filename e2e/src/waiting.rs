//! Waiting for a condition, never for a length of time: each wait looks
//! again until what it waits for is true, and fails saying what never was
//! and what it saw last.

use crate::Stack;
use std::fmt::{Debug, Display};
use std::time::{Duration, Instant};

/// How long a test waits for the page, or the inbox, to show something.
pub const PATIENCE: Duration = Duration::from_secs(15);

/// How often a wait looks again.
const POLL: Duration = Duration::from_millis(50);

/// Looks with `check` until it gives `Ok`, and returns what it gave; after
/// `PATIENCE`, fails saying that `what` never became true and what the last
/// look saw (its `Err`). The one way the end-to-end tests wait.
pub async fn eventually<T, E: Debug>(
    what: impl Display,
    check: impl AsyncFnMut() -> Result<T, E>,
) -> T {
    eventually_within(PATIENCE, what, check).await
}

/// `eventually`, with a patience of its own: for a wait whose bound is
/// part of what the test says.
pub async fn eventually_within<T, E: Debug>(
    patience: Duration,
    what: impl Display,
    mut check: impl AsyncFnMut() -> Result<T, E>,
) -> T {
    let deadline = Instant::now() + patience;
    loop {
        match check().await {
            Ok(found) => return found,
            Err(last) => assert!(
                Instant::now() < deadline,
                "never true within {patience:?}: {what}; last seen: {last:?}"
            ),
        }
        tokio::time::sleep(POLL).await;
    }
}

impl Stack {
    /// Waits until the element matching `selector` in the app contains
    /// `needle`, and returns its text.
    pub async fn wait_for_text(&self, selector: &str, needle: &str) -> String {
        eventually(
            format!("`{selector}` contains {needle:?}"),
            async || match self.text(selector).await {
                Some(text) if text.contains(needle) => Ok(text),
                other => Err(other),
            },
        )
        .await
    }

    /// Waits until `selector` matches in the app.
    pub async fn wait_for(&self, selector: &str) {
        eventually(format!("`{selector}` is in the app"), async || {
            self.is_in_app(selector).await.then_some(()).ok_or("absent")
        })
        .await
    }

    /// Waits until the element focused in the app has the id `id`.
    pub async fn wait_for_focus(&self, id: &str) {
        eventually(format!("`#{id}` has focus"), async || {
            let focused = self.focused().await;
            if focused.starts_with(&format!("{id}|")) {
                Ok(())
            } else {
                Err(focused)
            }
        })
        .await
    }

    /// Waits until the focused element in the app has `class` (for an
    /// element without an id, such as a confirmation's button).
    pub async fn wait_for_focus_on_class(&self, class: &str) {
        eventually(
            format!("an element of class `{class}` has focus"),
            async || {
                let focused = self.focused().await;
                let classes = focused.split_once('|').map_or("", |(_, c)| c);
                if classes.split_whitespace().any(|c| c == class) {
                    Ok(())
                } else {
                    Err(focused)
                }
            },
        )
        .await
    }
}
