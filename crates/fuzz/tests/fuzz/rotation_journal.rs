//! Rotation journals, read the way the app reads its rotation folder (`rotation::scan`): an
//! unreadable journal is set aside with why and what can still be read of it, and described in
//! words. Seeds: journals the app's own `Journal::save` wrote, at several steps.

use chrono::NaiveDate;
use osmo_admin_fuzz::{assert_short, fuzz, mutated, within};
use osmo_admin_tokens::rotation::{new_id, scan, set_aside_in_words, Journal, RotationPlan};
use osmo_admin_tokens::{NewToken, ValidToken};

use crate::scratch;

fn seeds() -> Vec<Vec<u8>> {
    let dir = scratch();
    let new_token = NewToken {
        owner: Some("backend-operator".into()),
        name: "osmo-operator-gpu-east".into(),
        expires_at: "2027-01-15".into(),
        roles: vec!["osmo-backend".into()],
        description: "rotated".into(),
        for_operator: true,
    };
    let valid = ValidToken {
        owner: "backend-operator".into(),
        name: new_token.name.clone(),
        expires_on: NaiveDate::from_ymd_opt(2027, 1, 15).expect("a date"),
        roles: new_token.roles.clone(),
        description: new_token.description.clone(),
    };
    let mut journal = Journal::new(
        new_id("gpu-east"),
        RotationPlan::new("gpu-east", new_token, None),
        valid,
    );
    let path = journal.path_in(dir.path());
    journal.save(&path).expect("saving the seed");
    vec![std::fs::read(&path).expect("reading the seed")]
}

#[test]
fn rotation_journals() {
    let seeds = seeds();
    fuzz(|u| {
        let input = mutated(u, &seeds)?;
        within("scanning the rotation folder", move || {
            let dir = scratch();
            std::fs::write(dir.path().join("gpu-east-1.json"), &input).expect("writing the input");
            let found = scan(dir.path());
            for aside in &found.set_aside {
                assert_short("why a journal was set aside", &aside.reason);
                let _ = set_aside_in_words(&aside.facts, None);
            }
        });
        Ok(())
    });
}
