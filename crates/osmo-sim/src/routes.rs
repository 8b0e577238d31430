//! The URL map of each dialect (what exists at 6.0/6.1 vs 6.2+, so that the other generation's
//! paths answer 404/405/422 like the real service), the middleware stack, and the `/__sim`
//! control routes.

use std::sync::Arc;

use axum::middleware::{from_fn, from_fn_with_state};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::Router;

use crate::dialect::Dialect;
use crate::errors::ApiError;
use crate::state::Shared;
use crate::{
    auth, backends, control, cors, faults, history, listener, pool_writes, pools, tokens,
    user_roles, user_tokens, users, version,
};

async fn not_found() -> Response {
    ApiError::not_found().into_response()
}

async fn method_not_allowed() -> Response {
    ApiError::method_not_allowed().into_response()
}

fn osmo_routes(dialect: Dialect) -> Router<Arc<Shared>> {
    let common = Router::new()
        .route("/api/version", get(version::version))
        .route("/client/version", get(version::version))
        .route("/health", get(version::health))
        .route("/api/auth/login", get(auth::login_info))
        .route("/api/auth/keys", get(auth::keys))
        .route("/api/configs/backend", get(backends::list))
        .route(
            "/api/configs/backend/{name}",
            get(backends::get)
                .post(backends::update)
                .delete(backends::delete),
        )
        .route("/api/configs/history", get(history::list))
        .route("/api/configs/history/rollback", post(history::rollback))
        .route(
            "/api/configs/history/{config_type}/revision/{revision}",
            delete(history::delete_revision),
        )
        .route(
            "/api/configs/history/{config_type}/revision/{revision}/tags",
            post(history::update_tags),
        )
        .route("/api/configs/diff", get(history::diff))
        .route(
            "/api/configs/pool",
            get(pools::config_list).put(pool_writes::put_all),
        )
        .route(
            "/api/configs/pool/{name}",
            get(pools::config_get)
                .put(pool_writes::put_one)
                .patch(pool_writes::patch)
                .delete(pool_writes::delete),
        )
        .route("/api/pool", get(pools::user_list))
        .route("/api/pool_quota", get(pools::quota_list))
        .route("/api/configs/role", get(pools::roles))
        .route(
            "/api/agent/listener/{kind}/backend/{name}",
            get(listener::listener),
        )
        .route("/api/agent/worker/backend/{name}", get(listener::worker));
    match dialect {
        Dialect::V6_0 => common
            .route("/api/auth/jwt/access_token", get(tokens::jwt_exchange_get))
            .route("/api/auth/access_token", get(tokens::token_info))
            .route(
                "/api/auth/access_token/service",
                get(tokens::service_token_list),
            )
            .route(
                "/api/auth/access_token/service/{name}",
                post(tokens::service_token_create).delete(tokens::service_token_delete),
            )
            .route("/api/auth/access_token/user", get(tokens::user_token_list))
            .route(
                "/api/auth/access_token/user/{name}",
                post(tokens::user_token_create).delete(tokens::user_token_delete),
            ),
        Dialect::V6_2 | Dialect::V6_4 => common
            .route(
                "/api/auth/jwt/access_token",
                get(tokens::jwt_exchange_get).post(tokens::jwt_exchange_post),
            )
            .route("/api/auth/access_token", get(user_tokens::own_token_list))
            .route(
                "/api/auth/access_token/{name}",
                post(user_tokens::own_token_create).delete(user_tokens::own_token_delete),
            )
            .route(
                "/api/auth/access_token/{name}/roles",
                get(user_tokens::own_token_roles),
            )
            .route(
                "/api/auth/user",
                get(users::user_list).post(users::user_create),
            )
            .route(
                "/api/auth/user/{id}",
                get(users::user_get).delete(users::user_delete),
            )
            .route(
                "/api/auth/user/{id}/roles",
                get(user_roles::user_roles_list).post(user_roles::user_role_add),
            )
            .route(
                "/api/auth/user/{id}/roles/{role}",
                delete(user_roles::user_role_remove),
            )
            .route(
                "/api/auth/roles/{role}/users",
                get(user_roles::role_users_list).post(user_roles::role_users_assign),
            )
            .route(
                "/api/auth/user/{id}/access_token",
                get(user_tokens::user_token_list),
            )
            .route(
                "/api/auth/user/{id}/access_token/{name}",
                post(user_tokens::user_token_create).delete(user_tokens::user_token_delete),
            ),
    }
}

/// The complete application: OSMO routes behind CORS, faults, identity and the service
/// middleware, plus the unaffected `/__sim` control routes.
pub(crate) fn app(shared: Arc<Shared>) -> Router {
    let api = osmo_routes(shared.dialect)
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(from_fn_with_state(
            shared.clone(),
            version::service_middleware,
        ))
        .layer(from_fn_with_state(shared.clone(), auth::identify))
        .layer(from_fn_with_state(shared.clone(), faults::inject))
        .layer(from_fn(cors::cors));
    let control = Router::new()
        .route(
            "/__sim/faults",
            get(control::get_faults)
                .post(control::set_faults)
                .delete(control::clear_faults),
        )
        .route(
            "/__sim/backends/{name}/heartbeat",
            post(control::set_heartbeat),
        )
        .route(
            "/__sim/backends/{name}/keep_alive",
            post(control::set_keep_alive),
        )
        .route("/__sim/state", get(control::state));
    control.merge(api).with_state(shared)
}
