/**
 * Global SIP settings: SIP parameters, timers, response-code handling, RTP, SDP payload types
 * and NAT support (web UI: Voice > SIP).
 */
import type { CatalogEntry } from '../catalog.js';
import { webPage, xmlRef } from './sources.js';
import { BOOL, COUNT, FREE, HOST, IP, PORT, SECONDS, int, oneOf, seconds } from './types.js';

const sip = webPage('Voice > SIP > SIP Parameters');
const timers = webPage('Voice > SIP > SIP Timer Values (sec)');
const rsc = webPage('Voice > SIP > Response Status Code Handling');
const rtp = webPage('Voice > SIP > RTP Parameters');
const sdp = webPage('Voice > SIP > SDP Payload Types');
const nat = webPage('Voice > SIP > NAT Support Parameters');
const payload = int(96, 127);

export const SIP_PARAMETERS: readonly CatalogEntry[] = [
  { name: 'Max_Forward', type: int(1, 255), default: '70', source: sip },
  { name: 'Max_Redirection', type: COUNT, default: '5', source: sip },
  { name: 'Max_Auth', type: int(0, 255), default: '2', source: sip },
  { name: 'SIP_User_Agent_Name', type: FREE, default: '$VERSION', source: sip },
  { name: 'SIP_Server_Name', type: FREE, default: '$VERSION', source: sip },
  { name: 'SIP_Reg_User_Agent_Name', type: FREE, source: sip },
  { name: 'SIP_Accept_Language', type: FREE, source: sip },
  { name: 'DTMF_Relay_MIME_Type', type: FREE, default: 'application/dtmf-relay', source: sip },
  { name: 'Hook_Flash_MIME_Type', type: FREE, source: sip },
  { name: 'Remove_Last_Reg', type: BOOL, source: sip },
  { name: 'Use_Compact_Header', type: BOOL, default: 'No', source: sip },
  { name: 'Escape_Display_Name', type: BOOL, default: 'Yes', source: sip },
  { name: 'Talk_Package', type: BOOL, default: 'No', source: sip },
  { name: 'Hold_Package', type: BOOL, default: 'No', source: sip },
  { name: 'Conference_Package', type: BOOL, default: 'No', source: sip },
  { name: 'RFC_2543_Call_Hold', type: BOOL, default: 'Yes', source: sip },
  { name: 'Random_REG_CID_on_Reboot', type: BOOL, default: 'No', source: sip },
  { name: 'SIP_TCP_Port_Min', type: PORT, default: '5060', source: sip },
  { name: 'SIP_TCP_Port_Max', type: PORT, default: '5080', source: sip },
  {
    name: 'Caller_ID_Header',
    type: oneOf('PAID-RPID-FROM', 'PAID-FROM', 'RPID-PAID-FROM', 'RPID-FROM', 'FROM'),
    default: 'PAID-RPID-FROM',
    source: sip,
  },
  { name: 'Hold_Target_Before_Refer', type: BOOL, default: 'No', source: sip },
  { name: 'Dialog_SDP_Enable', type: BOOL, source: sip },
  { name: 'Keep_Referee_When_Refer_Failed', type: BOOL, source: sip },
  { name: 'Display_Diversion_Info', type: BOOL, source: sip },
  { name: 'Display_Anonymous_From_Header', type: BOOL, source: sip },
  { name: 'Sip_Accept_Encoding', type: oneOf('none', 'gzip'), source: sip },
  { name: 'Disable_Local_Name_To_Header', type: BOOL, default: 'No', source: sip },
  {
    name: 'SIP_IP_Preference',
    type: oneOf('IPv4', 'IPv6'),
    default: 'IPv4',
    source: `${xmlRef('SIP_IP_Preference')}; ${sip}`,
  },
  {
    name: 'Share_Line_Event_Package_Type',
    type: oneOf('Call-Info', 'Dialog'),
    default: 'Call-Info',
    source: xmlRef('Share_Line_Event_Package_Type'),
  },
  {
    name: 'Auth_Support_RFC8760',
    type: BOOL,
    default: 'No',
    source: xmlRef('Auth_Support_RFC8760'),
  },
  {
    name: 'SSRC_Reset_on_Rx_RE-INVITE',
    type: BOOL,
    default: 'No',
    source: xmlRef('SSRC_Reset_on_Rx_RE-INVITE'),
  },
  {
    name: 'SSRC_Reset_on_Tx_RE-INVITE',
    type: BOOL,
    default: 'No',
    source: xmlRef('SSRC_Reset_on_Tx_RE-INVITE'),
  },

  // Timers
  { name: 'SIP_T1', type: seconds(0, 64), default: '.5', source: timers },
  { name: 'SIP_T2', type: seconds(0, 64), default: '4', source: timers },
  { name: 'SIP_T4', type: seconds(0, 64), default: '5', source: timers },
  { name: 'SIP_Timer_B', type: seconds(0, 64), default: '16', source: timers },
  {
    name: 'SIP_Timer_F',
    type: seconds(0, 64),
    default: '16',
    source: `${timers}; ${xmlRef('SIP_Timer_F')}`,
  },
  { name: 'SIP_Timer_H', type: seconds(0, 64), default: '16', source: timers },
  { name: 'SIP_Timer_D', type: seconds(0, 64), default: '16', source: timers },
  { name: 'SIP_Timer_J', type: seconds(0, 64), default: '16', source: timers },
  { name: 'INVITE_Expires', type: int(0, 2000000), default: '240', source: timers },
  { name: 'ReINVITE_Expires', type: int(0, 2000000), default: '30', source: timers },
  { name: 'Reg_Min_Expires', type: SECONDS, source: timers },
  { name: 'Reg_Max_Expires', type: SECONDS, source: timers },
  {
    name: 'Reg_Retry_Intvl',
    type: int(1, 2147483647),
    default: '30',
    source: `${timers} (the table's label reads "Reg Retry Intv"; its text calls it Register Retry Intvl)`,
  },
  { name: 'Reg_Retry_Long_Intvl', type: int(0, 2147483647), default: '1200', source: timers },
  { name: 'Reg_Retry_Random_Delay', type: int(0, 2147483647), default: '0', source: timers },
  { name: 'Reg_Retry_Long_Random_Delay', type: int(0, 2147483647), default: '0', source: timers },
  { name: 'Reg_Retry_Intvl_Cap', type: int(0, 2147483647), default: '0', source: timers },
  { name: 'Sub_Min_Expires', type: SECONDS, source: timers },
  { name: 'Sub_Max_Expires', type: SECONDS, default: '7200', source: timers },
  { name: 'Sub_Retry_Intvl', type: SECONDS, default: '10', source: timers },

  // Response status code handling (RscTmplt, e.g. "5??,6??")
  { name: 'Try_Backup_RSC', type: FREE, source: rsc },
  { name: 'Retry_Reg_RSC', type: FREE, source: rsc },

  // RTP
  { name: 'RTP_Port_Min', type: PORT, default: '16384', source: rtp },
  { name: 'RTP_Port_Max', type: PORT, default: '16538', source: `${rtp} (must be below 49152)` },
  { name: 'RTP_Packet_Size', type: seconds(0.01, 0.13), default: '0.02', source: rtp },
  { name: 'Max_RTP_ICMP_Err', type: COUNT, source: `${rtp} (0 = no limit)` },
  { name: 'RTCP_Tx_Interval', type: int(0, 255), default: '0', source: rtp },
  {
    name: 'SDP_IP_Preference',
    type: oneOf('IPv4', 'IPv6', 'Auto'),
    default: 'IPv4',
    source: xmlRef('SDP_IP_Preference'),
  },
  { name: 'Call_Statistics', type: BOOL, default: 'No', source: xmlRef('Call_Statistics') },

  // SDP payload types and codec names
  { name: 'G722.2_Dynamic_Payload', type: payload, default: '96', source: sdp },
  { name: 'iLBC_Dynamic_Payload', type: payload, default: '97', source: sdp },
  { name: 'iSAC_Dynamic_Payload', type: payload, default: '98', source: sdp },
  { name: 'OPUS_Dynamic_Payload', type: payload, default: '99', source: sdp },
  { name: 'AVT_Dynamic_Payload', type: payload, default: '101', source: sdp },
  { name: 'INFOREQ_Dynamic_Payload', type: payload, source: sdp },
  {
    name: 'H264_BP0_Dynamic_Payload',
    type: payload,
    default: '110',
    source: sdp,
    families: ['8800'],
  },
  {
    name: 'H264_HP_Dynamic_Payload',
    type: payload,
    default: '110',
    source: sdp,
    families: ['8800'],
  },
  { name: 'G711u_Codec_Name', type: FREE, default: 'PCMU', source: sdp },
  { name: 'G711a_Codec_Name', type: FREE, default: 'PCMA', source: sdp },
  { name: 'G729a_Codec_Name', type: FREE, default: 'G729a', source: sdp },
  { name: 'G729b_Codec_Name', type: FREE, default: 'G729b', source: sdp },
  { name: 'G722_Codec_Name', type: FREE, default: 'G722', source: sdp },
  { name: 'G722.2_Codec_Name', type: FREE, default: 'G722.2', source: sdp },
  { name: 'iLBC_Codec_Name', type: FREE, default: 'iLBC', source: sdp },
  { name: 'iSAC_Codec_Name', type: FREE, default: 'iSAC', source: sdp },
  { name: 'OPUS_Codec_Name', type: FREE, default: 'OPUS', source: sdp },
  { name: 'AVT_Codec_Name', type: FREE, default: 'telephone-event', source: sdp },

  // NAT support
  { name: 'Handle_VIA_received', type: BOOL, default: 'No', source: nat },
  { name: 'Handle_VIA_rport', type: BOOL, default: 'No', source: nat },
  { name: 'Insert_VIA_received', type: BOOL, default: 'No', source: nat },
  { name: 'Insert_VIA_rport', type: BOOL, default: 'No', source: nat },
  { name: 'Substitute_VIA_Addr', type: BOOL, default: 'No', source: nat },
  { name: 'Send_Resp_To_Src_Port', type: BOOL, default: 'No', source: nat },
  { name: 'STUN_Enable', type: BOOL, default: 'No', source: nat },
  { name: 'STUN_Test_Enable', type: BOOL, default: 'No', source: nat },
  { name: 'STUN_Server', type: HOST, source: nat },
  { name: 'EXT_IP', type: IP, source: `${nat} (0.0.0.0 = no substitution)` },
  { name: 'EXT_RTP_Port_Min', type: PORT, default: '0', source: nat },
  { name: 'NAT_Keep_Alive_Intvl', type: SECONDS, default: '15', source: nat },
  { name: 'Redirect_Keep_Alive', type: BOOL, source: nat },
  { name: 'ice_stun_enable', type: BOOL, default: 'No', source: xmlRef('ice_stun_enable') },
];
