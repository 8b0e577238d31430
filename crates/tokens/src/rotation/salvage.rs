//! What can still be read of a journal that does not load: a newer or unknown version, a file
//! cut short by a full disk, or one edited by hand. The parts are read from the JSON as far as it
//! goes (a file cut short is read up to its last complete entry), never guessed.

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::create::TokenRef;
use crate::rotation::plan::SecretTarget;

/// What could be read of an unreadable journal; each `None` when it could not.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JournalFacts {
    pub id: Option<String>,
    pub backend: Option<String>,
    pub secret: Option<SecretTarget>,
    pub new_token: Option<TokenRef>,
    pub old_token: Option<TokenRef>,
}

/// The facts `text` still holds.
pub fn readable_part(text: &str) -> JournalFacts {
    let Some(value) = whole_or_cut(text) else {
        return JournalFacts::default();
    };
    let read = |pointer: &str| value.pointer(pointer).cloned();
    JournalFacts {
        id: read("/id").and_then(typed),
        backend: read("/plan/backend").and_then(typed),
        secret: read("/plan/secret").and_then(typed),
        new_token: read("/new_token").and_then(typed),
        old_token: read("/plan/old_token").and_then(typed),
    }
}

fn typed<T: DeserializeOwned>(value: Value) -> Option<T> {
    serde_json::from_value(value).ok()
}

/// The JSON object of `text`, or of its longest prefix that ends after a complete entry, closed.
///
/// Bounded work whatever the text: a prefix that fails to parse before its end holds that error
/// in every longer prefix, so the cut points after it are skipped, not each parsed.
fn whole_or_cut(text: &str) -> Option<Value> {
    let mut error_at = match serde_json::from_str::<Value>(text) {
        Ok(value) => return value.is_object().then_some(value),
        Err(e) => error_offset(text, &e),
    };
    for (end, closers) in cut_points(text).into_iter().rev() {
        if end > error_at {
            continue;
        }
        let closed = format!("{}{closers}", &text[..end]);
        match serde_json::from_str::<Value>(&closed) {
            Ok(value) => return value.is_object().then_some(value),
            Err(e) => error_at = error_at.min(error_offset(&closed, &e)),
        }
    }
    None
}

/// Where in `text` the parser stopped with `error` (its line and column, as a byte offset).
fn error_offset(text: &str, error: &serde_json::Error) -> usize {
    let line_start: usize = text
        .split_inclusive('\n')
        .take(error.line().saturating_sub(1))
        .map(str::len)
        .sum();
    line_start + error.column()
}

/// serde_json's nesting limit: a prefix with more brackets open never parses.
const MAX_DEPTH: usize = 128;

/// Where a prefix of `text` ends right after a complete entry of an object or array (before a
/// `,`, or after a closing bracket), with the brackets that close what is still open there.
fn cut_points(text: &str) -> Vec<(usize, String)> {
    let mut points = Vec::new();
    let mut open: Vec<char> = Vec::new();
    let closers = |open: &[char]| -> String {
        open.iter()
            .rev()
            .map(|c| if *c == '{' { '}' } else { ']' })
            .collect()
    };
    let (mut in_string, mut escaped) = (false, false);
    for (i, c) in text.char_indices() {
        if in_string {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '{' | '[' => open.push(c),
            '}' | ']' => {
                open.pop();
                if !open.is_empty() && open.len() <= MAX_DEPTH {
                    points.push((i + 1, closers(&open)));
                }
            }
            ',' if !open.is_empty() && open.len() <= MAX_DEPTH => points.push((i, closers(&open))),
            _ => {}
        }
    }
    points
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const JOURNAL: &str = r#"{
  "version": 7,
  "id": "gpu-east-20250101T000000000000",
  "plan": {
    "backend": "gpu.east",
    "secret": { "namespace": "osmo-operator", "name": "osmo-operator-token", "key": "token" },
    "old_token": { "owner": "svc", "name": "old, \"quoted\" {x}" },
    "delete_old": true
  },
  "new_token": { "owner": "svc", "name": "new-1", "roles": ["osmo-backend"] },
  "status": "Running"
}"#;

    #[test]
    fn an_unknown_version_is_read_whole() {
        let facts = readable_part(JOURNAL);
        assert_eq!(facts.id.as_deref(), Some("gpu-east-20250101T000000000000"));
        assert_eq!(facts.backend.as_deref(), Some("gpu.east"));
        assert_eq!(facts.secret.unwrap().name, "osmo-operator-token");
        assert_eq!(facts.old_token.unwrap().name, "old, \"quoted\" {x}");
        assert_eq!(facts.new_token.unwrap().name, "new-1");
    }

    #[test]
    fn a_file_cut_short_is_read_up_to_its_last_complete_entry() {
        let at = |marker: &str| JOURNAL.find(marker).unwrap();
        let facts = readable_part(&JOURNAL[..at("\"delete_old\"") + 3]);
        assert_eq!(facts.backend.as_deref(), Some("gpu.east"));
        assert_eq!(facts.secret.unwrap().key, "token");
        assert_eq!(facts.old_token.unwrap().owner, "svc");
        assert_eq!(facts.new_token, None);

        let facts = readable_part(&JOURNAL[..at("\"namespace\"") + 5]);
        assert_eq!(facts.backend.as_deref(), Some("gpu.east"));
        assert_eq!(facts.secret, None, "half a secret is no secret");

        let facts = readable_part(&JOURNAL[..at("gpu.east") + 2]);
        assert_eq!(facts.backend, None, "half a name is no name");
        assert!(facts.id.is_some());
    }

    /// Found by the fuzz target `rotation_journals`: a run of commas made every comma a cut point
    /// and each was parsed (2.4 s for 64 KB, quadratic); a deep nesting made each copy its brackets.
    #[test]
    fn a_huge_damaged_journal_is_read_in_bounded_time() {
        let at = JOURNAL.find("\"new_token\"").unwrap();
        let commas = format!(
            "{}{}{}",
            &JOURNAL[..at],
            ",".repeat(400_000),
            &JOURNAL[at..]
        );
        let nested = format!("{}{}", &JOURNAL[..at], "[1,".repeat(200_000));
        for text in [commas, nested] {
            let started = std::time::Instant::now();
            let facts = readable_part(&text);
            assert!(
                started.elapsed() < std::time::Duration::from_secs(2),
                "{:?}",
                started.elapsed()
            );
            assert_eq!(facts.backend.as_deref(), Some("gpu.east"));
            assert_eq!(facts.old_token.unwrap().name, "old, \"quoted\" {x}");
        }
    }

    #[test]
    fn garbage_tells_nothing() {
        for text in ["", "\u{0}\u{1}garbage", "[1, 2, 3]", "{\"plan\": 5}", "{"] {
            assert_eq!(readable_part(text), JournalFacts::default(), "{text:?}");
        }
    }
}
