// One entry of a tensor-valued IR node, as a scalar node: the symbolic partial
// ∂F[i…]/∂X[j…] at a concrete position (used for element tables and the loop
// visualisation).

import { mul, onehot, type Index, type Node, type Space } from './ir';
import { simplify } from './simplify';

/** The entry of `node` at 0-based `position` along `axes`, simplified. */
export function elementOf(node: Node, axes: readonly Index[], position: readonly number[], space: Space): Node {
  const picked = mul([node, ...axes.map((a, k) => onehot(a, position[k]!))], []);
  return simplify(picked, space);
}
