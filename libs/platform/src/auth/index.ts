export { ALL_SCOPES, SCOPES, STAFF_SCOPES, type Scope } from '@fulfillment/contracts';
export {
  AUTH_DISABLED_WARNING,
  authConfigOf,
  authConfigShape,
  MIN_SECRET_LENGTH,
  type AuthConfig,
  type AuthSettings,
} from './auth-settings.js';
export {
  AuthError,
  createTokenVerifier,
  VERIFIED_TOKEN_CACHE,
  type AuthFailureReason,
  type AuthResult,
  type Principal,
  type TokenVerifier,
} from './verify-token.js';
export { mintToken, ttlSeconds, type MintTokenOptions } from './mint-token.js';
