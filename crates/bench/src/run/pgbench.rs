//! The database ceiling on PostgreSQL: pgbench running exactly the SQL one
//! request of an endpoint runs.
//!
//! The SQL is captured, not written by hand: statement logging is switched
//! on (`log_statement = 'all'`) around one request, the server role's
//! statements and their parameters are read back from the server log (its
//! `log_line_prefix` must be `'%m [%p] %u@%d '`), and each becomes a pgbench
//! command with the parameters as variables (`-M prepared`, so they stay
//! bind parameters as they are for the server). That includes the session
//! check, the membership lookup, `BEGIN`, `set_config('lovedcrm.org_id', …)`,
//! the queries and `COMMIT`.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use hdrhistogram::Histogram;
use serde::{Deserialize, Serialize};
use std::process::Command;

pub struct Pg {
    /// The folder with pgbench and psql.
    pub bin: PathBuf,
    pub admin_url: String,
    /// The server's own connection string (its role, under row-level security).
    pub app_url: String,
    pub app_user: String,
    pub log: PathBuf,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    pub sql: String,
    /// `$1`, `$2`, … as SQL text (`None` for NULL).
    pub params: Vec<Option<String>>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct PgbenchStats {
    pub transactions: u64,
    pub failed: u64,
    pub tps: f64,
    pub p50_ms: f64,
    pub p90_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
    pub statements: usize,
}

/// Parses the values of a `DETAIL:  Parameters: $1 = '…', $2 = NULL` line.
fn parse_params(mut rest: &str) -> Vec<Option<String>> {
    let mut out: Vec<Option<String>> = Vec::new();
    loop {
        rest = rest.trim_start_matches([',', ' ']);
        let Some(eq) = rest.find(" = ") else {
            return out;
        };
        let Ok(n) = rest[1..eq].parse::<usize>() else {
            return out;
        };
        rest = &rest[eq + 3..];
        let value = if let Some(after) = rest.strip_prefix("NULL") {
            rest = after;
            None
        } else {
            let mut value = String::new();
            let mut chars = rest.char_indices().skip(1).peekable();
            let mut end = rest.len();
            while let Some((i, c)) = chars.next() {
                if c == '\'' {
                    if chars.peek().is_some_and(|(_, c)| *c == '\'') {
                        chars.next();
                    } else {
                        end = i + 1;
                        break;
                    }
                }
                value.push(c);
            }
            rest = &rest[end.min(rest.len())..];
            Some(value)
        };
        if out.len() < n {
            out.resize(n, None);
        }
        out[n - 1] = value;
    }
}

/// The statements `user` ran, in order, from a slice of the server log.
pub fn parse_log(text: &str, user: &str) -> Vec<Statement> {
    let mut entries: Vec<String> = Vec::new();
    for line in text.lines() {
        if line.starts_with(|c: char| c.is_ascii_digit()) || entries.is_empty() {
            entries.push(line.to_string());
        } else if let Some(last) = entries.last_mut() {
            last.push('\n');
            last.push_str(line.trim_start_matches('\t'));
        }
    }
    let marker = format!("] {user}@");
    let mut out: Vec<Statement> = Vec::new();
    for e in entries.iter().filter(|e| e.contains(&marker)) {
        if let Some((_, body)) = e.split_once(" LOG:  ") {
            let sql = if let Some(sql) = body.strip_prefix("statement: ") {
                sql
            } else if let Some(named) = body.strip_prefix("execute ") {
                named.split_once(": ").map_or("", |(_, sql)| sql)
            } else {
                continue;
            };
            out.push(Statement {
                sql: sql.to_string(),
                params: Vec::new(),
            });
        } else if let Some((_, body)) = e.split_once(" DETAIL:  ")
            && let Some(params) = body
                .strip_prefix("parameters: ")
                .or_else(|| body.strip_prefix("Parameters: "))
            && let Some(last) = out.last_mut()
        {
            last.params = parse_params(params);
        }
    }
    out
}

/// `sql` with the bind parameter `$n` (not `$n0`…) replaced by `with`.
fn replace_param(sql: &str, n: usize, with: &str) -> String {
    let token = format!("${n}");
    let mut out = String::with_capacity(sql.len());
    let mut rest = sql;
    while let Some(at) = rest.find(&token) {
        let after = &rest[at + token.len()..];
        out.push_str(&rest[..at]);
        if after.starts_with(|c: char| c.is_ascii_digit()) {
            out.push_str(&token);
        } else {
            out.push_str(with);
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

/// A pgbench script of `statements` and the `-D` variables it needs. With
/// `random = (id, ids)`, every parameter equal to `id` becomes a random one
/// of `ids` (the same one within a transaction).
pub fn script(
    statements: &[Statement],
    random: Option<(&str, &[String])>,
) -> (String, Vec<(String, String)>) {
    let mut text = String::new();
    let mut vars = Vec::new();
    let pick = random.map(|(_, ids)| {
        text.push_str(&format!("\\set n random(1, {})\n", ids.len()));
        format!("(CAST('{{{}}}' AS uuid[]))[:n]", ids.join(","))
    });
    for (i, s) in statements.iter().enumerate() {
        let mut sql = s.sql.trim().trim_end_matches(';').to_string();
        for (k, value) in s.params.iter().enumerate().rev() {
            let with = match (value, &random, &pick) {
                (None, _, _) => "NULL".to_string(),
                // pgbench refuses `-D name=` with nothing after the `=`.
                (Some(v), _, _) if v.is_empty() => "''".to_string(),
                (Some(v), Some((id, _)), Some(pick)) if v == id => pick.clone(),
                (Some(v), _, _) => {
                    let name = format!("s{i}p{}", k + 1);
                    vars.push((name.clone(), v.clone()));
                    format!(":{name}")
                }
            };
            sql = replace_param(&sql, k + 1, &with);
        }
        text.push_str(&sql);
        text.push_str(";\n");
    }
    (text, vars)
}

impl Pg {
    async fn psql(&self, commands: &[&str]) -> Result<()> {
        let mut c = Command::new(self.bin.join("psql"));
        c.args(["-X", "-q", "-v", "ON_ERROR_STOP=1", &self.admin_url]);
        for sql in commands {
            c.arg("-c").arg(sql);
        }
        let out = super::output(c).await.context("running psql")?;
        if !out.status.success() {
            bail!("psql: {}", String::from_utf8_lossy(&out.stderr));
        }
        Ok(())
    }

    /// The statements the server runs for `request`.
    pub async fn capture<F>(&self, request: F) -> Result<Vec<Statement>>
    where
        F: Future<Output = Result<()>>,
    {
        let offset = std::fs::metadata(&self.log)?.len() as usize;
        self.psql(&[
            "ALTER SYSTEM SET log_statement = 'all'",
            "SELECT pg_reload_conf()",
        ])
        .await?;
        tokio::time::sleep(Duration::from_millis(300)).await;
        let answered = request.await;
        self.psql(&[
            "ALTER SYSTEM RESET log_statement",
            "SELECT pg_reload_conf()",
        ])
        .await?;
        answered?;
        tokio::time::sleep(Duration::from_millis(300)).await;
        let raw = std::fs::read(&self.log)?;
        let text = String::from_utf8_lossy(&raw[offset.min(raw.len())..]);
        let statements = parse_log(&text, &self.app_user);
        if statements.is_empty() {
            bail!(
                "no statements of {} in {}",
                self.app_user,
                self.log.display()
            );
        }
        Ok(statements)
    }

    pub async fn version(&self) -> String {
        let mut c = Command::new(self.bin.join("pgbench"));
        c.arg("--version");
        super::output(c)
            .await
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
            .unwrap_or_default()
    }

    /// Runs `script` for `seconds` at `clients` connections.
    pub async fn run(
        &self,
        script: &Path,
        vars: &[(String, String)],
        clients: u32,
        threads: u32,
        seconds: u64,
        log_prefix: &Path,
    ) -> Result<PgbenchStats> {
        let mut c = Command::new(self.bin.join("pgbench"));
        c.args(["-n", "-M", "prepared"])
            .arg("-c")
            .arg(clients.to_string())
            .arg("-j")
            .arg(threads.min(clients).max(1).to_string())
            .arg("-T")
            .arg(seconds.to_string())
            .arg("-f")
            .arg(script)
            .arg("-l")
            .arg(format!("--log-prefix={}", log_prefix.display()));
        for (k, v) in vars {
            c.arg("-D").arg(format!("{k}={v}"));
        }
        c.arg(&self.app_url);
        let out = super::output(c).await.context("running pgbench")?;
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        std::fs::write(log_prefix.with_extension("out"), &text)?;
        if !out.status.success() {
            bail!("pgbench failed: {text}");
        }
        let number = |key: &str| -> f64 {
            text.lines()
                .find_map(|l| l.trim().strip_prefix(key))
                .and_then(|v| v.split_whitespace().next())
                .and_then(|v| v.parse().ok())
                .unwrap_or(0.0)
        };
        let mut stats = PgbenchStats {
            transactions: number("number of transactions actually processed:") as u64,
            failed: number("number of failed transactions:") as u64,
            tps: number("tps ="),
            statements: std::fs::read_to_string(script)?
                .lines()
                .filter(|l| !l.starts_with('\\'))
                .count(),
            ..PgbenchStats::default()
        };
        latencies(log_prefix, &mut stats)?;
        Ok(stats)
    }
}

/// Percentiles from pgbench's per-transaction logs (`-l`: the third field is
/// the latency in microseconds).
fn latencies(prefix: &Path, stats: &mut PgbenchStats) -> Result<()> {
    let dir = prefix.parent().context("log prefix without a folder")?;
    let name = prefix
        .file_name()
        .and_then(|n| n.to_str())
        .context("bad log prefix")?;
    let mut h = Histogram::<u64>::new_with_bounds(1, 600_000_000, 3)?;
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let file = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if !file.starts_with(&format!("{name}.")) || file.ends_with(".out") {
            continue;
        }
        for line in std::fs::read_to_string(&path)?.lines() {
            if let Some(us) = line.split_whitespace().nth(2).and_then(|v| v.parse().ok()) {
                h.saturating_record(us);
            }
        }
    }
    let ms = |q: f64| h.value_at_quantile(q) as f64 / 1e3;
    stats.p50_ms = ms(0.5);
    stats.p90_ms = ms(0.9);
    stats.p99_ms = ms(0.99);
    stats.max_ms = h.max() as f64 / 1e3;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOG: &str = "\
2026-01-01 00:00:00.001 UTC [42] app@bench LOG:  statement: BEGIN READ ONLY
2026-01-01 00:00:00.002 UTC [42] app@bench LOG:  execute sqlx_s_1: SELECT set_config('lovedcrm.org_id', $1, true)
2026-01-01 00:00:00.002 UTC [42] app@bench DETAIL:  parameters: $1 = 'o''1'
2026-01-01 00:00:00.003 UTC [43] postgres@postgres LOG:  statement: SELECT pg_reload_conf()
2026-01-01 00:00:00.004 UTC [42] app@bench LOG:  execute <unnamed>: SELECT a FROM t WHERE id = $1 AND x = $10
\tAND y IS $2
2026-01-01 00:00:00.004 UTC [42] app@bench DETAIL:  Parameters: $1 = 'id-1', $2 = NULL, $3 = '3', $4 = '4', $5 = '5', $6 = '6', $7 = '7', $8 = '8', $9 = '9', $10 = 'ten'
";

    #[test]
    fn reads_statements_and_parameters_of_one_role() {
        let s = parse_log(LOG, "app");
        assert_eq!(s.len(), 3);
        assert_eq!(s[1].params, vec![Some("o'1".to_string())]);
        assert_eq!(
            s[2].sql,
            "SELECT a FROM t WHERE id = $1 AND x = $10\nAND y IS $2"
        );
        assert_eq!(s[2].params[1], None);
        assert_eq!(s[2].params[9].as_deref(), Some("ten"));
    }

    #[test]
    fn scripts_bind_variables_and_randomize_the_id() {
        let s = parse_log(LOG, "app");
        let ids = vec!["a".to_string(), "b".to_string()];
        let (text, vars) = script(&s, Some(("id-1", &ids)));
        assert!(text.starts_with("\\set n random(1, 2)\nBEGIN READ ONLY;\n"));
        assert!(text.contains("set_config('lovedcrm.org_id', :s1p1, true);"));
        assert!(text.contains("id = (CAST('{a,b}' AS uuid[]))[:n] AND x = :s2p10\nAND y IS NULL;"));
        assert!(vars.contains(&("s2p10".to_string(), "ten".to_string())));
    }
}
