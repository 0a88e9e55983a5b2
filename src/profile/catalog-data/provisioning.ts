/**
 * Provisioning parameters: profile rules, resync timing and triggers, general purpose
 * parameters and the keys that protect profiles (Voice > Provisioning > Configuration Profile
 * and General Purpose Parameters in the web UI).
 */
import type { CatalogEntry } from '../catalog.js';
import { cite } from './sources.js';

const configurationProfile = cite(
  'admin6800',
  'Voice > Provisioning: Configuration Profile parameters table',
);

export const PROVISIONING_PARAMETERS: readonly CatalogEntry[] = [
  {
    name: 'Provision_Enable',
    type: { kind: 'bool' },
    default: 'Yes',
    source: configurationProfile,
  },
  { name: 'Resync_On_Reset', type: { kind: 'bool' }, default: 'Yes', source: configurationProfile },
  {
    name: 'Resync_Periodic',
    type: { kind: 'schedule' },
    default: '3600',
    source: configurationProfile,
  },
  {
    name: 'Resync_Error_Retry_Delay',
    type: { kind: 'schedule' },
    default: '3600',
    source: configurationProfile,
  },
  {
    name: 'Resync_Fails_On_FNF',
    type: { kind: 'bool' },
    default: 'Yes',
    source: configurationProfile,
  },
  {
    name: 'Profile_Rule',
    type: { kind: 'rule', rule: 'profile' },
    default: '/$PSN.xml',
    source: configurationProfile,
  },
  { name: 'Profile_Rule_B', type: { kind: 'rule', rule: 'profile' }, source: configurationProfile },
  { name: 'Profile_Rule_C', type: { kind: 'rule', rule: 'profile' }, source: configurationProfile },
  { name: 'Profile_Rule_D', type: { kind: 'rule', rule: 'profile' }, source: configurationProfile },
];
