/**
 * `npm run contract`: checks the action's assumptions about the HINDSITE API against the API named
 * by HINDSITE_API_URL (or the sandbox); `--help` says how. The work is in contract/.
 */
import { runContractCommand } from '../contract/command.js';

process.exitCode = await runContractCommand(process.argv.slice(2), process.env, {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
});
