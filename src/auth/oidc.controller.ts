import { Controller, Get, Inject, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../common/auth-context.js';
import { TokenPair } from './dto/auth.dto.js';
import { OidcService } from './oidc.service.js';

export class AuthorizationUrlView {
  @ApiProperty({ description: 'Send the citizen here to log in with VNeID' })
  authorizationUrl: string;
}

@ApiTags('auth')
@Controller('auth/oidc')
export class OidcController {
  constructor(@Inject(OidcService) private readonly oidc: OidcService) {}

  @Get('authorize')
  @Public()
  @ApiOperation({ summary: 'Bắt đầu đăng nhập VNeID / Start an OpenID Connect login (VNeID)' })
  @ApiQuery({ name: 'redirect', required: false, description: '`true`: answer 302 to the provider instead of JSON' })
  @ApiOkResponse({ type: AuthorizationUrlView })
  @ApiResponse({ status: 302, description: 'With redirect=true: to the identity provider' })
  @ApiResponse({ status: 404, description: 'OIDC_NOT_CONFIGURED' })
  @ApiResponse({ status: 503, description: 'OIDC_PROVIDER_UNAVAILABLE' })
  async authorize(@Query('redirect') redirect: string | undefined, @Res() res: Response): Promise<void> {
    const authorizationUrl = await this.oidc.authorizationUrl();
    if (redirect === 'true') res.redirect(302, authorizationUrl);
    else res.json({ authorizationUrl });
  }

  @Get('callback')
  @Public()
  @ApiOperation({ summary: 'Hoàn tất đăng nhập VNeID / OpenID Connect redirect target (OIDC_REDIRECT_URI): exchanges the code for our tokens' })
  @ApiQuery({ name: 'code', required: false })
  @ApiQuery({ name: 'state', required: true })
  @ApiOkResponse({ type: TokenPair })
  @ApiResponse({ status: 400, description: 'OIDC_INVALID_STATE: unknown, expired or reused state' })
  @ApiResponse({ status: 401, description: 'OIDC_LOGIN_FAILED, OIDC_INVALID_IDENTITY (no valid CCCD claim), ACCOUNT_DISABLED' })
  @ApiResponse({ status: 404, description: 'OIDC_NOT_CONFIGURED' })
  callback(@Query() query: Record<string, unknown>): Promise<TokenPair> {
    // The raw query goes to the client library, which checks every parameter the provider sent
    // (code, state, iss); a DTO refusing unknown fields would break on providers adding some.
    return this.oidc.completeLogin(query);
  }
}
