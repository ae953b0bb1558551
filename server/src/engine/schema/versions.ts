/** Numeric-aware comparison of version-like names (`2_x` < `10_x`, `1.2` < `1.10`). */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(/(\d+)/);
  const pb = b.split(/(\d+)/);
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i] ?? '';
    const y = pb[i] ?? '';
    if (x === y) continue;
    if (/^\d+$/.test(x) && /^\d+$/.test(y)) {
      const d = x.replace(/^0+/, '').length - y.replace(/^0+/, '').length;
      if (d !== 0) return d;
      return x.replace(/^0+/, '') < y.replace(/^0+/, '') ? -1 : 1;
    }
    return x < y ? -1 : 1;
  }
  return pa.length - pb.length;
}
