import { run } from './main.js';

await run();

// The work is done and every output is written. Whatever still holds the event loop now (a proxy's
// socket, a server that keeps a connection open, a stray timer) must not hold the job: after a
// grace period, flush stdout and exit with the code run() set. Unref'd, so it never delays an exit.
setTimeout(() => process.stdout.write('', () => process.exit()), 1000).unref();
