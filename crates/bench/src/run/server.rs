//! The server under test: started as its own process on port 0 (it writes
//! the address it bound to `LOVEDCRM_ADDR_FILE`, so no port is picked in
//! advance for another process to take), timed
//! from spawn to its first healthy answer, and sampled every 100 ms
//! (`VmRSS` from /proc/<pid>/status, CPU from /proc/<pid>/stat).

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use std::process::{Child, Command};

pub struct ServerConfig {
    pub binary: PathBuf,
    pub database_url: String,
    pub migration_url: Option<String>,
    pub work: PathBuf,
    /// Job workers (0 for the load runs: their polling would land in the
    /// statement log the database ceilings are captured from).
    pub workers: u32,
    /// `LOVEDCRM_JOB_POLL_MS`, when not the default.
    pub job_poll_ms: Option<u64>,
}

pub struct Server {
    child: Child,
    pub pid: u32,
    pub base: String,
    pub start_to_healthy: Duration,
}

impl Server {
    pub async fn start(cfg: &ServerConfig, client: &reqwest::Client) -> Result<Server> {
        let addr_file = cfg.work.join("server.addr");
        let _ = std::fs::remove_file(&addr_file);
        let log = std::fs::File::create(cfg.work.join("server.log"))?;
        let mut command = Command::new(&cfg.binary);
        command
            .arg("serve")
            .env("DATABASE_URL", &cfg.database_url)
            .env("LOVEDCRM_LISTEN", "127.0.0.1:0")
            .env("LOVEDCRM_ADDR_FILE", &addr_file)
            .env("LOVEDCRM_DATA_DIR", cfg.work.join("server-data"))
            .env(
                "LOVEDCRM_TOKEN_KEY",
                "lovedcrm-bench-server-token-key-0123456789",
            )
            .env(
                "LOVEDCRM_ENCRYPTION_KEY",
                "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
            )
            // The runner logs in ~50 accounts from one address.
            .env("LOVEDCRM_AUTH_RATE_PER_IP_PER_MINUTE", "100000")
            .env("LOVEDCRM_LOGIN_RATE_PER_ACCOUNT_PER_MINUTE", "100000")
            // The load comes from a few accounts at thousands of requests a
            // second: the per-member and per-organization API limits would
            // turn the measurement into one of 429s.
            .env("LOVEDCRM_API_RATE_PER_USER_PER_MINUTE", "1000000000")
            .env("LOVEDCRM_WORKERS", cfg.workers.to_string())
            .env("LOVEDCRM_API_RATE_PER_ORG_PER_MINUTE", "1000000000")
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log);
        if let Some(url) = &cfg.migration_url {
            command.env("LOVEDCRM_MIGRATION_DATABASE_URL", url);
        }
        if let Some(ms) = cfg.job_poll_ms {
            command.env("LOVEDCRM_JOB_POLL_MS", ms.to_string());
        }
        let spawned = Instant::now();
        let mut child = command
            .spawn()
            .with_context(|| format!("starting {}", cfg.binary.display()))?;
        let pid = child.id();
        let mut base = String::new();
        loop {
            if base.is_empty()
                && let Ok(addr) = std::fs::read_to_string(&addr_file)
            {
                base = format!("http://{}", addr.trim());
            }
            let ok = !base.is_empty()
                && client
                    .get(format!("{base}/health"))
                    .send()
                    .await
                    .is_ok_and(|r| r.status().is_success());
            if ok {
                break;
            }
            if let Some(status) = child.try_wait()? {
                bail!(
                    "the server exited with {status} before it was healthy (log: {})",
                    cfg.work.join("server.log").display()
                );
            }
            if spawned.elapsed() > Duration::from_secs(120) {
                bail!("the server was not healthy after 120 s");
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        Ok(Server {
            child,
            pid,
            base,
            start_to_healthy: spawned.elapsed(),
        })
    }

    /// SIGTERM, then SIGKILL if it has not stopped within 10 s.
    /// Kills the server at once (SIGKILL): no draining, leases left behind.
    pub fn kill_hard(mut self) -> Result<()> {
        self.child.kill()?;
        self.child.wait()?;
        Ok(())
    }

    pub async fn stop(mut self) -> Result<()> {
        let mut kill = Command::new("kill");
        kill.arg("-TERM").arg(self.pid.to_string());
        let _ = super::output(kill).await;
        let asked = Instant::now();
        while self.child.try_wait()?.is_none() {
            if asked.elapsed() > Duration::from_secs(10) {
                self.child.kill()?;
                self.child.wait()?;
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        Ok(())
    }
}

/// One reading of the server's memory and CPU.
#[derive(Debug, Clone, Copy)]
pub struct Mark {
    at: Instant,
    pub rss_kb: u64,
    cpu_ticks: u64,
}

/// Samples a process every 100 ms until dropped.
pub struct Sampler {
    pid: u32,
    samples: Arc<Mutex<Vec<Mark>>>,
    task: tokio::task::JoinHandle<()>,
    ticks_per_second: f64,
}

fn read_mark(pid: u32) -> Option<Mark> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let rss_kb = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))?
        .split_whitespace()
        .next()?
        .parse()
        .ok()?;
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the parenthesized command name; utime and stime are 14 and 15.
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some(Mark {
        at: Instant::now(),
        rss_kb,
        cpu_ticks: utime + stime,
    })
}

fn clock_ticks() -> f64 {
    std::process::Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8_lossy(&o.stdout).trim().parse().ok())
        .unwrap_or(100.0)
}

/// Peak RSS and CPU seconds between two marks.
#[derive(Debug, Clone, Copy, Default)]
pub struct Usage {
    pub rss_peak_kb: u64,
    pub cpu_seconds: f64,
}

impl Sampler {
    pub fn start(pid: u32) -> Sampler {
        let samples = Arc::new(Mutex::new(Vec::new()));
        let into = samples.clone();
        let task = tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_millis(100));
            loop {
                tick.tick().await;
                let Some(s) = read_mark(pid) else {
                    return;
                };
                if let Ok(mut v) = into.lock() {
                    v.push(s);
                }
            }
        });
        Sampler {
            pid,
            samples,
            task,
            ticks_per_second: clock_ticks(),
        }
    }

    /// Reads the server now.
    pub fn mark(&self) -> Result<Mark> {
        read_mark(self.pid).context("the server process is gone")
    }

    pub fn usage(&self, from: Mark, to: Mark) -> Usage {
        let peak = self.samples.lock().map_or(0, |samples| {
            samples
                .iter()
                .filter(|s| s.at >= from.at && s.at <= to.at)
                .map(|s| s.rss_kb)
                .max()
                .unwrap_or(0)
        });
        Usage {
            rss_peak_kb: peak.max(from.rss_kb).max(to.rss_kb),
            cpu_seconds: to.cpu_ticks.saturating_sub(from.cpu_ticks) as f64 / self.ticks_per_second,
        }
    }
}

impl Drop for Sampler {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// The tail of the server log, for a failure message.
pub fn log_tail(work: &Path) -> String {
    let raw = std::fs::read_to_string(work.join("server.log")).unwrap_or_default();
    let lines: Vec<&str> = raw.lines().collect();
    lines[lines.len().saturating_sub(20)..].join("\n")
}

impl Drop for Server {
    fn drop(&mut self) {
        // Never leave the server running (e.g. after a failed run).
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}
