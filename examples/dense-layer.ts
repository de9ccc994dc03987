// A dense layer with a squared-error loss, its shapes and gradients stated for
// Tensor Derivatives in `@tensor` comments. Hover the names and requests below,
// or put the cursor on a request and run "Tensor Derivatives: Show Derivative".

// @tensor W: R^{m×n}, b: R^m, x: R^n, y: R^m
// @tensor z = W x + b; a = sigmoid(z); L = sum((a - y).^2)

/**
 * Forward pass.
 * @tensor
 *   dL/dW
 *   dL/db
 *   dL/dx
 * @param w weights, m×n
 */
export function forward(w: number[][], b: number[], x: number[]): number[] {
  return w.map((row, i) => sigmoid(row.reduce((sum, wij, j) => sum + wij * x[j]!, b[i]!)));
}

function sigmoid(t: number): number {
  return 1 / (1 + Math.exp(-t));
}

// The Hessian of a quadratic form, for comparison with a numeric optimiser:
// @tensor A: R^{n×n} symmetric; q = x' A x / 2; hess(q, x)
