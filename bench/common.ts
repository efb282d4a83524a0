/** What every figure of `npm run bench` shares: the sandbox's client, and the row it reports. */
export const CLIENT = { clientId: 'bench-client', clientSecret: 'bench-secret-0d9f' };
export const ORG = 'org_bench';

/** One figure, measured side by side with its baseline in the same run. */
export interface Row {
  figure: string;
  measured: string;
  baseline: string;
  result: string;
  target: string;
  met: boolean;
}
