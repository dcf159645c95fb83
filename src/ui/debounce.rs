//! The app's one debounce: what is asked again and again runs once, when
//! the asking pauses.

use gloo_timers::future::TimeoutFuture;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Given a closure again and again, runs the last one once, `pause_millis`
/// after it was given. Each call numbers itself; when its pause is over,
/// its closure runs only if no later call came. Once its owner is gone,
/// none runs.
///
/// Built on the timer future the first page already has (the API's and
/// the lifecycle's retries), and not generic over what it debounces: each
/// form tried that stored a callback or a cleared `setTimeout` handle
/// grew the first page (Leptos's `set_timeout_with_handle` by 70 brotli
/// bytes, with new JS imports; gloo's `callback::Timeout` by 285).
#[derive(Clone, Copy)]
pub struct Debounce {
    pause_millis: u32,
    /// The last call's number.
    latest: StoredValue<u64>,
}

impl Debounce {
    pub fn new(pause_millis: u32) -> Self {
        Self {
            pause_millis,
            latest: StoredValue::new(0),
        }
    }

    /// Starts the pause again; `then` replaces the closure waiting.
    pub fn run(self, then: impl FnOnce() + 'static) {
        let Some(number) = self.latest.try_update_value(|latest| {
            *latest += 1;
            *latest
        }) else {
            return;
        };
        spawn_local(async move {
            TimeoutFuture::new(self.pause_millis).await;
            if self.latest.try_get_value() == Some(number) {
                then();
            }
        });
    }
}
