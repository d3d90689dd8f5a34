// The authn module's public surface.

export { withAuthentication, type AuthenticatedHandler } from './authenticate.js';
export { bearerToken } from './bearer.js';
export { createTokenAuthenticator, loadTokenFile, parseTokenFile } from './token-file.js';
export { createUnionAuthenticator, type UnionAuthenticatorOptions } from './union.js';
export { writeUnauthorized } from './unauthorized.js';
export { createX509Authenticator, type X509AuthenticatorOptions } from './x509.js';
export { GROUP_AUTHENTICATED, GROUP_UNAUTHENTICATED, USER_ANONYMOUS, type Authenticator, type UserInfo } from './types.js';
export { bootstrapTokenUser, createBootstrapTokenAuthenticator, type BootstrapTokenAuthenticatorOptions } from './bootstrap-token.js';
