//! Error bodies exactly as the real service (FastAPI handlers, Envoy, authz sidecar) sends them,
//! and the library's own [`SimError`].

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

use crate::dialect::Dialect;

/// Errors of the library API (starting the simulator, seeding it).
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    /// The listening socket could not be bound.
    #[error("cannot bind {addr}: {source}")]
    Bind {
        /// Requested address.
        addr: String,
        /// Underlying error.
        source: std::io::Error,
    },
    /// A seed entry or library call was rejected with the service's message.
    #[error("{0}")]
    Rejected(String),
}

/// An error answer of a simulated endpoint.
#[derive(Debug, Clone)]
pub(crate) enum ApiError {
    /// OSMOUserError: 400 `{"message","error_code":"USER","workflow_id":null}`.
    User(String),
    /// OSMOUsageError: 400 `{"message","error_code":"USAGE","workflow_id":null}`.
    Usage(String),
    /// Unhandled/server error: 500 `{"message":"Internal server error: …"}`.
    Internal(String),
    /// FastAPI validation: 422 `{"detail":[…]}`.
    Validation(Vec<Value>),
    /// Starlette routing errors: `{"detail": "Not Found"}` etc.
    Detail(StatusCode, &'static str),
    /// Service middleware: 400 `{"message","error_code":"OSMO_ERROR"}`.
    Middleware(String),
    /// RBAC denial in the dialect's form (6.0 JSON, 6.2+ plain text).
    Forbidden(Dialect),
    /// Envoy JWT failure: 401 plain text.
    Unauthorized(&'static str),
}

impl ApiError {
    pub(crate) fn not_found() -> Self {
        Self::Detail(StatusCode::NOT_FOUND, "Not Found")
    }

    pub(crate) fn method_not_allowed() -> Self {
        Self::Detail(StatusCode::METHOD_NOT_ALLOWED, "Method Not Allowed")
    }

    pub(crate) fn user(msg: impl Into<String>) -> Self {
        Self::User(msg.into())
    }
}

fn json_response(status: StatusCode, body: &Value) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match self {
            Self::User(message) => json_response(
                StatusCode::BAD_REQUEST,
                &json!({"message": message, "error_code": "USER", "workflow_id": null}),
            ),
            Self::Usage(message) => json_response(
                StatusCode::BAD_REQUEST,
                &json!({"message": message, "error_code": "USAGE", "workflow_id": null}),
            ),
            Self::Internal(text) => json_response(
                StatusCode::INTERNAL_SERVER_ERROR,
                &json!({"message": format!("Internal server error: {text}")}),
            ),
            Self::Validation(detail) => json_response(
                StatusCode::UNPROCESSABLE_ENTITY,
                &json!({ "detail": detail }),
            ),
            Self::Detail(status, text) => json_response(status, &json!({ "detail": text })),
            Self::Middleware(message) => json_response(
                StatusCode::BAD_REQUEST,
                &json!({"message": message, "error_code": "OSMO_ERROR"}),
            ),
            Self::Forbidden(Dialect::V6_0) => json_response(
                StatusCode::FORBIDDEN,
                &json!({"message": "Forbidden", "error_code": 403}),
            ),
            Self::Forbidden(Dialect::V6_2 | Dialect::V6_4) => (
                StatusCode::FORBIDDEN,
                [(header::CONTENT_TYPE, "text/plain")],
                "access denied",
            )
                .into_response(),
            Self::Unauthorized(text) => (
                StatusCode::UNAUTHORIZED,
                [(header::CONTENT_TYPE, "text/plain")],
                text,
            )
                .into_response(),
        }
    }
}

/// Serializes a handler's success value as the service does (`null` for `None`).
pub(crate) fn ok_json(value: Value) -> Response {
    json_response(StatusCode::OK, &value)
}

pub(crate) type ApiResult = Result<Response, ApiError>;
