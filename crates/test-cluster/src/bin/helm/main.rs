//! The helm stand-in as a command (`helm-standin`, linked as `helm` by `HelmSandbox`): runs
//! [`osmo_admin_test_cluster::helm_standin::run_to_exit`] with this process's environment,
//! printing what it prints (an error as `Error: ...` on stderr) and exiting with its status.

use std::process::ExitCode;

use osmo_admin_test_cluster::helm_standin::{self, Environment, Printed};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build();
    match runtime {
        Ok(runtime) => ExitCode::from(runtime.block_on(helm_standin::run_to_exit(
            &args,
            &Environment::of_process(),
            &mut Printed,
        ))),
        Err(e) => {
            eprintln!("Error: {e}");
            ExitCode::FAILURE
        }
    }
}
