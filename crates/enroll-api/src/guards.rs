//! Middleware between the transport and the routes: the request size
//! limits of `limits.rs`, and the contract's JSON error body on every error
//! answer of the API, including the ones axum and tower-http word in
//! plain text (405, a 413 from `DefaultBodyLimit`, ...) or not at all.

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use enroll_core::ErrorCode;

use crate::error::ApiFailure;
use crate::limits::Limits;
use enroll_core::Locale;

/// 414 for a request target longer than `max_uri_bytes`, 431 for headers
/// (names and values) longer than `max_header_bytes`. hyper's own limits
/// are far larger and answer without our body; these are the ones clients
/// meet.
pub async fn request_size(State(limits): State<Limits>, request: Request, next: Next) -> Response {
    let target = request
        .uri()
        .path_and_query()
        .map_or(0, |target| target.as_str().len());
    if target > limits.max_uri_bytes {
        return ApiFailure::new(StatusCode::URI_TOO_LONG, ErrorCode::UriTooLong).into_response();
    }
    let headers: usize = request
        .headers()
        .iter()
        .map(|(name, value)| name.as_str().len() + value.len())
        .sum();
    if headers > limits.max_header_bytes {
        return ApiFailure::new(
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            ErrorCode::HeadersTooLarge,
        )
        .into_response();
    }
    next.run(request).await
}

/// Rewrites an error answer whose body is not JSON into the contract's
/// error, with a code derived from its status. The answer's other headers
/// stay (`Allow` on a 405, CORS, `Cache-Control`).
pub async fn json_errors(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) || is_json(response.headers()) {
        return response;
    }
    // Worded in the request's language by `error::word_failures`.
    let failure = ApiFailure::new(status, code_of(status));
    let mut answer = failure.in_place_of(response, Locale::default());
    answer.extensions_mut().insert(failure);
    answer
}

fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|mime| {
            let mime = mime.trim();
            mime.eq_ignore_ascii_case("application/json") || mime.ends_with("+json")
        })
}

/// The error code of a status (each has an `api.error.<code>` message).
pub(crate) fn code_of(status: StatusCode) -> ErrorCode {
    match status {
        StatusCode::NOT_FOUND => ErrorCode::NotFound,
        StatusCode::METHOD_NOT_ALLOWED => ErrorCode::MethodNotAllowed,
        StatusCode::REQUEST_TIMEOUT => ErrorCode::RequestTimeout,
        StatusCode::LENGTH_REQUIRED => ErrorCode::LengthRequired,
        StatusCode::PAYLOAD_TOO_LARGE => ErrorCode::TooLarge,
        StatusCode::URI_TOO_LONG => ErrorCode::UriTooLong,
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ErrorCode::UnsupportedMediaType,
        StatusCode::UNPROCESSABLE_ENTITY => ErrorCode::WrongShape,
        StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE => ErrorCode::HeadersTooLarge,
        s if s.is_server_error() => ErrorCode::Internal,
        _ => ErrorCode::BadRequest,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // A stand-in app for the middleware alone, not the API: its routes are
    // not part of the contract.
    #[allow(clippy::disallowed_methods)]
    #[tokio::test]
    async fn axums_plain_text_errors_become_json_errors() {
        use axum::body::{Body, Bytes};
        use axum::routing::post;
        use tower::ServiceExt;

        let app = axum::Router::new()
            .route("/bytes", post(|_: Bytes| async {}))
            .route("/json", post(|_: axum::Json<serde_json::Value>| async {}))
            .layer(axum::extract::DefaultBodyLimit::max(16))
            .layer(axum::middleware::from_fn(json_errors));
        let answer = |method: &str, path: &str, content_type: &str, body: &'static str| {
            let request = Request::builder()
                .method(method)
                .uri(path)
                .header(header::CONTENT_TYPE, content_type)
                .body(Body::from(body))
                .unwrap();
            let app = app.clone();
            async move {
                let response = app.oneshot(request).await.unwrap();
                let (parts, body) = response.into_parts();
                let body = axum::body::to_bytes(body, usize::MAX).await.unwrap();
                let json: serde_json::Value = serde_json::from_slice(&body).unwrap();
                assert!(is_json(&parts.headers));
                (parts, json["error"]["code"].as_str().unwrap().to_owned())
            }
        };
        let (parts, code) = answer("POST", "/bytes", "text/plain", "more than sixteen bytes").await;
        assert_eq!(
            (parts.status, code.as_str()),
            (StatusCode::PAYLOAD_TOO_LARGE, "too_large")
        );
        let (parts, code) = answer("POST", "/json", "text/plain", "{}").await;
        assert_eq!(
            (parts.status, code.as_str()),
            (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type")
        );
        let (parts, code) = answer("GET", "/json", "text/plain", "").await;
        assert_eq!(
            (parts.status, code.as_str()),
            (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed")
        );
        assert_eq!(parts.headers[header::ALLOW], "POST");
    }
}
