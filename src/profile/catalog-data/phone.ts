/**
 * Phone tab: station identity, line keys (`_<n>_` = key number), line-key settings,
 * supplementary services, ringtones, extension mobility, XSI phone service, XML services,
 * multicast paging, programmable softkeys, menu visibility and LED patterns (web UI:
 * Voice > Phone).
 */
import type { CatalogEntry } from '../catalog.js';
import { cite, webPage, xmlRef } from './sources.js';
import {
  BOOL,
  COUNT,
  EXTENSION_CHOICE,
  FREE,
  LED,
  LINE_KEY,
  PASSWORD,
  SECONDS,
  URL,
  int,
  oneOf,
  str,
} from './types.js';

const general = webPage('Voice > Phone > General');
const lineKey = webPage('Voice > Phone > Line Key');
const misc = webPage('Voice > Phone > Miscellaneous Line Key Settings');
const services = webPage('Voice > Phone > Supplementary Services');
const ringtone = webPage('Voice > Phone > Ringtone');
const mobility = webPage('Voice > Phone > Extension Mobility');
const xsi = webPage('Voice > Phone > XSI Phone Service');
const xml = webPage('Voice > Phone > XML Service');
const psk = webPage('Voice > Phone > Programmable Softkeys');

const service = (name: string, value: string): CatalogEntry => ({
  name,
  type: BOOL,
  default: value,
  source: services,
});
const keyList = (name: string): CatalogEntry => ({ name, type: FREE, source: psk });
/** A Cisco SPA525G's cfg export with placeholders, as published by FusionPBX. */
const SPA525G_EXPORT =
  'SPA525G export: fusionpbx/fusionpbx resources/templates/provision/cisco/spa525g/{$mac}.xml @ c7a00dc';
const ledFields = (source: string, names: string[]): CatalogEntry[] =>
  names.map((name) => ({
    name,
    type: LED,
    source: `${source} (field ${name.replace(/_/g, ' ')})`,
  }));

export const PHONE_PARAMETERS: readonly CatalogEntry[] = [
  // General
  { name: 'Station_Name', type: FREE, source: general },
  { name: 'Station_Display_Name', type: FREE, source: general },
  { name: 'Voice_Mail_Number', type: FREE, source: general },
  {
    name: 'Bluetooth_Mode',
    type: oneOf('Phone', 'Handsfree', 'Both'),
    source: webPage('Voice > Phone > Handsfree'),
  },
  {
    name: 'Line',
    type: int(1, 16),
    source: `${webPage('Voice > Phone > Handsfree')} (line number used with Bluetooth)`,
  },

  {
    // Named by caveat CSCvx78045 ("Add PoE Power Required parameter definitions to 8800 MPP
    // administration guide"); its values are not given there, so any text is accepted.
    name: 'PoE_Power_Required',
    type: FREE,
    source: cite('notes8800_1201', 'Open Caveats, CSCvx78045 (parameter PoE Power Required)'),
  },
  {
    // Voice > Phone > General on the 6841/6851; the default follows the hardware version
    // (No on 00 and 01, Yes on 02), so no single default is recorded.
    name: 'WideBand_Handset_Enable',
    type: BOOL,
    families: ['6800'],
    source: cite(
      'notes6800_1111sr3',
      'Handset on Cisco IP Phone 6841 and 6851 Multiplatform Phones',
    ),
  },

  // Line keys
  {
    name: 'Extension_{n}_',
    index: LINE_KEY,
    type: EXTENSION_CHOICE,
    source: `${lineKey}; ${xmlRef('Extension_n_')} (default: the key's own number)`,
  },
  { name: 'Short_Name_{n}_', index: LINE_KEY, type: FREE, default: '$USER', source: lineKey },
  {
    name: 'Share_Call_Appearance_{n}_',
    index: LINE_KEY,
    type: oneOf('private', 'shared'),
    source: lineKey,
  },
  {
    name: 'Extended_Function_{n}_',
    index: LINE_KEY,
    type: str(511),
    source: `${lineKey}; ${xmlRef('Extended_Function_n_')}`,
  },

  // Miscellaneous line key settings
  {
    name: 'Line_ID_Mapping',
    type: oneOf('Horizontal First', 'Vertical First'),
    default: 'Horizontal First',
    source: misc,
  },
  {
    name: 'SCA_Barge-In-Enable',
    type: BOOL,
    default: 'No',
    source: cite(
      'adminConference',
      'Phone Features and Setup: Parameters for Configuring a Shared Line',
    ),
  },
  { name: 'SCA_Sticky_Auto_Line_Seize', type: BOOL, source: misc },
  {
    name: 'Call_Appearances_Per_Line',
    type: int(1, 10),
    default: '2',
    source: `${xmlRef('Call_Appearances_Per_Line')}; ${misc} (2–10)`,
  },
  {
    name: 'Enable_Direct_PLK_Configuration',
    type: BOOL,
    default: 'Yes',
    source: xmlRef('Enable_Direct_PLK_Configuration'),
  },

  // Supplementary services
  service('Conference_Serv', 'Yes'),
  service('Attn_Transfer_Serv', 'Yes'),
  service('Blind_Transfer_Serv', 'Yes'),
  service('DND_Serv', 'Yes'),
  service('Block_ANC_Serv', 'Yes'),
  service('Block_CID_Serv', 'Yes'),
  service('Secure_Call_Serv', 'Yes'),
  service('Cfwd_All_Serv', 'Yes'),
  service('Cfwd_Busy_Serv', 'Yes'),
  service('Cfwd_No_Ans_Serv', 'Yes'),
  service('Paging_Serv', 'Yes'),
  service('Call_Park_Serv', 'Yes'),
  service('Call_Pick_Up_Serv', 'Yes'),
  service('ACD_Login_Serv', 'Yes'),
  service('Group_Call_Pick_Up_Serv', 'Yes'),
  service('Service_Annc_Serv', 'No'),
  service('Call_Recording_Serv', 'No'),
  service('Reverse_Phone_Lookup_Serv', 'Yes'),

  // Ringtones
  {
    name: 'Ring{n}',
    index: { min: 1, max: 12, kind: 'other' },
    type: FREE,
    source: `${ringtone}; ${cite('adminConference', 'Phone Features and Setup: Parameters for Ringtone')}`,
  },
  { name: 'Silent_Ring_Duration', type: SECONDS, source: ringtone },

  // Extension mobility
  { name: 'EM_Enable', type: BOOL, default: 'No', source: mobility },
  { name: 'EM_User_Domain', type: FREE, source: mobility },
  {
    name: 'Session_Timer_m_',
    type: COUNT,
    default: '480',
    source: cite(
      'adminConference',
      'Phone Features and Setup: Enable Extension Mobility on a Phone (minutes)',
    ),
  },
  { name: 'Countdown_Timer_s_', type: SECONDS, default: '10', source: mobility },
  {
    // The guide lists the options as "Alpha-numeric and Numeric" and the default as
    // "Alphanumeric"; both spellings are accepted.
    name: 'Preferred_Password_Input_Mode',
    type: oneOf('Alphanumeric', 'Alpha-numeric', 'Numeric'),
    default: 'Alphanumeric',
    source: mobility,
  },

  // XSI phone service
  { name: 'XSI_Host_Server', type: URL, source: xsi },
  {
    name: 'XSI_Authentication_Type',
    type: oneOf('Login Credentials', 'SIP Credentials'),
    default: 'Login Credentials',
    source: xsi,
  },
  { name: 'Login_User_ID', type: FREE, source: xsi },
  { name: 'Login_Password', type: PASSWORD, secret: true, source: xsi },
  { name: 'SIP_Auth_ID', type: FREE, source: xsi },
  { name: 'SIP_Password', type: PASSWORD, secret: true, source: xsi },
  { name: 'Directory_Enable', type: BOOL, default: 'No', source: xsi },
  { name: 'Directory_Name', type: FREE, source: xsi },
  {
    name: 'Directory_Type',
    type: oneOf('Enterprise', 'Group', 'Personal'),
    default: 'Enterprise',
    source: xsi,
  },
  { name: 'CallLog_Enable', type: BOOL, default: 'No', source: xsi },
  { name: 'CallLog_Associated_Line', type: int(1, 10), source: xsi },
  {
    name: 'Display_Recents_From',
    type: oneOf('Phone', 'XSI Server', 'Webex'),
    default: 'Phone',
    source: xmlRef('Display_Recents_From'),
  },
  {
    name: 'XsiDir_Individual_Mode_Enable',
    type: BOOL,
    default: 'No',
    source: xmlRef('XsiDir_Individual_Mode_Enable'),
  },
  ...['Enterprise', 'EnterpriseCommon', 'Group', 'GroupCommon', 'Personal'].flatMap(
    (kind): CatalogEntry[] => [
      {
        name: `XsiDir_${kind}_Enable`,
        type: BOOL,
        default: 'No',
        source: xmlRef(`XsiDir_${kind}_Enable`),
      },
      { name: `XsiDir_${kind}_Name`, type: FREE, source: xmlRef(`XsiDir_${kind}_Name`) },
    ],
  ),
  {
    name: 'Add_Contacts_to_Directory_Personal',
    type: BOOL,
    default: 'No',
    source: xmlRef('Add_Contacts_to_Directory_Personal'),
  },
  {
    name: 'XMPP_Enable',
    type: BOOL,
    default: 'No',
    source: webPage('Voice > Phone > Broadsoft XMPP'),
  },
  {
    // The table's other fields are labelled Server, Port, User ID, Password and Retry Intvl;
    // their cfg.xml names are not in the text we have, so only this one is taken.
    name: 'Login_Invisible',
    type: BOOL,
    default: 'No',
    source: cite('adminDesk', 'Call Features Configuration > Parameters for Set Up Presence'),
  },
  // The 8832 guide's Set Up Presence table gives the cfg.xml names of the Broadsoft XMPP
  // fields (Server, Port, User ID, Password); its Retry Intvl row repeats Login_Invisible,
  // so no name is taken for that field.
  {
    name: 'XMPP_Server',
    type: FREE,
    source: cite(
      'admin8832',
      'Call Features Configuration > Parameters for Set Up Presence (cfg.xml examples)',
    ),
  },
  {
    name: 'XMPP_Port',
    type: int(0, 65535),
    default: '5222',
    source: `${cite('admin8832', 'Call Features Configuration > Parameters for Set Up Presence (cfg.xml examples)')} (0: DNS SRV lookup)`,
  },
  {
    name: 'XMPP_User_ID',
    type: FREE,
    source: cite(
      'admin8832',
      'Call Features Configuration > Parameters for Set Up Presence (cfg.xml examples)',
    ),
  },
  {
    name: 'XMPP_Password',
    type: PASSWORD,
    secret: true,
    source: cite(
      'admin8832',
      'Call Features Configuration > Parameters for Set Up Presence (cfg.xml examples)',
    ),
  },

  // XML services
  { name: 'XML_Directory_Service_Name', type: FREE, source: xml },
  { name: 'XML_Directory_Service_URL', type: URL, source: xml },
  { name: 'XML_Application_Service_Name', type: FREE, source: xml },
  { name: 'XML_Application_Service_URL', type: URL, source: xml },
  { name: 'XML_User_Name', type: FREE, source: xml },
  { name: 'XML_Password', type: PASSWORD, secret: true, source: xml },
  { name: 'CISCO_XML_EXE_Enable', type: BOOL, default: 'No', source: xml },
  {
    name: 'CISCO_XML_EXE_Auth_Mode',
    type: oneOf('Trusted', 'Local Credential', 'Remote Credential'),
    default: 'Local Credential',
    source: `${cite('adminConference', 'Phone Features and Setup: Parameters for XML Applications')} (default Trusted on 11.x: ${xml})`,
  },

  // Multicast paging
  {
    name: 'Group_{n}_Paging_Script',
    index: { min: 1, max: 10, kind: 'other' },
    type: FREE,
    source: `${xmlRef('Group_n_Paging_Script')}; ${cite('adminConference', 'Phone Features and Setup: Parameters for Multiple Paging Group')}`,
  },

  // Directories
  { name: 'LDAP_Dir_Enable', type: BOOL, default: 'No', source: webPage('Voice > Phone > LDAP') },
  {
    name: 'LDAP_StartTLS_Enable',
    type: BOOL,
    default: 'No',
    source: xmlRef('LDAP_StartTLS_Enable'),
  },
  {
    name: 'LDAP_Prompt_For_Empty_Credentials',
    type: BOOL,
    default: 'No',
    source: xmlRef('LDAP_Prompt_For_Empty_Credentials'),
  },
  {
    name: 'LDAP_Unified_Search_Enable',
    type: BOOL,
    default: 'No',
    source: xmlRef('LDAP_Unified_Search_Enable'),
  },
  {
    name: 'Personal_Directory_Enable',
    type: BOOL,
    default: 'Yes',
    source: xmlRef('Personal_Directory_Enable'),
  },
  { name: 'Search_All_Enable', type: BOOL, default: 'Yes', source: xmlRef('Search_All_Enable') },
  { name: 'Browse_Mode_Enable', type: BOOL, default: 'No', source: xmlRef('Browse_Mode_Enable') },
  {
    name: 'Max_Display_Records',
    type: int(50, 999),
    default: '50',
    source: xmlRef('Max_Display_Records'),
  },
  {
    name: 'Webex_Directory_Enable',
    type: BOOL,
    default: 'No',
    source: xmlRef('Webex_Directory_Enable'),
  },
  { name: 'Webex_Directory_Name', type: FREE, source: xmlRef('Webex_Directory_Name') },
  {
    name: 'Webex_Calendar_Enable',
    type: BOOL,
    default: 'No',
    source: xmlRef('Webex_Calendar_Enable'),
    families: ['8800'],
  },
  {
    name: 'Display_XMPP_User_ID_With_Top_Priority',
    type: BOOL,
    default: 'No',
    source: xmlRef('Display_XMPP_User_ID_With_Top_Priority'),
    families: ['8800'],
  },

  // Programmable softkeys
  {
    name: 'Programmable_Softkey_Enable',
    type: BOOL,
    default: 'No',
    source: xmlRef('Programmable_Softkey_Enable'),
  },
  ...[
    'Idle_Key_List',
    'Missed_Call_Key_List',
    'Off_Hook_Key_List',
    'Dialing_Input_Key_List',
    'Progressing_Key_List',
    'Connected_Key_List',
    'Start-Xfer_Key_List',
    'Start-Conf_Key_List',
    'Conferencing_Key_List',
    'Releasing_Key_List',
    'Hold_Key_List',
    'Ringing_Key_List',
    'Shared_Active_Key_List',
    'Shared_Held_Key_List',
  ].map(keyList),
  {
    name: 'PSK_{n}',
    index: { min: 1, max: 16, kind: 'other' },
    type: FREE,
    source: `${psk}; ${xmlRef('PSK_n')}`,
  },
  {
    name: 'Broadsoft_Call_History_Key_List',
    type: FREE,
    source: xmlRef('Broadsoft_Call_History_Key_List'),
  },

  // LCD menus and authentication
  {
    name: 'Require_Authentication_for_LCD_Menu_Access',
    type: oneOf('Default', 'Customized', 'No'),
    default: 'Default',
    source: cite(
      'adminConference',
      'Phone Features and Setup: Parameters for User Authentication Control',
    ),
  },
  { name: 'Factory_Reset_Menu', type: BOOL, default: 'Yes', source: xmlRef('Factory_Reset_Menu') },
  { name: 'Profile_Rule_Menu', type: BOOL, default: 'Yes', source: xmlRef('Profile_Rule_Menu') },
  {
    name: 'Device_Administration',
    type: BOOL,
    default: 'Yes',
    source: xmlRef('Device_Administration'),
  },
  {
    name: 'Report_Problem_Menu',
    type: BOOL,
    default: 'Yes',
    source: xmlRef('Report_Problem_Menu'),
  },
  { name: 'Speed_Dials', type: BOOL, default: 'Yes', source: xmlRef('Speed_Dials') },
  { name: 'Status', type: BOOL, default: 'Yes', source: xmlRef('Status') },
  { name: 'User_Preferences', type: BOOL, default: 'Yes', source: xmlRef('User_Preferences') },
  {
    name: 'Accessibility',
    type: BOOL,
    default: 'Yes',
    source: xmlRef('Accessibility'),
    families: ['8800'],
  },
  {
    name: 'Assistant_Call_Filter',
    type: BOOL,
    default: 'Yes',
    source: xmlRef('Assistant_Call_Filter'),
    families: ['6800', '8800'],
  },
  {
    name: 'Executive_Assistant_Role',
    type: oneOf('Default', 'Executive', 'Assistant'),
    default: 'Default',
    source: xmlRef('Executive_Assistant_Role'),
    families: ['6800', '8800'],
  },
  {
    name: 'Keep_Focus_On_Active_Call',
    type: BOOL,
    default: 'No',
    source: xmlRef('Keep_Focus_On_Active_Call'),
  },
  {
    name: 'Forward_Softkey',
    type: oneOf('All Cfwds', 'Only the Cfwd All'),
    default: 'All Cfwds',
    source: xmlRef('Forward_Softkey'),
  },

  // LED patterns (Att Console / Calls labels)
  ...[
    'ACD_Logged-off_LED',
    'ACD_Logged-on_LED',
    'Call_Forward_On_LED',
    'Call_Forward_Off_LED',
    'Divert_Off_LED',
    'DND_On_LED',
    'DND_Off_LED',
  ].map((name): CatalogEntry => ({ name, type: LED, source: xmlRef(name) })),

  {
    // Phone > Line Key LED Pattern > Custom LED: Default, Preset 1 or Custom (11.3(2) release
    // notes); the cfg.xml name is the one caveat CSCvw73648 gives ("Custom LED Type").
    name: 'Custom_LED_Type',
    type: oneOf('Default', 'Preset 1', 'Custom'),
    default: 'Default',
    source: `${cite('notes8800_1132', 'Line Key LED Enhancement for Key Expansion Modules')}; ${cite('notes8800_1133', 'Open Caveats, CSCvw73648')}`,
  },
  // Line Key LED Pattern and Att Console Key LED Pattern (Voice > Phone). The 8800 guide's
  // tables name the basic-line, BLF and park states; the SPA500 guide's table (same firmware
  // lineage, same section name) the shared-line and registration states.
  ...ledFields(
    cite('admin8800', 'Cisco IP Phone Configuration > Line Key LED Behavior Customization'),
    [
      'Local_Seized_LED',
      'Local_Progressing_LED',
      'Local_Ringing_LED',
      'Local_Active_LED',
      'Local_Held_LED',
      'BLF_Idle_LED',
      'BLF_Ringing_LED',
      'BLF_Busy_LED',
      'BLF_Held_LED',
      'Parking_Lot_Busy_LED',
    ],
  ),
  ...ledFields(cite('spa500', 'Configuring LED Patterns > Line Key LED Pattern'), [
    'Idle_LED',
    'Remote_Undefined_LED',
    'Remote_Seized_LED',
    'Remote_Progressing_LED',
    'Remote_Ringing_LED',
    'Remote_Active_LED',
    'Remote_Held_LED',
    'Register_Failed_LED',
    'Registering_LED',
    'Disabled_LED',
    'Call_Back_Active_LED',
  ]),
  // The rest of the SPA500's LED pattern fields, from an SPA525G export (the MPP 11.3(2)
  // release notes name the same Att Console Key LED Pattern section; these states are not
  // in an MPP guide we have). Free text: the SPA writes `c=g,p=sb`, not the MPP syntax.
  ...[
    'Trunk_In-use_LED',
    'Trunk_No_Service_LED',
    'Trunk_Reserved_LED',
    'Application_LED',
    'Serv_Subscribe_Failed_LED',
    'Serv_Subscribing_LED',
    'SNRM_Day_Mode_LED',
    'SNRM_Night_Mode_LED',
    'Parking_Lot_Idle_LED',
  ].map((name): CatalogEntry => ({
    name,
    type: FREE,
    source: `${cite('notes8800_1132', 'Line Key LED Enhancement for Key Expansion Modules (LED pattern sections)')}; field name from the ${SPA525G_EXPORT} (SPA lineage, not confirmed on MPP)`,
  })),

  // Display power saving (8800, 8832)
  {
    name: 'Office_Hours_Enabled',
    type: oneOf('True', 'False'),
    default: 'False',
    source: xmlRef('Office_Hours_Enabled'),
    families: ['8800'],
  },
  {
    name: 'Work_Days',
    type: FREE,
    default: 'Monday|Tuesday|Wednesday|Thursday|Friday',
    source: xmlRef('Work_Days'),
    families: ['8800'],
  },
  {
    name: 'Working_Hours_Start',
    type: {
      kind: 'pattern',
      regex: '([01][0-9]|2[0-3]):[0-5][0-9]|24:00',
      expected: 'a time HH:mm from 00:00 to 24:00',
    },
    default: '07:00',
    source: xmlRef('Working_Hours_Start'),
    families: ['8800'],
  },
  {
    name: 'Working_Hours_End',
    type: {
      kind: 'pattern',
      regex: '([01][0-9]|2[0-3]):[0-5][0-9]|24:00',
      expected: 'a time HH:mm from 00:00 to 24:00',
    },
    default: '19:00',
    source: xmlRef('Working_Hours_End'),
    families: ['8800'],
  },
  {
    name: 'LED_Indicator_In_Display_Off_Mode',
    type: oneOf('Enabled', 'Disabled'),
    default: 'Enabled',
    source: xmlRef('LED_Indicator_In_Display_Off_Mode'),
    families: ['8800'],
  },
  {
    name: 'Display_Off_Idle_Timeout__mins_',
    type: int(1, 60),
    default: '5',
    source: xmlRef('Display_Off_Idle_Timeout__mins_'),
    families: ['8800'],
  },
];
