/** The growing point and subsegment sets of the refinement. */

/** Growable Float64 xy store. */
export class PointStore {
  xy: Float64Array;
  count = 0;
  constructor(capacity: number) {
    this.xy = new Float64Array(2 * Math.max(16, capacity));
  }
  add(x: number, y: number): number {
    if (2 * this.count + 2 > this.xy.length) {
      const bigger = new Float64Array(this.xy.length * 2);
      bigger.set(this.xy);
      this.xy = bigger;
    }
    this.xy[2 * this.count] = x;
    this.xy[2 * this.count + 1] = y;
    return this.count++;
  }
}

/** Growable subsegment store. */
export class SegmentStore {
  a: number[] = [];
  b: number[] = [];
  left: number[] = [];
  right: number[] = [];
  kind: number[] = [];
  add(a: number, b: number, left: number, right: number, kind: number): number {
    this.a.push(a);
    this.b.push(b);
    this.left.push(left);
    this.right.push(right);
    this.kind.push(kind);
    return this.a.length - 1;
  }
  get count(): number {
    return this.a.length;
  }
}

/** Bounding boxes of all subsegments (4 numbers each). */
export function segmentBoxes(segs: SegmentStore, xy: Float64Array): Float64Array {
  const boxes = new Float64Array(4 * segs.count);
  for (let s = 0; s < segs.count; s++) {
    const a = segs.a[s];
    const b = segs.b[s];
    boxes[4 * s] = Math.min(xy[2 * a], xy[2 * b]);
    boxes[4 * s + 1] = Math.min(xy[2 * a + 1], xy[2 * b + 1]);
    boxes[4 * s + 2] = Math.max(xy[2 * a], xy[2 * b]);
    boxes[4 * s + 3] = Math.max(xy[2 * a + 1], xy[2 * b + 1]);
  }
  return boxes;
}
