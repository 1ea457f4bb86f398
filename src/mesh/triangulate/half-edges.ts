/** Half-edge navigation in a delaunator triangulation (half-edge e belongs to triangle ⌊e / 3⌋). */
export const next = (e: number): number => (e % 3 === 2 ? e - 2 : e + 1);
export const prev = (e: number): number => (e % 3 === 0 ? e + 2 : e - 1);
