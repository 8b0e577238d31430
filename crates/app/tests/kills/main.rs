//! Kills at any instant (issue #17, point 4). A child process (this binary run again, see
//! [`child`]) runs a rotation or a setup through the application core exactly as the app does,
//! against osmo-sim and the real API server this process shares with it; it stops at a kill point
//! (`osmo_admin_core::kill_point`, compiled in for these tests only through the core's
//! `kill-points` dev-dependency feature) and is killed there with SIGKILL. A core opened again on
//! the same data folder (the app started again) must describe the rotation or the setup the way
//! the cluster and the service show it; resuming and rolling back a rotation must both finish
//! with the backend's Secret holding a token the service accepts ([`rotation`]), and running a
//! setup's remaining steps must reach online with one ([`setup_cases`]).
//!
//! `cargo test -p osmo-admin-app --test kills [FILTER]` runs every case whose name contains
//! FILTER (for example `V6_0`, `rotation:WriteSecret:after_effect`, `roll_back`, `setup:`), a few at a time
//! (`OSMO_ADMIN_KILL_JOBS`, default one per core). Without a harness: this `main` is both the parent and,
//! with the child's variable set, the child.
#![allow(clippy::unwrap_used)]

mod child;
mod process;
mod rotation;
mod setup_cases;
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
    let rotations = rotation::cases().into_iter().map(Case::Rotation);
    let setups = setup_cases::cases().into_iter().map(Case::Setup);
    let cases: Vec<Case> = rotations
        .chain(setups)
        .filter(|c| c.name().contains(&filter))
        .collect();
    let jobs = std::env::var("OSMO_ADMIN_KILL_JOBS")
        .ok()
        .and_then(|j| j.parse().ok())
        // One case per core: each runs a child core beside the shared API server, and on 2 cores a
        // third at once once starved a child long enough for its 5 s OSMO timeout to fire.
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()))
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
                let outcome = tokio::spawn(case.run()).await;
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

/// A rotation case or a setup case.
#[derive(Debug, Clone, Copy)]
enum Case {
    Rotation(rotation::Case),
    Setup(setup_cases::Case),
}

impl Case {
    fn name(&self) -> String {
        match self {
            Case::Rotation(c) => c.name(),
            Case::Setup(c) => c.name(),
        }
    }

    async fn run(self) {
        match self {
            Case::Rotation(c) => rotation::run(c).await,
            Case::Setup(c) => setup_cases::run(c).await,
        }
    }
}
