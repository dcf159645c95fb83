//! A partner's page on another origin, for trying the embedding as a
//! partner would (`enroll-api example-host`, started by `cargo xtask run`)
//! and for the end-to-end tests: a plain static server for a folder of
//! pages (`examples/host/`), with no CSP and no CORS of its own, where
//! `{{APP}}` in an HTML page becomes the app's origin, so the snippet in
//! the page is the one the README tells partners to paste.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use tokio::net::TcpListener;

/// What the page's `{{APP}}` stands for.
pub const APP_PLACEHOLDER: &str = "{{APP}}";

#[derive(Clone)]
struct Site {
    dir: Arc<PathBuf>,
    app_origin: Arc<str>,
}

/// Serves `dir` on `listener` until the task is dropped or aborted.
pub fn serve(listener: TcpListener, dir: PathBuf, app_origin: &str) -> tokio::task::JoinHandle<()> {
    let site = Site {
        dir: Arc::new(dir),
        app_origin: Arc::from(app_origin.trim_end_matches('/')),
    };
    let app = Router::new().fallback(page).with_state(site);
    tokio::spawn(async move {
        if let Err(e) = axum::serve(listener, app).await {
            tracing::error!("example host page: {e}");
        }
    })
}

async fn page(State(site): State<Site>, request: Request) -> Response {
    let Some(path) = file_path(&site.dir, request.uri().path()) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let Ok(bytes) = tokio::fs::read(&path).await else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let html = path.extension().is_some_and(|e| e == "html");
    let (body, kind) = if html {
        let text = String::from_utf8_lossy(&bytes).replace(APP_PLACEHOLDER, &site.app_origin);
        (Body::from(text), "text/html; charset=utf-8")
    } else {
        let kind = match path.extension().and_then(|e| e.to_str()) {
            Some("css") => "text/css; charset=utf-8",
            Some("js") => "text/javascript; charset=utf-8",
            _ => "application/octet-stream",
        };
        (Body::from(bytes), kind)
    };
    let mut response = Response::new(body);
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

/// The file a request path names inside `dir` (`/` is `index.html`);
/// `None` for anything that would leave it.
fn file_path(dir: &Path, request_path: &str) -> Option<PathBuf> {
    let relative = Path::new(request_path.trim_start_matches('/'));
    if !relative
        .components()
        .all(|c| matches!(c, Component::Normal(_)))
    {
        return None;
    }
    let path = dir.join(relative);
    Some(if request_path.ends_with('/') || request_path.is_empty() {
        path.join("index.html")
    } else {
        path
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside_the_folder() {
        let dir = Path::new("/site");
        assert_eq!(file_path(dir, "/"), Some(PathBuf::from("/site/index.html")));
        assert_eq!(
            file_path(dir, "/iframe.html"),
            Some(PathBuf::from("/site/iframe.html"))
        );
        assert_eq!(file_path(dir, "/../etc/passwd"), None);
        assert_eq!(file_path(dir, "/a/../../b"), None);
    }
}
