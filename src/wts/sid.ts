/** SID_MAX_SUB_AUTHORITIES. */
export const MAX_SUB_AUTHORITIES = 15;

/** Bytes of a SID with `subAuthorities` sub-authorities (GetLengthSid). */
export function sidLength(subAuthorities: number): number {
  return 8 + 4 * subAuthorities;
}

/**
 * A binary SID as Windows writes it (ConvertSidToStringSidW): `S-1-5-21-…`. The identifier authority
 * is six big-endian bytes, in decimal below 2^32 and in hex above; the sub-authorities are little-endian.
 * Undefined for bytes that are not a SID.
 */
export function sidToString(bytes: Uint8Array): string | undefined {
  if (bytes.length < 8) return undefined;
  const revision = bytes[0] as number;
  const count = bytes[1] as number;
  if (revision !== 1 || count > MAX_SUB_AUTHORITIES || bytes.length < sidLength(count)) return undefined;
  let authority = 0;
  for (let i = 2; i < 8; i++) authority = authority * 256 + (bytes[i] as number);
  const auth = authority < 2 ** 32 ? String(authority) : `0x${authority.toString(16).toUpperCase().padStart(12, '0')}`;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const subs: number[] = [];
  for (let i = 0; i < count; i++) subs.push(view.getUint32(8 + 4 * i, true));
  return ['S', revision, auth, ...subs].join('-');
}

/** The binary form of `S-1-5-21-…`, or undefined when the text is not a SID. */
export function sidFromString(text: string): Uint8Array | undefined {
  const m = /^S-1-(\d+|0x[0-9a-f]{12})((?:-\d+)*)$/i.exec(text);
  if (!m) return undefined;
  const authority = Number(m[1]);
  const subs = (m[2] as string).split('-').slice(1).map(Number);
  if (!Number.isSafeInteger(authority) || authority >= 2 ** 48 || subs.length > MAX_SUB_AUTHORITIES || subs.some((s) => s >= 2 ** 32)) return undefined;
  const bytes = new Uint8Array(sidLength(subs.length));
  const view = new DataView(bytes.buffer);
  bytes[0] = 1;
  bytes[1] = subs.length;
  for (let i = 0, a = authority; i < 6; i++, a = Math.floor(a / 256)) bytes[7 - i] = a % 256;
  subs.forEach((s, i) => view.setUint32(8 + 4 * i, s, true));
  return bytes;
}
