// Stands in for undici, through the "overrides" entry of the project's package.json, in place of
// the undici that @actions/http-client depends on. http-client imports undici for one thing, the
// ProxyAgent that its getAgentDispatcher() builds for fetch-style callers behind a proxy. This
// action never calls that: its requests go through http-client's own request path, whose proxy
// support is the tunnel package. The real undici was 77% of dist/index.js, compiled and evaluated
// at every start. Should anything ever construct it, the run fails at once, saying why.
export const STUB_MESSAGE =
  'undici is stubbed out of this action (stubs/undici, the "overrides" entry of package.json), ' +
  'but @actions/http-client just used its ProxyAgent. Remove the override to bundle the real undici.';

export class ProxyAgent {
  constructor() {
    throw new Error(STUB_MESSAGE);
  }
}
