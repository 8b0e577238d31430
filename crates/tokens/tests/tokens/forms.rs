//! The token list, create and delete against the simulator in every dialect (6.0, 6.2.x which
//! reports 6.0, 6.4; no cluster).

use chrono::Duration;
use osmo_admin_osmo_client::{check_access_token, CancellationToken, HttpClient, TokenCheck};
use osmo_admin_tokens::{
    create, delete, inventory, today_utc, Badge, Field, InventoryOptions, NewToken, Rules,
    TokenKind, TokenRef, TokenUse, TokensError,
};
use osmo_sim::{Dialect, SeedToken};

use crate::common::{fast_config, sign_in, simulator, ACCOUNT, OLD};

#[tokio::test]
async fn inventory_lists_service_tokens_with_badges_v6_0() {
    let (sim, _) = simulator(Dialect::V6_0).await;
    sim.create_token(SeedToken::service("stale", &["osmo-backend"]))
        .unwrap();
    assert!(sim.set_token_expires_at(OLD, OLD, today_utc() + Duration::days(3)));
    assert!(sim.set_token_expires_at("stale", "stale", today_utc()));
    let session = sign_in(&sim).await;
    let options = InventoryOptions {
        uses: vec![TokenUse {
            backend: "gpu".into(),
            owner: None,
            token_name: OLD.into(),
        }],
        ..InventoryOptions::default()
    };
    let rows = inventory(&session, &options, &CancellationToken::new())
        .await
        .unwrap();
    let find = |name: &str| rows.iter().find(|r| r.name == name).unwrap();
    assert_eq!(find("stale").expiry.badge, Badge::Expired);
    assert_eq!(find(OLD).expiry.badge, Badge::ExpiresSoon);
    assert_eq!(find(OLD).expiry.words, "expires in 3 days");
    assert_eq!(find(OLD).used_by, vec!["gpu".to_owned()]);
    assert_eq!(find(OLD).kind, TokenKind::Service);
    assert_eq!(find("admin").expiry.badge, Badge::Fine);
    let strict = InventoryOptions {
        soon_days: 2,
        ..InventoryOptions::default()
    };
    let rows = inventory(&session, &strict, &CancellationToken::new())
        .await
        .unwrap();
    assert_eq!(
        rows.iter().find(|r| r.name == OLD).unwrap().expiry.badge,
        Badge::Fine
    );
}

#[tokio::test]
async fn inventory_lists_service_accounts_and_own_tokens_v6_2_x() {
    inventory_lists_service_accounts_and_own_tokens(Dialect::V6_2).await;
}

#[tokio::test]
async fn inventory_lists_service_accounts_and_own_tokens_v6_4() {
    inventory_lists_service_accounts_and_own_tokens(Dialect::V6_4).await;
}

async fn inventory_lists_service_accounts_and_own_tokens(dialect: Dialect) {
    let (sim, _) = simulator(dialect).await;
    sim.create_user("alice", &["osmo-user"]).unwrap();
    sim.create_token(SeedToken::for_user("alice", "laptop", &["osmo-user"]))
        .unwrap();
    let session = sign_in(&sim).await;
    let rows = inventory(
        &session,
        &InventoryOptions::default(),
        &CancellationToken::new(),
    )
    .await
    .unwrap();
    let names: Vec<(String, String, TokenKind)> = rows
        .iter()
        .map(|r| (r.owner.clone(), r.name.clone(), r.kind))
        .collect();
    assert!(
        names.contains(&(ACCOUNT.into(), OLD.into(), TokenKind::ServiceAccount)),
        "{names:?}"
    );
    assert!(
        names.contains(&("admin".into(), "admin".into(), TokenKind::Own)),
        "{names:?}"
    );
    assert!(
        !names.iter().any(|(owner, ..)| owner == "alice"),
        "{names:?}"
    );
}

fn form(owner: Option<&str>, name: &str, days: i64) -> NewToken {
    NewToken {
        owner: owner.map(Into::into),
        name: name.into(),
        expires_at: (today_utc() + Duration::days(days)).to_string(),
        roles: vec!["osmo-backend".into()],
        description: "test".into(),
        for_operator: true,
    }
}

async fn accepted(
    session: &osmo_admin_osmo_client::Session,
    value: &osmo_admin_secrets::Secret,
) -> bool {
    let http = HttpClient::new(session.spec(), fast_config()).unwrap();
    let check =
        check_access_token(&http, session.dialect(), value, &CancellationToken::new()).await;
    matches!(check, TokenCheck::Accepted { .. })
}

#[tokio::test]
async fn create_checks_the_form_then_creates_the_account_and_token_v6_2_x() {
    create_checks_the_form_then_creates_the_account_and_token(Dialect::V6_2).await;
}

#[tokio::test]
async fn create_checks_the_form_then_creates_the_account_and_token_v6_4() {
    create_checks_the_form_then_creates_the_account_and_token(Dialect::V6_4).await;
}

async fn create_checks_the_form_then_creates_the_account_and_token(dialect: Dialect) {
    let (sim, _) = simulator(dialect).await;
    let session = sign_in(&sim).await;
    let cancel = CancellationToken::new();
    let before = sim.tokens().len();
    let err = create(
        &session,
        &form(Some("new-operator"), "bad-", 400),
        &Rules::default(),
        &cancel,
    )
    .await
    .unwrap_err();
    let TokensError::Invalid(fields) = err else {
        panic!("{err:?}")
    };
    assert_eq!(
        fields.iter().map(|f| f.field).collect::<Vec<_>>(),
        vec![Field::Name, Field::ExpiresAt]
    );
    assert_eq!(sim.tokens().len(), before, "an invalid form sent something");

    let created = create(
        &session,
        &form(Some("new-operator"), "op-token", 30),
        &Rules::default(),
        &cancel,
    )
    .await
    .unwrap();
    assert!(created.user_created);
    assert!(!format!("{created:?}").contains(created.value.expose()));
    assert!(accepted(&session, &created.value).await);
    assert!(sim.token_exists("new-operator", "op-token"));

    let second = create(
        &session,
        &form(Some("new-operator"), "op-token-2", 30),
        &Rules::default(),
        &cancel,
    )
    .await
    .unwrap();
    assert!(!second.user_created);
    delete(&session, &created.token, TokenKind::ServiceAccount, &cancel)
        .await
        .unwrap();
    assert!(!sim.token_exists("new-operator", "op-token"));
    assert!(sim.token_exists("new-operator", "op-token-2"));
}

#[tokio::test]
async fn create_and_delete_a_service_token_v6_0() {
    let (sim, _) = simulator(Dialect::V6_0).await;
    let session = sign_in(&sim).await;
    let cancel = CancellationToken::new();
    let created = create(
        &session,
        &form(None, "gpu-token-2027", 365),
        &Rules::default(),
        &cancel,
    )
    .await
    .unwrap();
    assert_eq!(
        created.token,
        TokenRef {
            owner: "gpu-token-2027".into(),
            name: "gpu-token-2027".into()
        }
    );
    assert_eq!(created.value.expose().len(), 64);
    assert!(accepted(&session, &created.value).await);
    delete(&session, &created.token, TokenKind::Service, &cancel)
        .await
        .unwrap();
    assert!(!accepted(&session, &created.value).await);
    let err = delete(&session, &created.token, TokenKind::Service, &cancel)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("does not exist"), "{err}");
}

#[tokio::test]
async fn personal_tokens_are_listed_beside_service_tokens_and_deleted_as_personal_v6_0() {
    let (sim, _) = simulator(Dialect::V6_0).await;
    sim.create_token(SeedToken::for_user("admin", "my-laptop", &["osmo-user"]))
        .unwrap();
    sim.create_token(SeedToken::for_user(
        "someone-else",
        "their-laptop",
        &["osmo-user"],
    ))
    .unwrap();
    let session = sign_in(&sim).await;
    let cancel = CancellationToken::new();
    let rows = inventory(&session, &InventoryOptions::default(), &cancel)
        .await
        .unwrap();
    let mine = rows.iter().find(|r| r.name == "my-laptop").unwrap();
    assert_eq!(mine.kind, TokenKind::Own);
    assert_eq!(mine.owner, "admin");
    assert_eq!(
        rows.iter().find(|r| r.name == OLD).unwrap().kind,
        TokenKind::Service
    );
    assert!(
        !rows.iter().any(|r| r.name == "their-laptop"),
        "another user's personal token is not the signed-in admin's"
    );
    let token = TokenRef {
        owner: "admin".into(),
        name: "my-laptop".into(),
    };
    delete(&session, &token, TokenKind::Own, &cancel)
        .await
        .unwrap();
    assert!(!sim.token_exists("admin", "my-laptop"));
    let rows = inventory(&session, &InventoryOptions::default(), &cancel)
        .await
        .unwrap();
    assert!(!rows.iter().any(|r| r.name == "my-laptop"));
}

#[tokio::test]
async fn a_missing_role_is_named_and_can_be_added_then_the_user_deleted_v6_4() {
    let (sim, _) = simulator(Dialect::V6_4).await;
    sim.create_user("plain", &["osmo-user"]).unwrap();
    let session = sign_in(&sim).await;
    let cancel = CancellationToken::new();
    let new = form(Some("plain"), "plain-op", 30);
    let err = create(&session, &new, &Rules::default(), &cancel)
        .await
        .unwrap_err();
    let TokensError::MissingRoles { user, roles } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(
        (user.as_str(), roles.clone()),
        ("plain", vec!["osmo-backend".to_owned()])
    );
    assert!(
        !err.to_string().contains("osmo user"),
        "no CLI advice: {err}"
    );
    session
        .add_user_role("plain", "osmo-backend", &cancel)
        .await
        .unwrap();
    let created = create(&session, &new, &Rules::default(), &cancel)
        .await
        .unwrap();
    assert!(accepted(&session, &created.value).await);
    session.delete_user("plain", &cancel).await.unwrap();
    assert!(session.get_user("plain", &cancel).await.unwrap().is_none());
    assert!(
        !accepted(&session, &created.value).await,
        "deleting the user ends its tokens"
    );
}
