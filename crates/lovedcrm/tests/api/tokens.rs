//! Tampered, expired, foreign and malformed access tokens all get 401.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, EncodingKey, Header, encode};
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::{Session, TOKEN_KEY, TestApp, assert_problem, email};
use crate::on_both;

on_both!(tampered_tokens_are_refused);

fn claims(s: &Session, exp_offset: i64, aud: &str) -> serde_json::Value {
    let now = chrono::Utc::now().timestamp();
    json!({"sub": s.user_id, "sid": session_id(s), "iat": now, "exp": now + exp_offset,
           "aud": aud, "iss": "lovedcrm"})
}

fn session_id(s: &Session) -> String {
    let payload = s.access.split('.').nth(1).unwrap();
    let claims: serde_json::Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap();
    claims["sid"].as_str().unwrap().to_string()
}

fn sign(claims: &serde_json::Value, alg: Algorithm, key: &[u8]) -> String {
    encode(&Header::new(alg), claims, &EncodingKey::from_secret(key)).unwrap()
}

async fn tampered_tokens_are_refused(app: TestApp) {
    let s = app.register(&email("jwt")).await;
    let key = TOKEN_KEY.as_bytes();
    let valid = sign(&claims(&s, 600, "lovedcrm"), Algorithm::HS256, key);
    let unsigned = {
        let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
        let body = URL_SAFE_NO_PAD.encode(claims(&s, 600, "lovedcrm").to_string());
        format!("{header}.{body}.")
    };
    let cases = [
        ("alg none", unsigned),
        (
            "wrong key",
            sign(
                &claims(&s, 600, "lovedcrm"),
                Algorithm::HS256,
                b"another key that is long enough 12345",
            ),
        ),
        (
            "other algorithm",
            sign(&claims(&s, 600, "lovedcrm"), Algorithm::HS512, key),
        ),
        (
            "expired",
            sign(&claims(&s, -120, "lovedcrm"), Algorithm::HS256, key),
        ),
        (
            "other audience",
            sign(&claims(&s, 600, "another-app"), Algorithm::HS256, key),
        ),
        ("flipped signature", {
            // A character inside the signature (the last one may carry only padding bits).
            let mut chars: Vec<char> = s.access.chars().collect();
            let i = chars.len() - 6;
            chars[i] = if chars[i] == 'A' { 'B' } else { 'A' };
            chars.into_iter().collect::<String>()
        }),
        ("garbage", "not.a.token".into()),
        ("empty", String::new()),
    ];
    for (name, token) in cases {
        let res = app
            .api(Method::GET, "/organizations/current", None)
            .header("authorization", format!("Bearer {token}"))
            .header("x-org-id", s.org_id.to_string())
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "{name}");
        assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    }
    // The same claims, properly signed, are accepted: the cases above failed
    // for the reason they name.
    let res = app
        .api(Method::GET, "/organizations/current", None)
        .bearer_auth(valid)
        .header("x-org-id", s.org_id.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    // A scheme other than Bearer is refused.
    let res = app
        .api(Method::GET, "/users/me", None)
        .header("authorization", format!("Basic {}", s.access))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
}
