//! The poller with fake sources, on Tokio's paused clock (deterministic timing).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::Utc;
use osmo_admin_core::ErrorCode;
use osmo_admin_health::{BackoffPolicy, FetchTag, History, Poller, PollerConfig, HEARTBEAT_WINDOW};
use tokio::sync::mpsc::unbounded_channel;

use crate::common::{next_of, row, Behaviour, FakeSource};

fn config(interval_ms: u64, timeout_ms: u64, max_ms: u64) -> PollerConfig {
    PollerConfig {
        interval: Duration::from_millis(interval_ms),
        timeout: Duration::from_millis(timeout_ms),
        backoff: BackoffPolicy {
            factor: 2,
            max: Duration::from_millis(max_ms),
        },
    }
}

const LONG: Duration = Duration::from_secs(60);

fn gaps_ms(calls: &[tokio::time::Instant]) -> Vec<u128> {
    calls
        .windows(2)
        .map(|w| (w[1] - w[0]).as_millis())
        .collect()
}

#[tokio::test(start_paused = true)]
async fn backoff_grows_on_errors_and_resets_on_success() {
    let src = FakeSource::new("s", Behaviour::Fail);
    let (tx, mut rx) = unbounded_channel();
    let mut poller = Poller::new(config(100, 50, 800), Arc::new(tx));
    poller.add_session(src.clone());
    let mut waits = Vec::new();
    for i in 1..=5u32 {
        let u = next_of(&mut rx, "s", LONG).await;
        assert_eq!(u.snapshot.consecutive_failures, i);
        waits.push(u.snapshot.next_poll_ms);
    }
    assert_eq!(waits, vec![200, 400, 800, 800, 800]);
    src.set(Behaviour::Rows(vec![row("s", "a", true)]));
    let u = next_of(&mut rx, "s", LONG).await;
    assert_eq!(u.snapshot.consecutive_failures, 0);
    assert_eq!(u.snapshot.next_poll_ms, 100);
    next_of(&mut rx, "s", LONG).await;
    next_of(&mut rx, "s", LONG).await;
    // The measured gaps between fetches follow the same schedule.
    assert_eq!(
        gaps_ms(&src.calls()),
        vec![200, 400, 800, 800, 800, 100, 100]
    );
    // And grow again on the next error.
    src.set(Behaviour::Fail);
    assert_eq!(next_of(&mut rx, "s", LONG).await.snapshot.next_poll_ms, 200);
    drop(poller);
}

#[tokio::test(start_paused = true)]
async fn a_failed_poll_keeps_the_last_rows_marked_stale() {
    let rows = vec![row("s", "a", true), row("s", "b", false)];
    let src = FakeSource::new("s", Behaviour::Rows(rows.clone()));
    let (tx, mut rx) = unbounded_channel();
    let mut poller = Poller::new(config(100, 50, 400), Arc::new(tx));
    poller.add_session(src.clone());
    let ok = next_of(&mut rx, "s", LONG).await.snapshot;
    assert!(!ok.stale);
    assert!(ok.error.is_none());
    assert_eq!(ok.rows.len(), 2);
    assert_eq!(
        (ok.totals.online, ok.totals.offline, ok.totals.total),
        (1, 1, 2)
    );
    let updated_at = ok.updated_at.unwrap();

    src.set(Behaviour::Fail);
    let failed = next_of(&mut rx, "s", LONG).await.snapshot;
    assert!(failed.stale);
    assert_eq!(failed.rows, ok.rows, "rows kept");
    assert_eq!(failed.totals, ok.totals);
    assert_eq!(
        failed.updated_at,
        Some(updated_at),
        "updated_at is the last success"
    );
    let err = failed.error.clone().unwrap();
    assert_eq!(err.code, ErrorCode::Unreachable);
    assert_eq!(err.message, "fake failure");
    assert_eq!(poller.snapshot("s").unwrap(), failed);

    // A hanging fetch times out and is reported the same way.
    src.set(Behaviour::Hang);
    let hung = next_of(&mut rx, "s", LONG).await.snapshot;
    assert!(hung.stale);
    assert_eq!(hung.rows, ok.rows);
    assert_eq!(hung.error.unwrap().code, ErrorCode::Timeout);

    src.set(Behaviour::Rows(rows));
    let back = next_of(&mut rx, "s", LONG).await.snapshot;
    assert!(!back.stale);
    assert!(back.error.is_none());
    assert!(back.updated_at.unwrap() >= updated_at);
}

#[tokio::test(start_paused = true)]
async fn a_poll_that_read_the_same_again_keeps_the_rows_and_is_fresh() {
    let rows = vec![row("s", "a", true), row("s", "b", false)];
    let src = FakeSource::new("s", Behaviour::Rows(rows.clone()));
    let (tx, mut rx) = unbounded_channel();
    let mut poller = Poller::new(config(100, 50, 400), Arc::new(tx));
    poller.add_session(src.clone());
    let first = next_of(&mut rx, "s", LONG).await.snapshot;
    assert!(first.rows[1].offline_since.is_some());

    src.set(Behaviour::Unchanged);
    let again = next_of(&mut rx, "s", LONG).await.snapshot;
    assert_eq!(
        again.rows, first.rows,
        "the rows of the last answer, offline_since included"
    );
    assert_eq!(again.totals, first.totals);
    assert!(!again.stale);
    assert!(again.updated_at > first.updated_at, "polled now");
    assert_eq!(again.polls, first.polls + 1);

    // A failure in between: the rows are still those of fetch 1, so the next fetch names them.
    src.set(Behaviour::Fail);
    assert!(next_of(&mut rx, "s", LONG).await.snapshot.stale);
    src.set(Behaviour::Unchanged);
    let back = next_of(&mut rx, "s", LONG).await.snapshot;
    assert!(!back.stale && back.error.is_none());
    assert_eq!(back.rows, first.rows);

    // New rows get their own tag, which the next fetch names.
    src.set(Behaviour::Rows(vec![row("s", "a", true)]));
    let changed = next_of(&mut rx, "s", LONG).await.snapshot;
    assert_eq!(changed.rows.len(), 1);
    next_of(&mut rx, "s", LONG).await;
    let lasts = src.lasts.lock().unwrap().clone();
    let tag = |call: u64| Some(FetchTag([call, 0]));
    assert_eq!(lasts[..6], [None, tag(1), tag(1), tag(1), tag(1), tag(5)]);
    drop(poller);
}

#[tokio::test(start_paused = true)]
async fn a_hanging_session_does_not_delay_another() {
    let slow = FakeSource::new("slow", Behaviour::Hang);
    let fast = FakeSource::new("fast", Behaviour::Rows(vec![row("fast", "a", true)]));
    let (tx, mut rx) = unbounded_channel();
    let mut poller = Poller::new(config(100, 10_000, 60_000), Arc::new(tx));
    poller.add_session(slow.clone());
    poller.add_session(fast.clone());
    let start = tokio::time::Instant::now();
    for _ in 0..20 {
        let u = rx.recv().await.unwrap();
        assert_eq!(
            u.snapshot.session, "fast",
            "the hanging session reported nothing yet"
        );
    }
    // 20 polls at 100 ms while the other session's first fetch is still hanging.
    assert!(
        start.elapsed() < Duration::from_secs(3),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(slow.calls().len(), 1);
    assert!(poller.snapshot("slow").unwrap().updated_at.is_none());
}

#[tokio::test(start_paused = true)]
async fn interval_changes_apply_at_once_and_poll_now_skips_the_wait() {
    let src = FakeSource::new("s", Behaviour::Rows(vec![row("s", "a", true)]));
    let (tx, mut rx) = unbounded_channel();
    let mut poller = Poller::new(config(10_000, 1_000, 60_000), Arc::new(tx));
    poller.add_session(src.clone());
    next_of(&mut rx, "s", LONG).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    // 0.5 s into a 10 s wait: a 1 s interval polls at 1 s, not at 10 s.
    poller.set_interval(Duration::from_millis(1_000));
    let u = next_of(&mut rx, "s", LONG).await;
    assert_eq!(u.snapshot.next_poll_ms, 1_000);
    assert_eq!(gaps_ms(&src.calls()), vec![1_000]);
    assert!(poller.set_session_interval("s", Duration::from_secs(30)));
    assert!(!poller.set_session_interval("nope", Duration::from_secs(30)));
    // The wait already running becomes 30 s; then "Refresh" 200 ms after that poll.
    next_of(&mut rx, "s", LONG).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(poller.poll_now("s"));
    next_of(&mut rx, "s", LONG).await;
    assert_eq!(gaps_ms(&src.calls()), vec![1_000, 30_000, 200]);
}

#[tokio::test(start_paused = true)]
async fn dropping_or_removing_stops_polling() {
    let a = FakeSource::new("a", Behaviour::Rows(vec![]));
    let b = FakeSource::new("b", Behaviour::Rows(vec![]));
    let (tx, mut rx) = unbounded_channel();
    let mut poller = Poller::new(config(100, 50, 400), Arc::new(tx));
    poller.add_session(a.clone());
    poller.add_session(b.clone());
    assert_eq!(poller.sessions(), vec!["a", "b"]);
    next_of(&mut rx, "a", LONG).await;
    assert!(poller.remove_session("a"));
    assert!(!poller.remove_session("a"));
    let a_calls = a.calls().len();
    next_of(&mut rx, "b", LONG).await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(a.calls().len(), a_calls);
    assert!(b.calls().len() > 5);
    poller.stop();
    let b_calls = b.calls().len();
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(b.calls().len(), b_calls);
    // The sink's sender went away with the tasks.
    while rx.try_recv().is_ok() {}
    assert!(rx.recv().await.is_none());
}

#[tokio::test(start_paused = true)]
async fn flips_are_reported_recorded_once_and_give_offline_since() {
    let dir = tempfile::tempdir().unwrap();
    let history = Arc::new(Mutex::new(
        History::open(dir.path().join("h.sqlite")).unwrap(),
    ));
    let ten_min_ago = (Utc::now() - chrono::Duration::minutes(10)).timestamp_millis();
    let hb = chrono::DateTime::from_timestamp_millis(ten_min_ago).unwrap();
    let mut down = row("s", "down", false);
    down.last_heartbeat = Some(hb);
    let up = row("s", "up", true);
    let src = FakeSource::new("s", Behaviour::Rows(vec![down.clone(), up.clone()]));
    let (tx, mut rx) = unbounded_channel();
    let mut poller = Poller::new(config(100, 50, 400), Arc::new(tx)).with_history(history.clone());
    poller.add_session(src.clone());
    let first = next_of(&mut rx, "s", LONG).await;
    assert!(first.changes.is_empty(), "first sight is no flip");
    // First seen offline: since the server's moment, heartbeat + 2 min.
    assert_eq!(
        first.snapshot.rows[0].offline_since,
        Some(hb + HEARTBEAT_WINDOW)
    );
    assert_eq!(first.snapshot.rows[1].offline_since, None);
    assert_eq!(history.lock().unwrap().count().unwrap(), 2);
    for _ in 0..5 {
        let u = next_of(&mut rx, "s", LONG).await;
        assert!(u.changes.is_empty());
        assert_eq!(
            u.snapshot.rows[0].offline_since,
            Some(hb + HEARTBEAT_WINDOW)
        );
    }
    assert_eq!(
        history.lock().unwrap().count().unwrap(),
        2,
        "unchanged polls add nothing"
    );
    // The app has watched both since its first poll (not since the server's moment), in one
    // stretch while the polls keep coming; its stored end moves a minute at a time.
    let first_at = first.snapshot.updated_at.unwrap();
    let last_at = poller.snapshot("s").unwrap().updated_at.unwrap();
    let watched = history
        .lock()
        .unwrap()
        .watched("s", "down", first_at - chrono::Duration::days(1))
        .unwrap();
    let ms = |t: chrono::DateTime<Utc>| t.timestamp_millis();
    assert_eq!(watched.len(), 1, "{watched:?}");
    assert_eq!(ms(watched[0].from), ms(first_at));
    assert!(watched[0].to <= last_at && last_at - watched[0].to < chrono::Duration::minutes(1));

    // "up" goes offline: one change, one record, offline_since within the last poll interval.
    let seen_online_at = poller.snapshot("s").unwrap().updated_at.unwrap();
    let mut went = up.clone();
    went.online = false;
    went.last_heartbeat = Some(Utc::now() - chrono::Duration::minutes(30));
    src.set(Behaviour::Rows(vec![down.clone(), went.clone()]));
    let u = next_of(&mut rx, "s", LONG).await;
    assert_eq!(u.changes.len(), 1);
    assert_eq!(
        (u.changes[0].backend.as_str(), u.changes[0].online),
        ("up", false)
    );
    let since = u.snapshot.rows[1].offline_since.unwrap();
    // (Times are kept to the millisecond, the history's precision.)
    assert!(ms(since) >= ms(seen_online_at) && since <= u.snapshot.updated_at.unwrap());
    assert_eq!(history.lock().unwrap().count().unwrap(), 3);
    let u = next_of(&mut rx, "s", LONG).await;
    assert!(u.changes.is_empty());
    assert_eq!(u.snapshot.rows[1].offline_since, Some(since));

    // A new poller (app restart) takes offline_since from the history and records nothing.
    drop(poller);
    let (tx, mut rx) = unbounded_channel();
    let mut poller = Poller::new(config(100, 50, 400), Arc::new(tx)).with_history(history.clone());
    poller.add_session(src.clone());
    let u = next_of(&mut rx, "s", LONG).await;
    assert_eq!(u.snapshot.rows[1].offline_since, Some(since));
    assert_eq!(history.lock().unwrap().count().unwrap(), 3);
}

#[test]
fn the_app_can_share_the_poller_and_history_across_threads() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<Poller>();
    send_sync::<osmo_admin_health::SharedHistory>();
}
