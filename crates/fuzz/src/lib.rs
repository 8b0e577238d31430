//! Time-bounded fuzzing of every parser the app feeds with outside data (`tests/fuzz`): the
//! harness the targets share. Each target calls the parser's public entry point the app calls,
//! with real inputs (the captured OSMO answers, the kube crate's kubeconfig fixtures, files the
//! app's own writers produce) mutated by random bytes, and with wholly random input. The property:
//! no panic, each call ends within [`CALL_LIMIT`], and every error message stays short
//! ([`MESSAGE_MAX_BYTES`]).
//!
//! Why `arbtest` (with `arbitrary`): only the stable toolchain is available (no cargo-fuzz or
//! libFuzzer), and arbtest runs a property for a time budget rather than a number of cases, which
//! is what a bounded run in the test command and a longer one on demand need. It also prints the
//! seed of a failure and replays it (`ARBTEST_SEED`), and reads the budget from
//! `ARBTEST_BUDGET_MS`, so neither is written here. proptest counts cases, not time.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

pub use arbitrary::{Result, Unstructured};
use serde_json::Value;

/// How long each target runs unless `ARBTEST_BUDGET_MS` says otherwise (the test command's run).
pub const DEFAULT_BUDGET: Duration = Duration::from_secs(2);

/// The longest one parser call may take before it counts as hung.
pub const CALL_LIMIT: Duration = Duration::from_secs(5);

/// The longest message (in characters) a parser may give about its input: issue #17 (point 10)
/// wants no input copied whole into a message. Messages quote outside text through
/// `osmo_admin_core::quote` (at most 300 characters) beside their own words; `osmo-client`'s
/// bounds tests hold its messages to the same 1,024.
pub const MESSAGE_MAX_CHARS: usize = 1024;

/// Runs `property` for the budget: `ARBTEST_BUDGET_MS` when set (arbtest reads it), else
/// [`DEFAULT_BUDGET`]. A failure prints its seed; `ARBTEST_SEED=<seed>` replays it once.
pub fn fuzz(property: impl FnMut(&mut Unstructured<'_>) -> Result<()>) {
    let test = arbtest::arbtest(property);
    if std::env::var_os("ARBTEST_BUDGET_MS").is_some() {
        test.run();
    } else {
        test.budget(DEFAULT_BUDGET).run();
    }
}

/// Fails when `message` (what a parser said about its input) is longer than [`MESSAGE_MAX_CHARS`].
pub fn assert_short(what: &str, message: &str) {
    let chars = message.chars().count();
    assert!(
        chars < MESSAGE_MAX_CHARS,
        "{what}: a {chars} character message (at most {MESSAGE_MAX_CHARS}): {}…",
        message.chars().take(300).collect::<String>()
    );
}

/// Runs `call` on its own thread and fails when it has not returned within [`CALL_LIMIT`] (a
/// hang); a panic in `call` fails the same way it would have on the caller's thread.
pub fn within<T: Send + 'static>(what: &str, call: impl FnOnce() -> T + Send + 'static) -> T {
    let (send, receive) = mpsc::channel();
    let worker = std::thread::spawn(move || {
        let _ = send.send(call());
    });
    match receive.recv_timeout(CALL_LIMIT) {
        Ok(value) => value,
        Err(mpsc::RecvTimeoutError::Disconnected) => match worker.join() {
            Err(panic) => std::panic::resume_unwind(panic),
            Ok(()) => unreachable!("the worker sends before it ends"),
        },
        Err(mpsc::RecvTimeoutError::Timeout) => {
            panic!("{what} did not return within {CALL_LIMIT:?}")
        }
    }
}

/// An input: one of `seeds` changed by one to four random mutations, or (one time in eight, or
/// when there are no seeds) wholly random bytes.
pub fn mutated(u: &mut Unstructured<'_>, seeds: &[Vec<u8>]) -> Result<Vec<u8>> {
    if seeds.is_empty() || u.ratio(1, 8)? {
        return Ok(u.arbitrary::<&[u8]>()?.to_vec());
    }
    let mut input = u.choose(seeds)?.clone();
    for _ in 0..u.int_in_range(1..=4)? {
        mutate(u, &mut input, seeds)?;
    }
    Ok(input)
}

fn mutate(u: &mut Unstructured<'_>, input: &mut Vec<u8>, seeds: &[Vec<u8>]) -> Result<()> {
    match u.int_in_range(0..=5)? {
        // Flip the bits of one byte.
        0 if !input.is_empty() => {
            let at = u.choose_index(input.len())?;
            input[at] ^= u.int_in_range(1..=255)?;
        }
        // Cut it short (a file caught mid-write, a dropped connection).
        1 => input.truncate(u.choose_index(input.len() + 1)?),
        // Insert random bytes.
        2 => {
            let at = u.choose_index(input.len() + 1)?;
            let bytes: &[u8] = u.arbitrary()?;
            input.splice(at..at, bytes.iter().copied());
        }
        // Insert a piece of another seed.
        3 => {
            let other = u.choose(seeds)?;
            let start = u.choose_index(other.len() + 1)?;
            let end = u.int_in_range(start..=other.len())?;
            let at = u.choose_index(input.len() + 1)?;
            input.splice(at..at, other[start..end].iter().copied());
        }
        // Repeat one byte many times (a huge string, a deep nesting).
        4 => {
            let at = u.choose_index(input.len() + 1)?;
            let byte = if input.is_empty() {
                u.arbitrary()?
            } else {
                input[u.choose_index(input.len())?]
            };
            let count = u.int_in_range(1..=200_000)?;
            input.splice(at..at, std::iter::repeat_n(byte, count));
        }
        // Replace one JSON value by a random one (when the input is JSON).
        _ => {
            if let Ok(mut value) = serde_json::from_slice::<Value>(input) {
                *pick_value(u, &mut value)? = json_value(u, 3)?;
                *input = serde_json::to_vec(&value).unwrap_or_default();
            }
        }
    }
    Ok(())
}

/// One value inside `value` (itself, or one reached through random members and items).
fn pick_value<'a>(u: &mut Unstructured<'_>, value: &'a mut Value) -> Result<&'a mut Value> {
    let inside = match &*value {
        Value::Array(items) => items.len(),
        Value::Object(members) => members.len(),
        _ => 0,
    };
    if inside == 0 || u.ratio(1, 3)? {
        return Ok(value);
    }
    let at = u.choose_index(inside)?;
    match value {
        Value::Array(items) => pick_value(u, &mut items[at]),
        Value::Object(members) => match members.values_mut().nth(at) {
            Some(member) => pick_value(u, member),
            None => unreachable!("the index is within the members"),
        },
        other => Ok(other),
    }
}

/// A random JSON value, nested at most `depth` deep.
fn json_value(u: &mut Unstructured<'_>, depth: u32) -> Result<Value> {
    let kinds = if depth == 0 { 5 } else { 7 };
    Ok(match u.choose_index(kinds)? {
        0 => Value::Null,
        1 => Value::Bool(u.arbitrary()?),
        2 => Value::from(u.arbitrary::<i64>()?),
        3 => serde_json::Number::from_f64(u.arbitrary()?).map_or(Value::Null, Value::Number),
        4 => Value::String(u.arbitrary()?),
        5 => Value::Array(
            (0..u.int_in_range(0..=4)?)
                .map(|_| json_value(u, depth - 1))
                .collect::<Result<_>>()?,
        ),
        _ => Value::Object(
            (0..u.int_in_range(0..=4)?)
                .map(|_| Ok((u.arbitrary::<String>()?, json_value(u, depth - 1)?)))
                .collect::<Result<_>>()?,
        ),
    })
}

/// A captured OSMO answer (`response` of one exchange in the captures) and its request.
#[derive(Debug, Clone)]
pub struct Capture {
    pub method: String,
    pub path: String,
    pub status: u16,
    pub content_type: Option<String>,
    pub body: Vec<u8>,
}

/// The folder of the real OSMO captures: the repository's copy of the project's shared
/// `fixtures/osmo/` (kept unchanged in osmo-sim's tests, so tests need nothing outside the
/// repository).
pub fn osmo_captures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../osmo-sim/tests/fixtures")
}

/// Every HTTP exchange of every capture file.
pub fn osmo_captures() -> Vec<Capture> {
    let dir = osmo_captures_dir();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("the OSMO captures at {}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let captures: Vec<Capture> = files.iter().flat_map(|f| captures_in(f)).collect();
    assert!(!captures.is_empty(), "no exchanges in {}", dir.display());
    captures
}

fn captures_in(file: &Path) -> Vec<Capture> {
    let text =
        std::fs::read_to_string(file).unwrap_or_else(|e| panic!("reading {}: {e}", file.display()));
    let json: Value = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{} is not JSON: {e}", file.display()));
    let exchanges = json["exchanges"].as_array().cloned().unwrap_or_default();
    exchanges
        .iter()
        .filter_map(|e| {
            let response = &e["response"];
            let body = match (&response["body_kind"], &response["body"]) {
                (Value::String(kind), Value::String(text)) if kind != "json" => {
                    text.clone().into_bytes()
                }
                (_, body) => serde_json::to_vec(body).ok()?,
            };
            Some(Capture {
                method: e["request"]["method"].as_str()?.to_owned(),
                path: e["request"]["path"].as_str()?.to_owned(),
                status: u16::try_from(response["status"].as_u64()?).ok()?,
                content_type: response["headers"]["content-type"]
                    .as_str()
                    .map(str::to_owned),
                body,
            })
        })
        .collect()
}
