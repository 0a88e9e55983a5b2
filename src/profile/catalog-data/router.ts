/**
 * The ATA191/192's `<router-configuration>` leaves that the ATA's provisioning guide prints and
 * the tuning ATA export (exported.ts) lacks: port-forwarding rules, QoS, the HTTP proxy, the
 * daylight-saving rule of the router clock. Values are the guide's codes (`0`/`1`, words where
 * the guide gives words); `No`/`Yes` fields also take `0`/`1`, as the guide's own example does.
 */
import type { CatalogEntry } from '../catalog.js';
import { cite } from './sources.js';
import { FREE, PASSWORD, int, oneOf, str } from './types.js';

const chapter = (section: string): string =>
  cite('provAta', `Router Configuration Parameters > ${section}`);
const router = (
  entry: Omit<CatalogEntry, 'section' | 'families' | 'source'>,
  section: string,
): CatalogEntry => ({
  ...entry,
  source: chapter(section),
  families: ['ATA190'],
  section: 'router-configuration',
});
/** The guide lists No|Yes; its example sets the field to 1. */
const NO_YES = oneOf('No', 'Yes', '0', '1');

export const ROUTER_PARAMETERS: readonly CatalogEntry[] = [
  // Rule<index>, index 0–9: <Enabled>:<Name>:<Interface>:<Port>:<Port>:<Protocol>:<Target IP>
  // (also the DMZ's <Rule1> group, whose leaves are Status/Private_IP: a group, not a leaf).
  router(
    { name: 'Rule{n}', index: { min: 0, max: 9, kind: 'other' }, type: FREE },
    'Single_Port_Forwarding and Port_Range_Forwarding Parameters, Rule<index>',
  ),
  router(
    { name: 'QoS_Always_ON', type: oneOf('0', '1'), default: '0' },
    'QoS_Bandwidth_Control Parameters',
  ),
  router(
    { name: 'Upstream_Bandwidth', type: int(0, 4294967295), default: '10000' },
    'QoS_Bandwidth_Control Parameters',
  ),
  router(
    { name: 'Proxy_Mode', type: oneOf('Off', 'Auto', 'Manual'), default: 'Off' },
    'HTTP_Proxy Parameters',
  ),
  router(
    { name: 'Use_Auto_Discovery__WPAD_', type: NO_YES, default: 'Yes' },
    'HTTP_Proxy Parameters',
  ),
  router({ name: 'PAC_URL', type: FREE }, 'HTTP_Proxy Parameters'),
  router(
    { name: 'Proxy_Server_Requires_Authentication', type: NO_YES, default: 'No' },
    'HTTP_Proxy Parameters',
  ),
  router({ name: 'Proxy_Host', type: str(255) }, 'HTTP_Proxy Parameters'),
  router({ name: 'Proxy_Port', type: int(2, 65535), default: '3128' }, 'HTTP_Proxy Parameters'),
  router({ name: 'Proxy_Username', type: FREE }, 'HTTP_Proxy Parameters'),
  router({ name: 'Proxy_Password', type: PASSWORD, secret: true }, 'HTTP_Proxy Parameters'),
  router(
    { name: 'Daylight_Saving_Time_Rule', type: FREE },
    'Time_Setup Parameters (start=month/day/weekday/hh:mm:ss;end=…;save=hours)',
  ),
];
