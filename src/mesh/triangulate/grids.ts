/** Spatial look-ups of the refinement: a hash over points inserted in a round, a static grid over subsegments. */

/** Uniform grid hash over int keys (cell size `cell`). */
export class GridHash {
  private readonly map = new Map<number, number[]>();
  constructor(readonly cell: number) {}
  private key(ix: number, iy: number): number {
    return (ix + 1_048_576) * 2_097_152 + (iy + 1_048_576);
  }
  insert(x: number, y: number, id: number): void {
    const k = this.key(Math.floor(x / this.cell), Math.floor(y / this.cell));
    const bucket = this.map.get(k);
    if (bucket) bucket.push(id);
    else this.map.set(k, [id]);
  }
  /** Calls visit(id) for ids in cells overlapping the square of half-width `radius` around (x, y). */
  query(x: number, y: number, radius: number, visit: (id: number) => boolean | void): boolean {
    const ix0 = Math.floor((x - radius) / this.cell);
    const ix1 = Math.floor((x + radius) / this.cell);
    const iy0 = Math.floor((y - radius) / this.cell);
    const iy1 = Math.floor((y + radius) / this.cell);
    for (let ix = ix0; ix <= ix1; ix++) {
      for (let iy = iy0; iy <= iy1; iy++) {
        const bucket = this.map.get(this.key(ix, iy));
        if (!bucket) continue;
        for (const id of bucket) if (visit(id) === true) return true;
      }
    }
    return false;
  }
}

/**
 * Uniform grid over a fixed set of boxes (compressed rows: cell start offsets + item ids), built in two counting
 * passes; queries touch only typed arrays. Used for the subsegment look-ups, which are static within a phase.
 */
export class StaticGrid {
  private readonly start: Int32Array;
  private readonly items: Int32Array;
  private constructor(
    private readonly x0: number,
    private readonly y0: number,
    private readonly cell: number,
    private readonly nx: number,
    private readonly ny: number,
    boxes: Float64Array,
    count: number,
  ) {
    const cellCount = nx * ny;
    const counts = new Int32Array(cellCount + 1);
    const range = (i: number, visit: (c: number) => void) => {
      const ix0 = this.clampX(Math.floor((boxes[4 * i] - x0) / cell));
      const ix1 = this.clampX(Math.floor((boxes[4 * i + 2] - x0) / cell));
      const iy0 = this.clampY(Math.floor((boxes[4 * i + 1] - y0) / cell));
      const iy1 = this.clampY(Math.floor((boxes[4 * i + 3] - y0) / cell));
      for (let iy = iy0; iy <= iy1; iy++) for (let ix = ix0; ix <= ix1; ix++) visit(iy * nx + ix);
    };
    for (let i = 0; i < count; i++) range(i, (c) => counts[c + 1]++);
    for (let c = 0; c < cellCount; c++) counts[c + 1] += counts[c];
    this.start = counts;
    this.items = new Int32Array(counts[cellCount]);
    const fill = counts.slice(0, cellCount);
    for (let i = 0; i < count; i++) range(i, (c) => (this.items[fill[c]++] = i));
  }
  private clampX(i: number): number {
    return i < 0 ? 0 : i >= this.nx ? this.nx - 1 : i;
  }
  private clampY(i: number): number {
    return i < 0 ? 0 : i >= this.ny ? this.ny - 1 : i;
  }
  /** Grid of `count` boxes [xmin, ymin, xmax, ymax] over the square [−extent, extent]². */
  static build(boxes: Float64Array, count: number, extent: number, cell: number): StaticGrid {
    const n = Math.max(1, Math.min(4096, Math.ceil((2 * extent) / cell)));
    const size = (2 * extent) / n;
    return new StaticGrid(-extent, -extent, size, n, n, boxes, count);
  }
  /** Calls visit(id) for boxes in cells overlapping the square of half-width `radius` around (x, y); stops on true. */
  query(x: number, y: number, radius: number, visit: (id: number) => boolean | void): boolean {
    const ix0 = this.clampX(Math.floor((x - radius - this.x0) / this.cell));
    const ix1 = this.clampX(Math.floor((x + radius - this.x0) / this.cell));
    const iy0 = this.clampY(Math.floor((y - radius - this.y0) / this.cell));
    const iy1 = this.clampY(Math.floor((y + radius - this.y0) / this.cell));
    for (let iy = iy0; iy <= iy1; iy++) {
      for (let ix = ix0; ix <= ix1; ix++) {
        const c = iy * this.nx + ix;
        for (let k = this.start[c]; k < this.start[c + 1]; k++) if (visit(this.items[k]) === true) return true;
      }
    }
    return false;
  }
}
