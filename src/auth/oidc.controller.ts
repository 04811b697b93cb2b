import { Controller, Get, Inject, Query, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../common/auth-context.js';
import { readCookie } from '../common/cookies.js';
import { TokenPair } from './dto/auth.dto.js';
import { AppConfig } from '../config/app-config.js';
import { OIDC_BINDING_COOKIE, OIDC_STATE_TTL_SECONDS, OidcService } from './oidc.service.js';

export class AuthorizationUrlView {
  @ApiProperty({ description: 'Send the citizen here to log in with VNeID' })
  authorizationUrl: string;
}

@ApiTags('auth')
@Controller('auth/oidc')
export class OidcController {
  constructor(
    @Inject(OidcService) private readonly oidc: OidcService,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  @Get('authorize')
  @Public()
  @ApiOperation({
    operationId: 'startOidcLogin',
    summary: 'Bắt đầu đăng nhập VNeID / Start an OpenID Connect login (VNeID)',
    description: `Sets the HttpOnly cookie ${OIDC_BINDING_COOKIE} that the callback requires: call it from the browser that will follow the redirect (a navigation with redirect=true, or fetch with credentials).`,
  })
  @ApiQuery({ name: 'redirect', required: false, description: '`true`: answer 302 to the provider instead of JSON' })
  @ApiOkResponse({ type: AuthorizationUrlView })
  @ApiResponse({ status: 302, description: 'With redirect=true: to the identity provider' })
  @ApiResponse({ status: 404, description: 'OIDC_NOT_CONFIGURED' })
  @ApiResponse({ status: 503, description: 'OIDC_PROVIDER_UNAVAILABLE' })
  async authorize(@Query('redirect') redirect: string | undefined, @Req() req: Request, @Res() res: Response): Promise<void> {
    const { url: authorizationUrl, binding } = await this.oidc.authorizationUrl();
    // SameSite=Lax: the provider's redirect back is a top-level navigation from another site.
    res.cookie(OIDC_BINDING_COOKIE, binding, {
      httpOnly: true,
      sameSite: 'lax',
      secure: req.secure || this.config.nodeEnv === 'production',
      path: '/',
      maxAge: OIDC_STATE_TTL_SECONDS * 1000,
    });
    if (redirect === 'true') res.redirect(302, authorizationUrl);
    else res.json({ authorizationUrl });
  }

  @Get('callback')
  @Public()
  @ApiOperation({
    operationId: 'completeOidcLogin',
    summary: 'Hoàn tất đăng nhập VNeID / OpenID Connect redirect target (OIDC_REDIRECT_URI): exchanges the code for our tokens',
  })
  @ApiQuery({ name: 'code', required: false })
  @ApiQuery({ name: 'state', required: true })
  @ApiOkResponse({ type: TokenPair })
  @ApiResponse({
    status: 400,
    description: 'OIDC_INVALID_STATE: unknown, expired or reused state; OIDC_STATE_NOT_BOUND: not the browser that started the login',
  })
  @ApiResponse({ status: 401, description: 'OIDC_LOGIN_FAILED, OIDC_INVALID_IDENTITY (no valid CCCD claim), ACCOUNT_DISABLED' })
  @ApiResponse({ status: 404, description: 'OIDC_NOT_CONFIGURED' })
  async callback(@Query() query: Record<string, unknown>, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<TokenPair> {
    // The raw query goes to the client library, which checks every parameter the provider sent
    // (code, state, iss); a DTO refusing unknown fields would break on providers adding some.
    const binding = readCookie(req, OIDC_BINDING_COOKIE);
    const tokens = await this.oidc.completeLogin(query, binding);
    res.clearCookie(OIDC_BINDING_COOKIE, { path: '/' });
    return tokens;
  }
}
