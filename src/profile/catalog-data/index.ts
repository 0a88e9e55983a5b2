/**
 * The built-in parameter catalog, assembled from one data module per area. Every entry
 * carries the guide and section it was taken from.
 */
import type { CatalogEntry } from '../catalog.js';
import { PROVISIONING_PARAMETERS } from './provisioning.js';

/** Every parameter cisco-prov knows, from Cisco's public MPP guides. */
export const DEFAULT_CATALOG: readonly CatalogEntry[] = [...PROVISIONING_PARAMETERS];
