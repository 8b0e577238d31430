//! The OSMO CLI's `login.yaml`, imported the way the Connections screen imports it
//! (`import_cli_login`). Seeds: osmo-client's login fixtures (every sign-in kind).

use std::path::PathBuf;

use osmo_admin_fuzz::{assert_short, fuzz, mutated, within};
use osmo_admin_osmo_client::{import_cli_login, CliLoginEnv};

use crate::{crate_files, scratch};

fn seeds() -> Vec<Vec<u8>> {
    let dir =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../osmo-client/tests/fixtures/cli-login");
    let mut kinds: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    kinds.sort();
    kinds
        .iter()
        .flat_map(|kind| crate_files(&format!("osmo-client/tests/fixtures/cli-login/{kind}")))
        .collect()
}

#[test]
fn cli_login_file() {
    let seeds = seeds();
    assert!(!seeds.is_empty());
    fuzz(|u| {
        let input = mutated(u, &seeds)?;
        within("importing the CLI login", move || {
            let dir = scratch();
            std::fs::write(dir.path().join("login.yaml"), &input).expect("writing the input");
            let env = CliLoginEnv {
                osmo_config_file_dir: Some(dir.path().to_owned()),
                xdg_config_home: None,
                home: None,
            };
            if let Err(e) = import_cli_login(&env) {
                assert_short("the CLI login error", &e.to_string());
            }
        });
        Ok(())
    });
}
