/**
 * Batched verification of linear group equations (Bellare, Garay, Rabin, "Fast batch
 * verification", EUROCRYPT 1998; the "small exponents" test).
 *
 * Every Σ-protocol check here has the form  Σ cᵢ·Pᵢ = 0. Instead of checking each equation with
 * its own scalar multiplications, the verifier multiplies each equation by an independent random
 * 128-bit weight, adds them all up, and checks the one combined equation with a single
 * multi-scalar multiplication. If any equation is false, the sum is zero with probability at most
 * 2⁻¹²⁸. Terms on the same point (G, the vote key, a ciphertext used twice) are merged, which is
 * what makes batches cheap.
 *
 * Variable time: the verifier handles public values only.
 */
import { bytesToNumberLE } from '@noble/curves/utils.js';
import { randomBytes } from './bytes.ts';
import { addS, G, IDENTITY, msm, mulS, type Point, type Scalar } from './group.ts';

/** One equation being built: `add(P, c)` adds c·P; `subtract(P)` adds −P cheaply. */
export interface Equation {
  add(point: Point, coefficient: Scalar): void;
  /** −1·P, kept as a short (128-bit) weight on −P rather than a full-size −weight on P. */
  subtract(point: Point): void;
}

export class Equations {
  private readonly index = new Map<Point, number>();
  private readonly points: Point[] = [];
  private readonly scalars: Scalar[] = [];
  /** Fixed bases (G, a vote key) with precomputed tables: multiplied on their own, fast. */
  private readonly fixed = new Map<Point, Scalar>([[G, 0n]]);

  /** Marks a point that recurs in many equations and has a precomputed table (see precomputeBase). */
  fixedBase(point: Point): this {
    if (!this.fixed.has(point)) this.fixed.set(point, 0n);
    return this;
  }

  /** Starts one equation Σ cᵢ·Pᵢ = 0 with its own random 128-bit weight. */
  equation(): Equation {
    const weight = bytesToNumberLE(randomBytes(16)) | 1n;
    return {
      add: (point, coefficient) => this.put(point, mulS(weight, coefficient)),
      subtract: (point) => this.put(point.negate(), weight),
    };
  }

  private put(point: Point, scalar: Scalar): void {
    const f = this.fixed.get(point);
    if (f !== undefined) {
      this.fixed.set(point, addS(f, scalar));
      return;
    }
    const i = this.index.get(point);
    if (i === undefined) {
      this.index.set(point, this.points.length);
      this.points.push(point);
      this.scalars.push(scalar);
    } else {
      this.scalars[i] = addS(this.scalars[i]!, scalar);
    }
  }

  get size(): number {
    return this.points.length + this.fixed.size;
  }

  /** True when every equation added holds (up to the 2⁻¹²⁸ error of the random weights). */
  holds(): boolean {
    let sum = msm(this.points, this.scalars);
    for (const [base, s] of this.fixed) if (s !== 0n) sum = sum.add(base.multiplyUnsafe(s));
    return sum.equals(IDENTITY);
  }
}

/**
 * Gives a long-lived public point (a vote's joint key) a precomputed window table so that
 * multiplying it is as fast as multiplying G. Costs ~30 ms once; worth it for the server and the
 * verifier, not for a phone verifying one ballot.
 */
export function precomputeBase(point: Point): Point {
  return point.precompute(8, false);
}
