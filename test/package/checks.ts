/**
 * Runs one of the fixture consumers (test/package/fixture/runtime/check.*) with
 * node in `cwd` and returns its named checks. The scripts print one JSON object
 * mapping a check's description to whether it held.
 */
import { execFileSync } from 'node:child_process';

export type Checks = Record<string, boolean>;

export function runChecks(script: string, cwd: string): Checks {
  const out = execFileSync(process.execPath, [script], { cwd, encoding: 'utf8', timeout: 60_000 });
  return JSON.parse(out) as Checks;
}

/** The checks that failed (empty when all held), for an assertion that names them. */
export function failed(checks: Checks): string[] {
  return Object.entries(checks)
    .filter(([, ok]) => ok !== true)
    .map(([name]) => name);
}
