/**
 * The provisioning server as a library, for whoever builds on it (a fleet page, a test rig):
 * one `RequestRecord` per finished request through `ProvisioningServer#onRequest`.
 * @example
 * import { ProvisioningServer } from './serve/index.js';
 * const server = new ProvisioningServer(config);
 * const lastSeen = new Map<string, RequestRecord>();
 * server.onRequest((r) => { if (r.device) lastSeen.set(r.device.id, r); });
 * await server.listen(8080, '127.0.0.1');
 */
export {
  ProvisioningServer,
  maskTarget,
  type RequestKind,
  type RequestRecord,
  type ServeConfig,
  type ServerEvent,
  type ServerPage,
} from './server.js';
export {
  DEFAULT_ROUTES,
  checkRequestPath,
  compileRoute,
  matchRoute,
  type Route,
} from './routes.js';
export { chooseForm, ProfileService, type ProfileForm, type ServeKeys } from './profiles.js';
export { formatCombined, formatJsonRecord } from './log-format.js';
export { loadSite, SiteLoadError, type Site, type SiteDevice, type SiteSources } from './site.js';
