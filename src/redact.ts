/**
 * Removes secrets from any text before it is logged, set as an output or written to the summary.
 * `core.setSecret` only asks the runner to mask its own log; raw stdout, files and outputs are ours
 * to keep clean, including when a server echoes a secret back in an error body.
 */
export class Redactor {
  private readonly forms = new Set<string>();

  /** Registers a secret; its raw, URL-encoded and JSON-escaped forms are all replaced. */
  add(secret: string | undefined): void {
    if (!secret) return;
    for (const form of [
      secret,
      encodeURIComponent(secret),
      new URLSearchParams({ s: secret }).toString().slice(2),
      JSON.stringify(secret).slice(1, -1),
    ]) {
      if (form.length > 0) this.forms.add(form);
    }
  }

  redact(text: string): string {
    let clean = text;
    // Longest first, so that a secret containing another one is replaced whole.
    for (const form of [...this.forms].sort((a, b) => b.length - a.length)) {
      if (clean.includes(form)) clean = clean.split(form).join('***');
    }
    return clean;
  }
}
