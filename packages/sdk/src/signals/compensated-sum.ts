/**
 * A running sum with Neumaier (improved Kahan) compensation. Sliding windows add and subtract
 * the same values for ever; a plain float sum drifts (and leaves residue like 1e-13 where the
 * true sum is 0), the compensated sum keeps the error at about one ulp of the result
 * independent of the number of updates. Callers also `reset()` it when their window empties,
 * so an empty window sums to exactly 0.
 */
export class CompensatedSum {
  private sum = 0;
  private comp = 0;

  get value(): number {
    return this.sum + this.comp;
  }

  add(x: number): void {
    const t = this.sum + x;
    if (Math.abs(this.sum) >= Math.abs(x)) this.comp += this.sum - t + x;
    else this.comp += x - t + this.sum;
    this.sum = t;
  }

  reset(): void {
    this.sum = 0;
    this.comp = 0;
  }
}
