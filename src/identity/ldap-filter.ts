/**
 * RFC 4515 escaping of an assertion value: `*`, `(`, `)`, `\` and NUL become `\2a`, `\28`, `\29`,
 * `\5c` and `\00`, so a value can never widen the search (`*`) or close the filter early. Other
 * characters, UTF-8 included, are legal as they are.
 */
export function escapeFilterValue(value: string): string {
  return value.replace(/[*()\\\x00]/g, (c) => `\\${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** AD keeps every address of a mailbox in proxyAddresses as `smtp:<address>` (`SMTP:` for the primary one). */
const PREFIXED: Readonly<Record<string, string>> = { proxyaddresses: 'smtp:' };

/**
 * `(&<objectFilter>(|(mail=<e>)(userPrincipalName=<e>)(proxyAddresses=smtp:<e>)))`: the entries of
 * people (as objectFilter selects them) that carry this email in one of the attributes.
 */
export function emailSearchFilter(objectFilter: string, emailAttributes: readonly string[], email: string): string {
  const value = escapeFilterValue(email);
  const terms = emailAttributes.map((a) => `(${a}=${PREFIXED[a.toLowerCase()] ?? ''}${value})`).join('');
  return `(&${objectFilter}(|${terms}))`;
}
