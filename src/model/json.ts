/** JSON as the action reads it, from a server's reply or a plan file. */

/** The value of a JSON text, or undefined when it is not JSON (never an exception). */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A JSON object: not null, not an array. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
