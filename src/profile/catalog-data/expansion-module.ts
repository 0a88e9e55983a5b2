/**
 * Attendant console and key expansion modules (web UI: Voice > Att Console). KEM key names
 * carry two indexes: `{n}` the unit (1–3) and `{m}` the key on it (1–28), as printed in the
 * XML Reference Guide (`Unit_n_Key_m_`).
 */
import type { CatalogEntry } from '../catalog.js';
import { cite, webPage, xmlRef } from './sources.js';
import {
  BOOL,
  EXTENSION_CHOICE,
  FREE,
  KEM_KEY,
  KEM_UNIT,
  SECONDS,
  int,
  oneOf,
  str,
} from './types.js';

const general = webPage('Voice > Att Console > General');
const kem6800 = cite('admin6800', 'Cisco IP Phone 6800 Key Expansion Module');

export const EXPANSION_MODULE_PARAMETERS: readonly CatalogEntry[] = [
  { name: 'Subscribe_Expires', type: SECONDS, default: '1800', source: general },
  { name: 'Subscribe_Retry_Interval', type: SECONDS, default: '30', source: general },
  { name: 'Subscribe_Delay', type: SECONDS, default: '1', source: general },
  {
    name: 'Server_Type',
    type: oneOf('BroadSoft', 'SPA9000', 'Asterisk', 'RFC3265_4235', 'Sylantro'),
    source: general,
  },
  { name: 'BLF_List_URI', type: FREE, source: `${general}; ${xmlRef('BLF_List_URI')}` },
  { name: 'Use_Line_Keys_For_BLF_List', type: BOOL, default: 'No', source: general },
  {
    name: 'BLF_List',
    type: oneOf('Show', 'Hide'),
    source: `${general} (Show activates monitoring)`,
  },
  {
    name: 'BLF_List_Feature_Options',
    type: oneOf('blf+sd+cp', 'prk'),
    default: 'blf+sd+cp',
    source: xmlRef('BLF_List_Feature_Options'),
  },
  {
    name: 'BLF_Callpark_On_Line_Key_Enable',
    type: BOOL,
    default: 'No',
    source: xmlRef('BLF_Callpark_On_Line_Key_Enable'),
  },
  {
    name: 'Customizable_PLK_Options',
    type: str(511),
    default: 'sd;',
    source: `${xmlRef('Customizable_PLK_Options')}; ${general}`,
  },
  { name: 'BXfer_to_Starcode_Enable', type: BOOL, default: 'No', source: general },
  { name: 'BXfer_On_Speed_Dial_Enable', type: BOOL, default: 'No', source: general },
  { name: 'BXfer_To_Remote_Party_Number_Enable', type: BOOL, source: general },
  { name: 'BLF_Label_Display_Mode', type: FREE, source: `${general}; ${kem6800}` },
  {
    name: 'Number_of_Units',
    type: int(0, 3),
    default: '0',
    source: `${kem6800} (0–3: up to 3 units on the 8861/8865, ${xmlRef('Unit_n_Extension_m_')})`,
  },
  { name: 'Attendant_Console_LCD_Contrast', type: int(4, 12), source: kem6800 },
  {
    name: 'Unit_{n}_Key_{m}_',
    index: KEM_UNIT,
    subIndex: KEM_KEY,
    type: FREE,
    source: `${xmlRef('Unit_n_Key_m_')}; ${kem6800} (extended function string, e.g. fnc=blf;sub=…)`,
  },
  {
    name: 'Unit_{n}_Extension_{m}_',
    index: KEM_UNIT,
    subIndex: KEM_KEY,
    type: EXTENSION_CHOICE,
    default: 'Disabled',
    source: xmlRef('Unit_n_Extension_m_'),
    families: ['8800'],
  },
  {
    name: 'Unit_{n}_Share_Call_Appearance_{m}',
    index: KEM_UNIT,
    subIndex: KEM_KEY,
    type: oneOf('private', 'shared'),
    source: `${xmlRef('Unit_n_Share_Call_Appearance_m')} (the guide prints this tag without a trailing underscore)`,
    families: ['8800'],
  },
  {
    name: 'Unit_{n}_Short_Name_{m}_',
    index: KEM_UNIT,
    subIndex: KEM_KEY,
    type: FREE,
    default: '$USER',
    source: xmlRef('Unit_n_Short_Name_m_'),
    families: ['8800'],
  },
];
