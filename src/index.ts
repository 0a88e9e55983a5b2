/**
 * cisco-prov as a library: pure functions on bytes, strings and plain objects. No I/O, no
 * printing. The CLI is a thin layer over these.
 */
// Crypto core: OpenSSL enc (AES-256-CBC), RFC 8188 aes128gcm, gzip and the profile envelope.
export * from './crypto/index.js';
// The envelope as streams (a profile of any size in constant memory): what the CLI's encrypt and
// decrypt use for stdin and large files.
export {
  sealStream,
  openStream,
  type ByteSource,
  type OpenStreamOptions,
  type StreamOpenInfo,
} from './crypto/stream.js';
// The pure-JS backend, registered on import so `backend: 'noble'` works for library users.
export { nobleBackend } from './crypto/backend-noble.js';
export { normalizeMac, formatMac, type MacFormat } from './device/mac.js';
export { MODELS, findModel } from './device/models.js';
export type { PhoneModel, Series, TemplateFamily } from './device/models.js';
export {
  CATALOG_FAMILIES,
  catalogFamilyOf,
  catalogNames,
  entryOnFamily,
  entryTypeOn,
  lookupParameter,
  mergeCatalog,
} from './profile/catalog.js';
export {
  describeEntry,
  describeType,
  findParameter,
  searchParameters,
  type ParameterInfo,
} from './profile/catalog-search.js';
export { checkValue } from './profile/catalog-values.js';
export { parseCatalogJson } from './profile/catalog-json.js';
export { DEFAULT_CATALOG } from './profile/catalog-data/index.js';
export type {
  Catalog,
  CatalogEntry,
  CatalogFamily,
  IndexKind,
  IndexRange,
  ParameterKind,
  ParameterMatch,
  ParameterType,
} from './profile/catalog.js';
export { parseUserAgent } from './device/user-agent.js';
export type { UserAgentFamily, UserAgentInfo } from './device/user-agent.js';
export {
  AccessLogAggregator,
  outcomeForStatus,
  parseAccessLogLine,
  parseClfTime,
  summarizeAccessLog,
} from './device/access-log.js';
export { JSON_LOG_FIELD_NAMES, JsonLogReader, parseJsonLogTime } from './device/access-log-json.js';
export type { JsonLogField, JsonLogFieldNames, JsonLogRecord } from './device/access-log-json.js';
export type {
  AccessLogEntry,
  AccessLogSummary,
  Outcome,
  PhoneSummary,
  StatusOutcome,
  SummarizeOptions,
  AccessLogFormat,
} from './device/access-log.js';
export {
  validateProfileText,
  validateProfileBytes,
  RULE_IDS,
  RULES,
  isRuleId,
} from './validate/index.js';
export type {
  Diagnostic,
  EmptyValueMode,
  Severity,
  RuleId,
  ValidateOptions,
} from './validate/index.js';
export { parseCondition, parseRule, splitRuleUrl } from './profile/rule.js';
// A rule through the phone's eyes: conditions, assignments, macros, the URL.
export {
  RuleSyntaxFailure,
  compareVersions,
  evaluateComparison,
  expandRule,
} from './profile/rule-expand.js';
export type {
  ComparisonKind,
  EvaluatedAlternative,
  EvaluatedComparison,
  ExpandedAssignment,
  ExpandedRuleOptions,
  MacroValues,
  RuleExpansion,
  RuleScheme,
} from './profile/rule-expand.js';
export { DeviceFactError, deviceMacroValues } from './profile/device-facts.js';
export type { DeviceFacts, DeviceFactsInput } from './profile/device-facts.js';
export type {
  ParsedRule,
  RuleAlternative,
  RuleAssignment,
  RuleComparison,
  RuleKind,
  RuleOperand,
  RuleOperator,
  RuleOption,
  RuleSyntaxError,
  RuleUrl,
  RuleUrlParts,
} from './profile/rule.js';
export { formatJson, formatStylish } from './output/diagnostics-format.js';
export type { FileDiagnostics } from './output/diagnostics-format.js';
// Render: Cisco macros, inventories, variable layers and file names.
export {
  KNOWN_MACROS,
  expandMacros,
  isKnownMacro,
  selectSubstring,
  tokenizeMacros,
} from './profile/macros.js';
export type { ExpandOptions, MacroDefinition, MacroToken } from './profile/macros.js';
export {
  InventoryError,
  formatInventoryProblem,
  inventoryFormatOf,
  parseInventory,
} from './render/inventory.js';
export type {
  Inventory,
  InventoryDevice,
  InventoryFormat,
  InventoryProblem,
  Vars,
} from './render/inventory.js';
export {
  SECRET_MASK,
  VariableMerger,
  builtinVariables,
  checkGroups,
  collectGroups,
  deviceLayers,
  explainLayers,
  isSecretName,
  mergeLayers,
  mergeValues,
  parseVarsFile,
} from './render/variables.js';
export type { ExplainedVariable, Layer, LayerSources, VarsFile } from './render/variables.js';
export { defaultNamePattern, fileNameFor } from './render/naming.js';
export type { NameSubject } from './render/naming.js';
export {
  isSecretParameter,
  isSecretVariablePath,
  maskSecretQuery,
  maskSecretValues,
  type SecretFlag,
} from './profile/secrets.js';
// A profile as a parameter map (diff, convert, drift): XML, JSON and YAML.
export {
  ProfileFormatError,
  buildProfileXml,
  compareProfiles,
  parseProfileXml,
  phoneValue,
  profileFromObject,
  profileToObject,
} from './profile/profile-map.js';
export type {
  ChangeKind,
  CompareOptions,
  ParameterChange,
  ParsedProfile,
  ProfileEntry,
  ProfileMap,
} from './profile/profile-map.js';
export {
  notationOfFileName,
  readProfileText,
  sniffNotation,
  writeProfileText,
  type ProfileNotation,
} from './profile/profile-formats.js';
// The render batch: checked profiles from templates and an inventory. Without `out`, one
// device's profile comes back as bytes; with `out`, pass `writeFile` (how a file is written).
export { bundledTemplatesDir, explainRender, findDevice, render } from './render/batch.js';
export type {
  ExplainResult,
  RenderDeviceReport,
  RenderEncryption,
  RenderOptions,
  RenderReport,
  RenderResult,
  RunInWorkers,
} from './render/batch.js';
export type { WriteFile } from './render/device-renderer.js';
// The core's typed errors: a kind (usage, bad-input, io), a stable code, the file/row/field.
export {
  DomainError,
  isDomainError,
  type DomainErrorDetails,
  type DomainErrorKind,
} from './domain-errors.js';
// Drift (a phone's report against its profile) and the fleet (access-log lines → the page).
export { compareWithReport, isStatusParameter, sameSetting } from './profile/drift.js';
export type { DriftChange, DriftComparison, DriftOptions, ReadOnlyFlag } from './profile/drift.js';
export { DEFAULT_FLEET_SETTINGS, FleetTracker, maskQuery } from './device/fleet.js';
export type {
  FleetData,
  FleetDrift,
  FleetPhone,
  FleetRequest,
  FleetSettings,
  ResyncDue,
} from './device/fleet.js';
export { renderFleetPage, type FleetPage } from './output/fleet-page.js';
