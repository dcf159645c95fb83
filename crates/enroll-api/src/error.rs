//! Every non-2xx answer of the API: `{"error": {"code", "message"}}` (or a
//! validation report), with the message in the request's locale.

use axum::extract::{FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use enroll_core::{ApiError, ApiErrorBody, Catalog, ErrorCode, Locale, ValidationReport};
use std::time::Duration;

use crate::store::StoreError;

/// The locale of a request, from `Accept-Language`.
#[derive(Clone, Copy, Debug)]
pub struct RequestLocale(pub Locale);

impl RequestLocale {
    pub fn of(headers: &axum::http::HeaderMap) -> Locale {
        let accept = headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        Locale::negotiate(accept)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for RequestLocale {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(Self::of(&parts.headers)))
    }
}

/// A failed request: its status and stable code, and for some the report
/// or the wait. Worded in the request's language in one place only, the
/// `word_failures` middleware, so handlers need not know the locale and
/// end in `?` (a `StoreError` becomes a logged 500).
#[derive(Clone, Debug)]
pub struct ApiFailure {
    pub status: StatusCode,
    pub code: ErrorCode,
    /// For 429: when to try again (`Retry-After`, whole seconds).
    pub retry_after: Option<Duration>,
    /// For 422 on answers: the validation report, which is then the body.
    pub report: Option<Box<ValidationReport>>,
}

impl ApiFailure {
    pub fn new(status: StatusCode, code: ErrorCode) -> Self {
        Self {
            status,
            code,
            retry_after: None,
            report: None,
        }
    }

    /// 422 with the validation report of the answers as the body.
    pub fn invalid(report: ValidationReport) -> Self {
        Self {
            report: Some(Box::new(report)),
            ..Self::new(StatusCode::UNPROCESSABLE_ENTITY, ErrorCode::InvalidAnswers)
        }
    }

    /// 429: a limit was reached; `code` says which, `wait` when to retry.
    pub fn throttled(code: ErrorCode, wait: Duration) -> Self {
        Self {
            retry_after: Some(wait),
            ..Self::new(StatusCode::TOO_MANY_REQUESTS, code)
        }
    }

    pub fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, ErrorCode::NotFound)
    }

    /// The body in `locale`: the report, or `{"error": {"code", "message"}}`.
    pub fn worded(&self, locale: Locale) -> String {
        let catalog = Catalog::get(locale);
        if let Some(report) = &self.report {
            let mut report = (**report).clone();
            report.localize(catalog);
            return serde_json::to_string(&report).unwrap_or_default();
        }
        let body = ApiErrorBody {
            error: ApiError {
                code: self.code,
                message: catalog.text_of(&self.code.message_key()),
            },
        };
        serde_json::to_string(&body).unwrap_or_default()
    }

    /// This failure's answer in `locale` in place of `answer`'s body. The
    /// headers layers added (CORS, `Cache-Control`, `Allow` on a 405) stay;
    /// those that described the old body (which a layer may have
    /// compressed) go.
    pub fn in_place_of(&self, answer: Response, locale: Locale) -> Response {
        let (mut parts, _) = answer.into_parts();
        for name in [
            header::CONTENT_TYPE,
            header::CONTENT_LENGTH,
            header::CONTENT_ENCODING,
            header::TRANSFER_ENCODING,
        ] {
            parts.headers.remove(name);
        }
        let (worded, body) = self.response(locale).into_parts();
        parts.headers.extend(worded.headers);
        Response::from_parts(parts, body)
    }

    /// The answer in `locale`, `Retry-After` included.
    fn response(&self, locale: Locale) -> Response {
        let json = HeaderValue::from_static("application/json");
        let mut response = (
            self.status,
            [(header::CONTENT_TYPE, json)],
            self.worded(locale),
        )
            .into_response();
        if let Some(wait) = self.retry_after {
            // Rounded up: retrying at the second given must work.
            let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

/// A store failure: logged here (without request data), answered as a
/// generic internal error.
impl From<StoreError> for ApiFailure {
    fn from(err: StoreError) -> Self {
        if matches!(err, StoreError::SessionEnded) {
            return Self::new(StatusCode::UNAUTHORIZED, ErrorCode::SessionExpired);
        }
        tracing::error!(error = %err, "store failure");
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, ErrorCode::Internal)
    }
}

impl IntoResponse for ApiFailure {
    /// Worded in the default language, and kept beside the answer for
    /// `word_failures` to word again in the request's.
    fn into_response(self) -> Response {
        let mut response = self.response(Locale::default());
        response.extensions_mut().insert(self);
        response
    }
}

/// The one place a failure is worded: in the language the request asked
/// for (`Accept-Language`), whichever layer or handler failed it.
pub async fn word_failures(request: Request, next: Next) -> Response {
    let locale = RequestLocale::of(request.headers());
    let mut response = next.run(request).await;
    match response.extensions_mut().remove::<ApiFailure>() {
        Some(failure) if locale != Locale::default() => failure.in_place_of(response, locale),
        _ => response,
    }
}
