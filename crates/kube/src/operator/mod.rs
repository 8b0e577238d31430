//! Talking to Kubernetes about a backend operator, the one way for setup, diagnostics and
//! rotation: its token Secret (read as the operator reads its mounted file, written with the
//! rotation's `<key>.previous` and this app's annotations), its Deployments (list, rollout
//! restart), and every call within [`Limits`] with its `kube::Error` mapped once, to a
//! [`KubeCallError`] that says what failed, where and what to do.

mod call;
mod deployments;
mod secret;

pub use call::{run, KubeAction, KubeCallError, Limits, SET_UP_OPERATOR_FIRST};
pub use deployments::{
    delete_operator_deployments, is_operator_deployment, list_deployments, restarted_at,
    rollout_restart, LISTENER_DEPLOYMENT, RESTARTED_AT_ANNOTATION, WORKER_DEPLOYMENT,
};
pub use secret::{
    read_secret, read_token, token_text, write_secret, Change, SecretContents, SecretWrite,
    TokenRef, TokenSecret, ROTATION_ANNOTATION, TOKEN_NAME_ANNOTATION, TOKEN_OWNER_ANNOTATION,
};
