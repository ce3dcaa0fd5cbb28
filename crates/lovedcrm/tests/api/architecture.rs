//! The shape of the code, checked: HTTP stays at the edge.
//!
//! Domain operations run without an HTTP request behind them (the
//! assistant, MCP, webhooks, jobs, imports), so nothing but the HTTP layer,
//! the features' HTTP adapters (`routes.rs`, `routes/…`) and the places that
//! assemble the server may depend on `crate::http`.

use std::path::{Path, PathBuf};

/// Where the binary is put together: it necessarily knows every layer.
const COMPOSITION_ROOTS: [&str; 2] = ["startup.rs", "cli.rs"];

/// The demo seed is a client of the public API, run in-process: it builds
/// the router and sends it requests, as a script would over the network.
const API_CLIENTS: [&str; 1] = ["seed"];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn is_http_edge(relative: &Path) -> bool {
    let parts: Vec<&str> = relative.iter().filter_map(|p| p.to_str()).collect();
    match parts.as_slice() {
        ["http", ..] | ["web", ..] => true,
        [folder, ..] if API_CLIENTS.contains(folder) => true,
        [file] => COMPOSITION_ROOTS.contains(file),
        _ => parts.iter().any(|p| *p == "routes" || *p == "routes.rs"),
    }
}

/// Code lines that name the HTTP layer (doc and plain comments do not count).
fn http_imports(source: &str) -> Vec<String> {
    source
        .lines()
        .map(str::trim)
        .filter(|line| !line.starts_with("//"))
        .filter(|line| line.contains("crate::http"))
        .map(str::to_string)
        .collect()
}

#[test]
fn only_the_http_edge_depends_on_http() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    assert!(files.len() > 50, "found only {} source files", files.len());
    let mut offenders = Vec::new();
    for file in files {
        let relative = file.strip_prefix(&src).unwrap().to_path_buf();
        if is_http_edge(&relative) {
            continue;
        }
        let lines = http_imports(&std::fs::read_to_string(&file).unwrap());
        if !lines.is_empty() {
            offenders.push(format!("{}: {}", relative.display(), lines.join(" | ")));
        }
    }
    assert!(
        offenders.is_empty(),
        "outside the HTTP edge, these depend on crate::http:\n{}",
        offenders.join("\n")
    );
}

#[test]
fn the_rule_sees_what_it_must() {
    assert!(is_http_edge(Path::new("contacts/routes.rs")));
    assert!(is_http_edge(Path::new("auth/routes/email.rs")));
    assert!(is_http_edge(Path::new("http/error.rs")));
    assert!(!is_http_edge(Path::new("contacts/resource.rs")));
    assert!(!is_http_edge(Path::new("routes_helper.rs")));
    let found = http_imports("//! see crate::http\nuse crate::http::json::ApiJson;\n");
    assert_eq!(found, ["use crate::http::json::ApiJson;"]);
}

/// The SQL inspection (`db::inspect`) knows every table that has an
/// `organization_id`, as the migrations leave the schema.
#[tokio::test]
async fn the_sql_inspection_knows_every_tenant_table() {
    use sea_orm::{ConnectionTrait, Database, Statement};
    let app = crate::helpers::TestApp::spawn_sqlite(|_| {}).await;
    let db = Database::connect(&app.database_url).await.unwrap();
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT m.name AS name FROM sqlite_master m, pragma_table_info(m.name) p \
             WHERE m.type = 'table' AND p.name = 'organization_id' ORDER BY m.name",
        ))
        .await
        .unwrap();
    let tables: Vec<String> = rows
        .iter()
        .map(|r| r.try_get::<String>("", "name").unwrap())
        .collect();
    assert_eq!(tables, lovedcrm::db::inspect::TENANT_TABLES);
}
