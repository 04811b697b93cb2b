import { Body, Controller, Get, Header, Inject, Param, Post, StreamableFile, UploadedFile, UseInterceptors } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser, type AuthUser } from '../common/auth-context.js';
import { FileView, toFileView, UploadFileDto } from './dto/file.dto.js';
import { ACCEPTED_TYPES } from './file-content.js';
import { contentDisposition } from './file-names.js';
import { fileRequired } from './files.errors.js';
import { FilesService } from './files.service.js';
import { ReceiveUploadInterceptor, type ReceivedUpload } from './upload.interceptor.js';

const NOT_FOUND = 'FILE_NOT_FOUND: no such file, or not one the caller may read';

@ApiTags('files')
@Controller('files')
export class FilesController {
  constructor(@Inject(FilesService) private readonly files: FilesService) {}

  @Post()
  @UseInterceptors(ReceiveUploadInterceptor)
  @ApiOperation({
    operationId: 'uploadFile',
    summary: 'Tải tệp lên / Upload a file (PDF, JPEG, PNG or XML)',
    description:
      'Multipart field `file`. The type is judged by the content, never by the name or the declared content type. Only the uploader may read the file back.',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: UploadFileDto })
  @ApiCreatedResponse({ type: FileView })
  @ApiResponse({ status: 400, description: 'FILE_REQUIRED, UNKNOWN_FIELD, TOO_MANY_FILES, INVALID_UPLOAD' })
  @ApiResponse({ status: 413, description: 'FILE_TOO_LARGE: over FILE_MAX_BYTES (20 MB by default)' })
  @ApiResponse({ status: 415, description: 'UNSUPPORTED_FILE_TYPE: the content is not PDF, JPEG, PNG or XML' })
  @ApiResponse({
    status: 429,
    description: 'UPLOAD_QUOTA_EXCEEDED: a citizen over UPLOAD_QUOTA_FILES_PER_DAY or UPLOAD_QUOTA_BYTES_PER_DAY in the last 24 hours (Retry-After)',
  })
  async upload(@UploadedFile() upload: ReceivedUpload | undefined, @Body() _body: UploadFileDto, @CurrentUser() caller: AuthUser): Promise<FileView> {
    if (!upload) throw fileRequired();
    // Now that its size is known (refused, the interceptor removes the stored content).
    await this.files.assertUploadQuota(caller, upload.received.size);
    return toFileView(await this.files.record(upload.received, caller));
  }

  @Get(':id')
  @ApiOperation({ operationId: 'getFile', summary: 'Thông tin tệp / File metadata' })
  @ApiOkResponse({ type: FileView })
  @ApiResponse({ status: 404, description: NOT_FOUND })
  async meta(@Param('id') id: string, @CurrentUser() caller: AuthUser): Promise<FileView> {
    return toFileView(await this.files.assertReadable(id, caller));
  }

  @Get(':id/content')
  @Header('X-Content-Type-Options', 'nosniff')
  @Header('Cache-Control', 'private, no-store')
  @ApiOperation({
    operationId: 'getFileContent',
    summary: 'Tải tệp về / Download the file',
    description: 'The bytes as uploaded, checked against the SHA-256 taken at upload; offered as an attachment under the stored file name.',
  })
  @ApiProduces(...Object.keys(ACCEPTED_TYPES))
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' } })
  @ApiResponse({ status: 404, description: NOT_FOUND })
  @ApiResponse({ status: 500, description: 'FILE_CORRUPTED: the stored content no longer matches the upload (logged for operators)' })
  async content(@Param('id') id: string, @CurrentUser() caller: AuthUser): Promise<StreamableFile> {
    const { meta, content } = await this.files.openContent(id, caller);
    return new StreamableFile(content, { type: meta.contentType, length: meta.size, disposition: contentDisposition(meta.fileName) });
  }
}
