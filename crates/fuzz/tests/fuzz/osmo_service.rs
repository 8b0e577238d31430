//! A loopback HTTP service that answers what the running target says: fixed answers for the
//! paths a connection needs before the call under test, and the fuzzed answer for every other
//! request. The client under test is the app's own (`osmo-admin-osmo-client`), over real HTTP.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, StatusCode, Uri};
use axum::response::Response;
use axum::Router;
use osmo_admin_fuzz::CALL_LIMIT;
use osmo_admin_osmo_client::{ClientConfig, Connection, ServiceSpec};
use serde_json::json;

/// One answer: status, `content-type` and body.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    pub content_type: Option<String>,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn json(status: u16, body: serde_json::Value) -> Self {
        Self {
            status,
            content_type: Some("application/json".into()),
            body: body.to_string().into_bytes(),
        }
    }
}

#[derive(Default)]
struct Answers {
    fixed: HashMap<String, Answer>,
    fuzzed: Option<Answer>,
}

/// The service; cheap to clone.
#[derive(Clone)]
pub struct FakeService {
    base_url: String,
    answers: Arc<Mutex<Answers>>,
}

impl FakeService {
    pub async fn start() -> Self {
        let answers = Arc::new(Mutex::new(Answers::default()));
        let router = Router::new().fallback(answer).with_state(answers.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a loopback port");
        let address = listener.local_addr().expect("the bound address");
        tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        Self {
            base_url: format!("http://{address}"),
            answers,
        }
    }

    /// Answers `path` with `answer` from now on, whatever the fuzzed answer.
    pub fn fix(&self, path: &str, answer: Answer) {
        lock(&self.answers).fixed.insert(path.to_owned(), answer);
    }

    pub fn unfix(&self, path: &str) {
        lock(&self.answers).fixed.remove(path);
    }

    pub fn unfix_all(&self) {
        lock(&self.answers).fixed.clear();
    }

    /// Answers every request not fixed with `answer`.
    pub fn answer_with(&self, answer: Answer) {
        lock(&self.answers).fuzzed = Some(answer);
    }

    /// Fixes what discovery needs for `minor` (6.`minor`): the version, no IdP, and (below 6.2)
    /// a token exchange probe answered 405, which makes the dialect 6.0.
    pub fn fix_discovery(&self, minor: &str) {
        self.fix(
            "/api/version",
            Answer::json(
                200,
                json!({"major": "6", "minor": minor, "revision": "0", "hash": ""}),
            ),
        );
        self.fix(
            "/api/auth/login",
            Answer::json(
                200,
                json!({"device_endpoint": null, "device_client_id": null, "browser_endpoint": null,
                       "browser_client_id": null, "token_endpoint": null, "logout_endpoint": null}),
            ),
        );
        self.fix(
            "/api/auth/jwt/access_token",
            Answer::json(405, json!({"detail": "Method Not Allowed"})),
        );
    }

    /// Opens a connection with the app's client (no retries: each call is one request).
    pub async fn connect(&self) -> osmo_admin_osmo_client::Result<Connection> {
        let spec = ServiceSpec {
            name: "fuzzed".into(),
            url: self.base_url.clone(),
            custom_ca_pem: None,
        };
        let config = ClientConfig {
            connect_timeout: Duration::from_secs(2),
            request_timeout: CALL_LIMIT,
            get_retries: 0,
            retry_backoff: Duration::from_millis(1),
            refresh_margin: Duration::from_secs(1),
        };
        Connection::open(
            spec,
            config,
            &osmo_admin_osmo_client::CancellationToken::new(),
        )
        .await
    }
}

async fn answer(State(answers): State<Arc<Mutex<Answers>>>, uri: Uri) -> Response {
    let found = {
        let answers = lock(&answers);
        answers
            .fixed
            .get(uri.path())
            .or(answers.fuzzed.as_ref())
            .cloned()
    };
    let Some(found) = found else {
        return not_found();
    };
    let mut response =
        Response::builder().status(StatusCode::from_u16(found.status).unwrap_or(StatusCode::OK));
    if let Some(content_type) = &found.content_type {
        response = response.header(header::CONTENT_TYPE, content_type);
    }
    response
        .body(Body::from(found.body))
        .unwrap_or_else(|_| not_found())
}

fn not_found() -> Response {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = StatusCode::NOT_FOUND;
    response
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}
