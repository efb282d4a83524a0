/**
 * The action's version, the first line of every run's log (the first thing support asks). A
 * constant, so the bundle carries it: `npm run release` writes it together with package.json's
 * version, and a test keeps the two equal.
 */
export const ACTION_VERSION = '1.0.0';
