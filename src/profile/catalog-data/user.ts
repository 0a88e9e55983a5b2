/**
 * User tab: call forward, supplementary service settings, audio volume and compliance, screen,
 * accessibility (web UI: Voice > User). Many of these are the user's own settings, written
 * with `ua="rw"` in profiles.
 */
import type { CatalogEntry } from '../catalog.js';
import { cite, webPage, xmlRef } from './sources.js';
import { BOOL, FREE, SECONDS, URL, int, oneOf, str } from './types.js';

const forward = webPage('Voice > User > Call Forward');
const services = webPage('Voice > User > Supplementary Services');
const volume = webPage('Voice > User > Audio Volume');
const screen = webPage('Voice > User > Screen');
const display = cite(
  'admin8800',
  'Phone Information and Display Configuration (Customize the Startup Screen, Customize Wallpaper, Parameters for Screen Saver)',
);

export const USER_PARAMETERS: readonly CatalogEntry[] = [
  {
    name: 'Hold_Reminder_Timer',
    type: SECONDS,
    default: '0',
    source: webPage('Voice > User > Hold Reminder'),
  },
  { name: 'Hold_Reminder_Ringtone', type: FREE, source: webPage('Voice > User > Hold Reminder') },
  {
    name: 'Cfwd_Setting',
    type: BOOL,
    default: 'Yes',
    source: `${xmlRef('Cfwd_Setting')}; ${forward}`,
  },
  { name: 'Cfwd_All', type: BOOL, default: 'No', source: xmlRef('Cfwd_All') },
  { name: 'Cfwd_Busy', type: BOOL, default: 'No', source: xmlRef('Cfwd_Busy') },
  { name: 'Cfwd_No_Answer', type: BOOL, default: 'No', source: xmlRef('Cfwd_No_Answer') },
  { name: 'Cfwd_All_Dest', type: FREE, source: forward },
  { name: 'Cfwd_Busy_Dest', type: FREE, default: 'voicemail', source: forward },
  { name: 'Cfwd_No_Ans_Dest', type: FREE, default: 'voicemail', source: forward },
  { name: 'Cfwd_No_Ans_Delay', type: SECONDS, default: '20', source: forward },
  { name: 'CW_Setting', type: BOOL, default: 'Yes', source: services },
  { name: 'Block_CID_Setting', type: BOOL, default: 'No', source: services },
  { name: 'Block_ANC_Setting', type: BOOL, default: 'No', source: services },
  { name: 'DND_Setting', type: BOOL, source: services },
  {
    name: 'Handset_LED_Alert',
    type: oneOf('Voicemail', 'Voicemail, Missed Call'),
    default: 'Voicemail',
    source: services,
  },
  { name: 'Secure_Call_Setting', type: BOOL, default: 'No', source: services },
  { name: 'Auto_Answer_Page', type: BOOL, default: 'Yes', source: services },
  {
    name: 'Preferred_Audio_Device',
    type: oneOf('None', 'Speaker', 'Headset'),
    default: 'None',
    source: services,
  },
  { name: 'Miss_Call_Shortcut', type: BOOL, source: services },
  { name: 'Alert_Tone_Off', type: BOOL, source: services },
  { name: 'Shared_Line_DND_Cfwd_Enable', type: BOOL, source: services },
  { name: 'Ringer_Volume', type: FREE, default: '9', source: volume },
  { name: 'Speaker_Volume', type: FREE, default: '8', source: volume },
  { name: 'Handset_Volume', type: FREE, default: '10', source: volume },
  { name: 'Headset_Volume', type: FREE, default: '10', source: volume },
  { name: 'Electronic_Hookswitch_Control', type: BOOL, source: volume },
  {
    name: 'Ringer_Volume_Control',
    type: BOOL,
    default: 'Yes',
    source: xmlRef('Ringer_Volume_Control'),
  },
  {
    name: 'Compliant_Standard',
    type: oneOf('ETSI', 'TIA'),
    default: 'TIA',
    source: webPage('Voice > User > Audio Compliance'),
  },
  { name: 'Screen_Saver_Enable', type: BOOL, default: 'No', source: screen },
  { name: 'Screen_Saver_Type', type: FREE, source: screen },
  { name: 'Screen_Saver_Wait', type: SECONDS, default: '300', source: screen },
  { name: 'Screen_Saver_Refresh_Period', type: SECONDS, source: screen },
  { name: 'Back_Light_Timer', type: FREE, source: screen },
  { name: 'LCD_Contrast', type: FREE, source: screen },
  { name: 'Logo_Type', type: FREE, source: screen },
  {
    name: 'Text_Logo',
    type: FREE,
    source: `${screen} (up to 2 lines of fewer than 32 characters)`,
  },
  { name: 'Picture_Download_URL', type: URL, source: screen },
  { name: 'Logo_URL', type: str(255), source: `${display} (a URL of at most 255 characters)` },
  {
    name: 'Phone_Background',
    type: oneOf('Default', 'Download Picture', 'Logo'),
    default: 'Default',
    source: display,
  },
  {
    // The 8800 11.1 guide's startup-screen procedure (Voice > User > Screen).
    name: 'Boot_Display',
    type: oneOf('Default', 'Download Picture', 'Logo', 'Text'),
    default: 'Default',
    source: `${cite('admin8800_111', 'Cisco IP Phone Customization > Customize the Startup Screen')}; ${display} (cfg.xml example)`,
  },
  {
    name: 'Text_Display',
    type: FREE,
    source: `${cite('admin8800_111', 'Cisco IP Phone Customization > Customize the Startup Screen')} (two lines of fewer than 32 characters)`,
  },
  {
    name: 'Font_Size',
    type: oneOf('Regular', 'Large'),
    default: 'Regular',
    source: xmlRef('Font_Size'),
    families: ['8800'],
  },
  {
    name: 'Voice_Feedback_Enable',
    type: BOOL,
    default: 'No',
    source: xmlRef('Voice_Feedback_Enable'),
    families: ['8800'],
  },
  {
    name: 'Voice_Feedback_Speed',
    type: oneOf('Slowest', 'Slower', 'Normal', 'Faster', 'Fastest'),
    default: 'Normal',
    source: xmlRef('Voice_Feedback_Speed'),
    families: ['8800'],
  },
  {
    name: 'Voice_Feedback_Volume',
    type: oneOf('Lowest', 'Low', 'Normal', 'High', 'Highest'),
    default: 'Normal',
    source: xmlRef('Voice_Feedback_Volume'),
    families: ['8800'],
  },
  {
    name: 'Key_Again_Reset_Time',
    type: int(100, 2000),
    default: '1200',
    source: `${xmlRef('Key_Again_Reset_Time')} (milliseconds)`,
    families: ['8800'],
  },
  {
    name: 'Key_Double_Press_Time',
    type: int(100, 2000),
    default: '600',
    source: `${xmlRef('Key_Double_Press_Time')} (milliseconds)`,
    families: ['8800'],
  },
  {
    name: 'Key_Triple_Press_Time',
    type: int(100, 2000),
    default: '1000',
    source: `${xmlRef('Key_Triple_Press_Time')} (milliseconds)`,
    families: ['8800'],
  },
];
