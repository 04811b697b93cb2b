import { Inject, Injectable, Logger } from '@nestjs/common';
import * as client from 'openid-client';
import { RedisClient } from '../common/redis.js';
import { AppConfig } from '../config/app-config.js';
import { AuthService } from './auth.service.js';
import { checkCccd } from './cccd.js';
import type { TokenPair } from './dto/auth.dto.js';
import { UsersService } from './users.service.js';
import { CommonErrors } from '../common/common.errors.js';
import { AuthErrors } from './auth.errors.js';
import { purposeHmac, safeEqual } from './secret-hash.js';

/** How long a started login may take at the provider; its state is single-use within that. */
export const OIDC_STATE_TTL_SECONDS = 600;
const DISCOVERY_TIMEOUT_SECONDS = 10;
const STATE_FORM = /^[A-Za-z0-9_-]{16,128}$/;
/** The cookie that ties a started login to the browser that started it. */
export const OIDC_BINDING_COOKIE = 'motcua_oidc';

type OidcSettings = NonNullable<AppConfig['oidc']>;
interface PendingLogin {
  verifier: string;
  nonce: string;
}

const INVALID_STATE = () => AuthErrors.OIDC_INVALID_STATE([{ field: 'state', message: 'unknown, expired or already used' }]);
const NOT_BOUND = () => AuthErrors.OIDC_STATE_NOT_BOUND([{ field: 'cookie', message: `${OIDC_BINDING_COOKIE} missing or not issued for this state` }]);
const LOGIN_FAILED = (reason: string) => AuthErrors.OIDC_LOGIN_FAILED([{ field: 'code', message: reason }]);

/**
 * Login with the national identity provider (VNeID) by OpenID Connect: authorization code with
 * PKCE, state and nonce, as a confidential client (openid-client). The citizen is found (or
 * created) by the CCCD number in the OIDC_ID_CLAIM claim and receives our own tokens, as after a
 * password login.
 */
@Injectable()
export class OidcService {
  private readonly logger = new Logger('OIDC');
  /** Discovery, cached after the first success; not done at boot so we start while the provider is down. */
  private discovered?: Promise<client.Configuration>;

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(RedisClient) private readonly redis: RedisClient,
    @Inject(UsersService) private readonly users: UsersService,
    @Inject(AuthService) private readonly auth: AuthService,
  ) {}

  /**
   * Starts a login: remembers state, nonce and PKCE verifier, and returns where to send the citizen
   * and the value of the browser-binding cookie (an HMAC of the state). The callback is accepted
   * only from the browser holding that cookie, so nobody can make a victim's browser complete a
   * login the attacker started (login swapping / CSRF on the callback).
   */
  async authorizationUrl(): Promise<{ url: string; binding: string }> {
    const settings = this.settings();
    const provider = await this.provider(settings);
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const pending: PendingLogin = { verifier, nonce: client.randomNonce() };
    await this.redisCall(() => this.redis.set(this.stateKey(state), JSON.stringify(pending), 'EX', OIDC_STATE_TTL_SECONDS));
    const url = client.buildAuthorizationUrl(provider, {
      redirect_uri: settings.redirectUri,
      scope: settings.scopes,
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce: pending.nonce,
    });
    return { url: url.href, binding: this.binding(state) };
  }

  /** Completes a login from the provider's redirect (its query parameters as received, and the binding cookie). */
  async completeLogin(query: Record<string, unknown>, binding: string | undefined): Promise<TokenPair> {
    const settings = this.settings();
    const state = query.state;
    if (typeof state !== 'string' || !STATE_FORM.test(state)) throw INVALID_STATE();
    if (!(await this.redisCall(() => this.redis.exists(this.stateKey(state))))) throw INVALID_STATE();
    // Checked before the state is used up, so a wrong browser cannot burn the right one's login.
    if (!binding || !safeEqual(binding, this.binding(state))) throw NOT_BOUND();
    // GETDEL makes the state single-use even when the same redirect arrives twice at once.
    const saved = await this.redisCall(() => this.redis.getdel(this.stateKey(state)));
    if (!saved) throw INVALID_STATE();
    const pending = JSON.parse(saved) as PendingLogin;
    if (typeof query.error === 'string') throw LOGIN_FAILED(`provider answered ${query.error.slice(0, 100)}`);

    const provider = await this.provider(settings);
    const callbackUrl = new URL(settings.redirectUri);
    for (const [name, value] of Object.entries(query)) if (typeof value === 'string') callbackUrl.searchParams.set(name, value);
    let claims: Record<string, unknown>;
    try {
      const tokens = await client.authorizationCodeGrant(provider, callbackUrl, {
        pkceCodeVerifier: pending.verifier,
        expectedState: state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
      const idToken = tokens.claims()!;
      claims = { ...idToken };
      // Providers often put only `sub` in the ID token and the rest behind the userinfo endpoint.
      if (claims[settings.idClaim] === undefined && provider.serverMetadata().userinfo_endpoint) {
        claims = { ...(await client.fetchUserInfo(provider, tokens.access_token, idToken.sub)), ...idToken };
      }
    } catch (e) {
      // The library's messages name what failed (state, nonce, signature…) and carry no token.
      this.logger.warn(`code exchange refused: ${(e as Error).message}`);
      throw LOGIN_FAILED('the authorization code could not be exchanged or its ID token was invalid');
    }
    const idNumber = claims[settings.idClaim];
    if (typeof idNumber !== 'string' || checkCccd(idNumber) !== null) {
      throw AuthErrors.OIDC_INVALID_IDENTITY([{ field: settings.idClaim, message: 'missing or not a valid 12-digit CCCD' }]);
    }
    const user = await this.users.findOrCreateCitizenFromIdentity({ idNumber, ...profileFrom(claims) });
    if (!user.active) throw AuthErrors.ACCOUNT_DISABLED();
    return this.auth.issueFor(user);
  }

  private settings(): OidcSettings {
    if (!this.config.oidc) throw AuthErrors.OIDC_NOT_CONFIGURED();
    return this.config.oidc;
  }

  private binding(state: string): string {
    return purposeHmac(this.config.jwtSecret, 'oidc state binding', state);
  }

  private stateKey(state: string): string {
    return `${this.config.queuePrefix}:oidc:state:${state}`;
  }

  private async provider(settings: OidcSettings): Promise<client.Configuration> {
    this.discovered ??= discover(settings).catch((e: unknown) => {
      this.discovered = undefined; // try again on the next login
      throw e;
    });
    try {
      return await this.discovered;
    } catch (e) {
      this.logger.warn(`discovery at ${settings.issuer} failed: ${(e as Error).message}`);
      throw AuthErrors.OIDC_PROVIDER_UNAVAILABLE();
    }
  }

  private async redisCall<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch {
      throw CommonErrors.SERVICE_UNAVAILABLE('Dịch vụ tạm thời không sẵn sàng', 'Service temporarily unavailable');
    }
  }
}

async function discover(settings: OidcSettings): Promise<client.Configuration> {
  // Plain http is allowed only because the issuer itself was configured so (a local test provider).
  const insecure = new URL(settings.issuer).protocol === 'http:';
  const found = await client.discovery(new URL(settings.issuer), settings.clientId, undefined, undefined, {
    execute: insecure ? [client.allowInsecureRequests] : [],
    timeout: DISCOVERY_TIMEOUT_SECONDS,
  });
  // client_secret_basic is OpenID Connect's default; use client_secret_post only for a provider
  // that does not offer basic.
  const server = found.serverMetadata();
  const methods = server.token_endpoint_auth_methods_supported;
  const auth =
    !methods || methods.includes('client_secret_basic') ? client.ClientSecretBasic(settings.clientSecret) : client.ClientSecretPost(settings.clientSecret);
  const configuration = new client.Configuration(server, settings.clientId, settings.clientSecret, auth);
  configuration.timeout = DISCOVERY_TIMEOUT_SECONDS;
  if (insecure) client.allowInsecureRequests(configuration);
  return configuration;
}

/** The optional profile claims we keep, checked to fit our columns (anything odd is dropped). */
function profileFrom(claims: Record<string, unknown>): { fullName?: string; dateOfBirth?: string; phone?: string; email?: string } {
  const text = (v: unknown, max: number) => (typeof v === 'string' && v.trim() && v.trim().length <= max ? v.trim() : undefined);
  const birthdate = text(claims.birthdate, 10);
  const phone = text(claims.phone_number, 20)?.replace(/[\s.-]/g, '');
  const email = text(claims.email, 254);
  return {
    fullName: text(claims.name, 200),
    dateOfBirth:
      birthdate && /^\d{4}-\d{2}-\d{2}$/.test(birthdate) && !Number.isNaN(Date.parse(birthdate)) && new Date(birthdate).toISOString().startsWith(birthdate)
        ? birthdate
        : undefined,
    phone: phone && /^\+?\d{9,15}$/.test(phone) ? phone : undefined,
    email: email?.includes('@') ? email : undefined,
  };
}
