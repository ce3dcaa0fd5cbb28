//! One wrk run: `wrk --latency` with a scenario's Lua script; the numbers
//! come from the script's `done()` (the `BENCH_RESULT` JSON line), the full
//! output is kept beside the results.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};
use std::process::Command;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct WrkErrors {
    pub connect: u64,
    pub read: u64,
    pub write: u64,
    pub timeout: u64,
    /// Responses with a status of 400 or more.
    pub status: u64,
}

impl WrkErrors {
    pub fn total(&self) -> u64 {
        self.connect + self.read + self.write + self.timeout + self.status
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct WrkStats {
    pub requests: u64,
    pub duration_s: f64,
    pub rps: f64,
    pub p50_ms: f64,
    pub p90_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
    pub mean_ms: f64,
    pub bytes: u64,
    pub errors: WrkErrors,
}

pub struct WrkRun<'a> {
    pub scripts: &'a Path,
    pub script: &'a str,
    pub base: &'a str,
    pub connections: u32,
    pub threads: u32,
    pub seconds: u64,
    pub env: Vec<(String, String)>,
    /// Where to keep wrk's own output.
    pub log: PathBuf,
}

/// Parses the `BENCH_RESULT` line of wrk's output.
pub fn parse(output: &str) -> Result<WrkStats> {
    let line = output
        .lines()
        .find_map(|l| l.strip_prefix("BENCH_RESULT "))
        .context("wrk printed no BENCH_RESULT line")?;
    Ok(serde_json::from_str(line)?)
}

pub async fn run(w: WrkRun<'_>) -> Result<WrkStats> {
    let threads = w.threads.min(w.connections).max(1);
    let mut command = Command::new("wrk");
    command
        .arg("-t")
        .arg(threads.to_string())
        .arg("-c")
        .arg(w.connections.to_string())
        .arg("-d")
        .arg(format!("{}s", w.seconds))
        // Slow answers count as latency, not as dropped requests.
        .arg("--timeout")
        .arg("60s")
        .arg("--latency")
        .arg("-s")
        .arg(w.scripts.join(w.script))
        .arg(w.base)
        .envs(w.env)
        .env("BENCH_SCRIPTS", w.scripts)
        .env("BENCH_THREADS", threads.to_string());
    let output = super::output(command)
        .await
        .context("running wrk (apt-get install wrk)")?;
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    std::fs::write(&w.log, &text)?;
    if !output.status.success() {
        bail!("wrk failed ({}): {text}", output.status);
    }
    parse(&text).with_context(|| format!("wrk output: {text}"))
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn reads_the_result_line() {
        let out = "Running 2s test @ http://127.0.0.1:1\n  Latency Distribution\n\
            BENCH_RESULT {\"requests\":10,\"duration_s\":2.0,\"rps\":5.0,\"p50_ms\":1.0,\
            \"p90_ms\":2.0,\"p99_ms\":3.0,\"max_ms\":4.0,\"mean_ms\":1.5,\"bytes\":100,\
            \"errors\":{\"connect\":0,\"read\":0,\"write\":0,\"timeout\":0,\"status\":2}}\n";
        let s = parse(out).unwrap_or_default();
        assert_eq!(s.requests, 10);
        assert_eq!(s.errors.total(), 2);
    }
}
