/**
 * Per-extension parameters (web UI: Voice > Ext(n)); every name ends in `_<n>_` with n the
 * extension, 1 to 16 (XML Reference Guide). General, shared line, NAT, network, SIP settings,
 * call features, ACD, proxy and registration, subscriber information, XSI line service, audio,
 * video and dial plan.
 */
import type { CatalogEntry, ParameterType } from '../catalog.js';
import { cite, webPage, xmlRef } from './sources.js';
import {
  BOOL,
  DIALPLAN,
  FREE,
  HOST,
  PASSWORD,
  PORT,
  SECONDS,
  URL,
  int,
  oneOf,
  str,
} from './types.js';
import { LINE } from './types.js';

const ext = (section: string): string => webPage(`Voice > Ext(n) > ${section}`);
const general = ext('General');
const share = cite(
  'adminConference',
  'Phone Features and Setup: Parameters for Configuring a Shared Line',
);
const natSettings = ext('NAT Settings');
const network = ext('Network Settings');
const sipSettings = ext('SIP Settings');
const features = ext('Call Feature Settings');
const acd = ext('ACD Settings');
const proxy = ext('Proxy and Registration');
const subscriber = ext('Subscriber Information');
const xsi = ext('XSI Line Service');
const audio = ext('Audio Configuration');
const video = ext('Video Configuration');
const dialPlan = ext('Dial Plan');

const CODECS = ['G711u', 'G711a', 'G729a', 'G729ab', 'G722', 'G722.2', 'iLBC', 'OPUS', 'iSAC'];

/** One per-extension entry: `perLine('Line_Enable', BOOL, 'Yes', source)` → `Line_Enable_{n}_`. */
function perLine(
  stem: string,
  type: ParameterType,
  defaultValue: string | undefined,
  source: string,
  extra: Partial<CatalogEntry> = {},
): CatalogEntry {
  const entry: CatalogEntry = { name: `${stem}_{n}_`, index: LINE, type, source, ...extra };
  if (defaultValue !== undefined) entry.default = defaultValue;
  return entry;
}

export const LINE_PARAMETERS: readonly CatalogEntry[] = [
  // General, shared line appearance
  perLine('Line_Enable', BOOL, 'Yes', `${share}; ${general}`),
  perLine('Share_Ext', BOOL, 'Yes', share),
  perLine('Shared_User_ID', FREE, undefined, share),
  perLine('Subscription_Expires', int(10, 65535), '3600', share),
  perLine('Restrict_MWI', BOOL, 'No', share),

  // NAT and network settings
  perLine('NAT_Mapping_Enable', BOOL, 'No', natSettings),
  perLine('NAT_Keep_Alive_Enable', BOOL, 'No', natSettings),
  perLine('NAT_Keep_Alive_Msg', FREE, '$NOTIFY', natSettings),
  perLine('NAT_Keep_Alive_Dest', FREE, '$PROXY', natSettings),
  perLine('SIP_TOS_DiffServ_Value', int(0, 255), '0x68', network),

  // SIP settings
  perLine(
    'SIP_Transport',
    oneOf('UDP', 'TCP', 'TLS', 'AUTO'),
    'UDP',
    `${sipSettings}; ${cite('adminConference', 'Phone Features and Setup: Configure the SIP Transport')}`,
  ),
  perLine('SIP_Port', PORT, '5060', sipSettings),
  perLine('SIP_100REL_Enable', BOOL, 'No', `${sipSettings}; ${xmlRef('SIP_100REL_Enable_n_')}`),
  perLine('EXT_SIP_Port', PORT, '5060', xmlRef('EXT_SIP_Port')),
  perLine('Auth_Resync-Reboot', BOOL, 'Yes', sipSettings),
  perLine('SIP_Proxy-Require', FREE, undefined, sipSettings),
  perLine('SIP_Remote-Party-ID', BOOL, 'Yes', sipSettings),
  perLine('Referor_Bye_Delay', SECONDS, '4', sipSettings),
  perLine('Refer-To_Target_Contact', BOOL, 'No', sipSettings),
  perLine('Referee_Bye_Delay', SECONDS, '0', sipSettings),
  perLine('Refer_Target_Bye_Delay', SECONDS, '0', sipSettings),
  perLine('Sticky_183', BOOL, 'No', sipSettings),
  perLine('Auth_INVITE', BOOL, 'No', sipSettings),
  perLine('Ntfy_Refer_On_1xx-To-Inv', BOOL, undefined, sipSettings),
  perLine('User_Equal_Phone', BOOL, 'No', sipSettings),
  perLine('Call_Recording_Protocol', oneOf('SIPINFO', 'SIPREC'), 'SIPREC', sipSettings),
  perLine(
    'Privacy_Header',
    oneOf('Disabled', 'none', 'header', 'session', 'user', 'id'),
    'Disabled',
    `${sipSettings}; ${cite('adminConference', 'Phone Features and Setup: Configure a Privacy Header')}`,
  ),
  perLine('P-Early-Media_Support', BOOL, 'No', sipSettings),
  perLine(
    'Precondition_Support',
    oneOf('Disabled', 'Enabled'),
    'Disabled',
    xmlRef('Precondition_Support_n_'),
  ),
  perLine('MediaSec_Request', BOOL, 'No', xmlRef('MediaSec_Request_n_')),
  perLine('MediaSec_Over_TLS_Only', BOOL, 'No', xmlRef('MediaSec_Over_TLS_Only_n_')),
  perLine('TLS_Name_Validate', BOOL, 'Yes', xmlRef('TLS_Name_Validate_n_')),
  perLine(
    'CallInfo_Subscribe',
    BOOL,
    'No',
    `${xmlRef('Callinfo_subscribe_1')} (shown for extension 1)`,
  ),

  // Call feature settings
  perLine('Blind_Attn-Xfer_Enable', BOOL, 'No', features),
  perLine('Message_Waiting', BOOL, undefined, features),
  perLine('Auth_Page', BOOL, 'No', features),
  perLine(
    'Default_Ring',
    oneOf('No Ring', ...Array.from({ length: 12 }, (_, i) => String(i + 1))),
    undefined,
    `${features} (No Ring or a ring number; Ring1–Ring12 on Voice > Phone)`,
  ),
  perLine('Auth_Page_Realm', FREE, undefined, features),
  perLine('Conference_Bridge_URL', URL, undefined, features),
  perLine('Auth_Page_Password', PASSWORD, undefined, features, { secret: true }),
  perLine('Mailbox_ID', FREE, undefined, features),
  perLine('Voice_Mail_Server', HOST, undefined, features),
  perLine('Voice_Mail_Subscribe_Interval', SECONDS, undefined, features),
  perLine('Auto_Ans_Page_On_Active_Call', BOOL, undefined, features),
  perLine('Feature_Key_Sync', BOOL, undefined, features),
  perLine('Call_Park_Monitor_Enable', BOOL, 'No', features),
  perLine(
    'Enable_Broadsoft_Hoteling',
    BOOL,
    'No',
    `${features}; ${cite('adminConference', 'Phone Features and Setup: Enable Hoteling on a Phone')}`,
  ),
  perLine(
    'Hoteling_Subscription_Expires',
    int(10, 86400),
    '3600',
    cite('adminConference', 'Phone Features and Setup: Enable Hoteling on a Phone'),
  ),
  perLine(
    'Secure_Call_Option',
    oneOf('Optional', 'Required', 'Strict'),
    'Optional',
    xmlRef('Secure_Call_Option_n_'),
  ),
  perLine('Feature_Activation_Code_Sync', BOOL, 'No', xmlRef('Feature_Activation_Code_Sync')),
  perLine('Voice_Mail_Enable', BOOL, 'Yes', xmlRef('Voice_Mail_Enable_n_')),
  perLine('Call_Waiting_Enable', BOOL, 'No', xmlRef('Call_Waiting_Enable_n_')),
  perLine('Block_Anonymous_Call_Enable', BOOL, 'No', xmlRef('Block_Anonymous_Call_Enable_n_')),

  // ACD settings
  perLine('Broadsoft_ACD', BOOL, 'No', acd),
  perLine('Call_Information_Enable', BOOL, 'No', acd),
  perLine('Disposition_Code_Enable', BOOL, 'No', acd),
  perLine('Trace_Enable', BOOL, 'No', acd),
  perLine('Emergency_Escalation_Enable', BOOL, 'No', acd),
  perLine('Queue_Status_Notification_Enable', BOOL, 'No', acd),
  perLine(
    'ACD_Status',
    oneOf('Sync From Server', 'Sync From Local'),
    'Sync From Server',
    xmlRef('ACD_Status_n_'),
  ),
  perLine('Auto_Available_After_Sign-In', BOOL, 'No', xmlRef('Auto_Available_After_Sign-In_n_')),
  perLine(
    'Unavailable_Reason_Code_Enable',
    BOOL,
    'Yes',
    xmlRef('Unavailable_Reason_Code_Enable_n_'),
  ),

  // Proxy and registration
  perLine(
    'Proxy',
    HOST,
    undefined,
    `${proxy}; ${cite('adminConference', 'Phone Features and Setup: Configure a Shared Line')}`,
  ),
  perLine('Outbound_Proxy', HOST, undefined, proxy),
  perLine('Alternate_Proxy', HOST, undefined, proxy),
  perLine('Alternate_Outbound_Proxy', HOST, undefined, proxy),
  perLine('Use_OB_Proxy_In_Dialog', BOOL, 'Yes', proxy),
  perLine('Register', BOOL, 'Yes', proxy),
  perLine('Make_Call_Without_Reg', BOOL, 'No', proxy),
  perLine(
    'Register_Expires',
    int(0, 2000000),
    '3600',
    `${xmlRef('Register_Expires_n_')} (0–86400); ${proxy} (32–2000000); the wider range is kept`,
  ),
  perLine('Ans_Call_Without_Reg', BOOL, 'No', proxy),
  perLine('Use_DNS_SRV', BOOL, 'No', proxy),
  perLine('DNS_SRV_Auto_Prefix', BOOL, 'No', proxy),
  perLine(
    'Proxy_Fallback_Intvl',
    int(0, 65535),
    '3600',
    `${proxy}; ${xmlRef('Proxy_Fallback_Intvl')}`,
  ),
  perLine('Proxy_Redundancy_Method', oneOf('Normal', 'Based on SRV Port'), 'Normal', proxy),
  perLine('Dual_Registration', BOOL, undefined, proxy),
  perLine(
    'Auto_Register_When_Failover',
    BOOL,
    'Yes',
    `${xmlRef('Auto_Register_When_Failover')}; ${proxy}`,
  ),
  perLine('Survivability_Proxy', FREE, undefined, xmlRef('Survivability_Proxy_n_')),
  perLine(
    'Survivability_Proxy_Fallback_Intvl',
    int(0, 65535),
    '30',
    xmlRef('Survivability_Proxy_Fallback_Intvl_n_'),
  ),

  // Subscriber information
  perLine('Display_Name', FREE, undefined, subscriber),
  perLine('User_ID', FREE, undefined, subscriber),
  perLine('Password', PASSWORD, undefined, subscriber, { secret: true }),
  perLine('Auth_ID', FREE, undefined, subscriber),
  perLine('SIP_URI', FREE, undefined, subscriber),

  // XSI line service
  perLine('XSI_Host_Server', URL, undefined, xsi),
  perLine(
    'XSI_Authentication_Type',
    oneOf('Login Credentials', 'SIP Credentials'),
    'Login Credentials',
    xsi,
  ),
  perLine('Login_User_ID', FREE, undefined, xsi),
  perLine('Login_Password', PASSWORD, undefined, xsi, { secret: true }),
  perLine('Anywhere_Enable', BOOL, 'Yes', xsi),
  perLine('Block_CID_Enable', BOOL, undefined, xsi),
  perLine('CFWD_Enable', BOOL, undefined, xsi),
  perLine('DND_Enable', BOOL, undefined, xsi),

  // Audio and video configuration
  perLine('Preferred_Codec', oneOf(...CODECS), 'G711u', audio),
  perLine('Use_Pref_Codec_Only', BOOL, 'No', audio),
  perLine('Second_Preferred_Codec', oneOf('Unspecified', ...CODECS), 'Unspecified', audio),
  perLine('Third_Preferred_Codec', oneOf('Unspecified', ...CODECS), 'Unspecified', audio),
  perLine('G711u_Enable', BOOL, 'Yes', audio),
  perLine('G711a_Enable', BOOL, 'Yes', audio),
  perLine('G729a_Enable', BOOL, 'Yes', audio),
  perLine('G722_Enable', BOOL, 'Yes', audio),
  perLine('G722.2_Enable', BOOL, 'No', audio),
  perLine('iLBC_Enable', BOOL, 'Yes', audio),
  perLine('OPUS_Enable', BOOL, 'Yes', audio),
  perLine('Silence_Supp_Enable', BOOL, 'No', audio),
  perLine('DTMF_Tx_Method', oneOf('AVT', 'InBand', 'Auto', 'INFO'), undefined, audio),
  perLine('Codec_Negotiation', oneOf('Default', 'List All'), 'Default', audio),
  perLine('Encryption_Method', oneOf('AES 128', 'AES 256 GCM'), 'AES 128', `${audio}; ${video}`),
  perLine('H264_BP0_Enable', BOOL, 'Yes', video, { families: ['8800'] }),
  perLine('H264_HP_Enable', BOOL, 'Yes', video, { families: ['8800'] }),

  // Dial plan
  perLine(
    'Dial_Plan',
    DIALPLAN,
    undefined,
    `${dialPlan}; ${cite('prov6800', 'String Formats (<Dial_Plan_1_> example)')}`,
  ),
  perLine('Caller_ID_Map', DIALPLAN, undefined, `${dialPlan} (same syntax as Dial Plan)`),
  perLine('Enable_URI_Dialing', BOOL, undefined, dialPlan),
  perLine('Emergency_Number', str(63), undefined, dialPlan),
];
