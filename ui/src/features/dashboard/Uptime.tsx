// A backend's uptime as the app saw it: since when it has watched, the share of that time online,
// and a timeline of online, offline and unknown (not watched) time.
import type { UptimeDto } from '../../ipc/bindings.gen';
import { duration, percent, utcTime, When } from '../../app/time';

const DAY_SECS = 24 * 3600;

function stateWord(online: boolean | null): string {
  return online === null ? 'unknown (not watched)' : online ? 'online' : 'offline';
}

export function UptimeView({ uptime }: { uptime: UptimeDto }) {
  const start = Date.parse(uptime.since);
  const end = Date.parse(uptime.now);
  const span = Math.max(1, end - start);
  const shown = duration(Math.round(span / 1000));
  return (
    <div>
      {uptime.observedSince ? (
        <p>
          Observed for <strong>{duration(uptime.observedSecs)}</strong>{' '}
          <span className="muted">(since <When iso={uptime.observedSince} />)</span>: online{' '}
          <strong>{percent(uptime.lastWeek)}</strong> of that time
          {uptime.observedSecs > DAY_SECS ? (
            <>
              {' '}
              · last 24 h: <strong>{percent(uptime.lastDay)}</strong>
            </>
          ) : null}
        </p>
      ) : (
        <p className="muted">Not observed yet: the app records a backend’s status while it polls its service.</p>
      )}
      {uptime.error ? <p className="warning">{uptime.error}</p> : null}
      <div className="timeline" role="img" aria-label={`Status over the last ${shown}`}>
        {uptime.segments.map((s) => {
          const from = Date.parse(s.from);
          const to = Date.parse(s.to);
          return (
            <span
              key={s.from}
              className={s.online === null ? 'seg unknown' : s.online ? 'seg up' : 'seg down'}
              style={{ width: `${((to - from) / span) * 100}%` }}
              title={`${stateWord(s.online)} from ${utcTime(s.from)} to ${utcTime(s.to)}`}
            />
          );
        })}
      </div>
      <div className="timeline-axis small muted">
        <span>{shown} ago</span>
        <span className="timeline-legend">
          <span className="key up" /> online <span className="key down" /> offline <span className="key unknown" />{' '}
          unknown
        </span>
        <span>now</span>
      </div>
    </div>
  );
}
