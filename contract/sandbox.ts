/**
 * The API sandbox the contract suite checks when no HINDSITE credentials are given (and in CI):
 * the demo seed (an admin and a non-admin client of one organisation, a dozen deliveries of two
 * webhooks in every state, a second organisation) with pages of 5 rows, so that page 2, the
 * filters and the page past the end all have something to show.
 */
import { HindsiteSandbox, seedDemo, type DemoSeed, type SandboxOptions } from '../sandbox/index.js';

/** Rows a list page of the contract sandbox holds. */
export const CONTRACT_PAGE_SIZE = 5;

export interface ContractSandbox {
  sandbox: HindsiteSandbox;
  seed: DemoSeed;
  /** The environment that points `npm run contract` at it, member client included. */
  env: Record<string, string>;
}

export async function startContractSandbox(options: SandboxOptions = {}): Promise<ContractSandbox> {
  const sandbox = await HindsiteSandbox.start({ pageSize: CONTRACT_PAGE_SIZE, ...options });
  const seed = seedDemo(sandbox);
  return {
    sandbox,
    seed,
    env: {
      HINDSITE_API_URL: sandbox.url,
      HINDSITE_CLIENT_ID: seed.clientId,
      HINDSITE_CLIENT_SECRET: seed.clientSecret,
      HINDSITE_MEMBER_CLIENT_ID: seed.nonAdminClientId,
      HINDSITE_MEMBER_CLIENT_SECRET: seed.nonAdminClientSecret,
    },
  };
}
