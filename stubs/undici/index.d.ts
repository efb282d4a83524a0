/** What @actions/http-client imports from undici; constructing it throws (see index.js). */
export declare const STUB_MESSAGE: string;
export declare class ProxyAgent {
  constructor(options?: unknown);
}
