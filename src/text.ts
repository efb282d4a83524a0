/** "1 delivery", "5 deliveries": counts read as words, in logs and messages alike. */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? one : many}`;
}
