//! Kills at any instant (issue #17, point 4). A child process (this binary run again, see
//! [`child`]) runs a rotation through the application core exactly as the app does, against
//! osmo-sim and the real API server this process shares with it; it stops at a kill point
//! (`osmo_admin_core::kill_point`, compiled in for these tests only through the core's
//! `kill-points` dev-dependency feature) and is killed there with SIGKILL. A core opened again on
//! the same data folder (the app started again) must describe the rotation the way the cluster
//! and the service show it, and resuming and rolling back must both finish with the backend's
//! Secret holding a token the service accepts ([`rotation`]).
//!
//! `cargo test -p osmo-admin-app --test kills [FILTER]` runs every case whose name contains
//! FILTER (for example `V6_0`, `rotation:WriteSecret:after_effect`, `roll_back`), a few at a time
//! (`OSMO_ADMIN_KILL_JOBS`, default 3). Without a harness: this `main` is both the parent and,
//! with the child's variable set, the child.
#![allow(clippy::unwrap_used)]

mod child;
mod process;
mod rotation;
#[path = "../support/mod.rs"]
mod support;
mod world;

use std::sync::Arc;
use std::time::Instant;

fn main() {
    if let Some(job) = child::from_env() {
        child::run(job);
    }
    let filter = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .unwrap_or_default();
    let cases: Vec<rotation::Case> = rotation::cases()
        .into_iter()
        .filter(|c| c.name().contains(&filter))
        .collect();
    let jobs = std::env::var("OSMO_ADMIN_KILL_JOBS")
        .ok()
        .and_then(|j| j.parse().ok())
        .unwrap_or(3usize)
        .max(1);
    println!("running {} kill cases, {jobs} at a time", cases.len());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let failed = runtime.block_on(async move {
        let slots = Arc::new(tokio::sync::Semaphore::new(jobs));
        let mut running = tokio::task::JoinSet::new();
        for case in cases {
            let slots = slots.clone();
            running.spawn(async move {
                let _slot = slots.acquire_owned().await.unwrap();
                let started = Instant::now();
                let outcome = tokio::spawn(rotation::run(case)).await;
                let secs = started.elapsed().as_secs_f32();
                match outcome {
                    Ok(()) => {
                        println!("case {} ... ok ({secs:.1} s)", case.name());
                        None
                    }
                    Err(e) => {
                        println!("case {} ... FAILED ({secs:.1} s)", case.name());
                        Some(format!("{}: {e}", case.name()))
                    }
                }
            });
        }
        let mut failed = Vec::new();
        while let Some(done) = running.join_next().await {
            failed.extend(done.unwrap());
        }
        failed
    });
    if failed.is_empty() {
        println!("kill cases: all passed");
    } else {
        println!("kill cases: {} failed:", failed.len());
        for f in &failed {
            println!("  {f}");
        }
        std::process::exit(1);
    }
}
