//! A JSON body extractor whose rejections speak the API's error format
//! instead of axum's plain text.

use axum::extract::rejection::{BytesRejection, JsonRejection};
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use enroll_core::ErrorCode;
use serde::de::DeserializeOwned;

use crate::error::ApiFailure;
use crate::transport::BodyTimeout;

pub struct JsonBody<T>(pub T);

impl<S, T> FromRequest<S> for JsonBody<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = ApiFailure;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(request, state).await {
            Ok(axum::Json(value)) => Ok(Self(value)),
            Err(rejection) => Err(match rejection {
                JsonRejection::MissingJsonContentType(_) => {
                    ApiFailure::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, ErrorCode::JsonRequired)
                }
                JsonRejection::JsonDataError(_) => {
                    ApiFailure::new(StatusCode::UNPROCESSABLE_ENTITY, ErrorCode::WrongShape)
                }
                JsonRejection::BytesRejection(e) => body_failure(&e),
                _ => ApiFailure::new(StatusCode::BAD_REQUEST, ErrorCode::InvalidJson),
            }),
        }
    }
}

/// A JSON body that may be absent (no bytes): then `T::default()`.
pub struct OptionalJsonBody<T>(pub T);

impl<S, T> FromRequest<S> for OptionalJsonBody<T>
where
    S: Send + Sync,
    T: DeserializeOwned + Default,
{
    type Rejection = ApiFailure;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = axum::body::Bytes::from_request(request, state)
            .await
            .map_err(|e| body_failure(&e))?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(Self(T::default()));
        }
        let value: serde_json::Value = serde_json::from_slice(&bytes)
            .map_err(|_| ApiFailure::new(StatusCode::BAD_REQUEST, ErrorCode::InvalidJson))?;
        serde_json::from_value(value)
            .map(Self)
            .map_err(|_| ApiFailure::new(StatusCode::UNPROCESSABLE_ENTITY, ErrorCode::WrongShape))
    }
}

/// A body that could not be read: too large (`DefaultBodyLimit`), too slow
/// (the transport's body deadline), or broken off.
fn body_failure(rejection: &BytesRejection) -> ApiFailure {
    if BodyTimeout::caused(rejection) {
        ApiFailure::new(StatusCode::REQUEST_TIMEOUT, ErrorCode::RequestTimeout)
    } else if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
        ApiFailure::new(StatusCode::PAYLOAD_TOO_LARGE, ErrorCode::TooLarge)
    } else {
        ApiFailure::new(StatusCode::BAD_REQUEST, ErrorCode::BadRequest)
    }
}
