//! The live log of a running step: [`LogLine`]s handed to a callback as they happen. Lines carry
//! what the app did, the command it ran (secrets as `<redacted>`) and helm's output line by line;
//! never a token's value.

use serde::Serialize;

use crate::steps::StepId;

/// Where a line comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stream {
    /// The app says what it does or found.
    Info,
    /// A command the app runs (or the equivalent command of an API call), for the record.
    Command,
    /// A line helm printed on stdout.
    Stdout,
    /// A line helm printed on stderr.
    Stderr,
}

/// One line of a step's log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LogLine {
    pub step: StepId,
    pub stream: Stream,
    pub text: String,
}

/// The callback receiving log lines (called on the task running the step; keep it quick).
pub type LogSink = dyn Fn(LogLine) + Send + Sync;

/// Writes lines of one step.
pub(crate) struct StepLog<'a> {
    pub step: StepId,
    pub sink: &'a LogSink,
}

impl StepLog<'_> {
    pub fn line(&self, stream: Stream, text: impl Into<String>) {
        (self.sink)(LogLine {
            step: self.step,
            stream,
            text: text.into(),
        });
    }

    pub fn info(&self, text: impl Into<String>) {
        self.line(Stream::Info, text);
    }

    pub fn command(&self, text: impl Into<String>) {
        self.line(Stream::Command, text);
    }
}
