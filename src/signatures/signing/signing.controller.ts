import { Body, Controller, HttpCode, Inject, Post, UseGuards } from '@nestjs/common';
import { ApiAcceptedResponse, ApiConflictResponse, ApiHeader, ApiOperation, ApiProperty, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { Public } from '../../common/auth-context.js';
import { CALLBACK_SIGNATURE_HEADER, CALLBACK_TIMESTAMP_HEADER, SignedCallbackGuard } from './callback-signature.js';
import { ResultSigningService } from './result-signing.service.js';

export class SigningCallbackDto {
  @ApiProperty({ description: 'The request id the remote-signing service gave when the request was made' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  requestId: string;
}

export class SigningCallbackAccepted {
  @ApiProperty({ description: 'A pending signing request has that id: its state is being read back now' }) polling: boolean;
}

@ApiTags('signing')
@Controller('signing')
export class SigningController {
  constructor(@Inject(ResultSigningService) private readonly signing: ResultSigningService) {}

  /**
   * No user credentials: the remote service authenticates the call with an HMAC of the body under
   * the shared REMOTE_SIGNING_TOKEN (SignedCallbackGuard). Even then it is only a hint: the
   * request's state is read from the service itself.
   */
  @Post('callbacks')
  @Public()
  @UseGuards(SignedCallbackGuard)
  @HttpCode(202)
  @ApiOperation({
    operationId: 'receiveSigningCallback',
    summary: 'Thông báo từ dịch vụ ký số từ xa / Callback of the remote-signing service',
    description: `Hurries the poll of a pending signing request. Signed by the service: \`${CALLBACK_TIMESTAMP_HEADER}\` (unix seconds, within 5 minutes) and \`${CALLBACK_SIGNATURE_HEADER}: sha256=<hex HMAC-SHA256(REMOTE_SIGNING_TOKEN, "<timestamp>.<raw body>")>\`; each signed call is accepted once. The state is then read back from the remote service.`,
  })
  @ApiHeader({ name: CALLBACK_TIMESTAMP_HEADER, required: true, description: 'Unix time in seconds' })
  @ApiHeader({ name: CALLBACK_SIGNATURE_HEADER, required: true, description: 'sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>">' })
  @ApiAcceptedResponse({ type: SigningCallbackAccepted })
  @ApiUnauthorizedResponse({ description: 'CALLBACK_UNSIGNED, CALLBACK_SIGNATURE_INVALID, CALLBACK_STALE' })
  @ApiConflictResponse({ description: 'CALLBACK_REPLAYED (the same signed call again)' })
  async callback(@Body() dto: SigningCallbackDto): Promise<SigningCallbackAccepted> {
    return { polling: await this.signing.hurry(dto.requestId) };
  }
}
