/**
 * Runs a sandbox from the command line, for the demo, the self-test workflow and reproducing a
 * failure by hand (`--fault`); `--help` prints the options. Prints ONE JSON line (URL and demo
 * credentials) on stdout, then serves until SIGINT/SIGTERM. `--seed` defaults to `demo`: without
 * seeding there is no client, so the API is unusable.
 */
import { readCommandLine } from './cli-args.js';
import { HindsiteSandbox, seedDemo } from './index.js';

async function main(): Promise<void> {
  const args = readCommandLine(
    process.argv.slice(2),
    (text) => process.stdout.write(text),
    (text) => process.stderr.write(text),
  );
  if (typeof args === 'number') {
    process.exitCode = args;
    return;
  }
  const sandbox = await HindsiteSandbox.start({
    port: args.port,
    latencyMs: args.latencyMs,
    pageSize: args.pageSize,
  });
  const seeded = args.seed === 'demo' ? seedDemo(sandbox) : {};
  for (const fault of args.faults) sandbox.inject(fault);
  process.stdout.write(`${JSON.stringify({ url: sandbox.url, ...seeded })}\n`);

  const shutdown = (): void => {
    process.off('SIGINT', shutdown);
    process.off('SIGTERM', shutdown);
    // Closing the server and its sockets leaves nothing on the event loop, so node exits 0.
    void sandbox.close();
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `sandbox failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exitCode = 1;
});
