//! Process liveness by PID, from `/proc` (no signals sent, no unsafe code).

/// Whether process `pid` exists and is not a zombie (exited, waiting to be reaped).
pub fn is_process_alive(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        // Format: `pid (comm) state ...`; comm may contain spaces or parentheses, so split at the last ')'.
        Ok(stat) => match stat.rfind(')') {
            Some(end) => !matches!(stat[end + 1..].trim_start().chars().next(), Some('Z' | 'X')),
            None => true,
        },
        Err(_) => false,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn own_process_is_alive_and_bogus_pid_is_not() {
        assert!(is_process_alive(std::process::id()));
        assert!(!is_process_alive(u32::MAX - 7));
    }
}
