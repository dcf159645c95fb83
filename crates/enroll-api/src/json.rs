//! A JSON body extractor whose rejections speak the API's error format
//! instead of axum's plain text.

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use serde::de::DeserializeOwned;

use crate::error::{ApiFailure, RequestLocale};

pub struct JsonBody<T>(pub T);

impl<S, T> FromRequest<S> for JsonBody<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = ApiFailure;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let locale = RequestLocale::of(request.headers());
        match axum::Json::<T>::from_request(request, state).await {
            Ok(axum::Json(value)) => Ok(Self(value)),
            Err(rejection) => Err(match rejection {
                JsonRejection::MissingJsonContentType(_) => {
                    ApiFailure::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, "json_required", locale)
                }
                JsonRejection::JsonDataError(_) => {
                    ApiFailure::new(StatusCode::UNPROCESSABLE_ENTITY, "wrong_shape", locale)
                }
                JsonRejection::BytesRejection(_) => {
                    ApiFailure::new(StatusCode::PAYLOAD_TOO_LARGE, "too_large", locale)
                }
                _ => ApiFailure::new(StatusCode::BAD_REQUEST, "invalid_json", locale),
            }),
        }
    }
}
