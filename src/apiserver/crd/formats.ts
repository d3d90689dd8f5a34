// The string formats kube-openapi's strfmt registry checks in CRD schemas (date-time, date,
// duration, uuid, email, hostname, ipv4, ipv6, cidr, mac, uri, byte, colors, bsonobjectid, …).
// Any other format (int32, int64, double, password, …) is not checked, as in Kubernetes.

import { isIPv4, isIPv6 } from 'node:net';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(:(\d{2})(\.\d+)?)?([Zz]|[+-]\d{2}(:?\d{2})?)?$/;
const DURATION_UNIT = '(ns|us|µs|ms|s|m|h|d|w|nanoseconds?|microseconds?|milliseconds?|seconds?|minutes?|hours?|days?|weeks?|sec|min|hr)';
const DURATION = new RegExp(`^([-+]?\\d+(\\.\\d+)?\\s*${DURATION_UNIT}\\s*)+$`);
const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const uuidVersion = (v: string) => new RegExp(`^[0-9a-f]{8}-?[0-9a-f]{4}-?${v}[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$`, 'i');
const EMAIL = /^[^\s@]+@[^\s@]+$/;
const HOSTNAME_LABEL = /^[a-zA-Z0-9\p{L}\p{S}]([a-zA-Z0-9\p{L}\p{S}-]{0,61}[a-zA-Z0-9\p{L}\p{S}])?$/u;
const MAC = /^([0-9a-fA-F]{2}[:-]){5}([0-9a-fA-F]{2})$|^([0-9a-fA-F]{2}[:-]){7}([0-9a-fA-F]{2})$|^([0-9a-fA-F]{2}[:-]){19}([0-9a-fA-F]{2})$|^([0-9a-fA-F]{4}\.){2}([0-9a-fA-F]{4})$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const HEX_COLOR = /^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/;
const RGB_COLOR = /^rgb\(\s*\d{1,3}\s*,\s*\d{1,3}\s*,\s*\d{1,3}\s*\)$/;
const BSON_OBJECT_ID = /^[0-9a-fA-F]{24}$/;

function validDate(y: string, m: string, d: string): boolean {
  const year = Number(y);
  const month = Number(m);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1) return false;
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= days;
}

function isDate(s: string): boolean {
  const m = DATE.exec(s);
  return !!m && validDate(m[1]!, m[2]!, m[3]!);
}

function isDateTime(s: string): boolean {
  const m = DATE_TIME.exec(s);
  if (!m || !validDate(m[1]!, m[2]!, m[3]!)) return false;
  return Number(m[4]) < 24 && Number(m[5]) < 60 && Number(m[7] ?? 0) < 61;
}

function isHostname(s: string): boolean {
  if (s.length === 0 || s.length > 255) return false;
  const labels = s.replace(/\.$/, '').split('.');
  return labels.every((l) => HOSTNAME_LABEL.test(l));
}

function isCidr(s: string): boolean {
  const slash = s.lastIndexOf('/');
  if (slash < 0) return false;
  const ip = s.slice(0, slash);
  const bits = s.slice(slash + 1);
  if (!/^\d{1,3}$/.test(bits)) return false;
  if (isIPv4(ip)) return Number(bits) <= 32;
  if (isIPv6(ip)) return Number(bits) <= 128;
  return false;
}

function isUri(s: string): boolean {
  // Go's url.Parse accepts nearly anything but control characters and malformed escapes.
  if (/[\x00-\x1f\x7f]/.test(s)) return false;
  return !/%(?![0-9a-fA-F]{2})/.test(s);
}

/** Format name → check, for the formats Kubernetes validates. */
export const KNOWN_FORMATS: Readonly<Record<string, (s: string) => boolean>> = {
  bsonobjectid: (s) => BSON_OBJECT_ID.test(s),
  uri: isUri,
  email: (s) => EMAIL.test(s),
  hostname: isHostname,
  ipv4: (s) => isIPv4(s),
  ipv6: (s) => isIPv6(s),
  cidr: isCidr,
  mac: (s) => MAC.test(s),
  uuid: (s) => UUID.test(s),
  uuid3: (s) => uuidVersion('3').test(s),
  uuid4: (s) => uuidVersion('4').test(s),
  uuid5: (s) => uuidVersion('5').test(s),
  hexcolor: (s) => HEX_COLOR.test(s),
  rgbcolor: (s) => RGB_COLOR.test(s),
  byte: (s) => BASE64.test(s),
  password: () => true,
  date: isDate,
  duration: (s) => DURATION.test(s.trim()),
  datetime: isDateTime,
  'date-time': isDateTime,
};

export function isKnownFormat(format: string | undefined): format is string {
  return format !== undefined && Object.hasOwn(KNOWN_FORMATS, format);
}
