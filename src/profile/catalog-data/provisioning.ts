/**
 * Provisioning: configuration profile (resync), firmware upgrade, report upload, CA and HTTP
 * settings, problem report tool, general purpose parameters, RFC 8188 key material and TR-069
 * (web UI: Voice > Provisioning and Voice > TR-069).
 */
import type { CatalogEntry } from '../catalog.js';
import { cite, webPage, xmlRef } from './sources.js';
import { BOOL, FREE, HOST, PASSWORD, SCHEDULE, URL, int, oneOf, str } from './types.js';

const profile = webPage('Voice > Provisioning > Configuration Profile');
const profileConf = cite(
  'adminConference',
  'Provisioning Methods: Profile Resync Parameters table',
);
const upgrade = webPage('Voice > Provisioning > Firmware Upgrade');
const upload = cite(
  'admin8800',
  'Third-Party Call Control Setup: Parameters for Reporting the Phone Configuration to the Server',
);
const prt = cite(
  'adminConference',
  'Phone Features and Setup: Parameters for Configure Problem Report Tool',
);
const gpp = webPage('Voice > Provisioning > General Purpose Parameters');
const specialGpp = cite(
  'adminConference',
  'Phone Features and Setup: Macro Variables (SA through SD: special purpose parameters GPP_SA..GPP_SD, keys or passwords)',
);
const tr069 = webPage('TR-069');
const schedules = cite('prov6800', 'Provisioning Parameters: Configurable Schedules');

const rule = { kind: 'rule', rule: 'profile' } as const;

export const PROVISIONING_PARAMETERS: readonly CatalogEntry[] = [
  // Configuration Profile
  { name: 'Provision_Enable', type: BOOL, default: 'Yes', source: profileConf },
  { name: 'Resync_On_Reset', type: BOOL, default: 'Yes', source: profileConf },
  {
    name: 'Resync_Random_Delay',
    type: int(0, 65535),
    default: '2',
    source: `${profileConf} (units of 20 s)`,
  },
  {
    name: 'Resync_At__HHmm_',
    type: {
      kind: 'pattern',
      regex: '([01][0-9]|2[0-3])[0-5][0-9]|2400',
      expected: 'a time HHmm from 0000 to 2400',
    },
    source: profileConf,
  },
  { name: 'Resync_At_Random_Delay', type: int(0, 65535), default: '600', source: profile },
  {
    name: 'Resync_Periodic',
    type: SCHEDULE,
    default: '3600',
    source: `${profileConf}; ${schedules}`,
  },
  {
    name: 'Resync_Error_Retry_Delay',
    type: SCHEDULE,
    default: '60,120,240,480,960,1920,3840,7680,15360,30720,61440,86400',
    source: `${profileConf} (older firmware: 3600, ${profile}); ${schedules}`,
  },
  { name: 'Forced_Resync_Delay', type: int(0, 65535), default: '14400', source: profileConf },
  { name: 'Resync_From_SIP', type: BOOL, default: 'Yes', source: profileConf },
  { name: 'Resync_After_Upgrade_Attempt', type: BOOL, default: 'Yes', source: profileConf },
  {
    name: 'Resync_Trigger_1',
    type: FREE,
    source: `${profileConf} (conditional expression, macro-expanded)`,
  },
  {
    name: 'Resync_Trigger_2',
    type: FREE,
    source: `${profileConf} (conditional expression, macro-expanded)`,
  },
  { name: 'User_Configurable_Resync', type: BOOL, default: 'Yes', source: profileConf },
  { name: 'Resync_Fails_On_FNF', type: BOOL, default: 'Yes', source: profileConf },
  {
    // The ATA's guide lists it among its Configuration Profile Parameters (SAN check on HTTPS).
    name: 'HTTPS_Name_Validate',
    type: BOOL,
    default: 'Yes',
    families: ['ATA190'],
    source: cite('provAta', 'Provisioning Parameters > Configuration Profile Parameters'),
  },
  {
    name: 'Profile_Authentication_Type',
    type: oneOf('Disabled', 'Basic Http Authentication', 'XSI Authentication'),
    default: 'Basic Http Authentication',
    source: profileConf,
  },
  { name: 'Profile_Rule', type: rule, default: '/$PSN.xml', source: profileConf },
  { name: 'Profile_Rule_B', type: rule, source: profileConf },
  { name: 'Profile_Rule_C', type: rule, source: profileConf },
  { name: 'Profile_Rule_D', type: rule, source: profileConf },
  {
    name: 'DHCP_Option_To_Use',
    type: FREE,
    default: '66,160,159,150,60,43,125',
    source: profileConf,
  },
  { name: 'DHCPv6_Option_To_Use', type: FREE, default: '17,160,159', source: profileConf },
  {
    name: 'Log_Request_Msg',
    type: FREE,
    default: '$PN $MAC -- Requesting resync $SCHEME://$SERVIP:$PORT$PATH',
    source: cite('adminConference', 'Provisioning Methods: System Log Parameters'),
  },
  {
    name: 'Log_Success_Msg',
    type: FREE,
    default: '$PN $MAC -- Successful resync $SCHEME://$SERVIP:$PORT$PATH',
    source: cite('adminConference', 'Provisioning Methods: System Log Parameters'),
  },
  {
    name: 'Log_Failure_Msg',
    type: FREE,
    default: '$PN $MAC -- Resync failed: $ERR',
    source: cite('adminConference', 'Provisioning Methods: System Log Parameters'),
  },

  // Upload Configuration Options (reports)
  { name: 'Report_Rule', type: { kind: 'rule', rule: 'report' }, source: upload },
  { name: 'HTTP_Report_Method', type: oneOf('POST', 'PUT'), default: 'POST', source: upload },
  {
    name: 'Report_to_Server',
    type: oneOf('On Request', 'On Local Change', 'Periodically'),
    default: 'On Request',
    source: `${upload} (the guide's example writes the tag in lower case; the name here follows the label "Report to Server")`,
  },
  {
    name: 'Periodic_Upload_to_Server',
    type: int(600, 2592000),
    default: '3600',
    source: `${upload} (600–259200); ${webPage('Voice > Provisioning > Upload Configuration Options')} (maximum 2592000, 30 days)`,
  },
  { name: 'Upload_Delay_On_Local_Change', type: int(10, 900), default: '60', source: upload },

  // Firmware Upgrade
  { name: 'Upgrade_Enable', type: BOOL, default: 'Yes', source: upgrade },
  {
    name: 'Upgrade_Error_Retry_Delay',
    type: SCHEDULE,
    default: '3600',
    source: `${cite('prov6800', 'Profile Updates and Firmware Upgrades: Allow and Configure Firmware Upgrades')}; ${schedules}`,
  },
  { name: 'Upgrade_Rule', type: { kind: 'rule', rule: 'upgrade' }, source: upgrade },
  {
    name: 'Log_Upgrade_Request_Msg',
    type: FREE,
    default: '$PN $MAC -- Requesting upgrade $SCHEME://$SERVIP:$PORT$PATH',
    source: upgrade,
  },
  {
    name: 'Log_Upgrade_Success_Msg',
    type: FREE,
    default: '$PN $MAC -- Successful upgrade $SCHEME://$SERVIP:$PORT$PATH -- $ERR',
    source: upgrade,
  },
  {
    name: 'Log_Upgrade_Failure_Msg',
    type: FREE,
    default: '$PN $MAC -- Upgrade failed: $ERR',
    source: upgrade,
  },
  { name: 'Peer_Firmware_Sharing', type: BOOL, default: 'Yes', source: upgrade },
  { name: 'Peer_Firmware_Sharing_Log_Server', type: HOST, source: upgrade },
  {
    name: 'Trans_Auth_Rule',
    type: URL,
    source: xmlRef('Trans_Auth_Rule'),
    families: ['7800', '8800'],
  },
  {
    name: 'Trans_Auth_Type',
    type: oneOf('Classic', 'WxC'),
    default: 'Classic',
    source: xmlRef('Trans_Auth_Type'),
    families: ['7800', '8800'],
  },
  {
    name: 'Transition_Authorization_Error_Retry_Delay',
    type: SCHEDULE,
    default: '1800',
    source: xmlRef('Transition_Authorization_Error_Retry_Delay'),
    families: ['7800', '8800'],
  },

  // CA, HTTP, MIC
  { name: 'Custom_CA_Rule', type: URL, source: webPage('Voice > Provisioning > CA Settings') },
  {
    name: 'HTTP_User_Agent_Name',
    type: FREE,
    source: webPage('Voice > Provisioning > HTTP Settings'),
  },
  {
    name: 'MIC_Cert_Refresh_Enable',
    type: BOOL,
    default: 'No',
    source: xmlRef('MIC_Cert_Refresh_Enable'),
  },
  {
    name: 'MIC_Cert_Refresh_Rule',
    type: str(1024),
    default: 'http://sudirenewal.cisco.com/',
    source: cite(
      'adminConference',
      'Provisioning Methods: Parameters for MIC Certificate Renewal by SUDI Service',
    ),
  },

  // Problem Report Tool
  { name: 'PRT_Upload_Rule', type: URL, source: prt },
  { name: 'PRT_Upload_Method', type: oneOf('POST', 'PUT'), default: 'POST', source: prt },
  { name: 'PRT_Max_Timer', type: int(15, 1440), source: `${prt} (minutes)` },
  { name: 'PRT_Name', type: FREE, source: prt },
  { name: 'PRT_HTTP_Header', type: str(127), source: xmlRef('PRT_HTTP_Header') },
  { name: 'PRT_HTTP_Header_Value', type: str(127), source: xmlRef('PRT_HTTP_Header_Value') },
  { name: 'PRT_Upload_at_Crash', type: BOOL, default: 'No', source: xmlRef('PRT_Upload_at_Crash') },

  // General purpose parameters
  ...'ABCDEFGHIJKLMNOP'
    .split('')
    .map((letter): CatalogEntry => ({ name: `GPP_${letter}`, type: FREE, source: gpp })),
  ...['SA', 'SB', 'SC', 'SD'].map((letters): CatalogEntry => ({
    name: `GPP_${letters}`,
    type: PASSWORD,
    secret: true,
    source: specialGpp,
  })),
  {
    name: 'IKM_HTTP_Encrypt_Content',
    type: PASSWORD,
    secret: true,
    source: cite(
      'notes6800_1123',
      'New and Changed Features: RFC 8188-based HTTP content encryption (IKM held in IKM_HTTP_Encrypt_Content, never shown on the web page or in reports)',
    ),
  },

  // TR-069
  {
    name: 'Enable_TR-069',
    type: BOOL,
    default: 'No',
    source: cite(
      'adminConference',
      'Phone Features and Setup: Parameters for TR-069 Configuration',
    ),
  },
  { name: 'ACS_URL', type: URL, source: tr069 },
  { name: 'ACS_Username', type: FREE, default: 'admin', source: tr069 },
  { name: 'ACS_Password', type: PASSWORD, secret: true, source: tr069 },
  { name: 'Connection_Request_Username', type: FREE, source: tr069 },
  { name: 'Connection_Request_Password', type: PASSWORD, secret: true, source: tr069 },
  {
    name: 'Periodic_Inform_Interval',
    type: { kind: 'time', min: 0 },
    default: '20',
    source: `${tr069} (seconds; no range given)`,
  },
  { name: 'Periodic_Inform_Enable', type: BOOL, default: 'Yes', source: tr069 },
  { name: 'TR-069_Traceability', type: BOOL, default: 'No', source: tr069 },
  { name: 'CWMP_V1.2_Support', type: BOOL, default: 'Yes', source: tr069 },
  {
    name: 'TR-069_VoiceObject_Init',
    type: BOOL,
    default: 'Yes',
    source: cite(
      'adminConference',
      'Phone Features and Setup: Parameters for TR-069 Configuration',
    ),
  },
  {
    name: 'TR-069_DHCPOption_Init',
    type: BOOL,
    default: 'Yes',
    source: cite(
      'adminConference',
      'Phone Features and Setup: Parameters for TR-069 Configuration',
    ),
  },
  { name: 'TR-069_Fallback_Support', type: BOOL, source: tr069 },
  { name: 'BACKUP_ACS_URL', type: URL, source: tr069 },
  { name: 'BACKUP_ACS_User', type: FREE, source: tr069 },
  { name: 'BACKUP_ACS_Password', type: PASSWORD, secret: true, source: tr069 },
];
