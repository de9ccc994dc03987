// The numeric foundation of the derivative engine: float64 tensors, an
// evaluator for typed terms, seeded random points and finite differences.
// This module only re-exports; see each file for its invariants.

export * from './tensor';
export * from './result';
export { evaluate, functionOf, resolveSizes, type EvalEnv } from './evaluate';
export { createRng, newSeed, randomPoint, DEFAULT_SIZE_SEQUENCE, type PointInputs, type RandomPoint, type Rng } from './random';
export { compareTensors, finiteDifferenceJacobian, permuteAxes, DEFAULT_STEP, type Comparison } from './finite-difference';
export { definitionMap, variableUses, sizeSymbols, type DefinitionLike, type DefinitionLookup, type DefinitionSource, type VariableUse } from './terms';
