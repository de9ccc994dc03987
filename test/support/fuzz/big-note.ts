// A large markdown note for scale measurements: `blocks` sections, each with
// prose, an inline math span and a ```tensor block (declarations, a
// definition, a derivative request and a claim), about `bytesPerBlock`
// characters each — 10,000 blocks of ~500 characters make the 5 MB note of
// issue G. Sections reuse letters, as long notes do, so declarations carry
// across blocks and later ones shadow earlier ones.

const BODIES = [
  (k: number) => `x: R^n; A: R^{n×n}\nf${k} = x' A x\nd/dx f${k} = x' (A + A')`,
  (k: number) => `W: R^{m×n}; b: R^m\nz${k} = W x + b\na${k} = sigmoid(z${k})\nd/dW sum(a${k})`,
  (k: number) => `X: R^{n×n}\nd/dX logdet(X) = inv(X)'\ng${k} = tr(X' X)`,
  (k: number) => `s: R\nv: R^n\nh${k} = s * v' v + sin(s)\nd/ds h${k} = v' v + cos(s)`,
];

export function bigNote(blocks: number, bytesPerBlock = 500): string {
  const parts: string[] = ['# A very long note\n\nDeclarations carry across blocks in reading order.\n\n```tensor\nx: R^n; y: R^m\n```\n'];
  for (let k = 0; k < blocks; k++) {
    const body = BODIES[k % BODIES.length]!(k);
    let section = `\n## Section ${k}\n\nHere $\\mathbf{x} \\in \\mathbb{R}^n$ and the derivative is shown below.\n\n\`\`\`tensor\n${body}\n\`\`\`\n`;
    const pad = bytesPerBlock - section.length;
    if (pad > 0) section += `\n${'Prose that explains the block. '.repeat(Math.ceil(pad / 31)).slice(0, pad - 1)}`;
    parts.push(section);
  }
  return parts.join('');
}
