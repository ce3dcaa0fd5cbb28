//! Web Push (RFC 8030) to the browsers a member enabled: payloads
//! encrypted for each browser (RFC 8291) and signed with the server's VAPID
//! key (RFC 8292), derived from its secret so every node signs alike.

use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jwt_simple::algorithms::{ECDSAP256PublicKeyLike, ES256KeyPair};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use web_push_native::WebPushBuilder;

use crate::actor::Actor;
use crate::app::SharedState;
use crate::db::{self, DbErr, Row, TenantTx, TxMode};
use crate::error::{DomainError, DomainResult, FieldError};

/// Browsers one member may enable per organization.
const MAX_PER_MEMBER: i64 = 20;

/// The browser's `PushSubscription.toJSON()`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Subscription {
    /// The push service URL the browser gave (https).
    pub endpoint: String,
    pub keys: SubscriptionKeys,
    /// Milliseconds since the epoch, or `null`; ignored (browsers send it).
    #[serde(default, rename = "expirationTime")]
    pub expiration_time: Option<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubscriptionKeys {
    /// The browser's P-256 public key, base64url.
    pub p256dh: String,
    /// The 16-byte authentication secret, base64url.
    pub auth: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PublicKey {
    /// The VAPID public key (uncompressed P-256 point, base64url), for
    /// `pushManager.subscribe({applicationServerKey})`.
    pub public_key: String,
}

/// What a browser shows.
#[derive(Debug, Serialize)]
pub struct Payload<'a> {
    pub title: &'a str,
    pub body: &'a str,
    pub url: &'a str,
    pub tag: String,
}

/// The server's VAPID key pair.
pub fn vapid(app: &SharedState) -> Result<ES256KeyPair, String> {
    ES256KeyPair::from_bytes(&app.cipher.derive_key("vapid")).map_err(|e| e.to_string())
}

pub fn public_key(app: &SharedState) -> DomainResult<PublicKey> {
    let pair = vapid(app).map_err(DomainError::internal)?;
    let point = pair.public_key().public_key().to_bytes_uncompressed();
    Ok(PublicKey {
        public_key: URL_SAFE_NO_PAD.encode(point),
    })
}

fn bad(field: &str, message: &str) -> DomainError {
    DomainError::Validation(vec![FieldError::new(field, message)])
}

fn builder(s: &Subscription) -> Result<WebPushBuilder, String> {
    let json = serde_json::json!({"endpoint": s.endpoint, "keys": {"p256dh": s.keys.p256dh, "auth": s.keys.auth}});
    serde_json::from_value(json).map_err(|e| e.to_string())
}

/// Remembers the actor's browser `s` (again: the keys are replaced).
pub async fn subscribe(app: &SharedState, actor: &Actor, s: Subscription) -> DomainResult<()> {
    let user = actor.member()?;
    let endpoint = reqwest::Url::parse(&s.endpoint).map_err(|_| bad("endpoint", "is not a URL"))?;
    let local = matches!(endpoint.host_str(), Some("127.0.0.1" | "localhost"));
    if endpoint.scheme() != "https" && !(local && app.config.push_allow_http) {
        return Err(bad("endpoint", "must be an https URL"));
    }
    if s.endpoint.len() > 2_000 || s.keys.p256dh.len() > 200 || s.keys.auth.len() > 100 {
        return Err(bad("keys", "are longer than a browser's"));
    }
    builder(&s).map_err(|_| {
        bad(
            "keys",
            "are not a P-256 key and a 16-byte secret in base64url",
        )
    })?;
    let tx = actor.begin(app, TxMode::Write).await?;
    #[derive(Row)]
    struct Count {
        n: i64,
    }
    let count: Option<Count> = db::fetch_one(
        &*tx,
        "SELECT COUNT(*) AS n FROM push_subscriptions WHERE organization_id = $1 AND user_id = $2",
        vec![tx.org_id().into(), user.into()],
    )
    .await?;
    if count.map_or(0, |c| c.n) >= MAX_PER_MEMBER {
        return Err(bad(
            "endpoint",
            "at most 20 browsers per member; remove one first",
        ));
    }
    db::exec(
        &*tx,
        "INSERT INTO push_subscriptions (organization_id, id, user_id, endpoint, p256dh, auth, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) \
         ON CONFLICT (organization_id, user_id, endpoint) DO UPDATE SET p256dh = $5, auth = $6, last_error = NULL",
        vec![
            tx.org_id().into(),
            Uuid::now_v7().into(),
            user.into(),
            s.endpoint.into(),
            s.keys.p256dh.into(),
            s.keys.auth.into(),
            db::now().into(),
        ],
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Forgets the actor's browser at `endpoint`; false when it was unknown.
pub async fn unsubscribe(app: &SharedState, actor: &Actor, endpoint: &str) -> DomainResult<bool> {
    let user = actor.member()?;
    let tx = actor.begin(app, TxMode::Write).await?;
    let gone = db::exec(
        &*tx,
        "DELETE FROM push_subscriptions WHERE organization_id = $1 AND user_id = $2 AND endpoint = $3",
        vec![tx.org_id().into(), user.into(), endpoint.into()],
    )
    .await?;
    tx.commit().await?;
    Ok(gone > 0)
}

#[derive(Row)]
struct Stored {
    id: Uuid,
    endpoint: String,
    p256dh: String,
    auth: String,
}

pub async fn of_member(tx: &TenantTx, user: Uuid) -> Result<Vec<(Uuid, Subscription)>, DbErr> {
    let rows: Vec<Stored> = db::fetch_all(
        &**tx,
        "SELECT id, endpoint, p256dh, auth FROM push_subscriptions \
         WHERE organization_id = $1 AND user_id = $2",
        vec![tx.org_id().into(), user.into()],
    )
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let s = Subscription {
                endpoint: r.endpoint,
                keys: SubscriptionKeys {
                    p256dh: r.p256dh,
                    auth: r.auth,
                },
                expiration_time: None,
            };
            (r.id, s)
        })
        .collect())
}

/// What a push service answered.
pub enum Sent {
    Delivered,
    /// 404 or 410: the browser unsubscribed; forget it.
    Gone,
    Failed(String),
}

/// Sends `payload` to one browser.
pub async fn send(app: &SharedState, s: &Subscription, payload: &Payload<'_>) -> Sent {
    let pair = match vapid(app) {
        Ok(pair) => pair,
        Err(e) => return Sent::Failed(e),
    };
    let contact = format!("mailto:{}", app.config.push_contact);
    let request = match builder(s).and_then(|b| {
        b.with_valid_duration(Duration::from_secs(12 * 3600))
            .with_vapid(&pair, &contact)
            .build(serde_json::to_vec(payload).unwrap_or_default())
            .map_err(|e| e.to_string())
    }) {
        Ok(r) => r,
        Err(e) => return Sent::Failed(e),
    };
    let (parts, body) = request.into_parts();
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(15))
        .build();
    let Ok(client) = client else {
        return Sent::Failed("no HTTP client".into());
    };
    let mut call = client.post(parts.uri.to_string()).body(body);
    for (name, value) in &parts.headers {
        call = call.header(name.as_str(), value.as_bytes());
    }
    match call.send().await {
        Ok(r) if r.status().is_success() => Sent::Delivered,
        Ok(r) if matches!(r.status().as_u16(), 404 | 410) => Sent::Gone,
        Ok(r) => Sent::Failed(format!("push service answered {}", r.status())),
        Err(e) => Sent::Failed(format!("push service unreachable: {e}")),
    }
}

pub async fn forget(tx: &TenantTx, id: Uuid) -> Result<(), DbErr> {
    db::exec(
        &**tx,
        "DELETE FROM push_subscriptions WHERE organization_id = $1 AND id = $2",
        vec![tx.org_id().into(), id.into()],
    )
    .await?;
    Ok(())
}

pub async fn failed(tx: &TenantTx, id: Uuid, why: &str) -> Result<(), DbErr> {
    db::exec(
        &**tx,
        "UPDATE push_subscriptions SET last_error = $3 WHERE organization_id = $1 AND id = $2",
        vec![tx.org_id().into(), id.into(), why.into()],
    )
    .await?;
    Ok(())
}
