//! The helm stand-in as a command (`helm-standin`, linked as `helm` by `HelmSandbox`): runs
//! [`osmo_admin_test_cluster::helm_standin::run`] with this process's environment, printing what
//! it prints; an error is printed as `Error: ...` with exit status 1, as helm does.

use std::process::ExitCode;

use osmo_admin_test_cluster::helm_standin::{self, Environment, Printed};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let ended = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())
        .and_then(|runtime| {
            runtime.block_on(helm_standin::run(
                &args,
                &Environment::of_process(),
                &mut Printed,
            ))
        });
    match ended {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("Error: {message}");
            ExitCode::FAILURE
        }
    }
}
