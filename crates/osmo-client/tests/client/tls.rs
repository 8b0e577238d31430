//! TLS is always verified: a server whose CA is unknown fails with TlsFailed; adding the CA to
//! the connection makes it work. The server is a minimal HTTPS responder (tokio-rustls).

use std::sync::Arc;

use osmo_admin_core::ErrorCode;
use osmo_admin_osmo_client::{Connection, Dialect, ServiceSpec};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio_rustls::rustls::{self, ServerConfig};

use crate::common::*;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/tls");

fn ca_pem() -> String {
    std::fs::read_to_string(format!("{DIR}/ca.pem")).unwrap()
}

/// Serves `/api/version` and `/api/auth/login` over TLS; returns `https://localhost:PORT`.
async fn https_server() -> String {
    let certs = CertificateDer::pem_file_iter(format!("{DIR}/server.pem"))
        .unwrap()
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    let key = PrivateKeyDer::from_pem_file(format!("{DIR}/server.key")).unwrap();
    let config =
        ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(certs, key)
            .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(tcp).await else {
                    return;
                };
                let mut buf = vec![0u8; 4096];
                let mut read = 0;
                while !buf[..read].windows(4).any(|w| w == b"\r\n\r\n") {
                    match tls.read(&mut buf[read..]).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => read += n,
                    }
                }
                let head = String::from_utf8_lossy(&buf[..read]);
                let body = if head.starts_with("GET /api/version ") {
                    r#"{"major":"6","minor":"2","revision":"10","hash":""}"#
                } else {
                    r#"{"device_endpoint":null,"device_client_id":null,"browser_endpoint":null,"browser_client_id":null,"token_endpoint":null,"logout_endpoint":null}"#
                };
                let reply = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = tls.write_all(reply.as_bytes()).await;
                let _ = tls.shutdown().await;
            });
        }
    });
    format!("https://localhost:{port}")
}

#[tokio::test]
async fn an_unknown_ca_is_tls_failed_and_the_custom_ca_fixes_it() {
    let url = https_server().await;
    let err = Connection::open(spec(&url), fast_config(), &never())
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::TlsFailed, "{err}");
    assert!(err.to_string().contains("CA certificate"), "{err}");

    let with_ca = ServiceSpec {
        custom_ca_pem: Some(ca_pem()),
        ..spec(&url)
    };
    let conn = Connection::open(with_ca, fast_config(), &never())
        .await
        .unwrap();
    assert_eq!(conn.discovery().dialect, Dialect::V6_2);
    assert_eq!(conn.discovery().version.to_string(), "6.2.10");
}
