// Writes the 5 MB note of issue G (10,000 ```tensor blocks, the generator the
// unit tests use) for the host-blocking benchmark (bench/host.cjs).
//   node huge.cjs --note-out=path.md [--blocks=10000]

import { writeFileSync } from 'node:fs';
import { bigNote } from '../../test/support/fuzz/big-note';
import { option } from './stats';

const out = option('note-out');
if (!out) throw new Error('--note-out=path is required');
writeFileSync(out, bigNote(Number(option('blocks') ?? 10_000)));
