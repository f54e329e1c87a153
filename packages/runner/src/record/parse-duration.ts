const UNIT_US: Readonly<Record<string, number>> = {
  ms: 1_000,
  s: 1_000_000,
  m: 60_000_000,
  h: 3_600_000_000,
  d: 86_400_000_000,
};

const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/gy;

/**
 * A duration such as `30s`, `10m`, `1h`, `1h30m`, `1.5h` or `500ms`, in µs; undefined when the
 * text is not one (a bare number is refused: its unit would be a guess).
 */
export function parseDuration(text: string): number | undefined {
  const s = text.trim();
  if (s === '') return undefined;
  PART.lastIndex = 0;
  let total = 0;
  let end = 0;
  for (let m = PART.exec(s); m !== null; m = PART.exec(s)) {
    total += Number(m[1]) * UNIT_US[m[2]!]!;
    end = PART.lastIndex;
  }
  if (end !== s.length || !(total > 0)) return undefined;
  return Math.round(total);
}
