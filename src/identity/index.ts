/** Who "me" is, for self-service: what src/app wires into the core's IdentityResolver port. */
export { buildIdentityResolver, describeIdentity, identityNeedsEmail, BIND_DN_VARIABLE, BIND_PASSWORD_VARIABLE } from './build.js';
export { emptyIdentityConfig, type IdentityConfig, type LdapConfig, type EmailRuleConfig, type ResolverName } from './config.js';
export { CachedIdentityResolver } from './cache.js';
export { ResolverChain } from './chain.js';
export { ExplicitMapResolver } from './explicit-map.js';
export { EmailRuleResolver } from './email-rule.js';
export { LdapResolver, type LdapCredentials, type IdentityLog } from './ldap-resolver.js';
export { formatAccount, parseWindowsAccount } from './windows-account.js';
