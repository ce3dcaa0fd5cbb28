//! The check that stands in for row-level security where there is none.
//!
//! On SQLite nothing in the database stops a statement from reading or
//! writing another organization's rows: only the `organization_id`
//! predicate each statement carries does. With `LOVEDCRM_SQL_INSPECT` set to
//! a file (the test command sets it), every statement that reaches a tenant
//! table without naming `organization_id` in its conditions (or, for an
//! insert, its columns) is appended to that file, and the test command fails
//! listing them. A statement that must span organizations (an account
//! deletion, a retention purge) says so with [`ALL_ORGANIZATIONS`].

use std::io::Write;
use std::path::PathBuf;
use std::sync::OnceLock;

/// Every table whose rows belong to one organization.
pub const TENANT_TABLES: &[&str] = &[
    "activities",
    "api_keys",
    "audit_log",
    "calendar_events",
    "calendar_feeds",
    "comments",
    "communications",
    "companies",
    "contacts",
    "custom_field_definitions",
    "domain_events",
    "event_attendees",
    "feedback",
    "followers",
    "idempotency_keys",
    "invites",
    "leads",
    "memberships",
    "notes",
    "notifications",
    "pipelines",
    "project_assignees",
    "projects",
    "push_subscriptions",
    "record_shares",
    "record_tags",
    "reminder_firings",
    "saved_views",
    "stages",
    "tags",
    "tasks",
    "user_preferences",
];

/// Put in a statement's text to say it spans organizations on purpose.
pub const ALL_ORGANIZATIONS: &str = "/* all organizations */";

static SINK: OnceLock<Option<PathBuf>> = OnceLock::new();

/// Notes `sql` in the inspection file if it reaches a tenant table unscoped.
pub(super) fn note(sql: &str) {
    let sink = SINK.get_or_init(|| std::env::var_os("LOVEDCRM_SQL_INSPECT").map(PathBuf::from));
    let Some(path) = sink else { return };
    let Some(table) = unscoped_tenant_table(sql) else {
        return;
    };
    let line = format!(
        "{table}\t{}\n",
        sql.split_whitespace().collect::<Vec<_>>().join(" ")
    );
    let written = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .and_then(|mut file| file.write_all(line.as_bytes()));
    if let Err(err) = written {
        tracing::error!(error = %err, "could not write the SQL inspection file");
    }
}

/// The first tenant table `sql` reaches without an `organization_id`
/// condition (or column, for an insert).
pub fn unscoped_tenant_table(sql: &str) -> Option<&'static str> {
    let lower = sql.to_ascii_lowercase();
    if lower.contains(ALL_ORGANIZATIONS) {
        return None;
    }
    let words: Vec<&str> = lower
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .collect();
    let table = words.windows(2).find_map(|pair| {
        let reaches = matches!(pair[0], "from" | "join" | "into" | "update");
        reaches
            .then(|| TENANT_TABLES.iter().copied().find(|t| *t == pair[1]))
            .flatten()
    })?;
    let scoped = if words.first() == Some(&"insert") {
        lower.contains("organization_id")
    } else {
        conditions(&lower).contains("organization_id")
    };
    (!scoped).then_some(table)
}

/// The text from the first `WHERE` or `ON` on: where a statement's row
/// conditions are.
fn conditions(lower: &str) -> &str {
    let starts = [" where ", " on ", "\nwhere ", "\non "];
    let first = starts.iter().filter_map(|k| lower.find(k)).min();
    first.map_or("", |i| &lower[i..])
}

#[cfg(test)]
mod tests {
    use super::unscoped_tenant_table as unscoped;

    #[test]
    fn scoped_statements_pass() {
        assert_eq!(
            unscoped("SELECT id FROM leads WHERE organization_id = $1 AND id = $2"),
            None
        );
        assert_eq!(
            unscoped("INSERT INTO tags (organization_id, id, name) VALUES ($1, $2, $3)"),
            None
        );
        assert_eq!(
            unscoped(
                "SELECT l.id FROM leads l JOIN stages s ON s.organization_id = l.organization_id WHERE l.organization_id = $1"
            ),
            None
        );
        assert_eq!(unscoped("SELECT id FROM users WHERE email = $1"), None);
        assert_eq!(
            unscoped("DELETE FROM memberships WHERE user_id = $1 /* all organizations */"),
            None
        );
    }

    #[test]
    fn unscoped_statements_are_named() {
        assert_eq!(
            unscoped("SELECT id FROM leads WHERE id = $1"),
            Some("leads")
        );
        assert_eq!(
            unscoped("UPDATE tasks SET name = $2 WHERE id = $1"),
            Some("tasks")
        );
        assert_eq!(
            unscoped("INSERT INTO notes (id, body) VALUES ($1, $2)"),
            Some("notes")
        );
        assert_eq!(
            unscoped("SELECT organization_id FROM contacts WHERE id = $1"),
            Some("contacts"),
            "naming the column is not a condition on it"
        );
        assert_eq!(unscoped("DELETE FROM comments"), Some("comments"));
    }
}
