//! The `osmo-sim` binary: URL on the first stdout line, exits when stdin closes or on SIGTERM.

use std::process::Stdio;
use std::time::Duration;

use serde_json::Value;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

async fn spawn(args: &[&str]) -> (Child, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_osmo-sim"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let url = tokio::time::timeout(Duration::from_secs(20), lines.next_line())
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    let tokens = lines.next_line().await.unwrap().unwrap();
    (child, url, tokens)
}

#[tokio::test]
async fn prints_url_and_exits_when_stdin_closes() {
    let seed = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(
        seed.path(),
        r#"{"backends": [{"name": "default"}], "users": [{"id": "svc", "roles": ["osmo-backend"]}],
            "tokens": [{"name": "t1", "user": "svc", "roles": ["osmo-backend"]}]}"#,
    )
    .unwrap();
    let (mut child, url, tokens) = spawn(&[
        "--dialect",
        "6.4",
        "--port",
        "0",
        "--seed",
        seed.path().to_str().unwrap(),
        "--exit-on-stdin-close",
    ])
    .await;
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    let tokens: Value = serde_json::from_str(&tokens).unwrap();
    assert_eq!(tokens["seeded_tokens"][0]["name"], "t1");
    let v: Value = reqwest::get(format!("{url}/api/version"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(v["minor"], "4");
    let b: Value = reqwest::get(format!("{url}/api/configs/backend"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(b["backends"][0]["name"], "default");
    drop(child.stdin.take());
    let status = tokio::time::timeout(Duration::from_secs(10), child.wait())
        .await
        .unwrap()
        .unwrap();
    assert!(status.success());
}

#[cfg(unix)]
#[tokio::test]
async fn exits_cleanly_on_sigterm() {
    let (mut child, url, _) = spawn(&["--dialect", "6.0"]).await;
    let v: Value = reqwest::get(format!("{url}/api/version"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(v["minor"], "0");
    let pid = child.id().unwrap().to_string();
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = tokio::time::timeout(Duration::from_secs(10), child.wait())
        .await
        .unwrap()
        .unwrap();
    assert!(status.success(), "{status:?}");
}

#[tokio::test]
async fn rejects_bad_arguments() {
    let out = Command::new(env!("CARGO_BIN_EXE_osmo-sim"))
        .args(["--dialect", "5.0"])
        .output()
        .await
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}
