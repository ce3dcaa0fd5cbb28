//! Handlers by job kind.

use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use super::{Job, JobError};
use crate::app::SharedState;

type BoxFuture = Pin<Box<dyn Future<Output = Result<(), JobError>> + Send>>;
type HandlerFn = Arc<dyn Fn(SharedState, Job) -> BoxFuture + Send + Sync>;

/// Which function runs which `kind` of job.
///
/// A handler gets the application state (database, mailer, configuration)
/// and the job; it must be idempotent, since delivery is at-least-once.
#[derive(Clone, Default)]
pub struct Registry {
    handlers: BTreeMap<String, HandlerFn>,
}

impl Registry {
    pub fn new() -> Self {
        Self::default()
    }

    /// Registers `handler` for `kind`, replacing any earlier one.
    pub fn register<F, Fut>(&mut self, kind: &str, handler: F) -> &mut Self
    where
        F: Fn(SharedState, Job) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), JobError>> + Send + 'static,
    {
        let boxed: HandlerFn = Arc::new(move |app, job| Box::pin(handler(app, job)));
        self.handlers.insert(kind.to_string(), boxed);
        self
    }

    /// The kinds this registry can run (what its workers claim).
    pub fn kinds(&self) -> Vec<String> {
        self.handlers.keys().cloned().collect()
    }

    pub(super) fn start(&self, app: SharedState, job: Job) -> Option<BoxFuture> {
        self.handlers.get(&job.kind).map(|h| h(app, job))
    }
}

/// Every handler of the application; features register theirs here.
pub fn default_registry() -> Registry {
    let mut registry = Registry::new();
    crate::email::register_jobs(&mut registry);
    crate::auth::register_jobs(&mut registry);
    crate::notifications::register_jobs(&mut registry);
    crate::calendar::register_jobs(&mut registry);
    registry
}
