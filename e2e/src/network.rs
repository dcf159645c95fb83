//! The browser's network: offline, throttled, and DevTools commands, through
//! chromedriver's own commands.

use crate::Stack;
use serde_json::{json, Value};

impl Stack {
    /// Cuts the browser off the network (or reconnects it), through
    /// chromedriver's network conditions: the page sees real failures.
    pub async fn set_offline(&self, offline: bool) {
        self.set_network(Network {
            offline,
            ..Network::FAST
        })
        .await;
    }

    /// The browser's network from now on (kept across navigations).
    pub async fn set_network(&self, network: Network) {
        let speed = |s: Option<u32>| s.map_or(-1, i64::from);
        let body = json!({
            "network_conditions": {
                "offline": network.offline,
                "latency": network.latency_ms,
                "download_throughput": speed(network.down_bytes_per_s),
                "upload_throughput": speed(network.up_bytes_per_s),
            }
        });
        self.browser
            .issue_cmd(ChromiumCommand {
                path: "chromium/network_conditions",
                body,
            })
            .await
            .expect("chromedriver sets the network conditions");
    }

    /// A Chrome DevTools Protocol command (`Network.clearBrowserCache`, ...)
    /// and its result.
    pub async fn devtools(&self, command: &str, params: Value) -> Value {
        self.browser
            .issue_cmd(ChromiumCommand {
                path: "goog/cdp/execute",
                body: json!({ "cmd": command, "params": params }),
            })
            .await
            .unwrap_or_else(|e| panic!("{command}: {e}"))
    }
}

/// A chromedriver command of its own, outside WebDriver: network
/// conditions (`chromium/network_conditions`) or a DevTools command
/// (`goog/cdp/execute`).
#[derive(Debug)]
struct ChromiumCommand {
    path: &'static str,
    body: Value,
}

impl fantoccini::wd::WebDriverCompatibleCommand for ChromiumCommand {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/{}",
            session_id.unwrap_or_default(),
            self.path
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(self.body.to_string()))
    }
}

/// How the browser's network behaves: offline, or a link with this round
/// trip and these speeds (bytes per second; `None`: as fast as it goes).
#[derive(Clone, Copy, Debug)]
pub struct Network {
    pub offline: bool,
    pub latency_ms: u32,
    pub down_bytes_per_s: Option<u32>,
    pub up_bytes_per_s: Option<u32>,
}

impl Network {
    pub const FAST: Network = Network {
        offline: false,
        latency_ms: 0,
        down_bytes_per_s: None,
        up_bytes_per_s: None,
    };
}
