/** HINDSITE API sandbox: public entry point for tests, the demo and the benchmark. */
export { HindsiteSandbox } from './server.js';
export { FaultSpecError, parseFaultSpec } from './fault-spec.js';
export {
  DEMO_FAILING_EVENT,
  DEMO_ORGANISATION,
  DEMO_OTHER_ORGANISATION,
  DEMO_SETTLE_MS,
  seedDemo,
  type DemoSeed,
} from './seed.js';
export {
  DELIVERY_STATES,
  type DeliveryJson,
  type DeliveryResponse,
  type DeliveryState,
  type Fault,
  type RecordedRequest,
  type Route,
  type SandboxClient,
  type SandboxClock,
  type SandboxDelivery,
  type SandboxOptions,
  type SettleOutcome,
  type SettlePolicy,
} from './types.js';
