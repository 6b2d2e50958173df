/**
 * Skeleton → graph: branch points (clusters of centreline pixels with three or more neighbours) and
 * vessel segments (the centreline pixel chains between two branch points, a branch point and a free
 * end, two free ends, or closed loops). Spurs — terminal segments shorter than the vessel is wide where
 * they leave it, which thinning makes out of bumps in a vessel's edge — are removed before the graph
 * is built.
 */
import { distanceTransform } from '../engine/geometry/calibre';
import { neighbourCount, skeletonize } from './skeleton';
import type { Mask, Point } from './types';

export interface BranchPoint extends Point {
  /** Segments meeting here. */
  degree: number;
}

export interface Segment {
  /** Pixel indices (y * width + x) along the centreline, end to end. */
  pixels: number[];
  /** Branch point index at each end, or -1 for a free end. */
  from: number;
  to: number;
  closed: boolean;
}

export interface VesselGraph {
  width: number;
  height: number;
  skeleton: Mask;
  /** Distance from each vessel pixel to the nearest background pixel (centre to centre). */
  distance: Float32Array;
  branchPoints: BranchPoint[];
  segments: Segment[];
}

const OFFSETS = (w: number) => [-w - 1, -w, -w + 1, -1, 1, w - 1, w, w + 1];

interface Traced {
  nodeOf: Int32Array;
  nodes: number[][];
  segments: Segment[];
}

/** Walks every chain of the skeleton (`n` pixels, `w` wide) once. */
function trace(d: Uint8Array, w: number, n: number): Traced {
  const off = OFFSETS(w);
  const nodeOf = new Int32Array(n).fill(-1);
  const nodes: number[][] = [];
  const pixels: number[] = [];
  for (let i = 0; i < n; i++) if (d[i]) pixels.push(i);
  // Branch-point pixels, grouped into 8-connected clusters.
  for (const i of pixels) {
    if (nodeOf[i] >= 0 || neighbourCount(d, i, w) < 3) continue;
    const id = nodes.length;
    const cluster = [i];
    nodeOf[i] = id;
    for (let k = 0; k < cluster.length; k++) {
      for (const o of off) {
        const q = cluster[k] + o;
        if (d[q] && nodeOf[q] < 0 && neighbourCount(d, q, w) >= 3) {
          nodeOf[q] = id;
          cluster.push(q);
        }
      }
    }
    nodes.push(cluster);
  }
  const visited = new Uint8Array(n);
  const segments: Segment[] = [];
  const adjacent = (a: number, b: number) => Math.abs((a % w) - (b % w)) <= 1 && Math.abs(Math.floor(a / w) - Math.floor(b / w)) <= 1;
  /** Follows the chain from `start` (a branch-point or end pixel) through `first` to a branch point or an end. */
  const walk = (start: number, first: number): Segment => {
    const path = [start, first];
    visited[first] = 1;
    let prev = start;
    let cur = first;
    while (nodeOf[cur] < 0) {
      let next = -1;
      for (const o of off) {
        const q = cur + o;
        if (!d[q] || q === prev) continue;
        if (nodeOf[q] >= 0) {
          // A branch point ends the chain, whatever other neighbour there is.
          next = q;
          break;
        }
        if (!visited[q]) next = q;
      }
      if (next < 0) break;
      visited[next] = 1;
      path.push(next);
      prev = cur;
      cur = next;
    }
    const last = path[path.length - 1];
    // Back where it started: a loop (closed without a branch point, or through the same one).
    const loop = nodeOf[start] < 0 && path.length > 3 && nodeOf[last] < 0 && adjacent(last, start);
    if (loop) path.push(start);
    const from = nodeOf[start];
    const to = nodeOf[path[path.length - 1]];
    return { pixels: path, from, to, closed: loop || (from >= 0 && from === to) };
  };
  for (let id = 0; id < nodes.length; id++) {
    for (const p of nodes[id]) {
      for (const o of off) {
        const q = p + o;
        if (d[q] && nodeOf[q] < 0 && !visited[q]) {
          const s = walk(p, q);
          // A pixel hugging its own branch point (in and out of the same cluster) is not a vessel.
          if (!(s.from === s.to && s.pixels.length <= 3)) segments.push(s);
        }
      }
    }
  }
  // Chains with two free ends.
  for (const i of pixels) {
    if (visited[i] || nodeOf[i] >= 0 || neighbourCount(d, i, w) !== 1) continue;
    visited[i] = 1;
    const first = off.map((o) => i + o).find((q) => d[q])!;
    if (!visited[first]) segments.push(walk(i, first));
  }
  // Closed loops without a branch point.
  for (const i of pixels) {
    if (visited[i] || nodeOf[i] >= 0 || neighbourCount(d, i, w) === 0) continue;
    visited[i] = 1;
    const first = off.map((o) => i + o).find((q) => d[q] && !visited[q]);
    if (first !== undefined) segments.push(walk(i, first));
  }
  return { nodeOf, nodes, segments };
}

function arcLength(pixels: number[], w: number): number {
  let len = 0;
  for (let k = 1; k < pixels.length; k++) {
    const a = pixels[k - 1];
    const b = pixels[k];
    const diagonal = a % w !== b % w && Math.floor(a / w) !== Math.floor(b / w);
    len += diagonal ? Math.SQRT2 : 1;
  }
  return len;
}

/** Builds the vessel graph of a binary vessel map. */
export function vesselGraph(vessels: Mask): VesselGraph {
  const { width: w, height: h } = vessels;
  // Distance from each vessel pixel's centre to the nearest background pixel's centre.
  const distance = distanceTransform(vessels.data, w, h).map(Math.sqrt);
  let skeleton = skeletonize(vessels);
  let traced = trace(skeleton.data, w, w * h);
  // Two rounds: removing a spur can turn its branch point into a plain centreline pixel, which
  // shortens a neighbouring terminal segment into a spur.
  for (let round = 0; round < 2; round++) {
    const drop: number[] = [];
    for (const s of traced.segments) {
      const free = s.from < 0 !== s.to < 0;
      if (!free || s.closed) continue;
      const node = s.from >= 0 ? s.pixels[0] : s.pixels[s.pixels.length - 1];
      const vesselWidth = 2 * distance[node];
      if (arcLength(s.pixels, w) < vesselWidth) drop.push(...s.pixels.filter((p) => traced.nodeOf[p] < 0));
    }
    if (drop.length === 0) break;
    const d = skeleton.data.slice();
    for (const p of drop) d[p] = 0;
    skeleton = skeletonize({ width: w, height: h, data: d });
    traced = trace(skeleton.data, w, w * h);
  }
  const degree = new Int32Array(traced.nodes.length);
  for (const s of traced.segments) {
    if (s.from >= 0) degree[s.from]++;
    if (s.to >= 0) degree[s.to]++;
  }
  const branchPoints = traced.nodes.map((cluster, id) => {
    let sx = 0;
    let sy = 0;
    for (const p of cluster) {
      sx += (p % w) + 0.5;
      sy += Math.floor(p / w) + 0.5;
    }
    return { x: sx / cluster.length, y: sy / cluster.length, degree: degree[id] };
  });
  return { width: w, height: h, skeleton, distance, branchPoints, segments: traced.segments };
}
