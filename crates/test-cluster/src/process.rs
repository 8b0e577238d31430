//! Process liveness by PID, and the processes a cluster start left, from `/proc` (no signals
//! sent, no unsafe code).

use crate::cluster::OWNER_ENV;

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

/// The live processes that a [`crate::TestCluster`] started by process `owner` runs or left
/// behind (`start.sh`, etcd, the API server, the controller manager, the watchdog, and any
/// helper of theirs), found by [`OWNER_ENV`] in their environment: for a test that stops a
/// cluster, even one still starting, to check that nothing of it runs on. Processes of other
/// users are not seen.
pub fn processes_started_by(owner: u32) -> Vec<u32> {
    let marker = format!("{OWNER_ENV}={owner}");
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    let mut found: Vec<u32> = entries
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse().ok())
        .filter(|pid: &u32| {
            std::fs::read(format!("/proc/{pid}/environ")).is_ok_and(|environ| {
                environ
                    .split(|byte| *byte == 0)
                    .any(|var| var == marker.as_bytes())
            }) && is_process_alive(*pid)
        })
        .collect();
    found.sort_unstable();
    found
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

    #[test]
    fn finds_processes_by_the_owner_in_their_environment() {
        let owner = u32::MAX - 11;
        let mut marked = std::process::Command::new("sleep")
            .arg("30")
            .env(OWNER_ENV, owner.to_string())
            .spawn()
            .unwrap();
        let mut other = std::process::Command::new("sleep")
            .arg("30")
            .env(OWNER_ENV, (owner - 1).to_string())
            .spawn()
            .unwrap();
        assert_eq!(processes_started_by(owner), [marked.id()]);
        marked.kill().unwrap();
        marked.wait().unwrap();
        assert_eq!(processes_started_by(owner), Vec::<u32>::new());
        other.kill().unwrap();
        other.wait().unwrap();
    }
}
