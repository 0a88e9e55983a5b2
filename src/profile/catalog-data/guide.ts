/**
 * The built-in parameter catalog, assembled from one data module per area. Every entry
 * carries the guide and section it was taken from (see sources.ts).
 */
import type { CatalogEntry } from '../catalog.js';
import { EXPANSION_MODULE_PARAMETERS } from './expansion-module.js';
import { LINE_PARAMETERS } from './line.js';
import { PHONE_PARAMETERS } from './phone.js';
import { PROVISIONING_PARAMETERS } from './provisioning.js';
import { REGIONAL_PARAMETERS } from './regional.js';
import { ROUTER_PARAMETERS } from './router.js';
import { SIP_PARAMETERS } from './sip.js';
import { SYSTEM_PARAMETERS } from './system.js';
import { USER_PARAMETERS } from './user.js';

/** The parameters of Cisco's public MPP guides, area by area (before export evidence). */
export const GUIDE_PARAMETERS: readonly CatalogEntry[] = [
  ...PROVISIONING_PARAMETERS,
  ...SYSTEM_PARAMETERS,
  ...SIP_PARAMETERS,
  ...REGIONAL_PARAMETERS,
  ...LINE_PARAMETERS,
  ...PHONE_PARAMETERS,
  ...USER_PARAMETERS,
  ...EXPANSION_MODULE_PARAMETERS,
  ...ROUTER_PARAMETERS,
];
