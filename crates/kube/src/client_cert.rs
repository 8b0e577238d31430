//! When a kubeconfig user's TLS client certificate expires.
//!
//! Scope: read the certificate (from `client-certificate-data` or the `client-certificate` file) and
//! its `notAfter`, so that an expired certificate is reported as such instead of as a bare 401 or TLS
//! alert. Only the few DER fields needed are walked; the certificate is not verified (the server does).
//!
//! Non-goals: general X.509 parsing, chain validation, key checks.

use base64::Engine as _;
use chrono::{DateTime, NaiveDateTime, Utc};
use kube::config::AuthInfo;

/// The expiry of `user`'s client certificate if it is before `now`. `None` when the user has no
/// certificate, it cannot be read (kube reports that), or it is still valid.
pub(crate) fn expired_at(user: &AuthInfo, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let pem_bytes = match (&user.client_certificate_data, &user.client_certificate) {
        (Some(data), _) => base64::engine::general_purpose::STANDARD
            .decode(data.trim())
            .ok()?,
        (None, Some(path)) => {
            crate::pointed_file::read_pointed_file(std::path::Path::new(path), "read").ok()?
        }
        (None, None) => return None,
    };
    let first = pem::parse_many(&pem_bytes)
        .ok()?
        .into_iter()
        .find(|p| p.tag() == "CERTIFICATE")?;
    not_after(first.contents()).filter(|t| *t < now)
}

/// The `notAfter` of a DER certificate.
pub(crate) fn not_after(der: &[u8]) -> Option<DateTime<Utc>> {
    let (tag, cert, _) = tlv(der)?;
    if tag != 0x30 {
        return None;
    }
    let (tag, tbs, _) = tlv(cert)?;
    if tag != 0x30 {
        return None;
    }
    let mut rest = tbs;
    // Optional explicit version [0].
    let (tag, _, after) = tlv(rest)?;
    if tag == 0xa0 {
        rest = after;
    }
    // serialNumber, signature, issuer.
    for _ in 0..3 {
        rest = tlv(rest)?.2;
    }
    let (tag, validity, _) = tlv(rest)?;
    if tag != 0x30 {
        return None;
    }
    let (_, _, after_not_before) = tlv(validity)?;
    let (tag, time, _) = tlv(after_not_before)?;
    parse_time(tag, time)
}

/// One DER tag-length-value: (tag, contents, what follows).
fn tlv(data: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = data.split_first()?;
    let (&len0, rest) = rest.split_first()?;
    let (len, rest) = if len0 < 0x80 {
        (usize::from(len0), rest)
    } else {
        let n = usize::from(len0 & 0x7f);
        if n == 0 || n > 4 || rest.len() < n {
            return None;
        }
        let len = rest[..n]
            .iter()
            .fold(0usize, |acc, b| (acc << 8) | usize::from(*b));
        (len, &rest[n..])
    };
    if rest.len() < len {
        return None;
    }
    Some((tag, &rest[..len], &rest[len..]))
}

/// UTCTime (0x17, `YYMMDDHHMMSSZ`, years 1950-2049) or GeneralizedTime (0x18, `YYYYMMDDHHMMSSZ`).
fn parse_time(tag: u8, bytes: &[u8]) -> Option<DateTime<Utc>> {
    let text = std::str::from_utf8(bytes).ok()?;
    let full = match tag {
        0x17 => {
            let yy: u32 = text.get(0..2)?.parse().ok()?;
            let century = if yy >= 50 { "19" } else { "20" };
            format!("{century}{text}")
        }
        0x18 => text.to_string(),
        _ => return None,
    };
    NaiveDateTime::parse_from_str(&full, "%Y%m%d%H%M%SZ")
        .ok()
        .map(|t| t.and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::fixtures_dir;

    fn der(name: &str) -> Vec<u8> {
        let text = std::fs::read(fixtures_dir().join("certs").join(name)).expect("fixture");
        pem::parse(text).expect("pem").into_contents()
    }

    #[test]
    fn reads_utc_and_generalized_times() {
        assert_eq!(
            not_after(&der("expired.crt")).map(|t| t.to_rfc3339()),
            Some("2021-03-04T05:06:07+00:00".to_string())
        );
        assert_eq!(
            not_after(&der("far-future.crt")).map(|t| t.to_rfc3339()),
            Some("2051-06-07T08:09:10+00:00".to_string())
        );
        assert_eq!(not_after(b"\x30\x03\x02\x01\x01"), None);
        assert_eq!(not_after(b""), None);
    }

    #[test]
    fn an_expired_certificate_is_found_from_data_or_file() {
        let now = Utc::now();
        let path = fixtures_dir().join("certs").join("expired.crt");
        let from_file = AuthInfo {
            client_certificate: Some(path.to_string_lossy().into_owned()),
            ..Default::default()
        };
        assert!(expired_at(&from_file, now).is_some());

        let pem_text = std::fs::read(&path).expect("fixture");
        let from_data = AuthInfo {
            client_certificate_data: Some(
                base64::engine::general_purpose::STANDARD.encode(pem_text),
            ),
            ..Default::default()
        };
        assert!(expired_at(&from_data, now).is_some());

        let valid = AuthInfo {
            client_certificate: Some(
                fixtures_dir()
                    .join("certs")
                    .join("valid.crt")
                    .to_string_lossy()
                    .into_owned(),
            ),
            ..Default::default()
        };
        assert_eq!(expired_at(&valid, now), None);
        assert_eq!(expired_at(&AuthInfo::default(), now), None);
    }
}
