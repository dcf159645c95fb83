//! The `/api/v1` handlers. Thin: parse, call the store, answer.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use enroll_core::ProgramSettings;

use crate::error::{ApiFailure, RequestLocale};
use crate::store::Store;

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
}

/// The routes under `/api/v1`.
pub fn api_v1() -> Router<AppState> {
    Router::new()
        .route("/program", get(get_program))
        .fallback(unknown_route)
}

async fn get_program(
    State(state): State<AppState>,
    RequestLocale(locale): RequestLocale,
) -> Result<Json<ProgramSettings>, ApiFailure> {
    let settings = state
        .store
        .program_settings()
        .await
        .map_err(|e| ApiFailure::store(e, locale))?;
    Ok(Json(settings))
}

async fn unknown_route(RequestLocale(locale): RequestLocale) -> ApiFailure {
    ApiFailure::not_found(locale)
}
