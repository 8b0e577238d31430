// The IPC contract holds at type-check time: a field renamed in a Rust IPC type (so in the
// regenerated src/ipc/bindings.gen.ts) breaks the UI's type check and the browser tests' type check.
// Two copies of the UI (src, tests, the tsconfigs, package.json; node_modules linked) are checked as
// `npm run typecheck` checks the UI: `tsc --noEmit` for the app project and for tests/tsconfig.json.
// Unmodified, both pass; with one field the app reads and one field only the tests' fixtures set
// renamed in the copy's bindings, both fail naming them. Run: `npm run test:contract`.
import { test, before, after } from 'node:test';
import { execFile } from 'node:child_process';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const uiDir = fileURLToPath(new URL('../..', import.meta.url));
const BINDINGS = path.join('src', 'ipc', 'bindings.gen.ts');

/** A field of a generated type, and what the test renames it to. */
type Rename = { type: string; field: string; to: string };
/** Read by the app (the dashboard's "Last heartbeat" column) and set by the tests' fixtures. */
const APP_FIELD: Rename = { type: 'BackendRowDto', field: 'lastHeartbeat', to: 'lastBeat' };
/** Set only by the tests' fixtures (the dashboard's session totals); the app never reads it. */
const FIXTURE_FIELD: Rename = { type: 'SessionHealthDto', field: 'consecutiveFailures', to: 'consecutiveFails' };

let workDir: string;
/** Both copies' checks, started together (four compilers on the machine's cores). */
let unmodified: ReturnType<typeof typecheck>;
let renamed: ReturnType<typeof typecheck>;
before(() => {
  workDir = mkdtempSync(path.join(tmpdir(), 'ui-contract-'));
  unmodified = typecheck(copyUi('unmodified'));
  const dir = copyUi('renamed');
  renameInBindings(dir, APP_FIELD);
  renameInBindings(dir, FIXTURE_FIELD);
  renamed = typecheck(dir);
  // Each test awaits its own; a failure is reported there, not as an unhandled rejection meanwhile.
  unmodified.catch(() => undefined);
  renamed.catch(() => undefined);
});
after(() => {
  rmSync(workDir, { recursive: true, force: true });
});

/** A copy of the UI as the type checks see it, under `workDir/<name>`. */
function copyUi(name: string): string {
  const dir = path.join(workDir, name);
  cpSync(path.join(uiDir, 'src'), path.join(dir, 'src'), { recursive: true });
  cpSync(path.join(uiDir, 'tests'), path.join(dir, 'tests'), {
    recursive: true,
    filter: (from) => !from.includes(`${path.sep}screenshots`),
  });
  for (const file of ['tsconfig.json', 'package.json', 'vite.config.ts', 'eslint.config.js']) {
    cpSync(path.join(uiDir, file), path.join(dir, file));
  }
  symlinkSync(path.join(uiDir, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return dir;
}

/** Renames `field` in the declaration of `type` in the copy's generated bindings (only there). */
function renameInBindings(dir: string, { type, field, to }: Rename) {
  const file = path.join(dir, BINDINGS);
  const text = readFileSync(file, 'utf8');
  const start = text.indexOf(`export type ${type} = `);
  assert.ok(start >= 0, `${BINDINGS} declares no type ${type}: pick another field for this test`);
  const end = text.indexOf('};', start);
  const declaration = text.slice(start, end);
  const renamed = declaration.replace(new RegExp(`\\b${field}:`, 'g'), `${to}:`);
  assert.equal(renamed.split(`${to}:`).length, 2, `${type} in ${BINDINGS} has no field ${field}: pick another field`);
  writeFileSync(file, text.slice(0, start) + renamed + text.slice(end));
}

/** The type errors of `tsc --noEmit -p <project>` run in the copy `dir` (the copy's own compiler,
 * through the link), one line each, with paths relative to `dir`. */
function typeErrors(dir: string, project: string): Promise<string[]> {
  const tsc = path.join(dir, 'node_modules', 'typescript', 'bin', 'tsc');
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [tsc, '--noEmit', '--pretty', 'false', '-p', project],
      { cwd: dir, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        // tsc exits with 2 when it found errors; anything else (it did not run) fails the test.
        if (error && error.code !== 2) reject(new Error(`tsc -p ${project} in ${dir} failed to run: ${error.message}\n${stderr}`));
        else resolve(stdout.split('\n').filter((line) => line.includes(': error TS')));
      },
    );
  });
}

/** The two checks of `npm run typecheck` (the app project, the browser tests' project), run at once. */
async function typecheck(dir: string) {
  const [app, tests] = await Promise.all([typeErrors(dir, '.'), typeErrors(dir, 'tests')]);
  return { app, tests };
}

const naming = (errors: string[], field: string) => errors.filter((e) => e.includes(`'${field}'`));

test('the unmodified copy of the UI passes both type checks', async () => {
  const { app, tests } = await unmodified;
  assert.deepEqual(app, [], 'the app project');
  assert.deepEqual(tests, [], 'the browser tests project');
});

test('a field renamed in the generated bindings breaks the app’s and the browser tests’ type checks, naming it', async () => {
  const { app, tests } = await renamed;

  assert.ok(naming(app, APP_FIELD.field).length > 0, `the app check names ${APP_FIELD.field}:\n${app.join('\n')}`);
  assert.ok(
    naming(app, APP_FIELD.field).some((e) => e.startsWith('src/features/')),
    `the app's own code reads ${APP_FIELD.field}:\n${app.join('\n')}`,
  );
  assert.deepEqual(naming(app, FIXTURE_FIELD.field), [], `the app never reads ${FIXTURE_FIELD.field}`);

  for (const { field } of [APP_FIELD, FIXTURE_FIELD]) {
    assert.ok(
      naming(tests, field).some((e) => e.startsWith('tests/browser/')),
      `the browser tests' check names ${field} in a fixture:\n${tests.join('\n')}`,
    );
  }
});
