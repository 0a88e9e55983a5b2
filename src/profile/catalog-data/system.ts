/**
 * System and user access: web server and passwords, phone-UI restrictions, IPv4/IPv6
 * addressing, optional network configuration (syslog, NTP, DNS), VLAN, 802.1X, HTTP proxy,
 * VPN and security (web UI: Voice > System).
 */
import type { CatalogEntry } from '../catalog.js';
import { cite, webPage, xmlRef } from './sources.js';
import { BOOL, FREE, HOST, IP, PASSWORD, PORT, SECONDS, int, oneOf, str } from './types.js';

const system = webPage('Voice > System > System Configuration');
const ipv4 = webPage('Voice > System > IPv4 Settings');
const ipv6 = webPage('Voice > System > IPv6 Settings');
const optional = webPage('Voice > System > Optional Network Configuration');
const vlan = webPage('Voice > System > VLAN Settings');
const passwordNames = `${system} (XML element names Admin_Passwd / User_Password as in cisco-mpp-reference.md §1)`;

export const SYSTEM_PARAMETERS: readonly CatalogEntry[] = [
  // System Configuration (user access)
  { name: 'Restricted_Access_Domains', type: FREE, source: system },
  { name: 'Enable_Web_Server', type: BOOL, default: 'Yes', source: system },
  {
    name: 'Enable_Protocol',
    type: oneOf('Http', 'Https'),
    default: 'Https',
    source: `${xmlRef('Enable_Protocol')} (default Http before 12.0(3): ${system})`,
  },
  { name: 'Enable_Direct_Action_Url', type: BOOL, default: 'Yes', source: system },
  { name: 'Session_Max_Timeout', type: SECONDS, default: '3600', source: `${system} (seconds)` },
  { name: 'Session_Idle_Timeout', type: SECONDS, default: '3600', source: `${system} (seconds)` },
  {
    name: 'Web_Server_Port',
    type: PORT,
    default: '443',
    source: `${xmlRef('Web_Server_Port')}; ${system}`,
  },
  { name: 'Enable_Web_Admin_Access', type: BOOL, default: 'Yes', source: system },
  { name: 'Admin_Passwd', type: PASSWORD, secret: true, source: passwordNames },
  { name: 'User_Password', type: PASSWORD, secret: true, source: passwordNames },
  { name: 'Phone-UI-readonly', type: BOOL, default: 'No', source: system },
  { name: 'Phone-UI-User-Mode', type: BOOL, default: 'No', source: system },
  {
    name: 'User_Password_Prompt',
    type: BOOL,
    default: 'Yes',
    source: cite(
      'admin8832',
      'Cisco IP Phone Security > Access Control Parameters (cfg.xml example)',
    ),
  },
  { name: 'Block_Nonproxy_SIP', type: BOOL, default: 'No', source: system },
  {
    name: 'Display_Password_Warnings',
    type: BOOL,
    default: 'Yes',
    source: xmlRef('Display_Password_Warnings'),
  },
  {
    name: 'FIPS_Mode',
    type: oneOf('Disabled', 'Enabled'),
    default: 'Disabled',
    source: xmlRef('FIPS_MODE'),
  },
  {
    name: 'Firewall',
    type: oneOf('Disabled', 'Enabled'),
    default: 'Enabled',
    source: xmlRef('Firewall'),
  },
  { name: 'Firewall_Config', type: FREE, source: xmlRef('Firewall_Config') },
  { name: 'TLS_Cipher_List', type: str(521), source: xmlRef('TLS_Cipher_List') },
  {
    name: 'TLS_Client_Min_Version',
    type: oneOf('TLS 1.0', 'TLS 1.1', 'TLS 1.2', 'TLS 1.3'),
    default: 'TLS 1.2',
    source: xmlRef('TLS_Client_Min_Version'),
  },
  {
    name: 'TLS_Server_Min_Version',
    type: oneOf('TLS 1.1', 'TLS 1.2', 'TLS 1.3'),
    default: 'TLS 1.2',
    source: xmlRef('TLS_Server_Min_Version'),
  },
  {
    name: 'Certificate_Select',
    type: oneOf('Manufacturing installed', 'Custom installed'),
    default: 'Manufacturing installed',
    source: xmlRef('Certificate_Select'),
  },
  { name: 'CDC_Server_1_', type: FREE, source: xmlRef('CDC_Server_1_') },
  { name: 'CDC_Root_CA_Fingerprint_1_', type: FREE, source: xmlRef('CDC_Root_CA_Fingerprint_1_') },
  {
    name: 'CDC_Challenge_Password_1_',
    type: PASSWORD,
    secret: true,
    source: xmlRef('CDC_Challenge_Password_1_'),
  },

  // Network settings
  {
    name: 'IP_Mode',
    type: oneOf('IPv4 Only', 'IPv6 Only', 'Dual Mode'),
    default: 'Dual Mode',
    source: webPage('Voice > System > Network Settings'),
  },
  { name: 'Connection_Type', type: oneOf('DHCP', 'Static IP'), default: 'DHCP', source: ipv4 },
  { name: 'Static_IP', type: IP, source: ipv4 },
  { name: 'NetMask', type: IP, source: ipv4 },
  { name: 'Gateway', type: IP, source: ipv4 },
  { name: 'Primary_DNS', type: IP, source: ipv4 },
  { name: 'Secondary_DNS', type: IP, source: ipv4 },
  { name: 'Broadcast_Echo', type: oneOf('Disabled', 'Enabled'), default: 'Disabled', source: ipv6 },
  { name: 'Auto_Config', type: oneOf('Disabled', 'Enabled'), default: 'Enabled', source: ipv6 },
  {
    name: 'Enable_802.1X_Authentication',
    type: BOOL,
    default: 'No',
    source: xmlRef('Enable_802.1X_Authentication'),
  },
  { name: 'Disable_DF', type: BOOL, default: 'Yes', source: xmlRef('Disable_DF') },
  { name: 'Forced_NAT64', type: BOOL, default: 'No', source: xmlRef('Forced_NAT64') },

  // Optional Network Configuration
  { name: 'Host_Name', type: FREE, source: optional },
  { name: 'Domain', type: FREE, source: optional },
  {
    name: 'DNS_Server_Order',
    type: oneOf('Manual,DHCP', 'Manual', 'DHCP,Manual'),
    source: optional,
  },
  { name: 'DNS_Query_Mode', type: oneOf('Parallel', 'Sequential'), source: optional },
  { name: 'DNS_Caching_Enable', type: BOOL, default: 'Yes', source: optional },
  { name: 'Switch_Port_Config', type: FREE, source: `${optional} (speed/duplex choices)` },
  { name: 'PC_Port_Config', type: FREE, source: `${optional} (speed/duplex choices)` },
  { name: 'PC_PORT_Enable', type: BOOL, source: optional },
  { name: 'Enable_PC_Port_Mirror', type: BOOL, source: optional },
  { name: 'Syslog_Server', type: HOST, source: optional },
  {
    name: 'Syslog_Identifier',
    type: oneOf('None', '$MA', '$MAU', '$MAC', '$SN'),
    default: 'None',
    source: optional,
  },
  { name: 'Debug_Level', type: int(0, 2), default: '0', source: optional },
  { name: 'Primary_NTP_Server', type: HOST, source: optional },
  { name: 'Secondary_NTP_Server', type: HOST, source: optional },
  { name: 'Enable_SSLv3', type: BOOL, default: 'No', source: optional },

  // VLAN and inventory
  { name: 'Enable_VLAN', type: BOOL, source: vlan },
  { name: 'Enable_CDP', type: BOOL, source: vlan },
  { name: 'Enable_LLDP-MED', type: BOOL, source: vlan },
  { name: 'Network_Startup_Delay', type: SECONDS, default: '3', source: `${vlan} (seconds)` },
  { name: 'VLAN_ID', type: int(1, 4095), source: `${vlan} (IEEE 802.1Q range; "do not use 1")` },
  { name: 'PC_Port_VLAN_ID', type: int(0, 4095), source: vlan },
  {
    name: 'DHCP_VLAN_Option',
    type: {
      kind: 'pattern',
      regex: 'Null|1(2[89]|3[0-9]|4[0-9]|5[1-8]|6[1-9]|[7-9][0-9])|2([0-4][0-9]|5[0-4])',
      expected: 'Null, 128–149, 151–158 or 161–254',
    },
    source: vlan,
  },
  { name: 'Asset_ID', type: str(31), source: webPage('Voice > System > Inventory Settings') },

  // HTTP proxy and VPN (11.3(7) and later)
  {
    name: 'Proxy_Mode',
    type: oneOf('Auto', 'Manual', 'Off'),
    default: 'Off',
    source: xmlRef('Proxy_Mode'),
  },
  {
    name: 'Use_Auto_Discovery__WPAD_',
    type: BOOL,
    default: 'Yes',
    source: xmlRef('Use_Auto_Discovery__WPAD_'),
  },
  { name: 'PAC_URL', type: str(511), source: xmlRef('PAC_URL') },
  { name: 'Proxy_Host', type: str(255), source: xmlRef('Proxy_Host') },
  { name: 'Proxy_Port', type: PORT, default: '3128', source: xmlRef('Proxy_Port') },
  {
    name: 'Proxy_Server_Requires_Authentication',
    type: BOOL,
    default: 'No',
    source: xmlRef('Proxy_Server_Requires_Authentication'),
  },
  { name: 'Proxy_Username', type: FREE, source: xmlRef('Proxy_Username') },
  { name: 'Proxy_Password', type: PASSWORD, secret: true, source: xmlRef('Proxy_Password') },
  { name: 'VPN_Server', type: str(31), source: xmlRef('VPN_Server') },
  { name: 'VPN_User_Name', type: str(31), source: xmlRef('VPN_User_Name') },
  {
    name: 'VPN_Password',
    type: { kind: 'password', maxLength: 31 },
    secret: true,
    source: xmlRef('VPN_Password'),
  },
  { name: 'VPN_Tunnel_Group', type: str(31), source: xmlRef('VPN_Tunnel_Group') },
  { name: 'Connect_on_Bootup', type: BOOL, default: 'No', source: xmlRef('Connect_on_Bootup') },

  // Remote control and Webex
  { name: 'Control_Server_URL', type: FREE, source: xmlRef('Control_Server_URL') },
  { name: 'Allowed_APIs', type: FREE, default: '.*', source: xmlRef('Allowed_APIs') },
  {
    name: 'Webex_Onboard_Enable',
    type: BOOL,
    default: 'Yes',
    source: xmlRef('Webex_Onboard_Enable'),
  },
  {
    name: 'Webex_Metrics_Enable',
    type: BOOL,
    default: 'No',
    source: xmlRef('Webex Metrics Enable Parameter'),
  },
  {
    name: 'Survivability_Test_Mode',
    type: BOOL,
    default: 'No',
    source: xmlRef('Survivability_Test_Mode'),
  },
  {
    name: 'X-SWITCH-INFO_Support',
    type: BOOL,
    default: 'No',
    source: xmlRef('X-SWITCH-INFO_Support'),
  },
  {
    name: 'Peripheral_Inventory_Enable',
    type: BOOL,
    default: 'No',
    source: xmlRef('Peripheral_Inventory_Enable'),
    families: ['6800', '8800'],
  },
  {
    name: 'Disable_Side_USB_Port',
    type: BOOL,
    default: 'No',
    source: xmlRef('Disable_Side_USB_Port'),
    families: ['8800'],
  },
  { name: 'Device_Config_Version', type: str(64), source: xmlRef('Device_Config_Version') },
  {
    name: 'Audio_Overload_Point_9dB',
    type: BOOL,
    default: 'No',
    source: xmlRef('Audio_Overload_Point_9dB'),
    families: ['6800', '8800'],
  },
];
