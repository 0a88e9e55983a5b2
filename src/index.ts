/**
 * cisco-prov as a library: pure functions on bytes, strings and plain objects. No I/O, no
 * printing. The CLI is a thin layer over these.
 */
export { MODELS, findModel } from './device/models.js';
export type { PhoneModel, Series, TemplateFamily } from './device/models.js';
