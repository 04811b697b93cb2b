import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { Public } from '../common/auth-context.js';
import { ResultSigningService } from './result-signing.service.js';

export class SigningCallbackDto {
  @ApiProperty({ description: 'The request id the remote-signing service gave when the request was made' })
  @IsString() @MinLength(1) @MaxLength(200)
  requestId: string;
}

@ApiTags('signing')
@Controller('signing')
export class SigningController {
  constructor(@Inject(ResultSigningService) private readonly signing: ResultSigningService) {}

  /**
   * Public, because the remote service calls it without our credentials; it is only a hint: the
   * request's state is then read from the service itself, so a forged call changes nothing.
   */
  @Post('callbacks')
  @Public()
  @HttpCode(202)
  @ApiOperation({
    summary: 'Thông báo từ dịch vụ ký số từ xa / Callback of the remote-signing service',
    description: 'Hurries the poll of a pending signing request. The body is not trusted: the state is read back from the remote service.',
  })
  @ApiAcceptedResponse({ description: '{ "polling": true } when a pending request has that id' })
  async callback(@Body() dto: SigningCallbackDto): Promise<{ polling: boolean }> {
    return { polling: await this.signing.hurry(dto.requestId) };
  }
}
