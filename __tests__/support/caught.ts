/** The error `action` throws, which must be a `type`: anything else thrown, or nothing, fails the test. */
export function caught<E extends Error>(
  type: abstract new (...args: never[]) => E,
  action: () => unknown,
): E {
  try {
    action();
  } catch (error) {
    if (error instanceof type) return error;
    throw error;
  }
  throw new Error(`expected ${type.name} to be thrown`);
}
