import type { Screen } from '../../app/screens';

/** What a screen that does not exist yet shows: plainly that, and what it will do. */
export function NotBuiltYet({ screen }: { screen: Screen }) {
  return (
    <div className="not-built" role="note">
      <p>
        <strong>{screen.partlyBuilt ? 'The rest of this screen is not built yet.' : 'This screen is not built yet.'}</strong>
      </p>
      {screen.planned ? (
        <>
          <p>When it is, it will:</p>
          <ul>
            {screen.planned.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}
