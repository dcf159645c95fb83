//! Every non-2xx answer of the API: `{"error": {"code", "message"}}`, with
//! the message in the request's locale.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use enroll_core::{ApiError, ApiErrorBody, Catalog, Locale, ValidationReport};
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

/// A failed request: status, stable code, and the locale to word it in.
#[derive(Debug)]
pub struct ApiFailure {
    pub status: StatusCode,
    pub code: &'static str,
    pub locale: Locale,
    /// For 429: when to try again (`Retry-After`, whole seconds).
    pub retry_after: Option<Duration>,
    /// For 422 on answers: the validation report, which is then the body.
    pub report: Option<Box<ValidationReport>>,
}

impl ApiFailure {
    pub fn new(status: StatusCode, code: &'static str, locale: Locale) -> Self {
        Self {
            status,
            code,
            locale,
            retry_after: None,
            report: None,
        }
    }

    /// 422 with the validation report of the answers as the body, worded
    /// in `locale`.
    pub fn invalid(mut report: ValidationReport, locale: Locale) -> Self {
        report.localize(Catalog::get(locale));
        Self {
            report: Some(Box::new(report)),
            ..Self::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_answers", locale)
        }
    }

    /// 429: a limit was reached; `code` says which, `wait` when to retry.
    pub fn throttled(code: &'static str, wait: Duration, locale: Locale) -> Self {
        Self {
            retry_after: Some(wait),
            ..Self::new(StatusCode::TOO_MANY_REQUESTS, code, locale)
        }
    }

    pub fn not_found(locale: Locale) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", locale)
    }

    /// A store failure: logged here (without request data), reported as a
    /// generic internal error.
    pub fn store(err: StoreError, locale: Locale) -> Self {
        tracing::error!(error = %err, "store failure");
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", locale)
    }
}

impl IntoResponse for ApiFailure {
    fn into_response(self) -> Response {
        if let Some(report) = self.report {
            return (self.status, Json(report)).into_response();
        }
        let message = Catalog::get(self.locale).text(&format!("api.error.{}", self.code));
        let body = ApiErrorBody {
            error: ApiError {
                code: self.code.to_owned(),
                message,
            },
        };
        let mut response = (self.status, Json(body)).into_response();
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
