/**
 * Keeps credentials out of logs and error messages. Every string that leaves the adapter
 * (log line, error message) goes through `redact`: the API key, the secret, any listenKey in
 * use and any `signature=` value are replaced by `***`. Keys are long random strings, so a
 * plain substring replace has no false positives worth worrying about.
 */
export class Redactor {
  // ES private: util.inspect and JSON never show what it hides.
  readonly #secrets = new Set<string>();

  constructor(secrets: readonly (string | undefined)[] = []) {
    for (const s of secrets) this.add(s);
  }

  /** Adds a value to hide (a new listenKey, say). Values under 8 chars are ignored: too likely to hit ordinary text. */
  add(secret: string | undefined): void {
    if (secret !== undefined && secret.length >= 8) this.#secrets.add(secret);
  }

  remove(secret: string | undefined): void {
    if (secret !== undefined) this.#secrets.delete(secret);
  }

  redact(text: string): string {
    let out = text
      .replace(/(signature=)[0-9a-fA-F]+/g, '$1***')
      .replace(/("signature"\s*:\s*")[^"]*/g, '$1***');
    for (const s of this.#secrets) out = out.split(s).join('***');
    return out;
  }

  /** An Error with its message (and stack) redacted, same class name. */
  redactError(err: unknown): Error {
    const e = err instanceof Error ? err : new Error(String(err));
    const message = this.redact(e.message);
    if (message !== e.message) {
      try {
        e.message = message;
      } catch {
        return new Error(message);
      }
    }
    if (e.stack) e.stack = this.redact(e.stack);
    return e;
  }
}
