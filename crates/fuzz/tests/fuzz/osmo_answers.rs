//! Every OSMO answer the app decodes, one target each: discovery (version, sign-in methods), the
//! token exchange (and the JWT it returns), and each typed call of a session, in the dialects
//! that have it. Seeds: the captured answers of the same request (`fixtures/osmo`).

use chrono::NaiveDate;
use osmo_admin_fuzz::{assert_short, fuzz, mutated, osmo_captures, Unstructured, CALL_LIMIT};
use osmo_admin_osmo_client::{
    CancellationToken, ConfigType, Connection, Dialect, HistoryQuery, OsmoError,
};
use osmo_admin_secrets::Secret;

use crate::osmo_service::{Answer, FakeService};

/// Statuses a fuzzed answer may carry besides the captured ones.
const STATUSES: &[u16] = &[
    200, 201, 204, 301, 400, 401, 403, 404, 405, 409, 422, 429, 500, 502, 503, 504,
];
const CONTENT_TYPES: &[&str] = &["application/json", "text/plain", "text/html", ""];

/// What a target calls; the fuzzed answer answers every request of the call.
#[derive(Debug, Clone, Copy)]
enum Call {
    Version,
    Login,
    TokenExchange,
    ListBackends,
    GetBackend,
    ListPools,
    ConfigHistory,
    ConfigDiff,
    ServiceTokens,
    Users,
    UsersWithRole,
    User,
    UserTokens,
    OwnTokens,
    CreateToken,
    CreateUser,
    Writes,
}

impl Call {
    /// Whether a captured request is one this call sends.
    fn sends(self, method: &str, path: &str) -> bool {
        let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
        match (self, method, segments.as_slice()) {
            (Call::Version, "GET", ["api", "version"]) => true,
            (Call::Login, "GET", ["api", "auth", "login"]) => true,
            (Call::TokenExchange, _, ["api", "auth", "jwt", "access_token"]) => true,
            (Call::ListBackends, "GET", ["api", "configs", "backend"]) => true,
            (Call::GetBackend, "GET", ["api", "configs", "backend", _]) => true,
            (Call::ListPools, "GET", ["api", "configs", "pool"]) => true,
            (Call::ConfigHistory, "GET", ["api", "configs", "history"]) => true,
            (Call::ConfigDiff, "GET", ["api", "configs", "diff"]) => true,
            (Call::ServiceTokens, "GET", ["api", "auth", "access_token", "service"]) => true,
            (Call::Users | Call::UsersWithRole, "GET", ["api", "auth", "user"]) => true,
            (Call::User, "GET", ["api", "auth", "user", _]) => true,
            (Call::UserTokens, "GET", ["api", "auth", "user", _, "access_token"]) => true,
            (Call::OwnTokens, "GET", ["api", "auth", "access_token", ..]) => segments.len() <= 4,
            (Call::CreateToken, "POST", ["api", "auth", "access_token", ..]) => true,
            (Call::CreateToken, "POST", ["api", "auth", "user", _, "access_token", _]) => true,
            (Call::CreateUser, "POST", ["api", "auth", "user"]) => true,
            (Call::Writes, "DELETE" | "PATCH" | "PUT", _) => true,
            (Call::Writes, "POST", ["api", "configs", ..]) => true,
            _ => false,
        }
    }

    /// The dialects whose sessions make this call (the others refuse it before sending).
    fn dialects(self) -> &'static [Dialect] {
        match self {
            Call::ServiceTokens => &[Dialect::V6_0],
            Call::Users
            | Call::UsersWithRole
            | Call::User
            | Call::UserTokens
            | Call::CreateUser => &[Dialect::V6_2],
            _ => &[Dialect::V6_0, Dialect::V6_2],
        }
    }
}

/// The captured answers to the requests `call` sends.
fn seeds(call: Call) -> Vec<Answer> {
    let seeds: Vec<Answer> = osmo_captures()
        .into_iter()
        .filter(|c| call.sends(&c.method, &c.path))
        .map(|c| Answer {
            status: c.status,
            content_type: c.content_type,
            body: c.body,
        })
        .collect();
    assert!(!seeds.is_empty(), "no captured answer for {call:?}");
    seeds
}

/// A captured answer's body mutated, with a captured or a random status and content type.
fn fuzzed(
    u: &mut Unstructured<'_>,
    seeds: &[Answer],
    bodies: &[Vec<u8>],
) -> arbitrary::Result<Answer> {
    let seed = u.choose(seeds)?;
    let status = if u.ratio(7, 8)? {
        seed.status
    } else {
        *u.choose(STATUSES)?
    };
    let content_type = if u.ratio(7, 8)? {
        seed.content_type.clone()
    } else {
        Some(u.choose(CONTENT_TYPES)?.to_string()).filter(|c| !c.is_empty())
    };
    Ok(Answer {
        status,
        content_type,
        body: mutated(u, bodies)?,
    })
}

/// The property for one call's outcome: a value, or an error whose messages are short.
fn check<T>(call: Call, outcome: Result<T, OsmoError>) -> Option<T> {
    match outcome {
        Ok(value) => Some(value),
        Err(e) => {
            assert_short(&format!("{call:?}: the error"), &e.to_string());
            if let Some(server) = e.server_message() {
                assert_short(&format!("{call:?}: the server's message"), server);
            }
            None
        }
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

/// Fuzzes discovery (`Connection::open`) with the answer of `path` fuzzed and the others fixed.
fn fuzz_discovery(call: Call, path: &str) {
    let rt = runtime();
    let service = rt.block_on(FakeService::start());
    // Version 6.4 needs no probe; the version target reaches the probe whenever its answer says 6.0.
    service.fix_discovery("4");
    service.unfix(path);
    let (seeds, bodies) = seeds_and_bodies(call);
    fuzz(|u| {
        service.answer_with(fuzzed(u, &seeds, &bodies)?);
        let opened = rt.block_on(async {
            tokio::time::timeout(CALL_LIMIT, service.connect())
                .await
                .unwrap_or_else(|_| panic!("{call:?} did not end within {CALL_LIMIT:?}"))
        });
        check(call, opened);
        Ok(())
    });
}

fn seeds_and_bodies(call: Call) -> (Vec<Answer>, Vec<Vec<u8>>) {
    let seeds = seeds(call);
    let bodies = seeds.iter().map(|s| s.body.clone()).collect();
    (seeds, bodies)
}

/// Fuzzes `call` on connections of each dialect that has it, every request answered fuzzed.
fn fuzz_call(call: Call) {
    let rt = runtime();
    let connections: Vec<(FakeService, Connection)> = rt.block_on(async {
        let mut connections = Vec::new();
        for dialect in call.dialects() {
            let service = FakeService::start().await;
            service.fix_discovery(match dialect {
                Dialect::V6_0 => "0",
                Dialect::V6_2 => "4",
            });
            let connection = service
                .connect()
                .await
                .expect("discovery of the fake service");
            assert_eq!(connection.discovery().dialect, *dialect);
            service.unfix_all();
            connections.push((service, connection));
        }
        connections
    });
    let (seeds, bodies) = seeds_and_bodies(call);
    fuzz(|u| {
        let (service, connection) = u.choose(&connections)?;
        service.answer_with(fuzzed(u, &seeds, &bodies)?);
        rt.block_on(async {
            tokio::time::timeout(CALL_LIMIT, make(call, connection))
                .await
                .unwrap_or_else(|_| panic!("{call:?} did not end within {CALL_LIMIT:?}"))
        });
        Ok(())
    });
}

/// Makes `call` once, as the app does, and checks its outcome.
async fn make(call: Call, connection: &Connection) {
    let cancel = CancellationToken::new();
    let cancel = &cancel;
    if let Call::TokenExchange = call {
        let signed_in = connection
            .sign_in_with_access_token(Secret::new("t".repeat(43)), cancel)
            .await;
        check(call, signed_in);
        return;
    }
    let session = connection
        .sign_in_development("fuzz")
        .expect("a development sign-in needs no answer");
    let expires = NaiveDate::from_ymd_opt(2030, 1, 1).expect("a date");
    let roles = ["osmo-backend".to_owned()];
    match call {
        Call::Version | Call::Login | Call::TokenExchange => unreachable!("not a session call"),
        Call::ListBackends => {
            let backends = check(call, session.list_backends(cancel).await);
            for backend in backends.iter().flatten() {
                check_warnings(backend);
            }
        }
        Call::GetBackend => {
            if let Some(backend) = check(call, session.get_backend("gpu-east", cancel).await) {
                check_warnings(&backend);
            }
        }
        Call::ListPools => drop(check(call, session.list_pools(cancel).await)),
        Call::ConfigHistory => {
            let query = HistoryQuery::default();
            drop(check(call, session.config_history(&query, cancel).await));
        }
        Call::ConfigDiff => {
            let diff = session.config_diff(ConfigType::Backend, 1, 2, cancel).await;
            drop(check(call, diff));
        }
        Call::ServiceTokens => drop(check(call, session.list_service_tokens(cancel).await)),
        Call::Users => drop(check(call, session.list_users(1, 1000, cancel).await)),
        Call::UsersWithRole => {
            let users = session.list_users_with_role("osmo-backend", cancel).await;
            drop(check(call, users));
        }
        Call::User => drop(check(call, session.get_user("svc", cancel).await)),
        Call::UserTokens => drop(check(call, session.list_user_tokens("svc", cancel).await)),
        Call::OwnTokens => drop(check(call, session.list_own_tokens(cancel).await)),
        Call::CreateToken => {
            let created = match session.dialect() {
                Dialect::V6_0 => {
                    session
                        .create_service_token("tok", expires, &roles, "", cancel)
                        .await
                }
                Dialect::V6_2 => {
                    session
                        .create_user_token("svc", "tok", expires, &roles, "", cancel)
                        .await
                }
            };
            drop(check(call, created));
        }
        Call::CreateUser => drop(check(
            call,
            session.create_user("svc", &roles, cancel).await,
        )),
        Call::Writes => {
            let configs = serde_json::Map::new();
            let updated = session
                .update_backend("gpu-east", configs, "fuzz", cancel)
                .await;
            check(call, updated);
            check(
                call,
                session.delete_backend("gpu-east", "fuzz", cancel).await,
            );
            check(call, session.delete_pool("pool", "fuzz", cancel).await);
            let tagged = session
                .tag_revision(ConfigType::Backend, 3, &["t".into()], &[], cancel)
                .await;
            check(call, tagged);
            let rolled = session.roll_back(ConfigType::Pool, 3, "fuzz", cancel).await;
            check(call, rolled);
            check(
                call,
                session.add_user_role("svc", "osmo-backend", cancel).await,
            );
        }
    }
}

/// A backend's warnings are messages too.
fn check_warnings(backend: &osmo_admin_osmo_client::Backend) {
    for warning in &backend.warnings {
        assert_short("a backend warning", &warning.problem);
    }
}

#[test]
fn version() {
    fuzz_discovery(Call::Version, "/api/version");
}

#[test]
fn sign_in_methods() {
    fuzz_discovery(Call::Login, "/api/auth/login");
}

#[test]
fn token_exchange() {
    fuzz_call(Call::TokenExchange);
}

#[test]
fn backend_list() {
    fuzz_call(Call::ListBackends);
}

#[test]
fn one_backend() {
    fuzz_call(Call::GetBackend);
}

#[test]
fn pools() {
    fuzz_call(Call::ListPools);
}

#[test]
fn config_history() {
    fuzz_call(Call::ConfigHistory);
}

#[test]
fn config_diff() {
    fuzz_call(Call::ConfigDiff);
}

#[test]
fn service_tokens() {
    fuzz_call(Call::ServiceTokens);
}

#[test]
fn user_page() {
    fuzz_call(Call::Users);
}

#[test]
fn users_with_a_role() {
    fuzz_call(Call::UsersWithRole);
}

#[test]
fn one_user() {
    fuzz_call(Call::User);
}

#[test]
fn user_tokens() {
    fuzz_call(Call::UserTokens);
}

#[test]
fn own_tokens() {
    fuzz_call(Call::OwnTokens);
}

#[test]
fn created_token() {
    fuzz_call(Call::CreateToken);
}

#[test]
fn created_user() {
    fuzz_call(Call::CreateUser);
}

#[test]
fn write_answers() {
    fuzz_call(Call::Writes);
}
