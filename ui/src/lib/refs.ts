/** "1.2.10" → [1, 2, 10], so refs sort as numbers: 1.2 < 1.10. */
export function refKey(ref: string): number[] {
  return ref.split('.').map((p) => {
    const n = Number.parseInt(p, 10);
    return Number.isNaN(n) ? Number.MAX_SAFE_INTEGER : n;
  });
}
