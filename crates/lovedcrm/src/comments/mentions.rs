//! @mentions: the `@[Display Name](user:UUID)` tokens the web app's
//! autocomplete inserts, checked against the organization's members, and the
//! notifications they send.

use serde_json::json;
use uuid::Uuid;

use super::model::Comment;
use crate::actor::Actor;
use crate::db::{self, DbErr, Row, TenantTx};
use crate::error::DomainError;
use crate::notes::target::{self, Target};
use crate::notifications::{self, NewNotification, Notification};

/// The most members one comment may mention.
pub const MAX_MENTIONS: usize = 50;
/// The notification kind of a mention.
pub const KIND: &str = "mention";

/// The user ids of the mention tokens in `body`, in order, without repeats.
/// Anything that is not a well-formed token is plain text.
pub fn parse(body: &str) -> Vec<Uuid> {
    let mut found = Vec::new();
    let mut rest = body;
    while let Some(start) = rest.find("@[") {
        rest = &rest[start + 2..];
        let Some(close) = rest.find(']') else { break };
        let name = &rest[..close];
        if name.contains(['[', '\n']) {
            continue;
        }
        let Some(tail) = rest[close + 1..].strip_prefix("(user:") else {
            continue;
        };
        let Some(end) = tail.find(')') else { break };
        if let Ok(id) = Uuid::try_parse(tail[..end].trim()) {
            if !found.contains(&id) {
                found.push(id);
            }
            rest = &tail[end + 1..];
        }
    }
    found
}

/// The mentions of a comment: its tokens, then the explicit `extra` ids.
pub fn collect(body: &str, extra: &[Uuid]) -> Vec<Uuid> {
    let mut all = parse(body);
    for id in extra {
        if !all.contains(id) {
            all.push(*id);
        }
    }
    all
}

#[derive(Row)]
struct Member {
    user_id: Uuid,
}

/// Fails with 422 naming `mentions` unless every id is a member of the
/// organization (and there are not too many).
pub async fn check_members(tx: &TenantTx, ids: &[Uuid]) -> Result<(), DomainError> {
    if ids.len() > MAX_MENTIONS {
        return Err(DomainError::field(
            "mentions",
            format!("at most {MAX_MENTIONS} members may be mentioned"),
        ));
    }
    if ids.is_empty() {
        return Ok(());
    }
    let placeholders: Vec<String> = (0..ids.len()).map(|i| format!("${}", i + 2)).collect();
    let mut values: Vec<sea_orm::Value> = vec![tx.org_id().into()];
    values.extend(ids.iter().map(|id| sea_orm::Value::from(*id)));
    let members: Vec<Member> = db::fetch_all(
        &**tx,
        &format!(
            "SELECT user_id FROM memberships WHERE organization_id = $1 AND user_id IN ({})",
            placeholders.join(", ")
        ),
        values,
    )
    .await?;
    let missing: Vec<String> = ids
        .iter()
        .filter(|id| !members.iter().any(|m| m.user_id == **id))
        .map(Uuid::to_string)
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(DomainError::field(
            "mentions",
            format!("not members of this organization: {}", missing.join(", ")),
        ))
    }
}

/// Fails with 422 naming `mentions` unless every one of `ids` may see
/// `target`: a mention carries the record's title and an excerpt, so it
/// must not reach a member kept away from the record (share it first).
pub async fn check_can_see(tx: &TenantTx, target: Target, ids: &[Uuid]) -> Result<(), DomainError> {
    let mut hidden = Vec::new();
    for id in ids {
        let sees = match Actor::member_in(tx, *id).await? {
            Some(them) => target.visible(tx, &them).await?,
            None => false,
        };
        if !sees {
            hidden.push(id.to_string());
        }
    }
    if hidden.is_empty() {
        Ok(())
    } else {
        Err(DomainError::field(
            "mentions",
            format!(
                "cannot see this {}; share it with them first: {}",
                target.kind.display(),
                hidden.join(", ")
            ),
        ))
    }
}

/// Notifies each of `users` (never the author) that `comment` mentions them.
pub async fn notify(
    tx: &TenantTx,
    comment: &Comment,
    target: Target,
    label: &str,
    users: &[Uuid],
) -> Result<Vec<Notification>, DbErr> {
    let author = comment.created_by;
    let recipients: Vec<Uuid> = users
        .iter()
        .copied()
        .filter(|u| Some(*u) != author)
        .collect();
    if recipients.is_empty() {
        return Ok(Vec::new());
    }
    let name = match author {
        Some(a) => target::user_name(tx, a).await?,
        None => "Someone".into(),
    };
    let label: String = label.chars().take(120).collect();
    let title = format!("{name} mentioned you on {} {label}", target.kind.display());
    let mut sent = Vec::with_capacity(recipients.len());
    for user_id in recipients {
        let new = NewNotification {
            user_id,
            kind: KIND,
            title: title.clone(),
            entity_type: Some(target.kind.entity()),
            entity_id: Some(target.id),
            data: json!({
                "comment_id": comment.id,
                "excerpt": target::excerpt(&comment.body),
                "author_id": author,
            }),
        };
        sent.push(notifications::create(tx, new).await?);
    }
    Ok(sent)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ANA: &str = "0190b5a4-8c1e-7d2a-9f00-000000000001";
    const BIA: &str = "0190b5a4-8c1e-7d2a-9f00-000000000002";

    fn id(s: &str) -> Uuid {
        Uuid::try_parse(s).unwrap_or_default()
    }

    #[test]
    fn tokens_are_found_in_order_without_repeats() {
        let body =
            format!("Hi @[Ana Lima](user:{ANA}) and @[Bia](user:{BIA}), cc @[Ana](user:{ANA})");
        assert_eq!(parse(&body), vec![id(ANA), id(BIA)]);
    }

    #[test]
    fn malformed_tokens_are_plain_text() {
        let body = format!("@[Ana](user:nope) @[x] (user:{ANA}) @[Bia](user:{BIA}");
        assert!(parse(&body).is_empty());
        assert!(parse("email me @ home [soon]").is_empty());
        assert_eq!(parse(&format!("@[@[Ana](user:{ANA})")), vec![id(ANA)]);
    }

    #[test]
    fn explicit_mentions_are_added_after_the_tokens() {
        let body = format!("@[Bia](user:{BIA})");
        assert_eq!(collect(&body, &[id(ANA), id(BIA)]), vec![id(BIA), id(ANA)]);
    }
}
