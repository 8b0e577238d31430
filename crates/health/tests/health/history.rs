//! The uptime history on disk: dedup, pruning, uptime, reopening, corrupt files.

use chrono::Duration;
use osmo_admin_health::{History, Recovery, StatusChange, DAY, WEEK};

use crate::common::{t0, FakeClock};

fn change(backend: &str, online: bool, at: chrono::DateTime<chrono::Utc>) -> StatusChange {
    StatusChange {
        session: "s".into(),
        backend: backend.into(),
        online,
        observed_at: at,
    }
}

#[test]
fn changes_are_recorded_once() {
    let dir = tempfile::tempdir().unwrap();
    let clock = FakeClock::at(t0());
    let mut h = History::open_with_clock(dir.path().join("h.sqlite"), clock.clock()).unwrap();
    assert!(h.record("s", "a", true).unwrap());
    for i in 1..5 {
        clock.set(t0() + Duration::seconds(10 * i));
        assert!(!h.record("s", "a", true).unwrap(), "unchanged poll {i}");
    }
    clock.set(t0() + Duration::minutes(5));
    assert!(h.record("s", "a", false).unwrap());
    assert!(!h.record("s", "a", false).unwrap());
    // Same backend name in another session is another backend.
    assert!(h.record("other", "a", false).unwrap());
    assert_eq!(h.count().unwrap(), 3);
    let tl = h.timeline("s", "a", t0()).unwrap();
    assert_eq!(
        tl,
        vec![
            change("a", true, t0()),
            change("a", false, t0() + Duration::minutes(5))
        ]
    );
    assert_eq!(
        h.timeline("s", "a", t0() + Duration::seconds(1)).unwrap(),
        vec![change("a", false, t0() + Duration::minutes(5))]
    );
    assert_eq!(
        h.state_at("s", "a", t0() + Duration::minutes(1)).unwrap(),
        Some(change("a", true, t0()))
    );
}

#[test]
fn prunes_after_seven_days_keeping_each_backends_last_known_state() {
    let dir = tempfile::tempdir().unwrap();
    let clock = FakeClock::at(t0());
    let mut h = History::open_with_clock(dir.path().join("h.sqlite"), clock.clock()).unwrap();
    for (b, online, days) in [
        ("a", true, -10),
        ("a", false, -9),
        ("a", true, -1),
        ("b", false, -8),
    ] {
        assert!(h
            .record_change(&change(b, online, t0() + Duration::days(days)))
            .unwrap());
    }
    // At t0 the cutoff is day -7: a@-10 goes; a@-9 and b@-8 stay as last known states.
    assert_eq!(h.prune().unwrap(), 1);
    let since = t0() - Duration::days(30);
    assert_eq!(
        h.timeline("s", "a", since).unwrap(),
        vec![
            change("a", false, t0() - Duration::days(9)),
            change("a", true, t0() - Duration::days(1)),
        ]
    );
    assert_eq!(h.timeline("s", "b", since).unwrap().len(), 1);
    // Seven days later (cutoff day 0): a@-9 goes, a@-1 stays as a's anchor.
    clock.set(t0() + Duration::days(7));
    assert_eq!(h.prune().unwrap(), 1);
    assert_eq!(
        h.timeline("s", "a", since).unwrap(),
        vec![change("a", true, t0() - Duration::days(1))]
    );
    // b keeps its last known state; its uptime is unknown, since the app never watched it.
    let b = h.state_at("s", "b", t0() + Duration::days(7)).unwrap();
    assert_eq!(b.map(|c| c.online), Some(false));
    assert_eq!(h.uptime("s", "b", WEEK).unwrap(), None);
    // Opening prunes too (recording prunes at most hourly, so these two stay until then).
    h.record_change(&change("c", true, t0() - Duration::days(3)))
        .unwrap();
    h.record_change(&change("c", false, t0() - Duration::days(2)))
        .unwrap();
    assert_eq!(h.timeline("s", "c", since).unwrap().len(), 2);
    let path = h.path().to_path_buf();
    drop(h);
    let h = History::open_with_clock(&path, clock.clock()).unwrap();
    assert_eq!(
        h.timeline("s", "c", since).unwrap(),
        vec![change("c", false, t0() - Duration::days(2))]
    );
}

/// Marks `backend` watched from `from` to `to` hours after t0: hourly polls, a 2-hour gap allowed.
fn watch(h: &mut History, backend: &str, from: i64, to: i64) {
    for hour in from..=to {
        let at = t0() + Duration::hours(hour);
        h.record_watched("s", &[backend.to_owned()], at, Duration::hours(2))
            .unwrap();
    }
}

#[test]
fn uptime_ratios_count_only_the_time_the_app_watched() {
    let dir = tempfile::tempdir().unwrap();
    let clock = FakeClock::at(t0());
    let mut h = History::open_with_clock(dir.path().join("h.sqlite"), clock.clock()).unwrap();
    // a: first seen online 30 h ago, offline 6 h ago, back 3 h ago; watched all along.
    for (online, hours) in [(true, -30), (false, -6), (true, -3)] {
        h.record_change(&change("a", online, t0() + Duration::hours(hours)))
            .unwrap();
    }
    watch(&mut h, "a", -30, 0);
    // 24 h: online at the window start; 3 h offline of 24 => 21/24.
    assert_eq!(h.uptime("s", "a", DAY).unwrap(), Some(21.0 / 24.0));
    // 7 d: watched for 30 h only; 27 h online of 30.
    assert_eq!(h.uptime("s", "a", WEEK).unwrap(), Some(0.9));
    // b: the server says offline since 3 days ago, but the app has watched it for 2 hours
    // only: 2 h observed, all offline; nothing before counts.
    h.record_change(&change("b", false, t0() - Duration::days(3)))
        .unwrap();
    assert_eq!(h.uptime("s", "b", DAY).unwrap(), None, "not watched yet");
    watch(&mut h, "b", -2, 0);
    assert_eq!(h.uptime("s", "b", WEEK).unwrap(), Some(0.0));
    let observed =
        osmo_admin_health::observed(&h.segments("s", "b", t0() - WEEK, Duration::zero()).unwrap());
    assert_eq!(observed, Duration::hours(2));
    // c: online since 2 days, offline for the last 12 h, but the app was closed from 36 h to
    // 18 h ago: 6 h online of the 18 h watched today; 18 of 30 this week.
    h.record_change(&change("c", true, t0() - Duration::days(2)))
        .unwrap();
    h.record_change(&change("c", false, t0() - Duration::hours(12)))
        .unwrap();
    watch(&mut h, "c", -48, -36);
    watch(&mut h, "c", -18, 0);
    assert_eq!(h.uptime("s", "c", DAY).unwrap(), Some(6.0 / 18.0));
    assert_eq!(h.uptime("s", "c", WEEK).unwrap(), Some(18.0 / 30.0));
    let drawn: Vec<Option<bool>> = h
        .segments("s", "c", t0() - Duration::days(3), Duration::zero())
        .unwrap()
        .iter()
        .map(|s| s.online)
        .collect();
    assert_eq!(drawn, [None, Some(true), None, Some(true), Some(false)]);
    assert_eq!(h.uptime("s", "unknown", DAY).unwrap(), None);
    // The clock moves on with the app watching: a is online throughout the next day.
    watch(&mut h, "a", 0, 27);
    clock.set(t0() + Duration::hours(24 + 3));
    assert_eq!(h.uptime("s", "a", DAY).unwrap(), Some(1.0));
}

#[test]
fn polls_extend_a_watched_stretch_and_a_pause_starts_a_new_one() {
    let dir = tempfile::tempdir().unwrap();
    let clock = FakeClock::at(t0());
    let mut h = History::open_with_clock(dir.path().join("h.sqlite"), clock.clock()).unwrap();
    let gap = Duration::minutes(2);
    let names = ["a".to_owned(), "b".to_owned()];
    let stretches = |h: &History, b: &str| -> Vec<(i64, i64)> {
        h.watched("s", b, t0() - DAY)
            .unwrap()
            .iter()
            .map(|w| ((w.from - t0()).num_seconds(), (w.to - t0()).num_seconds()))
            .collect()
    };
    // Polls within a minute of the stretch's stored end leave it where it is.
    for s in [0, 10, 20] {
        h.record_watched("s", &names, t0() + Duration::seconds(s), gap)
            .unwrap();
    }
    assert_eq!(stretches(&h, "a"), [(0, 0)]);
    h.record_watched("s", &names, t0() + Duration::seconds(90), gap)
        .unwrap();
    // An older poll answered late changes nothing.
    h.record_watched("s", &names, t0() + Duration::seconds(5), gap)
        .unwrap();
    // Closed for 10 minutes, then polled again.
    h.record_watched("s", &names[..1], t0() + Duration::minutes(12), gap)
        .unwrap();
    h.record_watched("s", &names[..1], t0() + Duration::minutes(13), gap)
        .unwrap();
    assert_eq!(stretches(&h, "a"), [(0, 90), (720, 780)]);
    assert_eq!(stretches(&h, "b"), [(0, 90)]);
    // A minute after the last poll the next one is not due yet: with the poller's gap the
    // stretch goes on until now; without it, that minute is unknown.
    h.record_change(&change("a", true, t0())).unwrap();
    clock.set(t0() + Duration::minutes(14));
    let last = |ongoing: Duration| {
        let s = h.segments("s", "a", t0(), ongoing).unwrap();
        let l = *s.last().unwrap();
        ((l.from - t0()).num_seconds(), l.online)
    };
    assert_eq!(last(gap), (720, Some(true)));
    assert_eq!(last(Duration::zero()), (780, None));
    // Pruned after seven days, like the changes.
    clock.set(t0() + Duration::days(7) + Duration::minutes(12));
    assert_eq!(h.prune().unwrap(), 2, "both backends' first stretch");
    assert_eq!(stretches(&h, "a"), [(720, 780)]);
}

#[test]
fn reopening_keeps_the_data() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested").join("history.sqlite");
    let clock = FakeClock::at(t0());
    {
        let mut h = History::open_with_clock(&path, clock.clock()).unwrap();
        h.record("s", "a", true).unwrap();
        clock.set(t0() + Duration::minutes(1));
        h.record("s", "a", false).unwrap();
    }
    let mut h = History::open_with_clock(&path, clock.clock()).unwrap();
    assert!(h.recovery().is_none());
    assert_eq!(h.count().unwrap(), 2);
    assert_eq!(
        h.last_state("s", "a").unwrap(),
        Some(change("a", false, t0() + Duration::minutes(1)))
    );
    // The stored state is still the reference for deduplication.
    assert!(!h.record("s", "a", false).unwrap());
}

#[test]
fn a_corrupt_file_is_moved_aside_and_a_new_history_started() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.sqlite");
    let garbage = "this is not an SQLite database\n".repeat(200);
    std::fs::write(&path, &garbage).unwrap();
    let clock = FakeClock::at(t0());
    let mut h = History::open_with_clock(&path, clock.clock()).unwrap();
    let rec = h.recovery().cloned().expect("a recovery notice");
    let Recovery::MovedAside { moved_to, .. } = &rec else {
        panic!("expected MovedAside, got {rec:?}");
    };
    assert_eq!(std::fs::read_to_string(moved_to).unwrap(), garbage);
    assert_eq!(moved_to.parent(), path.parent());
    assert!(moved_to
        .to_string_lossy()
        .ends_with("history.sqlite.corrupt-20261128T120000.000Z"));
    assert!(rec.notice().contains(&moved_to.display().to_string()));
    assert!(rec.notice().contains("new, empty history"));
    // The new file works and survives reopening, without a notice.
    assert_eq!(h.count().unwrap(), 0);
    assert!(h.record("s", "a", true).unwrap());
    drop(h);
    let h = History::open_with_clock(&path, clock.clock()).unwrap();
    assert!(h.recovery().is_none());
    assert_eq!(h.count().unwrap(), 1);
}

#[test]
fn a_newer_file_is_kept_as_it_is_and_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.sqlite");
    let clock = FakeClock::at(t0());
    {
        let mut h = History::open_with_clock(&path, clock.clock()).unwrap();
        h.record("s", "a", true).unwrap();
    }
    // A later version of the app bumped the schema.
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute_batch("PRAGMA user_version = 7;")
        .unwrap();
    let before = std::fs::read(&path).unwrap();
    let mut h = History::open_with_clock(&path, clock.clock()).unwrap();
    let rec = h.recovery().cloned().expect("a notice");
    assert_eq!(
        rec,
        Recovery::Newer {
            path: path.clone(),
            version: 7
        }
    );
    assert!(rec.notice().contains("newer version"), "{}", rec.notice());
    assert!(rec.notice().contains(&path.display().to_string()));
    // Nothing read, nothing moved, nothing written: the file is as the newer app left it.
    assert_eq!(h.count().unwrap(), 0);
    assert_eq!(h.last_state("s", "a").unwrap(), None);
    assert!(h.record("s", "a", false).unwrap());
    drop(h);
    assert_eq!(std::fs::read(&path).unwrap(), before);
    let siblings = std::fs::read_dir(dir.path()).unwrap().count();
    assert_eq!(siblings, 1, "nothing was moved aside");
}

#[test]
fn a_damaged_database_page_is_moved_aside_too() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.sqlite");
    let clock = FakeClock::at(t0());
    {
        let mut h = History::open_with_clock(&path, clock.clock()).unwrap();
        for i in 0..200 {
            h.record("s", &format!("backend-{i}"), true).unwrap();
        }
    }
    // Keep the valid header, overwrite everything after the first page.
    let mut bytes = std::fs::read(&path).unwrap();
    assert!(bytes.len() > 8192);
    for b in &mut bytes[4096..] {
        *b = 0xA5;
    }
    std::fs::write(&path, &bytes).unwrap();
    let h = History::open_with_clock(&path, clock.clock()).unwrap();
    assert!(h.recovery().is_some());
    assert_eq!(h.count().unwrap(), 0);
}

#[test]
fn a_batch_is_recorded_in_one_go_without_duplicates() {
    let dir = tempfile::tempdir().unwrap();
    let clock = FakeClock::at(t0());
    let mut h = History::open_with_clock(dir.path().join("h.sqlite"), clock.clock()).unwrap();
    let batch = [
        change("a", true, t0()),
        change("a", true, t0() + Duration::seconds(1)),
        change("b", false, t0()),
        change("a", false, t0() + Duration::seconds(2)),
    ];
    assert_eq!(h.record_changes(&batch).unwrap(), 3);
    assert_eq!(h.record_changes(&batch[..3]).unwrap(), 0);
    // 1,000 backends in one poll: one transaction.
    let many: Vec<StatusChange> = (0..1000)
        .map(|i| change(&format!("b{i}"), i % 2 == 0, t0()))
        .collect();
    let start = std::time::Instant::now();
    assert_eq!(h.record_changes(&many).unwrap(), 1000);
    assert!(start.elapsed() < std::time::Duration::from_secs(5));
    assert_eq!(h.count().unwrap(), 1003);
    assert_eq!(h.record_changes(&many).unwrap(), 0);
}
