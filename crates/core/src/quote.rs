//! Text from outside the app (an OSMO answer, a file's contents, a parser's description of them)
//! as a message may quote it, so a huge or hostile input never becomes a huge message.

/// How many characters of outside text a message quotes.
pub const QUOTED_TEXT_CHARS: usize = 300;

/// `text` as a message may quote it: one line, at most [`QUOTED_TEXT_CHARS`] characters, then
/// "…". Every message quoting an answer or a file's contents uses it.
pub fn quote_text(text: &str) -> String {
    let mut quoted = String::new();
    let mut chars = 0;
    for word in text.split_whitespace() {
        if chars > 0 {
            quoted.push(' ');
            chars += 1;
        }
        for c in word.chars() {
            if chars >= QUOTED_TEXT_CHARS {
                quoted.push('…');
                return quoted;
            }
            quoted.push(c);
            chars += 1;
        }
    }
    quoted
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_is_cut_and_made_one_line() {
        let quoted = quote_text(&format!("a\n  b\t{}", "x".repeat(1_000_000)));
        assert!(quoted.starts_with("a b xxx"), "{quoted}");
        assert!(quoted.ends_with('…'));
        assert_eq!(quoted.chars().count(), QUOTED_TEXT_CHARS + 1);
        assert_eq!(quote_text("short  text\n"), "short text");
    }
}
