/**
 * Regional and time: call progress tones, ring cadences, control timers, vertical service
 * (star) codes, codec selection codes, time zone and daylight saving, language (web UI:
 * Voice > Regional).
 */
import type { CatalogEntry } from '../catalog.js';
import { cite, webPage, xmlRef } from './sources.js';
import { BOOL, FREE, int, oneOf, str } from './types.js';

const tones = webPage('Voice > Regional > Call Progress Tones');
const cadences = webPage('Voice > Regional > Distinctive Ring Patterns');
const timers = webPage('Voice > Regional > Control Timer Values (sec)');
const codes = webPage('Voice > Regional > Vertical Service Activation Codes');
const codecCodes = webPage('Voice > Regional > Outbound Call Codec Selection Codes');
const time = webPage('Voice > Regional > Time');
const language = webPage('Voice > Regional > Language');
const toneScript = cite('prov6800', 'Data Types: ToneScript (up to 127 characters)');
const starCode = cite('prov6800', 'Data Types: Star Codes (up to 7 characters)');

/** ToneScript values: up to 127 characters (6800 Provisioning Guide, Data Types). */
const TONE = str(127);
const STAR = str(7);

const tone = (name: string): CatalogEntry => ({
  name,
  type: TONE,
  source: `${tones}; ${toneScript}`,
});
const star = (name: string, value: string): CatalogEntry => ({
  name,
  type: STAR,
  default: value,
  source: `${codes}; ${starCode}`,
});
const execCodes = cite(
  'adminMppCopy',
  'p. 248, Executive-Assistant Service Activation Codes in the XML Configuration File',
);
const execCode = (name: string, value: string): CatalogEntry => ({
  name,
  type: STAR,
  default: value,
  families: ['6800', '8800'],
  source: `${execCodes}; ${starCode}; families: ${xmlRef('Executive_Assistant_Role')}`,
});
const codec = (name: string, value?: string): CatalogEntry =>
  value === undefined
    ? { name, type: STAR, source: `${codecCodes}; ${starCode}` }
    : { name, type: STAR, default: value, source: `${codecCodes}; ${starCode}` };

export const REGIONAL_PARAMETERS: readonly CatalogEntry[] = [
  ...[
    'Dial_Tone',
    'Outside_Dial_Tone',
    'Prompt_Tone',
    'Busy_Tone',
    'Reorder_Tone',
    'Off_Hook_Warning_Tone',
    'Ring_Back_Tone',
    'Call_Waiting_Tone',
    'Confirm_Tone',
    'MWI_Dial_Tone',
    'Cfwd_Dial_Tone',
    'Holding_Tone',
    'Conference_Tone',
    'Secure_Call_Indication_Tone',
    'Page_Tone',
    'Alert_Tone',
    'Mute_Tone',
    'Unmute_Tone',
    'System_Beep',
    'Call_Pickup_Tone',
  ].map(tone),
  {
    name: 'Cadence_{n}',
    index: { min: 1, max: 9, kind: 'other' },
    type: str(127),
    source: `${cadences}; ${cite('prov6800', 'Data Types: CadScript (up to 127 characters)')}`,
  },
  { name: 'Reorder_Delay', type: FREE, source: `${timers} (0–255 seconds, or inf)` },
  { name: 'Interdigit_Long_Timer', type: int(0, 64), default: '10', source: timers },
  { name: 'Interdigit_Short_Timer', type: int(0, 64), default: '3', source: timers },

  star('Call_Return_Code', '*69'),
  star('Blind_Transfer_Code', '*88'),
  star('Cfwd_All_Act_Code', '*72'),
  star('Cfwd_All_Deact_Code', '*73'),
  star('Cfwd_Busy_Act_Code', '*90'),
  star('Cfwd_Busy_Deact_Code', '*91'),
  star('Cfwd_No_Ans_Act_Code', '*92'),
  star('Cfwd_No_Ans_Deact_Code', '*93'),
  star('CW_Act_Code', '*56'),
  star('CW_Deact_Code', '*57'),
  star('CW_Per_Call_Act_Code', '*71'),
  star('CW_Per_Call_Deact_Code', '*70'),
  star('Block_CID_Act_Code', '*67'),
  star('Block_CID_Deact_Code', '*68'),
  star('Block_CID_Per_Call_Act_Code', '*81'),
  star('Block_CID_Per_Call_Deact_Code', '*82'),
  star('Block_ANC_Act_Code', '*77'),
  star('Block_ANC_Deact_Code', '*87'),
  star('DND_Act_Code', '*78'),
  star('DND_Deact_Code', '*79'),
  star('Secure_All_Call_Act_Code', '*16'),
  star('Secure_No_Call_Act_Code', '*17'),
  star('Secure_One_Call_Act_Code', '*18'),
  star('Secure_One_Call_Deact_Code', '*19'),
  star('Paging_Code', '*96'),
  star('Call_Park_Code', '*38'),
  star('Call_Pickup_Code', '*36'),
  star('Call_Unpark_Code', '*39'),
  star('Group_Call_Pickup_Code', '*37'),
  // The executive-assistant codes: the guide's sample cfg.xml section gives each with its value
  // ("the # or * code"); the feature is on the 6871 and the 8800 series (Executive_Assistant_Role).
  execCode('Exec_Assistant_Call_Initiate_Code', '#64'),
  execCode('Exec_Call_Filter_Act_Code', '#61'),
  execCode('Exec_Call_Filter_Deact_Code', '#62'),
  execCode('Exec_Assistant_Call_Push_Code', '#63'),
  execCode('Exec_Call_Retrieve_Code', '*11'),
  execCode('Exec_Call_Bridge_Code', '*15'),
  { name: 'Referral_Services_Codes', type: str(79), source: codes },
  { name: 'Feature_Dial_Services_Codes', type: str(79), source: codes },
  {
    name: 'Service_Annc_Base_Number',
    type: FREE,
    source: webPage('Voice > Regional > Vertical Service Announcement Codes'),
  },
  {
    name: 'Service_Annc_Extension_Codes',
    type: FREE,
    source: webPage('Voice > Regional > Vertical Service Announcement Codes'),
  },

  codec('Prefer_G711u_Code', '*017110'),
  codec('Force_G711u_Code', '*027110'),
  codec('Prefer_G711a_Code', '*017111'),
  codec('Force_G711a_Code', '*027111'),
  codec('Prefer_G722_Code', '*01722'),
  codec('Force_G722_Code', '*02722'),
  codec('Prefer_G722.2_Code'),
  codec('Force_G722.2_Code'),
  codec('Prefer_G729a_Code', '*01729'),
  codec('Force_G729a_Code', '*02729'),
  codec('Prefer_iLBC_Code'),
  codec('Force_iLBC_Code'),
  codec('Prefer_ISAC_Code'),
  codec('Force_ISAC_Code'),
  codec('Prefer_OPUS_Code'),
  codec('Force_OPUS_Code'),

  { name: 'Set_Local_Date__mm_dd_yyyy_', type: FREE, source: time },
  { name: 'Set_Local_Time__HH_mm_', type: FREE, source: time },
  {
    name: 'Time_Zone',
    type: {
      kind: 'pattern',
      regex: 'GMT|GMT[+-](0[0-9]|1[0-4]):(00|30|45)',
      expected: 'GMT or an offset GMT-12:00 … GMT+13:00',
    },
    default: 'GMT-08:00',
    source: `${time} (hourly choices GMT-12:00 … GMT+13:00 listed; half- and quarter-hour offsets accepted as well) [open]`,
  },
  { name: 'Time_Offset__HH_mm_', type: FREE, default: '00/00', source: time },
  { name: 'Ignore_DHCP_Time_Offset', type: BOOL, default: 'Yes', source: time },
  {
    name: 'Daylight_Saving_Time_Rule',
    type: FREE,
    default: 'start=3/-1/7/2;end=10/-1/7/2;save=1',
    source: time,
  },
  { name: 'Daylight_Saving_Time_Enable', type: BOOL, default: 'Yes', source: time },
  { name: 'Dictionary_Server_Script', type: FREE, source: language },
  { name: 'Language_Selection', type: str(512), source: language },
  { name: 'Locale', type: FREE, source: language },
  {
    name: 'Replace_Unresolved_Caller_Name_with_Number',
    type: BOOL,
    default: 'No',
    source: xmlRef('Replace_Unresolved_Caller_Name_with_Number'),
  },
  {
    name: 'Time_Format',
    type: oneOf('12hr', '24hr'),
    default: '12hr',
    source: `${xmlRef('Time_Format')}; ${webPage('Voice > User > Supplementary Services')}`,
  },
  {
    name: 'Date_Format',
    type: oneOf('month/day', 'day/month'),
    default: 'month/day',
    source: webPage('Voice > User > Supplementary Services'),
  },
];
