//! The `lovedcrm` binary as a child process, started the way an operator
//! starts it. A server listens on port 0 and tells the address it bound
//! through `LOVEDCRM_ADDR_FILE`: no port is picked in advance, so no other
//! test can take it in between. Its output goes to files the test reads.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::Duration;

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use tokio::time::Instant;

/// `lovedcrm` in `dir` with none of the caller's configuration.
pub fn command(dir: &Path) -> Command {
    let mut cmd = Command::new(crate::helpers::lovedcrm_bin());
    cmd.current_dir(dir)
        .env_remove("DATABASE_URL")
        .env_remove("LOVEDCRM_TOKEN_KEY")
        .env_remove("LOVEDCRM_ENCRYPTION_KEY")
        .env_remove("LOVEDCRM_CONFIG")
        .env("LOVEDCRM_LOG", "warn");
    cmd
}

pub struct Process {
    child: Child,
    /// The port it listens on (0 for a command that does not listen).
    pub port: u16,
    out: PathBuf,
    err: PathBuf,
    _files: tempfile::TempDir,
}

impl Process {
    /// Starts `cmd` (a `serve`) on port 0 and waits until it listens.
    pub async fn serve(cmd: Command) -> Process {
        let mut process = Self::spawn(cmd);
        process.port = process
            .wait_listening(Duration::from_secs(30))
            .await
            .unwrap_or_else(|status| {
                panic!(
                    "the server exited ({status:?}) before listening:\n{}",
                    process.stderr()
                )
            });
        process
    }

    /// Starts `cmd` without waiting for anything.
    pub fn spawn(mut cmd: Command) -> Process {
        let files = tempfile::tempdir().unwrap();
        let (out, err) = (files.path().join("stdout"), files.path().join("stderr"));
        let child = cmd
            .env("LOVEDCRM_LISTEN", "127.0.0.1:0")
            .env("LOVEDCRM_ADDR_FILE", files.path().join("addr"))
            .stdin(Stdio::null())
            .stdout(std::fs::File::create(&out).unwrap())
            .stderr(std::fs::File::create(&err).unwrap())
            .spawn()
            .unwrap();
        Process {
            child,
            port: 0,
            out,
            err,
            _files: files,
        }
    }

    fn addr_file(&self) -> PathBuf {
        self.out.with_file_name("addr")
    }

    /// The port once the server wrote its address, or how it ended first.
    pub async fn wait_listening(&mut self, timeout: Duration) -> Result<u16, Option<ExitStatus>> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Ok(addr) = std::fs::read_to_string(self.addr_file()) {
                let addr: std::net::SocketAddr = addr.trim().parse().unwrap();
                return Ok(addr.port());
            }
            if let Some(status) = self.child.try_wait().unwrap() {
                return Err(Some(status));
            }
            if Instant::now() > deadline {
                return Err(None);
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Whether the process ever wrote a listening address.
    pub fn listened(&self) -> bool {
        self.addr_file().exists()
    }

    pub fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Fails the test at once if the process has exited on its own.
    pub fn assert_alive(&mut self) {
        if let Some(status) = self.child.try_wait().unwrap() {
            panic!("lovedcrm exited on its own: {status:?}\n{}", self.stderr());
        }
    }

    /// Sends `signal` and waits (up to 60 s) for the exit.
    pub async fn signal(&mut self, signal: Signal) -> ExitStatus {
        kill(Pid::from_raw(self.child.id() as i32), signal).unwrap();
        self.wait(Duration::from_secs(60)).await
    }

    /// Waits for the process to end on its own.
    pub async fn wait(&mut self, timeout: Duration) -> ExitStatus {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "lovedcrm did not exit in {timeout:?}"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    pub fn stdout(&self) -> String {
        std::fs::read_to_string(&self.out).unwrap_or_default()
    }

    pub fn stderr(&self) -> String {
        std::fs::read_to_string(&self.err).unwrap_or_default()
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
