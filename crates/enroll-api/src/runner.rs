//! Work the server does off every request's path: delivering the outbox
//! today, and later what falls due by itself (referral expiry, digests,
//! reminders). Each job is a task with a `JobContext`, which gives it the
//! server's one clock, a way to wait until its next work is due (woken at
//! once by `Store::write_queuing`, else looking every `poll`), and the
//! stop signal. Across processes, a job claims its rows in the database
//! with a lease (a token and an expiry by the clock, as the outbox does),
//! so several instances on one database never do one piece of work at
//! once, and a dead instance's work is taken up when its lease runs out.

use std::future::Future;
use std::time::Duration;
use tokio::sync::watch;
use tokio::task::JoinSet;

use crate::clock::SharedClock;

/// What a job is handed.
#[derive(Clone, Debug)]
pub struct JobContext {
    pub clock: SharedClock,
    /// How often a job looks for work nobody woke it for (queued by
    /// another process, or due by the clock).
    poll: Duration,
    stop: watch::Receiver<bool>,
}

impl JobContext {
    pub fn stopping(&self) -> bool {
        *self.stop.borrow()
    }

    /// Waits until `due` (clock seconds), a wake from this process, the
    /// next poll, or the stop signal, whichever comes first. `wake` must
    /// have been enabled before the job last looked, so that nothing
    /// queued meanwhile is missed. The clock may be a test's, moved by
    /// hand: a due time is never waited for longer than a poll.
    pub async fn wait(
        &mut self,
        due: Option<u64>,
        wake: std::pin::Pin<&mut tokio::sync::futures::Notified<'_>>,
    ) {
        let now = self.clock.now();
        if self.stopping() || due.is_some_and(|due| due <= now) {
            return;
        }
        let until_due = due.map_or(self.poll, |due| {
            Duration::from_secs(due - now).min(self.poll)
        });
        tokio::select! {
            _ = wake => {}
            _ = tokio::time::sleep(until_due) => {}
            _ = self.stop.changed() => {}
        }
    }

    /// Resolves once the stop signal is given.
    pub async fn stopped(&mut self) {
        while !self.stopping() {
            if self.stop.changed().await.is_err() {
                return;
            }
        }
    }
}

/// The server's background jobs.
#[derive(Debug)]
pub struct Runner {
    stop: watch::Sender<bool>,
    clock: SharedClock,
    poll: Duration,
    jobs: JoinSet<()>,
}

impl Runner {
    pub fn new(clock: SharedClock, poll: Duration) -> Self {
        Self {
            stop: watch::channel(false).0,
            clock,
            poll,
            jobs: JoinSet::new(),
        }
    }

    /// Starts `job` on its own task.
    pub fn spawn<F, Fut>(&mut self, job: F)
    where
        F: FnOnce(JobContext) -> Fut,
        Fut: Future<Output = ()> + Send + 'static,
    {
        let context = JobContext {
            clock: self.clock.clone(),
            poll: self.poll,
            stop: self.stop.subscribe(),
        };
        self.jobs.spawn(job(context));
    }

    /// Tells every job to stop taking work and waits up to `wait` for
    /// them to finish what is in flight; what is still running then is
    /// ended (its claims run out and another sender takes them up).
    pub async fn shutdown(mut self, wait: Duration) {
        let _ = self.stop.send(true);
        let finished = tokio::time::timeout(wait, async {
            while self.jobs.join_next().await.is_some() {}
        })
        .await;
        if finished.is_err() {
            tracing::warn!(
                "background work still running after {} ms: ended",
                wait.as_millis()
            );
            self.jobs.abort_all();
        }
    }
}
