import type { WindowsAccount } from '../core/ports/identity.js';

// A NetBIOS domain (CORP), a DNS domain (corp.example.com) or, for a local account, the server's name.
const DOMAIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}(?:\.[A-Za-z0-9-]{1,63})*)?$/;
// sAMAccountName: at most 20 characters, none of " / \ [ ] : ; | = , + * ? < > @, no control
// characters, and not ending in a dot or a space.
const LOGIN = /^[^"/\\[\]:;|=,+*?<>@\x00-\x1f\x7f]{1,20}$/;

/** Why `user` cannot be a Windows login, or undefined when it can. */
export function loginProblem(user: string): string | undefined {
  if (!LOGIN.test(user)) return 'a Windows login has 1 to 20 characters and none of " / \\ [ ] : ; | = , + * ? < > @';
  if (/^\s|[\s.]$/.test(user)) return 'a Windows login neither starts with a space nor ends with a space or a dot';
  return undefined;
}

/** Why `domain` cannot be a Windows domain name, or undefined when it can. */
export function domainProblem(domain: string): string | undefined {
  return DOMAIN.test(domain) && domain.length <= 255 ? undefined : 'a domain is a NetBIOS name (CORP) or a DNS name (corp.example.com)';
}

/** `CORP\jdoe` → { domain: 'CORP', user: 'jdoe' }, or a sentence saying what is wrong with the text. */
export function parseWindowsAccount(text: string): WindowsAccount | string {
  const parts = text.split('\\');
  if (parts.length !== 2) {
    return parts.length > 2
      ? `"${text}" has more than one backslash: write CORP\\jdoe (in YAML unquoted or in single quotes; in double quotes "CORP\\\\jdoe")`
      : `"${text}" is not DOMAIN\\login (for example CORP\\jdoe)`;
  }
  const [domain = '', user = ''] = parts;
  const problem = domainProblem(domain) ?? loginProblem(user);
  return problem ? `"${text}": ${problem}` : { domain, user };
}

export function formatAccount(a: WindowsAccount): string {
  return `${a.domain}\\${a.user}`;
}
