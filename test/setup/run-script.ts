import { execFile } from 'node:child_process';

/**
 * Runs `bash script ...args` without blocking (so the two servers start and stop side by side).
 * Rejects with the script's output in the message when it fails.
 */
export function runScript(script: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    // the scripts detach the servers from these pipes, so the call returns when the script does
    execFile('bash', [script, ...args], { env, encoding: 'utf8', timeout: 120_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${stdout}${stderr || error.message}`));
      else resolve(stdout);
    });
  });
}
