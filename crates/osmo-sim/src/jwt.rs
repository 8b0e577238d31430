//! OSMO-issued JWTs: claims as the real service issues them (`iss`, `aud`, `iat`, `nbf`, `exp`,
//! `unique_name`, `roles`, optional `osmo_token_name`), signed HS256 with a per-simulator random key
//! instead of the service's RS256 key.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

/// Claims of a simulator-issued JWT.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct JwtClaims {
    /// Issuer, `osmo`.
    pub iss: String,
    /// Audience, `osmo`.
    pub aud: String,
    /// Issued at (epoch seconds).
    pub iat: i64,
    /// Not before (epoch seconds).
    pub nbf: i64,
    /// Expiry (epoch seconds), `iat` + lifetime (300 s by default).
    pub exp: i64,
    /// The user the JWT speaks for.
    pub unique_name: String,
    /// Roles granted.
    pub roles: Vec<String>,
    /// Name of the access token it was exchanged from (6.2+ only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub osmo_token_name: Option<String>,
}

/// Why a JWT was not accepted (Envoy's plain-text replies).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum JwtRejection {
    Malformed,
    BadSignature,
    Expired,
    NotYetValid,
}

impl JwtRejection {
    pub(crate) fn envoy_text(self) -> &'static str {
        match self {
            Self::Malformed => {
                "Jwt is not in the form of Header.Payload.Signature with two dots and 3 sections"
            }
            Self::BadSignature => "Jwt verification fails",
            Self::Expired => "Jwt is expired",
            Self::NotYetValid => "Jwt not yet valid",
        }
    }
}

fn mac(key: &[u8]) -> Hmac<Sha256> {
    // HMAC accepts keys of any length, so this cannot fail.
    <Hmac<Sha256> as Mac>::new_from_slice(key).unwrap_or_else(|_| unreachable!("hmac key"))
}

pub(crate) fn sign(key: &[u8], claims: &JwtClaims) -> String {
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
    let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(claims).unwrap_or_default());
    let signing_input = format!("{header}.{payload}");
    let mut m = mac(key);
    m.update(signing_input.as_bytes());
    let sig = URL_SAFE_NO_PAD.encode(m.finalize().into_bytes());
    format!("{signing_input}.{sig}")
}

pub(crate) fn verify(key: &[u8], token: &str, now: i64) -> Result<JwtClaims, JwtRejection> {
    let mut parts = token.split('.');
    let (Some(h), Some(p), Some(s), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(JwtRejection::Malformed);
    };
    let sig = URL_SAFE_NO_PAD
        .decode(s)
        .map_err(|_| JwtRejection::Malformed)?;
    let mut m = mac(key);
    m.update(format!("{h}.{p}").as_bytes());
    m.verify_slice(&sig)
        .map_err(|_| JwtRejection::BadSignature)?;
    let payload = URL_SAFE_NO_PAD
        .decode(p)
        .map_err(|_| JwtRejection::Malformed)?;
    let claims: JwtClaims =
        serde_json::from_slice(&payload).map_err(|_| JwtRejection::Malformed)?;
    if claims.exp <= now {
        return Err(JwtRejection::Expired);
    }
    if claims.nbf > now + 60 {
        return Err(JwtRejection::NotYetValid);
    }
    Ok(claims)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn claims(exp: i64) -> JwtClaims {
        JwtClaims {
            iss: "osmo".into(),
            aud: "osmo".into(),
            iat: 100,
            nbf: 100,
            exp,
            unique_name: "u".into(),
            roles: vec!["osmo-backend".into()],
            osmo_token_name: None,
        }
    }

    #[test]
    fn round_trip_and_rejections() {
        let token = sign(b"k1", &claims(400));
        assert_eq!(verify(b"k1", &token, 200).unwrap(), claims(400));
        assert_eq!(verify(b"k2", &token, 200), Err(JwtRejection::BadSignature));
        assert_eq!(verify(b"k1", &token, 400), Err(JwtRejection::Expired));
        assert_eq!(
            verify(b"k1", "not-a-jwt", 200),
            Err(JwtRejection::Malformed)
        );
    }
}
