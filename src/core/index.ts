// The analysis core as the extension host sees it: one module with every
// function the host computes with (document analysis, hovers, derivative
// summaries, the panel's view model, and through them the engine).
//
// The host loads this module on first use (src/extension/core.ts), not at
// activation: in the Node bundle it is a file of its own (dist/core.js, three
// quarters of the host's code), so activating the extension compiles only the
// thin adapter and the core is compiled by the first analysis, in a task of
// its own. Invariant: no `vscode` import here or below, so both bundles can
// hold it; the host imports only types from here directly.

export { declaredVariable, documentAnalysisOf, documentRequests, hoverAt, regionAt } from '../documents/document-analysis';
export { derivativeInfo } from '../documents/derivative-info';
export { DocumentAnalyzer } from '../documents/incremental';
export { findRegions } from '../documents/regions';
export { describeKind, formatShape, formatSpace, matrixShapeText } from '../engine/shape/shape';
export { buildPanelLoop, buildPanelModel, cleanSizes, listRequests } from '../panel/view-model';
