// Numbers and tables for the report.

/** Sorted copy of the concatenation of typed arrays. */
export function merged(arrays) {
  const n = arrays.reduce((sum, a) => sum + a.length, 0);
  const out = new Uint32Array(n);
  let at = 0;
  for (const a of arrays) {
    out.set(a, at);
    at += a.length;
  }
  return out.sort();
}

/** Nearest-rank percentile of a sorted array (p in 0..100), or NaN when empty. */
export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1];
}

const group = (s) => s.replace(/\B(?=(\d{3})+(?!\d))/g, ",");

/** A count or rate: 12,345 */
export function int(v) {
  if (v === null || v === undefined || Number.isNaN(v)) return "-";
  return group(String(Math.round(v)));
}

/** A duration or small quantity with sensible precision: 0.42, 3.1, 1,660 */
export function num(v) {
  if (v === null || v === undefined || Number.isNaN(v)) return "-";
  const a = Math.abs(v);
  if (a >= 100) return group(String(Math.round(v)));
  if (a >= 10) return v.toFixed(1);
  return v.toFixed(2);
}

export const mib = (bytes) => (bytes === null || bytes === undefined || Number.isNaN(bytes) ? "-" : num(bytes / 1048576));

/** Renders rows (arrays of strings) under headers; numbers right-aligned, first column(s) left. */
export function table(headers, rows, leftColumns = 1) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i] ?? "").length)));
  const line = (cells) =>
    cells
      .map((c, i) => {
        const s = String(c ?? "");
        return i < leftColumns ? s.padEnd(widths[i]) : s.padStart(widths[i]);
      })
      .join("  ")
      .trimEnd();
  return [line(headers), ...rows.map(line)].join("\n");
}

/** {code: n} as "rate_limited 12, timeout 3", or "0". */
export function codes(counts) {
  const entries = Object.entries(counts ?? {}).filter(([, n]) => n > 0);
  return entries.length === 0 ? "0" : entries.map(([k, n]) => `${k} ${int(n)}`).join(", ");
}

export function sumCodes(list) {
  const out = {};
  for (const counts of list) for (const [k, n] of Object.entries(counts ?? {})) out[k] = (out[k] ?? 0) + n;
  return out;
}
