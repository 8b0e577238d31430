//! Setup progress files, read the way the Setup screen reads them (`Progress::read`, then the
//! files set aside): an unreadable file is set aside with why. Seeds: files the app's own
//! `Progress::save` wrote, before and after steps.

use osmo_admin_fuzz::{assert_short, fuzz, mutated, within};
use osmo_admin_setup::{Progress, SetupPlan, StepId};

use crate::scratch;

const BACKEND: &str = "gpu-east";

fn seeds() -> Vec<Vec<u8>> {
    let dir = scratch();
    let mut progress = Progress::new(SetupPlan::new(BACKEND, "https://osmo.example.com", "6.0.0"));
    let mut seeds = Vec::new();
    for step in [None, Some(StepId::Token), Some(StepId::Cluster)] {
        if let Some(step) = step {
            progress.mark(step, "done in the seed");
        }
        progress.save(dir.path()).expect("saving the seed");
        seeds.push(std::fs::read(Progress::path(dir.path(), BACKEND)).expect("reading the seed"));
    }
    seeds
}

#[test]
fn setup_progress() {
    let seeds = seeds();
    fuzz(|u| {
        let input = mutated(u, &seeds)?;
        within("reading setup progress", move || {
            let dir = scratch();
            std::fs::write(Progress::path(dir.path(), BACKEND), &input).expect("writing the input");
            let found = Progress::read(dir.path(), BACKEND);
            if let Some(aside) = &found.set_aside {
                assert_short("why the progress was set aside", &aside.reason);
            }
            for aside in Progress::set_aside_files(dir.path(), BACKEND) {
                assert_short("why the progress was set aside", &aside.reason);
            }
        });
        Ok(())
    });
}
