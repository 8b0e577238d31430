//! Kubeconfig files, read the way the app reads them: `KubeconfigSet::load` over the files, then
//! the Connections screen's list (`contexts`). A second read of the same file with other contents
//! covers a file that changed (last good contents kept, an emptied file). Seeds: the kube crate's
//! kubeconfig fixtures.

use osmo_admin_fuzz::{assert_short, fuzz, mutated, within};
use osmo_admin_kube::{FileOrigin, KubeconfigSet, SourceFile};

use crate::{crate_files, scratch};

#[test]
fn kubeconfig_files() {
    let seeds: Vec<Vec<u8>> = crate_files("kube/tests/fixtures");
    assert!(!seeds.is_empty());
    fuzz(|u| {
        let first = mutated(u, &seeds)?;
        let then = if u.arbitrary()? {
            Some(mutated(u, &seeds)?)
        } else {
            None
        };
        let origin = *u.choose(&[
            FileOrigin::KubeconfigEnv,
            FileOrigin::HomeDefault,
            FileOrigin::Extra,
        ])?;
        within("reading a kubeconfig file", move || {
            let dir = scratch();
            let path = dir.path().join("config");
            std::fs::write(&path, &first).expect("writing the input");
            let mut set = KubeconfigSet::load(vec![SourceFile {
                path: path.clone(),
                origin,
            }]);
            check(&set);
            if let Some(then) = then {
                std::fs::write(&path, &then).expect("writing the input");
                set.reload();
                check(&set);
            }
        });
        Ok(())
    });
}

fn check(set: &KubeconfigSet) {
    let list = set.contexts();
    for file in &list.files {
        if let Some(problem) = &file.error {
            assert_short("a kubeconfig file's error", &problem.message);
        }
    }
}
